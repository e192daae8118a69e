from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PortraitFact(models.Model):
    """One thing known about the client, in the portrait categories of seed 001 step 2."""

    class Category(models.TextChoices):
        TRAITS = "traits", _("Traits and habits")
        VALUES = "values", _("Values and life positions")
        FAMILY = "family", _("Family")
        ROLES = "roles", _("Roles in personal and professional life")
        EMOTIONS = "emotions", _("Emotions and experiences")
        ATTITUDES = "attitudes", _("Personal attitudes")
        SOCIAL = "social", _("Attitude to social issues")
        LIFESTYLE = "lifestyle", _("Hobbies and lifestyle")

    class Source(models.TextChoices):
        OBSERVATION = "observation", _("Personal observation")
        SURVEY = "survey", _("Survey")
        FOCUS_GROUP = "focus_group", _("Focus group")
        REVIEW = "review", _("Review or forum")
        SOCIAL_NETWORK = "social_network", _("Social network")
        CONVERSATION = "conversation", _("Conversation")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="portrait_facts"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.TextField(_("fact"), max_length=2000)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    verified_at = models.DateTimeField(_("last verified"), default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("portrait fact")
        verbose_name_plural = _("portrait facts")
        ordering = ["category", "-verified_at"]
        indexes = [models.Index(fields=["client", "category"], name="portrait_client_idx")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_stale(self) -> bool:
        max_age = timedelta(days=settings.KLIENTO_PORTRAIT_MAX_AGE_DAYS)
        return self.verified_at < timezone.now() - max_age
