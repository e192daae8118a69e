"""The surveys API: definitions, results, and answers posted by a chat-bot or a phone tool.

A bot (messenger, social network) holds an API token of a user with
`surveys.record_responses`: it reads a survey's questions in the client's language, asks them,
and posts the answers (see docs/api.md).
"""

import datetime as dt
from typing import Annotated, Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from pydantic import StrictInt, StrictStr

from kliento.clients import selectors as clients
from kliento.core.api_auth import needs
from kliento.core.api_types import MAX_ID, Id
from kliento.surveys import selectors
from kliento.surveys.models import MAX_QUESTIONS, Response, Survey
from kliento.surveys.services import AboutIds, answering, definitions

router = Router(tags=["surveys"])

SurveyId = Annotated[int, Path(ge=1, le=MAX_ID, description="Survey id.")]
Texts = dict[str, Annotated[str, Field(max_length=500)]]


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Any}


class QuestionIn(Schema):
    kind: str = Field(description="scale, single, multiple or text.", examples=["scale"])
    texts: Texts = Field(description="The question per language (en, ru, uk, pl).")
    low_labels: Texts = Field(default_factory=dict, description="Scale: the low end's label.")
    high_labels: Texts = Field(default_factory=dict, description="Scale: the high end's label.")
    choices: list[Texts] = Field(default_factory=list, max_length=10)
    required: bool = False
    area: str = Field(
        "", description="Scale questions: speed, politeness, competence or overall (or empty)."
    )


class SurveyIn(Schema):
    name: str = Field(max_length=200)
    kind: str = Field(description="csat, ces, nps or custom.", examples=["nps"])
    scale: str = Field("", description="0-10 (NPS), 1-5 or 0-5 (CSAT), 1-5 or 1-7 (CES).")
    direction: str = Field("", description="CES: high_easy or low_easy.")
    default_language: str = "en"
    questions: list[QuestionIn] = Field(
        max_length=MAX_QUESTIONS, description="At most five; the first is the score question."
    )
    follow_up_texts: Texts = Field(default_factory=dict)
    follow_up_max_score: int | None = None
    throttle_days: int | None = Field(None, ge=0, le=365)
    follow_up_hours: int = Field(48, ge=1, le=720)
    link_days: int = Field(30, ge=1, le=365)
    public: bool = False
    is_active: bool = True


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    low_label: str
    high_label: str
    choices: list[str]
    required: bool
    area: str


class SurveyOut(Schema):
    id: int
    name: str
    kind: str
    scale: str
    direction: str
    code: str = Field(description="The short link's code: /s/<code>/.")
    public: bool
    is_active: bool


class SurveyDetail(SurveyOut):
    language: str
    questions: list[QuestionOut]
    follow_up_question: str
    follow_up_max_score: int | None


class EstimateOut(Schema):
    value: float
    low: float = Field(description="95% interval, low end.")
    high: float
    n: int
    few: bool = Field(description="Fewer than 30 answers: the figure is uncertain.")


class ResultsOut(Schema):
    n: int
    headline: EstimateOut | None = Field(
        description="NPS, % satisfied (CSAT) or % low effort (CES); null for custom surveys."
    )
    mean: EstimateOut
    distribution: dict[str, int]
    categories: dict[str, int]
    sent: int
    response_rate: EstimateOut | None


class AnswersIn(Schema):
    answers: dict[str, StrictInt | list[StrictInt] | StrictStr] = Field(
        description="Question id → an int (scale, single choice: the choice's index), a list "
        "of ints (multiple choice) or a string (free text); a number sent as a string is a 422."
    )
    comment: str = Field("", max_length=5000, description="The follow-up question's answer.")
    channel: str = Field("chat", description="chat, messenger, social, phone or web_form.")
    language: str = Field("", max_length=10)
    client_id: Id | None = Field(None, description="Who answered, when the bot knows.")
    touchpoint_id: Id | None = None
    stage_id: Id | None = None
    agent_id: Id | None = None


class ResponseOut(Schema):
    id: int
    survey_id: int
    client_id: int | None
    channel: str
    score: int | None
    answers: dict[str, Any]
    comment: str
    submitted_at: dt.datetime
    updated_at: dt.datetime


class ResponseFilters(Schema):
    q: str = Field("", max_length=100, description="Words the comment contains.")
    score: int | None = None


def _detail(survey: Survey, language: str) -> dict[str, Any]:
    lang = language if language in definitions.LANGUAGES else survey.default_language
    return {
        "id": survey.pk,
        "name": survey.name,
        "kind": survey.kind,
        "scale": survey.scale,
        "direction": survey.direction,
        "code": survey.code,
        "public": survey.public,
        "is_active": survey.is_active,
        "language": lang,
        "follow_up_question": survey.follow_up_text(lang),
        "follow_up_max_score": survey.follow_up_max_score,
        "questions": [
            {
                "id": q.pk,
                "position": q.position,
                "kind": q.kind,
                "text": q.text(lang),
                "low_label": q.low_label(lang),
                "high_label": q.high_label(lang),
                "choices": q.choice_texts(lang),
                "required": q.required,
                "area": q.area,
            }
            for q in survey.questions.all()
        ],
    }


@router.get(
    "/surveys",
    response={200: list[SurveyOut], **ERRORS},
    summary="Surveys",
    **needs("surveys.view_survey"),
)
def list_surveys(request: Any) -> Any:
    return list(Survey.objects.all())


@router.post(
    "/surveys",
    response={201: SurveyDetail, **ERRORS},
    summary="Define a survey (at most five questions)",
    **needs("surveys.view_survey", "surveys.manage_surveys"),
)
def create_survey(request: Any, payload: SurveyIn) -> Status[dict[str, Any]]:
    data = payload.dict()
    questions = [definitions.QuestionSpec(**q) for q in data.pop("questions")]
    survey = definitions.create_survey(
        actor=request.user, spec=definitions.SurveySpec(questions=questions, **data)
    )
    return Status(201, _detail(survey, survey.default_language))


@router.get(
    "/surveys/{survey_id}",
    response={200: SurveyDetail, **ERRORS},
    summary="A survey with its questions in a language (what a bot asks)",
    **needs("surveys.view_survey"),
)
def get_survey(request: Any, survey_id: SurveyId, language: str = "") -> dict[str, Any]:
    return _detail(get_object_or_404(Survey, pk=survey_id), language)


@router.get(
    "/surveys/{survey_id}/results",
    response={200: ResultsOut, **ERRORS},
    summary="Score with n and 95% interval, distribution, response rate",
    **needs("surveys.view_survey"),
)
def survey_results(request: Any, survey_id: SurveyId) -> dict[str, Any]:
    survey = get_object_or_404(Survey, pk=survey_id)
    figures = selectors.results(survey, selectors.responses_for(request.user, survey))
    r = figures.results

    def est(e: Any) -> dict[str, Any] | None:
        if e is None:
            return None
        return {"value": e.value, "low": e.low, "high": e.high, "n": e.n, "few": e.few}

    return {
        "n": r.n,
        "headline": est(r.headline),
        "mean": est(r.mean),
        "distribution": {str(k): v for k, v in r.distribution.items()},
        "categories": r.categories,
        "sent": figures.sent,
        "response_rate": est(figures.response_rate),
    }


@router.get(
    "/surveys/{survey_id}/responses",
    response={200: list[ResponseOut], **ERRORS},
    summary="Answers the caller may see (all, or those about their own work)",
    **needs("surveys.view_survey", "surveys.view_response"),
)
@paginate(PageNumberPagination, page_size=50)
def list_responses(request: Any, survey_id: SurveyId, filters: Query[ResponseFilters]) -> Any:
    survey = get_object_or_404(Survey, pk=survey_id)
    qs = selectors.search_comments(selectors.responses_for(request.user, survey), filters.q)
    if filters.score is not None:
        qs = qs.filter(score=filters.score)
    return qs


@router.post(
    "/surveys/{survey_id}/responses",
    response={201: ResponseOut, **ERRORS},
    summary="Post a client's answers (a chat-bot, a social network, a phone tool)",
    **needs("surveys.view_survey", "surveys.record_responses"),
)
def post_response(request: Any, survey_id: SurveyId, payload: AnswersIn) -> Status[Response]:
    survey = get_object_or_404(Survey, pk=survey_id)
    about = AboutIds(
        touchpoint_id=payload.touchpoint_id,
        stage_id=payload.stage_id,
        agent_id=payload.agent_id,
    )
    if payload.client_id is not None:
        if payload.client_id not in clients.client_labels([payload.client_id]):
            raise Http404
        response = answering.record_answers(
            actor=request.user,
            survey=survey,
            client_id=payload.client_id,
            answers=payload.answers,
            comment=payload.comment,
            channel=payload.channel,
            about=about,
            strict=True,
        )
    else:
        response = answering.submit_public(
            survey=survey,
            answers=payload.answers,
            comment=payload.comment,
            channel=payload.channel,
            language=payload.language,
            about=about,
            opened=True,
            strict=True,
        )
    return Status(201, response)
