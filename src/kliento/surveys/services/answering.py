"""Answers: checked against the survey's questions, one per invitation (a second submit edits
the first), each on the client's timeline, and a poor score opens the closed loop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.clients.services import timeline
from kliento.core.channels import Channel
from kliento.core.types import Actor
from kliento.surveys import scoring
from kliento.surveys.models import Invitation, Question, Response, Survey
from kliento.surveys.services import loop
from kliento.touchpoints import services as touchpoints

ANSWERED = "survey.answered"  # a timeline kind
TEXT_MAX = 2_000
COMMENT_MAX = 5_000


@dataclass(frozen=True)
class AboutIds:
    """What an answer concerns, by id (as a form, the API or a trigger gives it)."""

    client_id: int | None = None
    agent_id: int | None = None
    team_id: int | None = None
    touchpoint_id: int | None = None
    stage_id: int | None = None
    case_id: int | None = None
    pilot: bool | None = None


def _of_invitation(invitation: Invitation) -> AboutIds:
    return AboutIds(
        client_id=invitation.client_id,
        agent_id=invitation.agent_id,
        team_id=invitation.team_id,
        touchpoint_id=invitation.touchpoint_id,
        stage_id=invitation.stage_id,
        case_id=invitation.case_id,
        pilot=invitation.pilot,
    )


def _check_about(about: AboutIds, channel: str) -> None:
    """Unknown ids are refused at their field, not left to the database to fail on."""
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = [_("Choose a channel.")]
    for name in ("agent", "team", "touchpoint", "stage"):
        value = getattr(about, f"{name}_id")
        model = Response._meta.get_field(name).related_model
        assert model is not None and not isinstance(model, str)
        if value is not None and not model._default_manager.filter(pk=value).exists():
            errors[f"{name}_id"] = [_("There is no such record.")]
    if errors:
        raise ValidationError(errors)


def _strict_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdecimal():
        return int(value.strip())
    return None


def check_answers(
    survey: Survey, raw: dict[str, Any], comment: str, *, strict: bool = False
) -> tuple[dict[str, Any], int | None, str]:
    """Cleaned answers keyed by question id, the score and the comment; ValidationError keyed
    `q<id>` (and `comment`) otherwise. Unknown question ids are refused, not ignored. `strict`
    (JSON): numbers must be numbers; a form sends them as text."""
    read = _strict_int if strict else _as_int
    questions = list(survey.questions.order_by("position"))
    by_id = {str(q.pk): q for q in questions}
    errors: dict[str, list[str]] = {}
    for key in raw:
        if str(key) not in by_id:
            errors.setdefault("answers", []).append(
                _("There is no question %(key)s in this survey.") % {"key": key}
            )
    cleaned: dict[str, Any] = {}
    for q in questions:
        key = str(q.pk)
        value = raw.get(key, raw.get(q.pk))  # type: ignore[call-overload]
        empty = value is None or value == "" or value == []
        if empty:
            if q.required:
                errors[f"q{q.pk}"] = [_("Please answer this question.")]
            continue
        if q.kind == Question.Kind.SCALE:
            number = read(value)
            low, high = scoring.bounds(survey.scale or "1-5")
            if number is None or not low <= number <= high:
                errors[f"q{q.pk}"] = [
                    _("Choose a score from %(low)d to %(high)d.") % {"low": low, "high": high}
                ]
            else:
                cleaned[key] = number
        elif q.kind == Question.Kind.SINGLE:
            number = read(value)
            if number is None or not 0 <= number < len(q.choices):
                errors[f"q{q.pk}"] = [_("Choose one of the answers.")]
            else:
                cleaned[key] = number
        elif q.kind == Question.Kind.MULTIPLE:
            items = value if isinstance(value, list) else [value]
            numbers = [read(v) for v in items]
            if any(n is None or not 0 <= n < len(q.choices) for n in numbers):
                errors[f"q{q.pk}"] = [_("Choose among the answers given.")]
            else:
                cleaned[key] = sorted({n for n in numbers if n is not None})
        else:
            text = str(value).strip()
            if len(text) > TEXT_MAX:
                errors[f"q{q.pk}"] = [_("At most %(n)d characters.") % {"n": TEXT_MAX}]
            else:
                cleaned[key] = text
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [_("At most %(n)d characters.") % {"n": COMMENT_MAX}]
    if errors:
        raise ValidationError(errors)
    score_q = next((q for q in questions if q.kind == Question.Kind.SCALE), None)
    score = cleaned.get(str(score_q.pk)) if score_q is not None else None
    return cleaned, score, comment


def _save(
    *,
    survey: Survey,
    answers: dict[str, Any],
    comment: str,
    channel: str,
    language: str,
    about: AboutIds,
    invitation: Invitation | None,
    recorded_by: Actor,
    submitted_at: Any = None,
    strict: bool = False,
) -> Response:
    _check_about(about, channel)
    cleaned, score, comment = check_answers(survey, answers, comment, strict=strict)
    now = timezone.now()
    response = None
    if invitation is not None:
        # One answer per invitation: the lock makes two simultaneous submits take turns, and
        # the second edits what the first wrote.
        Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        response = Response.objects.filter(invitation=invitation).first()
    edited = response is not None
    if response is None:
        response = Response(
            survey=survey,
            invitation=invitation,
            client_id=about.client_id,
            agent_id=about.agent_id,
            team_id=about.team_id,
            touchpoint_id=about.touchpoint_id,
            stage_id=about.stage_id,
            case_id=about.case_id,
            pilot=about.pilot,
            submitted_at=submitted_at or now,
        )
    response.channel = channel
    response.language = language
    response.score = score
    response.answers = cleaned
    response.comment = comment
    response.recorded_by = recorded_by
    response.updated_at = now
    response.save()
    if response.client_id is not None:
        timeline.record(
            client=response.client_id,
            kind=ANSWERED,
            actor=recorded_by,
            summary=survey.name,
            data={
                "survey_id": survey.pk,
                "response_id": response.pk,
                "score": score,
                "scale": survey.scale,
                "edited": edited,
            },
        )
    if score is not None:
        loop.open_if_poor(response)
        _note_impression(survey, response)
    return response


POSITIVE = frozenset({"promoter", "satisfied", "low_effort"})


def _note_impression(survey: Survey, response: Response) -> None:
    """An answer about a touchpoint counts among the touchpoint's impressions (once: the
    touchpoints app finds the same source reference again when the answer is edited)."""
    if response.touchpoint_id is None or response.client_id is None or response.score is None:
        return
    if not survey.scale or survey.kind not in ("nps", "csat", "ces"):
        return
    reading = scoring.read_score(survey.kind, survey.scale, survey.direction, response.score)
    sentiment = (
        "negative" if reading.poor else "positive" if reading.category in POSITIVE else "neutral"
    )
    try:
        with transaction.atomic():
            touchpoints.record_impression(
                actor=response.recorded_by,
                touchpoint_id=response.touchpoint_id,
                client_id=response.client_id,
                sentiment=sentiment,
                text=response.comment[:2000],
                source="survey",
                source_ref=str(response.pk),
                occurred_at=response.submitted_at,
            )
    except ValidationError:
        pass  # the touchpoint is no longer in use: the answer stands without an impression


@transaction.atomic
def submit_invitation(
    *,
    invitation: Invitation,
    answers: dict[str, Any],
    comment: str = "",
    language: str = "",
) -> Response:
    """The client answers through their personal link (the page, the e-mail's score)."""
    return _save(
        survey=invitation.survey,
        answers=answers,
        comment=comment,
        channel=invitation.channel,
        language=language or invitation.language,
        about=_of_invitation(invitation),
        invitation=invitation,
        recorded_by=None,
    )


@transaction.atomic
def submit_public(
    *,
    survey: Survey,
    answers: dict[str, Any],
    comment: str = "",
    channel: str = "web_form",
    language: str = "",
    about: AboutIds | None = None,
    opened: bool = False,
    strict: bool = False,
) -> Response:
    """An anonymous answer through the short link (web widget, chat-bot, social network);
    `opened`: posted by a trusted caller (a bot's API token), so the survey need not be
    public."""
    if not ((survey.public or opened) and survey.is_active):
        raise ValidationError({"survey": _("This survey is not open.")})
    return _save(
        survey=survey,
        answers=answers,
        comment=comment,
        channel=channel,
        language=language,
        about=about or AboutIds(),
        invitation=None,
        recorded_by=None,
        strict=strict,
    )


@transaction.atomic
def record_answers(
    *,
    actor: Actor,
    survey: Survey,
    client_id: int,
    answers: dict[str, Any],
    comment: str = "",
    channel: str = "phone",
    about: AboutIds | None = None,
    strict: bool = False,
) -> Response:
    """An agent records a client's answers during a call (or a bot posts them)."""
    if client_id not in clients.client_labels([client_id]):
        raise ValidationError({"client": _("There is no such client.")})
    if not survey.is_active:
        raise ValidationError({"survey": _("This survey is not open.")})
    given = about or AboutIds()
    return _save(
        survey=survey,
        answers=answers,
        comment=comment,
        channel=channel,
        language=survey.default_language,
        about=AboutIds(
            client_id=client_id,
            agent_id=given.agent_id or (actor.pk if actor is not None else None),
            team_id=given.team_id,
            touchpoint_id=given.touchpoint_id,
            stage_id=given.stage_id,
            case_id=given.case_id,
            pilot=given.pilot,
        ),
        invitation=None,
        recorded_by=actor,
        strict=strict,
    )
