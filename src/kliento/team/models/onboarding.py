"""Onboarding: a plan of checkpoints per role, and one new employee's way through it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.roles import ROLE_LABELS


class CheckpointKind(models.TextChoices):
    STANDARDS = "standards", _("Acknowledge the standards")
    SHADOW = "shadow", _("Shadow a colleague")
    SUPERVISED = "supervised", _("First supervised cases")
    AUDIT = "audit", _("First audit")
    OTHER = "other", _("Other")


class OnboardingPlan(models.Model):
    role = models.CharField(
        _("role"), max_length=40, unique=True, choices=[(k, v) for k, v in ROLE_LABELS.items()]
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("onboarding plan")
        verbose_name_plural = _("onboarding plans")
        ordering = ["role"]
        permissions = [("manage_onboarding", "Can plan onboardings and assign mentors")]

    def __str__(self) -> str:
        return self.title


class PlanCheckpoint(models.Model):
    plan = models.ForeignKey(OnboardingPlan, on_delete=models.CASCADE, related_name="checkpoints")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CheckpointKind.choices)
    due_day = models.PositiveSmallIntegerField(_("due on day"))
    description = models.TextField(_("description"), blank=True, max_length=2_000)

    class Meta:
        verbose_name = _("plan checkpoint")
        verbose_name_plural = _("plan checkpoints")
        ordering = ["due_day", "id"]

    def __str__(self) -> str:
        return self.title


class Onboarding(models.Model):
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new employee"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan = models.ForeignKey(
        OnboardingPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("started on"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return str(self.employee)


class Checkpoint(models.Model):
    """A plan checkpoint copied into one onboarding (a later change of the plan leaves running
    onboardings as they were agreed)."""

    onboarding = models.ForeignKey(Onboarding, on_delete=models.CASCADE, related_name="checkpoints")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CheckpointKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=2_000)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # None with done_at set: completed by the employee's acknowledgements, not a sign-off.
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=2_000)
    # The claim of the overdue notice: set once by the job that sends it.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_at", "due_on"], name="team_checkpoint_open")]

    def __str__(self) -> str:
        return self.title
