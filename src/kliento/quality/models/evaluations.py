"""Evaluations: one scoring of something against one published checklist version.

The same record serves audits, mystery shops, QA reviews and calibration scores (its `kind`);
what was evaluated is named by its subject links (an employee, a team, a touchpoint, a journey
stage, a desk case or call). Each item gets a result (pass / fail / not applicable) with a note
and evidence files; the score is computed once, on completion, by `quality.scoring`.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.quality.models.checklists import ChecklistItem, ChecklistVersion


class Outcome(models.TextChoices):
    PASS = "pass", _("Met")
    FAIL = "fail", _("Not met")
    NA = "na", _("Not applicable")


class Evaluation(models.Model):
    class Kind(models.TextChoices):
        AUDIT = "audit", _("Audit")
        MYSTERY_SHOP = "mystery_shop", _("Mystery shop")
        REVIEW = "review", _("QA review")
        CALIBRATION = "calibration", _("Calibration")

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        COMPLETED = "completed", _("Completed")

    version = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("checklist version"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # None: an external mystery shopper (named on the assignment) or the system.
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("performed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the control happened (the visit, the call, the review), not when it was typed in.
    performed_at = models.DateTimeField(_("performed at"), default=timezone.now)
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    touchpoint = models.ForeignKey(
        "touchpoints.Touchpoint",
        verbose_name=_("touchpoint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    stage = models.ForeignKey(
        "journeys.Stage",
        verbose_name=_("journey stage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "desk.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    call = models.ForeignKey(
        "desk.Call",
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("summary"), max_length=5_000, blank=True)
    # 0 to 100 with two decimals; None until completed, and None when every item was N/A.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    critical_failed = models.BooleanField(_("critical item failed"), default=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    exemplary = models.BooleanField(_("exemplary"), default=False)
    exemplary_note = models.CharField(_("why it is exemplary"), max_length=500, blank=True)
    exemplary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exemplary_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-performed_at", "-id"]
        indexes = [
            models.Index(fields=["status", "performed_at"], name="quality_eval_status_when"),
            models.Index(fields=["employee", "performed_at"], name="quality_eval_employee_when"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="quality_eval_score_range",
            ),
        ]
        permissions = [
            ("perform_evaluations", "Can audit, mystery-shop and score against checklists"),
            ("view_all_evaluations", "Can see every evaluation, not only one's own"),
            ("view_team_evaluations", "Can see the completed evaluations of one's team"),
            ("mark_exemplary", "Can mark a result as exemplary"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ItemResult(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="results"
    )
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices)
    note = models.TextField(_("note"), max_length=2_000, blank=True)
    # "The rule was kept but did not work": the standard asks for revision, and the employee is
    # protected from a penalty for this finding.
    standard_did_not_work = models.BooleanField(_("the standard did not work"), default=False)
    # Set when the revision request was raised: claimed by a conditional UPDATE, so a finding
    # raises at most one request however often completion is retried.
    revision_requested_at = models.DateTimeField(null=True, blank=True)
    revision_request = models.ForeignKey(
        "standards.RevisionRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("item result")
        verbose_name_plural = _("item results")
        ordering = ["evaluation_id", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="quality_result_once"),
        ]
        # Critical breaches of a period (a statement run asks month by month) read the few
        # failed items of that period's evaluations; without it every month scans every item
        # result ever recorded (benchmarks/bench_motivation.py, docs/motivation.md).
        indexes = [
            models.Index(
                fields=["evaluation"],
                name="quality_result_failed",
                condition=models.Q(outcome="fail"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.item_id}: {self.outcome}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # A random directory: stored names never collide and reveal nothing about the subject.
    return f"quality/{dt.date.today():%Y/%m}/{uuid.uuid4().hex}/{filename[-120:]}"


class Evidence(models.Model):
    """A photo or file backing one item's result; served only to those who may see it."""

    result = models.ForeignKey(
        ItemResult, verbose_name=_("result"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=150, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename
