"""The closed loop: a poor answer (NPS 0-6, CSAT 1-2 or 0-2, high-effort CES) opens a
follow-up for the owner of what it concerns, with a deadline; the owner records the contact
made and its outcome; overdue follow-ups are escalated once.

Who owns it, first match wins: the touchpoint's owner, the journey stage's owner, the agent the
answer is about, the client's account manager, the survey's owner. (Kliento has no "team lead"
yet: an answer about a team without an agent goes to the account manager or survey owner.)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.core import notifications
from kliento.core.types import Actor
from kliento.standards import services as standards
from kliento.surveys import scoring
from kliento.surveys.models import FollowUp, Response

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FOLLOW_UP_OPENED = "survey.follow_up"  # notification kinds
FOLLOW_UP_OVERDUE = "survey.follow_up_overdue"
HANDLE_ALL = "surveys.handle_all_followups"
NOTE_MAX = 5_000


def is_poor(response: Response) -> bool:
    survey = response.survey
    if response.score is None or not survey.scale:
        return False
    return scoring.read_score(survey.kind, survey.scale, survey.direction, response.score).poor


def route(response: Response) -> tuple[Any, str] | None:
    """The owner of what the answer concerns, and why them."""
    users = get_user_model().objects.filter(is_active=True)
    candidates: list[tuple[int | None, str]] = []
    if response.touchpoint_id:
        candidates.append((response.touchpoint.owner_id, FollowUp.Reason.TOUCHPOINT))  # type: ignore[union-attr]
    if response.stage_id:
        candidates.append((response.stage.owner_id, FollowUp.Reason.STAGE))  # type: ignore[union-attr]
    candidates.append((response.agent_id, FollowUp.Reason.AGENT))
    if response.client_id:
        found = clients.reach([response.client_id]).get(response.client_id)
        candidates.append((found.account_manager_id if found else None, FollowUp.Reason.ACCOUNT))
    candidates.append((response.survey.created_by_id, FollowUp.Reason.SURVEY))
    for user_id, reason in candidates:
        if user_id and (user := users.filter(pk=user_id).first()) is not None:
            return user, reason
    return None


def open_if_poor(response: Response) -> FollowUp | None:
    """In the answer's transaction: a follow-up when the score is poor and none exists yet (an
    edited answer keeps its follow-up; the owner sees the answer as it now reads)."""
    if not is_poor(response) or FollowUp.objects.filter(response=response).exists():
        return None
    routed = route(response)
    if routed is None:
        return None
    owner, reason = routed
    follow_up = FollowUp.objects.create(
        response=response,
        owner=owner,
        reason=reason,
        due_at=timezone.now() + dt.timedelta(hours=response.survey.follow_up_hours),
    )
    notifications.notify(
        recipients=[owner],
        kind=FOLLOW_UP_OPENED,
        target_url=reverse("surveys:follow_up", args=[follow_up.pk]),
        params={
            "survey": response.survey.name,
            "score": response.score,
            "comment": response.comment[:300],
            "due": follow_up.due_at.isoformat(),
        },
    )
    return follow_up


def may_handle(user: Any, follow_up: FollowUp) -> bool:
    return bool(user is not None and (follow_up.owner_id == user.pk or user.has_perm(HANDLE_ALL)))


def _clean(text: str, field: str, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > NOTE_MAX:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": NOTE_MAX}})
    return text


@transaction.atomic
def record_contact(*, actor: Actor, follow_up: FollowUp, note: str) -> FollowUp:
    """The inner loop's first half: the client was contacted, and what was said."""
    if not may_handle(actor, follow_up):
        raise PermissionDenied(_("Only its owner or a manager can work on this follow-up."))
    note = _clean(note, "contact_note", True)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.status == FollowUp.Status.CLOSED:
        raise ValidationError({"contact_note": _("This follow-up is closed.")})
    locked.contacted_at = locked.contacted_at or timezone.now()
    locked.contact_note = note
    locked.status = FollowUp.Status.CONTACTED
    locked.save(update_fields=["contacted_at", "contact_note", "status"])
    return locked


@transaction.atomic
def close_follow_up(*, actor: Actor, follow_up: FollowUp, outcome: str) -> FollowUp:
    """The inner loop closed: what came of it. Closing twice changes nothing."""
    if not may_handle(actor, follow_up):
        raise PermissionDenied(_("Only its owner or a manager can work on this follow-up."))
    outcome = _clean(outcome, "outcome", True)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.status == FollowUp.Status.CLOSED:
        return locked
    if locked.contacted_at is None:
        raise ValidationError({"outcome": _("Record the contact with the client first.")})
    locked.outcome = outcome
    locked.status = FollowUp.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = actor
    locked.save(update_fields=["outcome", "status", "closed_at", "closed_by"])
    return locked


@transaction.atomic
def raise_revision(*, actor: Actor, follow_up: FollowUp, standard_id: int, reason: str) -> FollowUp:
    """The outer loop: the answer shows a standard should change; the standard's owner gets a
    revision request with the answer as evidence. Once per follow-up."""
    if not may_handle(actor, follow_up):
        raise PermissionDenied(_("Only its owner or a manager can work on this follow-up."))
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.revision_request_id is not None:
        raise ValidationError({"standard": _("A revision has been requested already.")})
    response = locked.response
    evidence = _("Survey %(survey)s, score %(score)s: %(comment)s") % {
        "survey": response.survey.name,
        "score": response.score,
        "comment": response.comment or "—",
    }
    try:
        request = standards.raise_revision_request(
            actor=actor,
            standard_id=standard_id,
            reason=reason,
            evidence=evidence[:5_000],
            source="survey",
        )
    except standards.StandardNotFound:
        raise ValidationError({"standard": _("There is no such standard.")}) from None
    locked.standard_id, locked.revision_request_id = standard_id, request.pk
    locked.save(update_fields=["standard_id", "revision_request_id"])
    return locked


def escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Tell the owner and everyone who handles all follow-ups, once per overdue follow-up."""
    now = now or timezone.now()
    overdue = FollowUp.objects.filter(
        status__in=[FollowUp.Status.OPEN, FollowUp.Status.CONTACTED],
        due_at__lt=now,
        escalated_at__isnull=True,
    ).select_related("owner", "response__survey")
    leads = list(handlers())
    count = 0
    for follow_up in overdue:
        with transaction.atomic():
            if not FollowUp.objects.filter(pk=follow_up.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue
            notifications.notify(
                recipients=[follow_up.owner, *leads],
                kind=FOLLOW_UP_OVERDUE,
                target_url=reverse("surveys:follow_up", args=[follow_up.pk]),
                params={
                    "survey": follow_up.response.survey.name,
                    "owner": follow_up.owner.get_full_name() or follow_up.owner.username,
                    "due": follow_up.due_at.isoformat(),
                },
            )
            count += 1
    return count


def handlers() -> list[User]:
    """Active users holding the permission to handle every follow-up (through a role)."""
    return [
        user
        for user in get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
        if user.has_perm(HANDLE_ALL)
    ]
