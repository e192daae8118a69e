"""Touchpoints. Like a stage, a touchpoint has exactly one owner (a required foreign key)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kliento.core.channels import Channel


class Touchpoint(models.Model):
    class Kind(models.TextChoices):
        # Seed 001 step 3: what the business puts in front of the client, and what its people do.
        BUSINESS = "business", _("Business")
        EMPLOYEE = "employee", _("Employee")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Within the kind: website, office, signboard, documents … / appearance, uniform, smile …
    category = models.CharField(_("category"), max_length=20)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    stages = models.ManyToManyField(
        "journeys.Stage", verbose_name=_("stages"), related_name="touchpoints", blank=True
    )
    # When in the stage it happens ("on arrival", "when the order is handed over").
    occurs_when = models.CharField(_("when it occurs"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_touchpoints",
    )
    # Markdown, rendered through core.richtext: how it must work.
    regulation = models.TextField(_("regulation"), blank=True, max_length=20_000)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
