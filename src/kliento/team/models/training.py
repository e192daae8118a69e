"""The training catalogue: courses, their sessions and who attended."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.team.models.profiles import Competency


class Course(models.Model):
    class Kind(models.TextChoices):
        PRODUCT = "product", _("Product")
        PROCESS = "process", _("Process")
        SOFT_SKILLS = "soft_skills", _("Soft skills")

    title = models.CharField(_("title"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, max_length=5_000)
    materials = models.TextField(
        _("materials"),
        blank=True,
        max_length=10_000,
        help_text=_("Markdown: links to documents, videos and exercises."),
    )
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies it builds"), blank=True, related_name="courses"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        permissions = [("manage_training", "Can run the training catalogue and refreshers")]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "employee"], name="team_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.employee_id} {self.status}"
