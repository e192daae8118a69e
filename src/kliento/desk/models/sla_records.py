"""The running state of a case's SLA clock, its breaches and its escalation steps.

`SlaClock` holds what the due times on the case are computed from (paused business time, the
message a next reply is owed for, which warnings and breaches were already recorded) and
`check_at`, the next moment the periodic job must look at the case. Kept by kliento.desk.sla.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SlaTarget(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_RESPONSE = "next_response", _("Next response")
    RESOLUTION = "resolution", _("Resolution")


class SlaClock(models.Model):
    case = models.OneToOneField(
        "desk.Case", primary_key=True, on_delete=models.CASCADE, related_name="sla_clock"
    )
    # Business seconds the clock stood still (waiting on the client, on hold, resolved) since
    # the case was opened; first-response and resolution due times shift by it.
    paused_seconds = models.BigIntegerField(default=0)
    # The inbound message a next reply is owed for, and `paused_seconds` at that moment (the
    # next-response target shifts only by pauses after it).
    next_response_from = models.DateTimeField(null=True, blank=True)
    next_response_paused_base = models.BigIntegerField(default=0)
    # Target keys (SlaTarget) already warned about / breached in their current cycle.
    warned = models.JSONField(default=list, blank=True)
    breached = models.JSONField(default=list, blank=True)
    # When the periodic job must look again (the earliest warning or breach to come).
    check_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["check_at"], name="sla_clock_check_at", condition=Q(check_at__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return f"SLA clock of {self.case_id}"


class SlaBreach(models.Model):
    """A target missed: written once per case, target and due time by the periodic job, and
    kept even when the target is met later (the metrics count it)."""

    case = models.ForeignKey("desk.Case", on_delete=models.CASCADE, related_name="sla_breaches")
    target = models.CharField(_("target"), max_length=20, choices=SlaTarget.choices)
    due_at = models.DateTimeField(_("due"))
    breached_at = models.DateTimeField(_("breached"), db_index=True)
    team = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("SLA breach")
        verbose_name_plural = _("SLA breaches")
        ordering = ["-breached_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "target", "due_at"], name="sla_breach_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.target} {self.due_at:%Y-%m-%d %H:%M}"


class EscalationRecord(models.Model):
    """A case reached a level of its procedure's escalation list; one row per level, ever
    (the unique constraint is the last guard of "exactly once")."""

    case = models.ForeignKey("desk.Case", on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("level"))
    procedure_id = models.PositiveIntegerField(_("policy procedure"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"))
    # Who was told (user ids) and how the list asked for it (in_app, email, phone).
    notified = models.JSONField(default=list, blank=True)
    notify_by = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["case_id", "level"]
        constraints = [
            models.UniqueConstraint(fields=["case", "level"], name="escalation_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} level {self.level}"
