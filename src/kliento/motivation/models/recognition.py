"""Colleagues' thanks and the reactions on every item of the recognition feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

THANKS_MAX = 500


class Thanks(models.Model):
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("colleague"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    message = models.CharField(_("message"), max_length=THANKS_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thank-you")
        verbose_name_plural = _("thank-yous")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="thanks_recipient")]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id}"


class ItemKind(models.TextChoices):
    PRAISE = "praise", _("Praise from a client")
    EXEMPLARY = "exemplary", _("Exemplary work")
    THANKS = "thanks", _("Thanks from a colleague")


class Emoji(models.TextChoices):
    APPLAUSE = "applause", "👏"
    HEART = "heart", "❤️"
    STAR = "star", "⭐"


class Reaction(models.Model):
    """One person's reaction of one kind on one feed item; pressing it again takes it back.
    The unique constraint makes two simultaneous presses one reaction."""

    item_kind = models.CharField(max_length=10, choices=ItemKind.choices)
    item_id = models.BigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=10, choices=Emoji.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item_kind", "item_id", "user", "emoji"], name="reaction_once"
            )
        ]
        indexes = [models.Index(fields=["item_kind", "item_id"], name="reaction_item")]

    def __str__(self) -> str:
        return f"{self.item_kind}:{self.item_id} {self.emoji}"
