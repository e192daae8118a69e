"""QA reviews of desk cases: the reviewers' queue (sampled assignments), the agent's disputes
of a review, and calibration sessions where several reviewers score one case blind.

The scores themselves are ordinary `Evaluation`s (kind "review" or "calibration"); these
records say why a case was picked, who disputes what, and who sat in which session."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.quality.models.checklists import ChecklistVersion
from kliento.quality.models.evaluations import Evaluation


class ReviewAssignment(models.Model):
    """A case waiting for (or given) a QA review. One per case, whatever picked it: the
    sampling job can run again and again and never queues a case twice."""

    class Reason(models.TextChoices):
        RANDOM = "random", _("Random sample")
        COMPLAINT = "complaint", _("Complaint")
        LOW_CSAT = "low_csat", _("Low CSAT")
        MANUAL = "manual", _("Chosen by a reviewer")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        IN_PROGRESS = "in_progress", _("Being reviewed")
        DONE = "done", _("Reviewed")

    case = models.ForeignKey(
        "desk.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey(
        "desk.Call",
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("why"), max_length=12, choices=Reason.choices)
    # The Monday of the week whose cases were sampled.
    week = models.DateField(_("week"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evaluation = models.OneToOneField(
        Evaluation,
        verbose_name=_("review"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_assignment",
    )
    created_at = models.DateTimeField(_("queued"), default=timezone.now)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["status", "-week", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], name="quality_review_case_once"),
        ]
        indexes = [models.Index(fields=["status", "week"], name="quality_review_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.case_id}"


class Dispute(models.Model):
    """An agent's objection to a completed review; a second reviewer decides it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        AMENDED = "amended", _("Amended")

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("review"), on_delete=models.CASCADE, related_name="dispute"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=2_000)
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), max_length=2_000, blank=True)
    score_before = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score_after = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["status", "-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.status}"


class CalibrationSession(models.Model):
    """Several reviewers score the same case blind; then the facilitator records the agreed
    reference score, which is kept with the session."""

    class Status(models.TextChoices):
        OPEN = "open", _("Scoring")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    case = models.ForeignKey(
        "desk.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("checklist version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reference = models.OneToOneField(
        Evaluation,
        verbose_name=_("reference score"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reference_note = models.TextField(_("how the reference was agreed"), blank=True)

    class Meta:
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CalibrationSeat(models.Model):
    """One reviewer's place in a session and, once submitted, their scoring."""

    session = models.ForeignKey(CalibrationSession, on_delete=models.CASCADE, related_name="seats")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    evaluation = models.OneToOneField(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("calibration reviewer")
        verbose_name_plural = _("calibration reviewers")
        ordering = ["session_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "reviewer"], name="quality_seat_once"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(evaluation__isnull=False),
                name="quality_seat_submitted_scored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.reviewer_id}"
