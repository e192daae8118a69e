"""Journeys and their stages. A stage has exactly one owner: a required foreign key, so the
database itself refuses a stage without one and cannot hold two."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Journey(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=5_000)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    journey = models.ForeignKey(
        Journey, verbose_name=_("journey"), on_delete=models.CASCADE, related_name="stages"
    )
    # Order along the journey (1, 2, 3 …); unique within a journey.
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=120)
    goal = models.TextField(_("goal"), blank=True, max_length=2_000)
    # Markdown, rendered through core.richtext.
    rules = models.TextField(_("rules of the stage"), blank=True, max_length=20_000)
    target_days = models.PositiveIntegerField(_("target duration (days)"), null=True, blank=True)
    entry_criteria = models.TextField(_("entry criteria"), blank=True, max_length=2_000)
    exit_criteria = models.TextField(_("exit criteria"), blank=True, max_length=2_000)
    # Outside the main path (at risk, churned): reachable from any stage without forcing.
    is_exit = models.BooleanField(_("off the main path"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_stages",
    )

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["journey_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "position"], name="stage_position_unique"),
            models.UniqueConstraint(fields=["journey", "name"], name="stage_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ClientStage(models.Model):
    """Where a client is now on one journey (at most one stage per journey)."""

    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="journey_stages",
    )
    journey = models.ForeignKey(
        Journey, verbose_name=_("journey"), on_delete=models.CASCADE, related_name="+"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="client_stages"
    )
    entered_at = models.DateTimeField(_("in the stage since"))

    class Meta:
        verbose_name = _("client's stage")
        verbose_name_plural = _("clients' stages")
        constraints = [
            models.UniqueConstraint(fields=["client", "journey"], name="one_stage_per_journey"),
        ]
        indexes = [models.Index(fields=["stage", "entered_at"], name="clientstage_stage_since")]

    def __str__(self) -> str:
        return f"{self.client_id} @ {self.stage_id}"
