"""The training catalogue: courses, sessions and attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.team.models import Attendance, Competency, Course, TrainingSession


@transaction.atomic
def save_course(
    *,
    actor: Any,
    title: str,
    kind: str,
    description: str = "",
    materials: str = "",
    competency_ids: Iterable[int] = (),
    course: Course | None = None,
) -> Course:
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("Give the course a title.")]
    if kind not in Course.Kind.values:
        errors["kind"] = [_("Choose product, process or soft skills.")]
    taken = Course.objects.filter(title__iexact=title)
    if course is not None:
        taken = taken.exclude(pk=course.pk)
    if title and taken.exists():
        errors["title"] = [_("There is already a course of this title.")]
    wanted = set(competency_ids)
    found = list(Competency.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        errors["competency_ids"] = [_("There is no such competency.")]
    if errors:
        raise ValidationError(errors)
    target = course or Course()
    target.title, target.kind = title, kind
    target.description, target.materials = description.strip(), materials.strip()
    target.save()
    target.competencies.set(found)
    return target


@transaction.atomic
def add_session(
    *, actor: Any, course: Course, starts_at: dt.datetime, place: str = "", trainer: Any = None
) -> TrainingSession:
    return TrainingSession.objects.create(
        course=course, starts_at=starts_at, place=place.strip(), trainer=trainer
    )


@transaction.atomic
def record_attendance(
    *, actor: Any, session: TrainingSession, employee: Any, status: str
) -> Attendance:
    if status not in Attendance.Status.values:
        raise ValidationError({"status": [_("Choose enrolled, attended or absent.")]})
    if not employee.is_active:
        raise ValidationError({"employee_id": [_("This person's account is not active.")]})
    row, _created = Attendance.objects.update_or_create(
        session=session,
        employee=employee,
        defaults={"status": status, "recorded_at": timezone.now()},
    )
    return row
