"""Candidates for a role, their way through the hiring pipeline and the interviewers' scores."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.team.models.profiles import Competency, IdealProfile


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INTERVIEW = "interview", _("Interview")
    TEST_TASK = "test_task", _("Test task")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")


class Candidate(models.Model):
    profile = models.ForeignKey(
        IdealProfile,
        verbose_name=_("role profile"),
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5_000)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default="applied")
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    # Set when the personal data was erased after the retention period (the row stays, so
    # the hiring statistics keep their numbers).
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["-created_at", "-id"]
        permissions = [("hire", "Can see and assess candidates (hiring)")]
        indexes = [models.Index(fields=["stage", "rejected_at"], name="team_cand_stage_rejected")]

    def __str__(self) -> str:
        return self.name


class CandidateScore(models.Model):
    """One interviewer's score of one competency of a candidate (1-5) with their notes."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(_("note"), blank=True, max_length=2_000)
    scored_at = models.DateTimeField(_("scored"), default=timezone.now)

    class Meta:
        verbose_name = _("candidate score")
        verbose_name_plural = _("candidate scores")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "competency", "interviewer"], name="team_score_once"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="team_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.score}"
