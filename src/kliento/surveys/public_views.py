"""The pages a client answers on, with no login: the personal link from the e-mail and the
short link (web widget, chat-bot, social networks).

Rate-limited per IP address and per link through Django's cache; in the client's language;
nothing personal in the URL beyond the signed token. A click on a score in the e-mail opens the
page with that score chosen; the answer is saved by the page's button, so a mail scanner that
follows every link in a message records nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from kliento.core.permissions import public
from kliento.surveys import scoring, tokens
from kliento.surveys.models import Question, Survey
from kliento.surveys.services import answering, inviting

WINDOW = 60  # seconds
LANGUAGES = ("en", "ru", "uk", "pl")


def too_many(request: HttpRequest, link: str) -> bool:
    """Count this request; True when its address or link went over the limit in this window."""
    address = request.META.get("REMOTE_ADDR", "")
    per_ip = settings.KLIENTO_SURVEYS_RATE_PER_MINUTE
    per_link = max(1, per_ip // 3)
    over = False
    for key, limit in ((f"surveys:ip:{address}", per_ip), (f"surveys:link:{link}", per_link)):
        cache.add(key, 0, WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW)
            count = 1
        over = over or count > limit
    return over


def posted_answers(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in survey.questions.all():
        name = f"q{q.pk}"
        if q.kind == Question.Kind.MULTIPLE:
            answers[str(q.pk)] = request.POST.getlist(name)
        else:
            answers[str(q.pk)] = request.POST.get(name, "")
    return answers


def page_context(
    survey: Survey,
    language: str,
    *,
    chosen: dict[str, Any] | None = None,
    comment: str = "",
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    chosen = chosen or {}
    low, high = scoring.bounds(survey.scale) if survey.scale else (1, 5)
    questions = []
    for q in survey.questions.all():
        value = chosen.get(str(q.pk))
        questions.append(
            {
                "q": q,
                "name": f"q{q.pk}",
                "text": q.text(language),
                "low": q.low_label(language),
                "high": q.high_label(language),
                "points": list(range(low, high + 1)),
                "choices": list(enumerate(q.choice_texts(language))),
                "value": value,
                "values": [str(v) for v in value] if isinstance(value, list) else [str(value)],
                "errors": (errors or {}).get(f"q{q.pk}", []),
            }
        )
    return {
        "survey": survey,
        "questions": questions,
        "follow_up": survey.follow_up_text(language),
        "follow_up_max": survey.follow_up_max_score,
        "comment": comment,
        "errors": errors or {},
        "language": language,
    }


def _answer_page(
    request: HttpRequest,
    survey: Survey,
    language: str,
    *,
    existing: Any = None,
    save: Any,
) -> HttpResponse:
    with translation.override(language):
        if request.method == "POST":
            answers = posted_answers(request, survey)
            comment = request.POST.get("comment", "")
            try:
                save(answers, comment)
            except ValidationError as exc:
                context = page_context(
                    survey, language, chosen=answers, comment=comment, errors=exc.message_dict
                )
                return render(request, "surveys/answer.html", context, status=400)
            return render(request, "surveys/thanks.html", {"survey": survey})
        chosen = dict(existing.answers) if existing is not None else {}
        comment = existing.comment if existing is not None else ""
        score = request.GET.get("score", "")
        first = survey.questions.first()
        if score.isdecimal() and first is not None and first.kind == Question.Kind.SCALE:
            chosen[str(first.pk)] = int(score)
        context = page_context(survey, language, chosen=chosen, comment=comment)
        context["edit"] = existing is not None
        return render(request, "surveys/answer.html", context)


# No CSRF token: the signed token is the credential, and there is no session to ride on.
@public
@csrf_exempt
@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link: answer, or change the answer already given."""
    if too_many(request, token[:200]):
        return render(request, "surveys/unavailable.html", {"reason": "busy"}, status=429)
    try:
        invitation = inviting.invitation_for_token(token)
    except tokens.ExpiredToken:
        return render(request, "surveys/unavailable.html", {"reason": "expired"}, status=410)
    except tokens.BadToken:
        return render(request, "surveys/unavailable.html", {"reason": "invalid"}, status=400)
    survey = invitation.survey
    if not survey.is_active:
        return render(request, "surveys/unavailable.html", {"reason": "closed"}, status=410)
    language = invitation.language or survey.default_language
    existing = getattr(invitation, "response", None)

    def save(answers: dict[str, Any], comment: str) -> Any:
        return answering.submit_invitation(
            invitation=invitation, answers=answers, comment=comment, language=language
        )

    return _answer_page(request, survey, language, existing=existing, save=save)


@public
@csrf_exempt  # anonymous, and embedded where third-party cookies are often blocked
@never_cache
@xframe_options_exempt  # the widget: a company embeds this page in its own site
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """The public short link: anyone may answer (anonymously)."""
    if too_many(request, code):
        return render(request, "surveys/unavailable.html", {"reason": "busy"}, status=429)
    survey = get_object_or_404(Survey, code=code)
    if not (survey.public and survey.is_active):
        return render(request, "surveys/unavailable.html", {"reason": "closed"}, status=410)
    wanted = request.GET.get("lang") or translation.get_language_from_request(request)
    language = wanted if wanted in LANGUAGES else survey.default_language
    channel = request.GET.get("channel", "web_form")
    if channel not in ("web_form", "chat", "messenger", "social"):
        channel = "web_form"

    def save(answers: dict[str, Any], comment: str) -> Any:
        return answering.submit_public(
            survey=survey, answers=answers, comment=comment, channel=channel, language=language
        )

    return _answer_page(request, survey, language, save=save)
