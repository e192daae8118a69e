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
from django.db import IntegrityError, transaction
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
from kliento.touchpoints import selectors as touchpoints

PRAISE_SHARED = "survey.praise_shared"  # audit action and notification kind
SHARE_OWN = "surveys.add_praise"
SHARE_ANY = "surveys.share_any_praise"
SEE_IMPRESSIONS = "touchpoints.view_impression"
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
    _announce(actor, praise, source=locked.survey.name)
    return praise


def impression_refusal(impression: Any) -> str | None:
    if impression.sentiment != "positive":
        return _("Only positive impressions can be shared.")
    if not impression.text.strip():
        return _("The impression has no words to share.")
    return None


def impression_shared(impression_id: int) -> bool:
    return Praise.objects.filter(impression_id=impression_id).exists()


def may_share_impression(user: Any, impression: Any) -> bool:
    """A manager shares any impression; a touchpoint's owner those at their touchpoint."""
    if not user.has_perm(SHARE_OWN) or not user.has_perm(SEE_IMPRESSIONS):
        return False
    return bool(user.has_perm(SHARE_ANY) or impression.touchpoint.owner_id == user.pk)


def impressions_to_share(user: Any, *, limit: int = 10) -> list[Any]:
    """The latest positive impressions the user may share and nobody has shared yet."""
    if not user.has_perm(SHARE_OWN) or not user.has_perm(SEE_IMPRESSIONS):
        return []
    owner = None if user.has_perm(SHARE_ANY) else user
    shared = Praise.objects.filter(impression__isnull=False).values("impression_id")
    return list(touchpoints.positive_impressions(owner=owner).exclude(pk__in=shared)[:limit])


@transaction.atomic
def share_impression(
    *,
    actor: Actor,
    impression_id: int,
    employee: Any | None = None,
    team: OrgUnit | None = None,
) -> Praise:
    """Share a positive touchpoint impression; it always names its touchpoint."""
    impression = touchpoints.impression(impression_id)
    if impression is None:
        raise ValidationError(_("The impression no longer exists."))
    if actor is None or not may_share_impression(actor, impression):
        raise ValidationError(_("You may share only impressions at your own touchpoints."))
    reason = impression_refusal(impression)
    if reason:
        raise ValidationError(reason)
    try:
        # Savepoint: a second share of the same impression (at once or later) is refused
        # by the unique key without spoiling the caller's transaction.
        with transaction.atomic():
            praise = Praise.objects.create(
                impression_id=impression.pk,
                text=impression.text.strip(),
                client_label=short_name(impression.client.name),
                employee=employee,
                team=team,
                touchpoint_id=impression.touchpoint_id,
                shared_by=actor,
            )
    except IntegrityError:
        raise ValidationError(_("This impression is already on the recognition feed.")) from None
    _announce(actor, praise, source=impression.touchpoint.name)
    return praise


def _announce(actor: Any, praise: Praise, *, source: str) -> None:
    audit.record(
        actor=actor,
        action=PRAISE_SHARED,
        target=praise,
        data={
            "response": praise.response_id,
            "impression": praise.impression_id,
            "employee": praise.employee_id,
            "team": praise.team_id,
            "touchpoint": praise.touchpoint_id,
        },
    )
    if praise.employee is not None:
        notify(
            recipients=[praise.employee],
            kind=PRAISE_SHARED,
            target_url=reverse("surveys:praise"),
            params={"praise": praise.pk, "source": source, "client": praise.client_label},
            actor=actor,
        )
