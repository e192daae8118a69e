"""The ideal-employee profile of a role: the competencies a person in it needs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kliento.core.roles import ROLE_LABELS


class IdealProfile(models.Model):
    role = models.CharField(
        _("role"), max_length=40, unique=True, choices=[(k, v) for k, v in ROLE_LABELS.items()]
    )
    summary = models.TextField(_("summary"), blank=True, max_length=2_000)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("ideal-employee profile")
        verbose_name_plural = _("ideal-employee profiles")
        ordering = ["role"]
        permissions = [
            ("manage_profiles", "Can manage ideal-employee profiles"),
            ("view_skills", "Can see skills matrices and the team climate"),
        ]

    def __str__(self) -> str:
        return str(self.get_role_display())


class Group(models.TextChoices):
    MUST = "must", _("Must-have")
    LEARNABLE = "learnable", _("Can be learned")
    NICE = "nice", _("Nice to have")


class AssessedBy(models.TextChoices):
    INTERVIEW = "interview", _("Interview question")
    TEST_TASK = "test_task", _("Test task")
    OBSERVATION = "observation", _("Observation")


class Competency(models.Model):
    profile = models.ForeignKey(IdealProfile, on_delete=models.CASCADE, related_name="competencies")
    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    # Attitude and values come first: they are hired for, skills can be taught (seed 004 #2).
    is_attitude = models.BooleanField(_("attitude or value"), default=False)
    description = models.TextField(_("description"), blank=True, max_length=2_000)
    assessed_by = models.CharField(_("assessed by"), max_length=20, choices=AssessedBy.choices)
    assessment = models.TextField(
        _("how it is assessed"),
        blank=True,
        max_length=2_000,
        help_text=_("The interview question, the test task or what to observe."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["-is_attitude", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "name"], name="team_competency_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
