"""The recognition feed: a manager, or the person a positive answer concerns, shares the
client's comment so the whole company sees it and the praised employee is told.

Only client surveys' answers can be shared (staff answers live in StaffAnswer and anonymous ones
must never be traced to anyone), only positive ones (CSAT 4-5, NPS 9-10, low effort) and only
with a comment. The client appears as first name + initial.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.core import audit
from kliento.core.models import OrgUnit
from kliento.core.notifications import notify
from kliento.core.types import Actor
from kliento.surveys import scoring
from kliento.surveys.models import Praise, Response, Survey
from kliento.surveys.selectors import concerning

PRAISE_SHARED = "survey.praise_shared"  # audit action and notification kind
SHARE_OWN = "surveys.add_praise"
SHARE_ANY = "surveys.share_any_praise"
POSITIVE = frozenset({"promoter", "satisfied", "low_effort"})
SHAREABLE_KINDS = frozenset({Survey.Kind.CSAT, Survey.Kind.NPS, Survey.Kind.CES})


def short_name(name: str) -> str:
    """ "Anna Maria Kowalska" → "Anna K.": enough to be personal, too little to find her."""
    words = name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:40]
    return f"{words[0][:40]} {words[-1][0].upper()}."


def refusal(response: Response) -> str | None:
    """Why this answer cannot go to the feed, or None if it can."""
    survey = response.survey
    if survey.audience != Survey.Audience.CLIENTS or survey.anonymous:
        return _("Staff survey answers are never shared.")
    if survey.kind not in SHAREABLE_KINDS or response.score is None:
        return _("Only CSAT, NPS and CES answers with a score can be shared.")
    reading = scoring.read_score(survey.kind, survey.scale, survey.direction, response.score)
    if reading.category not in POSITIVE:
        return _("Only positive answers (CSAT 4-5, NPS 9-10, low effort) can be shared.")
    if not response.comment.strip():
        return _("The answer has no comment to share.")
    return None


def may_share(user: Any, response: Response) -> bool:
    """A manager shares any answer; anyone else only one about their own work."""
    if not user.has_perm(SHARE_OWN):
        return False
    if user.has_perm(SHARE_ANY):
        return True
    return Response.objects.filter(concerning(user), pk=response.pk).exists()


def shareable_ids(user: Any, responses: list[Response]) -> set[int]:
    """Of these answers, the ones the user may share now (not yet shared)."""
    if not user.has_perm(SHARE_OWN):
        return set()
    candidates = [r.pk for r in responses if refusal(r) is None]
    if not candidates:
        return set()
    qs = Response.objects.filter(pk__in=candidates, praise__isnull=True)
    if not user.has_perm(SHARE_ANY):
        qs = qs.filter(concerning(user))
    return set(qs.values_list("pk", flat=True))


@transaction.atomic
def share_praise(
    *,
    actor: Actor,
    response: Response,
    employee: Any | None = None,
    team: OrgUnit | None = None,
) -> Praise:
    """Share the answer's comment; `employee` and `team` default to those of the answer."""
    if actor is None or not may_share(actor, response):
        raise ValidationError(_("You may share only answers about your own work."))
    # Lock the answer: two people sharing it at once make one entry, the other is refused.
    locked = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    reason = refusal(locked)
    if reason:
        raise ValidationError(reason)
    if Praise.objects.filter(response=locked).exists():
        raise ValidationError(_("This answer is already on the recognition feed."))
    if employee is None and locked.agent_id is not None:
        employee = get_user_model().objects.filter(pk=locked.agent_id, is_active=True).first()
    if team is None and locked.team_id is not None:
        team = OrgUnit.objects.filter(pk=locked.team_id).first()
    if employee is None and team is None and locked.touchpoint_id is None:
        raise ValidationError(
            {"employee": [_("Name the employee or the team this praise is for.")]}
        )
    label = ""
    if locked.client_id is not None:
        found = clients.client_labels([locked.client_id]).get(locked.client_id)
        label = short_name(found.name) if found is not None else ""
    praise = Praise.objects.create(
        response=locked,
        text=locked.comment.strip(),
        client_label=label,
        survey_kind=locked.survey.kind,
        score=locked.score,
        employee=employee,
        team=team,
        touchpoint_id=locked.touchpoint_id,
        shared_by=actor,
    )
    audit.record(
        actor=actor,
        action=PRAISE_SHARED,
        target=praise,
        data={
            "response": locked.pk,
            "employee": employee.pk if employee is not None else None,
            "team": team.pk if team is not None else None,
            "touchpoint": locked.touchpoint_id,
        },
    )
    if employee is not None:
        notify(
            recipients=[employee],
            kind=PRAISE_SHARED,
            target_url=reverse("surveys:praise"),
            params={"praise": praise.pk, "survey": locked.survey.name, "client": label},
            actor=actor,
        )
    return praise
