"""Staff surveys (eNPS, team climate, custom): sent to employees, answered once each while
signed in; anonymous ones are stored with no link to the person (StaffAnswer)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import notifications
from kliento.core.models import OrgUnit
from kliento.core.types import Actor
from kliento.surveys.models import StaffAnswer, StaffInvitation, Survey
from kliento.surveys.services.answering import check_answers

STAFF_INVITED = "survey.staff_invited"  # a notification kind


def _units_under(unit: OrgUnit) -> list[int]:
    ids, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


@transaction.atomic
def invite_staff(*, actor: Actor, survey: Survey, unit: OrgUnit | None = None) -> int:
    """Ask every active employee (of `unit` and the units under it); each is notified once."""
    if survey.audience != Survey.Audience.STAFF:
        raise ValidationError({"survey": _("This survey is asked of clients.")})
    if not survey.is_active:
        raise ValidationError({"survey": _("This survey is not open.")})
    people = get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
    if unit is not None:
        people = people.filter(staff_profile__unit_id__in=_units_under(unit))
    already = set(survey.staff_invitations.values_list("user_id", flat=True))
    fresh = [user for user in people if user.pk not in already]
    StaffInvitation.objects.bulk_create(
        [StaffInvitation(survey=survey, user=user) for user in fresh], ignore_conflicts=True
    )
    notifications.notify(
        recipients=fresh,
        kind=STAFF_INVITED,
        actor=actor,
        target_url=reverse("surveys:take", args=[survey.pk]),
        params={"survey": survey.name, "anonymous": survey.anonymous},
    )
    return len(fresh)


def invitation_of(user: Any, survey: Survey) -> StaffInvitation | None:
    return StaffInvitation.objects.filter(survey=survey, user=user).first()


@transaction.atomic
def answer(*, user: Any, survey: Survey, answers: dict[str, Any], comment: str = "") -> None:
    """Answer once. Anonymous: nothing ties the answer to the person, not even a moment (the
    invitation only says "answered"; the answer keeps the month and the team)."""
    invitation = (
        StaffInvitation.objects.select_for_update().filter(survey=survey, user=user).first()
    )
    if invitation is None:
        raise ValidationError({"survey": _("You are not asked this survey.")})
    if invitation.answered:
        raise ValidationError({"survey": _("You have answered this survey already.")})
    if not survey.is_active:
        raise ValidationError({"survey": _("This survey is not open.")})
    cleaned, score, comment = check_answers(survey, answers, comment)
    profile = getattr(user, "staff_profile", None)
    StaffAnswer.objects.create(
        survey=survey,
        unit_id=profile.unit_id if profile is not None else None,
        respondent=None if survey.anonymous else user,
        period=timezone.localdate().strftime("%Y-%m"),
        score=score,
        answers=cleaned,
        comment=comment,
    )
    StaffInvitation.objects.filter(pk=invitation.pk).update(answered=True)
