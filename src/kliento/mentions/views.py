"""The inbox, a mention's page with its answer, and the report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.mentions import selectors
from kliento.mentions.forms import AnswerForm, FilterForm
from kliento.mentions.models import Mention
from kliento.mentions.services import answering

VIEW = selectors.VIEW
WORK = answering.WORK


def _mention(request: AuthenticatedHttpRequest, mention_id: int) -> Mention:
    mention = selectors.mention_for(request.user, mention_id)
    if mention is None:
        raise Http404
    return mention


@require(VIEW)
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    show = request.GET.get("show", "new")
    if show not in selectors.SHOWS:
        show = "new"
    form = FilterForm(request.GET or None)
    source = sentiment = ""
    if form.is_bound and form.is_valid():
        source, sentiment = form.cleaned_data["source"], form.cleaned_data["sentiment"]
    query = " ".join(request.GET.get("q", "").split())[:100]
    found = selectors.inbox(
        request.user, show=show, source=source, sentiment=sentiment, query=query
    )
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    keep = urlencode({"show": show, "source": source, "sentiment": sentiment, "q": query})
    return render(
        request,
        "mentions/inbox.html",
        {
            "page": page,
            "show": show,
            "form": form,
            "keep": keep,
            "sources": selectors.sources(),
            "filters": urlencode({"source": source, "sentiment": sentiment, "q": query}),
            "query": query,
            "now": timezone.now(),
        },
    )


def _detail(
    request: AuthenticatedHttpRequest, mention: Mention, form: AnswerForm | None = None
) -> HttpResponse:
    may_answer = mention.is_open and answering.may_answer(request.user, mention)
    if form is None and may_answer:
        form = AnswerForm(initial={"answer": answering.prefill(mention)})
    return render(
        request,
        "mentions/detail.html",
        {
            "mention": mention,
            "form": form,
            "may_answer": may_answer,
            "may_open_case": mention.case_id is None
            and answering.may_answer(request.user, mention)
            and request.user.has_perm("desk.add_case"),
            "steps": mention.situation.step_list() if mention.situation else [],
            "reason": mention.sentiment_reason or {},
            "now": timezone.now(),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require(VIEW)
def detail(request: AuthenticatedHttpRequest, mention_id: int) -> HttpResponse:
    return _detail(request, _mention(request, mention_id))


@require_POST
@require(VIEW, WORK)
def answer(request: AuthenticatedHttpRequest, mention_id: int) -> HttpResponse:
    mention = _mention(request, mention_id)
    if not answering.may_answer(request.user, mention):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answering.answer(actor=request.user, mention=mention, text=form.cleaned_data["answer"])
        except ValidationError as exc:
            messages_ = exc.message_dict.get("answer") if hasattr(exc, "error_dict") else None
            form.add_error("answer", messages_ or exc.messages)
        else:
            messages.success(request, _("Answer saved."))
            return HttpResponseRedirect(reverse("mentions:detail", args=[mention.pk]))
    return _detail(request, mention, form)


@require_POST
@require(VIEW, WORK)
def dismiss(request: AuthenticatedHttpRequest, mention_id: int) -> HttpResponse:
    mention = _mention(request, mention_id)
    try:
        answering.dismiss(actor=request.user, mention=mention)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Mention dismissed."))
    return HttpResponseRedirect(reverse("mentions:detail", args=[mention.pk]))


@require_POST
@require(VIEW, WORK, "desk.add_case")
def open_case(request: AuthenticatedHttpRequest, mention_id: int) -> HttpResponse:
    mention = _mention(request, mention_id)
    try:
        case = answering.open_case(actor=request.user, mention=mention)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("mentions:detail", args=[mention.pk]))
    messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
    return HttpResponseRedirect(reverse("mentions:detail", args=[mention.pk]))


@require(VIEW)
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    days = selectors.volume(days=30)
    peak = max((row.total for row in days), default=0)
    return render(
        request,
        "mentions/report.html",
        {"days": days, "peak": peak, "reactions": selectors.reaction_times()},
    )
