"""Defining a survey: its type and scale, at most five questions, texts per language."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.types import Actor
from kliento.surveys import scoring
from kliento.surveys.models import MAX_QUESTIONS, Question, Survey, Trigger

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TEXT_MAX = 500
CHOICES_MAX = 10
SURVEY_SAVED = "survey.saved"  # audit action


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    texts: dict[str, str]
    low_labels: dict[str, str] = field(default_factory=dict)
    high_labels: dict[str, str] = field(default_factory=dict)
    choices: list[dict[str, str]] = field(default_factory=list)
    required: bool = False
    area: str = ""


@dataclass(frozen=True)
class SurveySpec:
    name: str
    kind: str
    questions: list[QuestionSpec]
    scale: str = ""
    direction: str = ""
    default_language: str = "en"
    follow_up_texts: dict[str, str] = field(default_factory=dict)
    follow_up_max_score: int | None = None
    throttle_days: int | None = None
    follow_up_hours: int = 48
    link_days: int = 30
    public: bool = False
    is_active: bool = True
    # Custom surveys may be asked of staff; eNPS and climate always are.
    audience: str = ""
    anonymous: bool = False


def _texts(raw: dict[str, Any], where: str, errors: dict[str, list[str]]) -> dict[str, str]:
    cleaned = {}
    for code, text in raw.items():
        if code not in LANGUAGES:
            errors.setdefault(where, []).append(
                _("Unknown language %(code)s; use one of %(codes)s.")
                % {"code": code, "codes": ", ".join(LANGUAGES)}
            )
            continue
        value = " ".join(str(text or "").split())
        if len(value) > TEXT_MAX:
            errors.setdefault(where, []).append(_("At most %(n)d characters.") % {"n": TEXT_MAX})
        elif value:
            cleaned[code] = value
    return cleaned


def check(spec: SurveySpec) -> tuple[SurveySpec, list[QuestionSpec]]:
    """The spec with its defaults filled and texts cleaned; ValidationError keyed by field
    (`questions`, `question_2_texts`, …) when anything is wrong."""
    errors: dict[str, list[str]] = {}
    name = " ".join(spec.name.split())
    if not name:
        errors["name"] = [_("Give the survey a name.")]
    elif len(name) > 200:
        errors["name"] = [_("At most 200 characters.")]
    kinds = dict(Survey.Kind.choices)
    if spec.kind not in kinds:
        errors["kind"] = [_("Choose a survey type.")]
    allowed = scoring.SCALES.get(spec.kind, ())
    scale = spec.scale or (allowed[0] if allowed else "")
    if allowed and scale not in allowed:
        errors["scale"] = [
            _("A %(kind)s survey uses the scale %(scales)s.")
            % {"kind": kinds.get(spec.kind, spec.kind), "scales": " / ".join(allowed)}
        ]
    direction = spec.direction
    if spec.kind == "ces":
        direction = direction or Survey.Direction.HIGH_IS_EASY
        if direction not in dict(Survey.Direction.choices):
            errors["direction"] = [_("Choose which end of the scale means easy.")]
    else:
        direction = ""
    if spec.default_language not in LANGUAGES:
        errors["default_language"] = [_("Choose a language.")]
    if len(spec.questions) > MAX_QUESTIONS:
        errors["questions"] = [
            _("A survey has at most %(n)d questions: more put clients off.") % {"n": MAX_QUESTIONS}
        ]
    elif not spec.questions:
        errors["questions"] = [_("Add at least one question.")]
    questions = []
    for number, q in enumerate(spec.questions[:MAX_QUESTIONS], start=1):
        prefix = f"question_{number}_"
        if q.kind not in dict(Question.Kind.choices):
            errors[prefix + "kind"] = [_("Choose the kind of question.")]
        texts = _texts(q.texts, prefix + "texts", errors)
        if spec.default_language not in texts:
            errors.setdefault(prefix + "texts", []).append(
                _("Write the question in the survey's default language.")
            )
        choices = []
        for choice in q.choices:
            cleaned = _texts(choice, prefix + "choices", errors)
            if cleaned:
                choices.append(cleaned)
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            if not 2 <= len(choices) <= CHOICES_MAX:
                errors.setdefault(prefix + "choices", []).append(
                    _("Give between 2 and %(n)d choices.") % {"n": CHOICES_MAX}
                )
        else:
            choices = []
        scale_q = q.kind == Question.Kind.SCALE
        if q.area and q.area not in Question.Area.values:
            errors[prefix + "area"] = [_("Choose an area of service.")]
        elif q.area and not scale_q:
            errors[prefix + "area"] = [_("Only a scale question can be tagged with an area.")]
        questions.append(
            QuestionSpec(
                kind=q.kind,
                texts=texts,
                low_labels=_texts(q.low_labels, prefix + "low_labels", errors) if scale_q else {},
                high_labels=_texts(q.high_labels, prefix + "high_labels", errors)
                if scale_q
                else {},
                choices=choices,
                # The score question of CSAT/CES/NPS is always required.
                required=q.required or (number == 1 and spec.kind != "custom"),
                area=q.area if scale_q else "",
            )
        )
    audience = (
        Survey.Audience.STAFF
        if spec.kind in scoring.STAFF_KINDS
        else (spec.audience or Survey.Audience.CLIENTS)
    )
    if audience not in Survey.Audience.values:
        errors["audience"] = [_("Choose who is asked.")]
    if spec.anonymous and audience != Survey.Audience.STAFF:
        errors["anonymous"] = [_("Only a staff survey can be anonymous.")]
    if audience == Survey.Audience.STAFF and spec.public:
        errors["public"] = [_("A staff survey has no public link.")]
    if (
        spec.kind in ("nps", "csat", "ces", "enps", "climate")
        and questions
        and questions[0].kind != "scale"
    ):
        errors.setdefault("question_1_kind", []).append(
            _("The first question of a %(kind)s survey is its score: a scale.")
            % {"kind": kinds.get(spec.kind, spec.kind)}
        )
    follow_up = _texts(spec.follow_up_texts, "follow_up_texts", errors)
    # Only a scale the kind allows has bounds: an unknown kind or a refused scale is already
    # reported above, and reading bounds from arbitrary text would fail.
    if spec.follow_up_max_score is not None and scale in allowed:
        low, high = scoring.bounds(scale)
        if not low <= spec.follow_up_max_score <= high:
            errors["follow_up_max_score"] = [
                _("Give a score from %(low)d to %(high)d.") % {"low": low, "high": high}
            ]
    for key, value, low, high in (
        ("throttle_days", spec.throttle_days, 0, 365),
        ("follow_up_hours", spec.follow_up_hours, 1, 24 * 30),
        ("link_days", spec.link_days, 1, 365),
    ):
        if value is not None and not low <= value <= high:
            errors[key] = [
                _("Give a number from %(low)d to %(high)d.") % {"low": low, "high": high}
            ]
    if errors:
        raise ValidationError(errors)
    return (
        SurveySpec(
            name=name,
            kind=spec.kind,
            questions=questions,
            scale=scale,
            direction=direction,
            default_language=spec.default_language,
            follow_up_texts=follow_up,
            follow_up_max_score=spec.follow_up_max_score if follow_up else None,
            throttle_days=spec.throttle_days,
            follow_up_hours=spec.follow_up_hours,
            link_days=spec.link_days,
            public=spec.public,
            is_active=spec.is_active,
            audience=audience,
            anonymous=spec.anonymous,
        ),
        questions,
    )


def _apply(survey: Survey, spec: SurveySpec) -> None:
    for attr in (
        "name",
        "kind",
        "scale",
        "direction",
        "default_language",
        "follow_up_texts",
        "follow_up_max_score",
        "throttle_days",
        "follow_up_hours",
        "link_days",
        "public",
        "is_active",
        "audience",
        "anonymous",
    ):
        setattr(survey, attr, getattr(spec, attr))


def _write_questions(survey: Survey, questions: list[QuestionSpec]) -> None:
    survey.questions.all().delete()
    Question.objects.bulk_create(
        Question(
            survey=survey,
            position=number,
            kind=q.kind,
            texts=q.texts,
            low_labels=q.low_labels,
            high_labels=q.high_labels,
            choices=q.choices,
            required=q.required,
            area=q.area,
        )
        for number, q in enumerate(questions, start=1)
    )


@transaction.atomic
def create_survey(*, actor: Actor, spec: SurveySpec) -> Survey:
    spec, questions = check(spec)
    survey = Survey(created_by=actor, code=secrets.token_urlsafe(8))
    _apply(survey, spec)
    survey.save()
    _write_questions(survey, questions)
    audit.record(actor=actor, action=SURVEY_SAVED, target=survey, data={"created": True})
    return survey


@transaction.atomic
def update_survey(*, actor: Actor, survey: Survey, spec: SurveySpec) -> Survey:
    """Change a survey. Its type and scale stay once it has answers (old answers would read
    on another scale); its questions can then change only in wording."""
    spec, questions = check(spec)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.responses.exists() or survey.staff_answers.exists():
        errors = {}
        fixed = (spec.kind, spec.scale, spec.direction, spec.anonymous)
        if fixed != (survey.kind, survey.scale, survey.direction, survey.anonymous):
            errors["kind"] = [
                _("The type, scale and anonymity cannot change once the survey has answers.")
            ]
        old = list(survey.questions.values_list("kind", "choices"))
        new = [(q.kind, q.choices) for q in questions]
        if [k for k, _c in old] != [k for k, _c in new] or any(
            len(a) != len(b) for (_k, a), (_j, b) in zip(old, new, strict=True)
        ):
            errors["questions"] = [
                _("Once answered, questions can change only in wording, not in kind or number.")
            ]
        if errors:
            raise ValidationError(errors)
        for q_obj, q in zip(survey.questions.order_by("position"), questions, strict=True):
            q_obj.texts, q_obj.low_labels, q_obj.high_labels = q.texts, q.low_labels, q.high_labels
            q_obj.choices, q_obj.required = q.choices, q.required
            q_obj.save()
    else:
        _write_questions(survey, questions)
    _apply(survey, spec)
    survey.save()
    audit.record(actor=actor, action=SURVEY_SAVED, target=survey, data={"updated": True})
    return survey


@transaction.atomic
def set_trigger(
    *,
    actor: Actor,
    survey: Survey,
    source: str,
    target_id: int | None = None,
    every_months: int | None = None,
    channel: str = "email",
) -> Trigger:
    from kliento.surveys.registry import trigger_sources

    errors: dict[str, list[str]] = {}
    if source not in trigger_sources:
        errors["source"] = [_("Choose when the survey is sent.")]
    if source == "schedule" and not (every_months and 1 <= every_months <= 36):
        errors["every_months"] = [_("Give the interval in months, from 1 to 36.")]
    if errors:
        raise ValidationError(errors)
    polled = trigger_sources[source]
    if polled.latest is not None:
        from kliento.surveys.services.inviting import start_watermark

        start_watermark(source, polled.latest())
    trigger, _created = Trigger.objects.update_or_create(
        survey=survey,
        source=source,
        target_id=target_id,
        defaults={
            "every_months": every_months if source == "schedule" else None,
            "channel": channel,
        },
    )
    audit.record(actor=actor, action=SURVEY_SAVED, target=survey, data={"trigger": source})
    return trigger


@transaction.atomic
def remove_trigger(*, actor: Actor, trigger: Trigger) -> None:
    survey = trigger.survey
    trigger.delete()
    audit.record(actor=actor, action=SURVEY_SAVED, target=survey, data={"trigger": None})
