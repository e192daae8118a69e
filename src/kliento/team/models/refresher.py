"""Refresher training: rules watching a performance signal, and the proposals they raise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.team.models.training import Course


class RefresherRule(models.Model):
    signal = models.CharField(_("signal"), max_length=60)
    threshold = models.FloatField(_("threshold"), help_text=_("Below this value: a proposal."))
    drop = models.FloatField(
        _("drop"), help_text=_("A fall by this much against the previous period: a proposal.")
    )
    period_days = models.PositiveSmallIntegerField(_("period (days)"), default=30)
    # Fewer observations than this say nothing about a person: no proposal from them.
    min_n = models.PositiveSmallIntegerField(_("minimum observations"), default=5)
    course = models.ForeignKey(
        Course,
        verbose_name=_("course to propose"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("refresher rule")
        verbose_name_plural = _("refresher rules")
        ordering = ["signal", "id"]

    def __str__(self) -> str:
        return self.signal


class TrainingProposal(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ASSIGNED = "assigned", _("Assigned")
        DISMISSED = "dismissed", _("Dismissed")
        DONE = "done", _("Training done")

    class Reason(models.TextChoices):
        THRESHOLD = "threshold", _("Below the threshold")
        DROP = "drop", _("Dropped against the previous period")

    rule = models.ForeignKey(RefresherRule, on_delete=models.CASCADE, related_name="proposals")
    signal = models.CharField(_("signal"), max_length=60)
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    team = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # "employee:<id>" or "team:<id>": one proposal per subject, rule and period (unique even
    # where the other foreign key is null).
    subject = models.CharField(max_length=40)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    value = models.FloatField(_("value"))
    n = models.PositiveIntegerField(_("observations"))
    baseline_value = models.FloatField(_("previous value"), null=True, blank=True)
    baseline_n = models.PositiveIntegerField(_("previous observations"), default=0)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default="proposed"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The day the training was assigned: the refresher's start, when its "before" baseline of
    # the metric layer is taken (team/services/refresher_baselines.py).
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    trained_on = models.DateField(_("trained on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("training proposal")
        verbose_name_plural = _("training proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject", "period_start"], name="team_proposal_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal} {self.subject} {self.period_start}"
