"""Journeys and their stages, where each client is now, how it moved, the rules that move
clients and the frozen baselines. A stage has exactly one owner: a required foreign key, so the
database itself refuses a stage without one and cannot hold two."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
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
        permissions = [
            ("manage_journey", _("Can edit journeys, stages and move rules")),
            ("move_client", _("Can move clients along a journey")),
        ]

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
    # When the client was first placed on the journey: its lifetime there, kept on every move
    # so the baseline's average lifetime is one aggregate instead of a scan of the history.
    joined_at = models.DateTimeField(_("on the journey since"), default=timezone.now)

    class Meta:
        verbose_name = _("client's stage")
        verbose_name_plural = _("clients' stages")
        constraints = [
            models.UniqueConstraint(fields=["client", "journey"], name="one_stage_per_journey"),
        ]
        indexes = [models.Index(fields=["stage", "entered_at"], name="clientstage_stage_since")]

    def __str__(self) -> str:
        return f"{self.client_id} @ {self.stage_id}"


class StageMove(models.Model):
    """One move of a client on a journey: from where (none when first placed), to where, when,
    by whom (a person, or a rule run by the worker) and why."""

    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="stage_moves",
    )
    journey = models.ForeignKey(
        Journey, verbose_name=_("journey"), on_delete=models.CASCADE, related_name="moves"
    )
    from_stage = models.ForeignKey(
        Stage,
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves_out",
    )
    to_stage = models.ForeignKey(
        Stage, verbose_name=_("to"), on_delete=models.PROTECT, related_name="moves_in"
    )
    moved_at = models.DateTimeField(_("moved at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rule = models.ForeignKey(
        "journeys.MoveRule",
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moves",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Off the journey's order (not the next stage nor an exit stage), allowed with a reason.
    forced = models.BooleanField(_("forced"), default=False)

    class Meta:
        verbose_name = _("stage move")
        verbose_name_plural = _("stage moves")
        ordering = ["-moved_at", "-id"]
        indexes = [
            models.Index(fields=["client", "moved_at"], name="stagemove_client_idx"),
            # Conversion counts a period's moves into each stage by where they came from: this
            # index covers that query (an index-only scan, no visit to the table).
            models.Index(fields=["to_stage", "moved_at", "from_stage"], name="stagemove_to_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.from_stage_id} → {self.to_stage_id}"


class MoveRule(models.Model):
    """A rule the worker applies: clients at one of `from_stages` (or on no stage of the
    journey yet, with `include_unplaced`) who meet the condition move to `to_stage`."""

    class Condition(models.TextChoices):
        PURCHASES_AT_LEAST = "purchases", _("Has made at least N purchases")
        NO_PURCHASE_FOR = "inactive", _("No purchase for N days")
        STATUS_LEFT = "left", _("Status is “left”")

    journey = models.ForeignKey(
        Journey, verbose_name=_("journey"), on_delete=models.CASCADE, related_name="move_rules"
    )
    name = models.CharField(_("name"), max_length=120)
    condition = models.CharField(_("condition"), max_length=12, choices=Condition.choices)
    threshold = models.PositiveIntegerField(
        _("N"), default=1, help_text=_("Purchases, or days without a purchase.")
    )
    from_stages = models.ManyToManyField(
        Stage, verbose_name=_("from the stages"), related_name="+", blank=True
    )
    include_unplaced = models.BooleanField(_("also clients not yet on the journey"), default=False)
    to_stage = models.ForeignKey(
        Stage, verbose_name=_("move to"), on_delete=models.PROTECT, related_name="+"
    )
    # Rules run in this order; a client moved by one is not touched by a later one that run.
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    # Watermark: the start of the last complete run. The next run looks only at the clients
    # that changed (or reached a source stage) since, minus a margin for clock skew.
    checked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("move rule")
        verbose_name_plural = _("move rules")
        ordering = ["journey_id", "position", "id"]

    def __str__(self) -> str:
        return self.name


class Baseline(models.Model):
    """The distribution of a journey frozen under a name and date, to compare the present to.
    `figures` holds, per stage id, the count and the average days in the stage (and the
    stage's name at the time, shown if the stage is gone)."""

    journey = models.ForeignKey(
        Journey, verbose_name=_("journey"), on_delete=models.CASCADE, related_name="baselines"
    )
    name = models.CharField(_("name"), max_length=120)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.PositiveIntegerField(_("clients"))
    average_lifetime_days = models.FloatField(_("average lifetime (days)"), null=True)
    figures = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["-taken_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "name"], name="baseline_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
