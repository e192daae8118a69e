"""Staff pages: surveys and their results, triggers and sends, follow-ups, phone answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.clients import selectors as clients
from kliento.core.permissions import login_only, require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.surveys import selectors
from kliento.surveys.forms import (
    CloseForm,
    ContactForm,
    PhoneAnswerForm,
    QuestionForm,
    QuestionFormSet,
    RevisionForm,
    SegmentSendForm,
    StaffSendForm,
    SurveyForm,
    TriggerForm,
    apply_errors,
)
from kliento.surveys.models import FollowUp, Survey, Trigger
from kliento.surveys.public_views import page_context, posted_answers
from kliento.surveys.registry import trigger_sources
from kliento.surveys.services import answering, definitions, internal, inviting, loop, praising

VIEW = "surveys.view_survey"
MANAGE = "surveys.manage_surveys"
PAGE = 25


@require(VIEW)
def survey_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "surveys/list.html", {"surveys": selectors.surveys()})


def _save_definition(
    request: AuthenticatedHttpRequest, survey: Survey | None
) -> tuple[SurveyForm, Any, Survey | None]:
    form = SurveyForm(request.POST)
    questions = QuestionFormSet(request.POST, prefix="q")
    if not (form.is_valid() and questions.is_valid()):
        return form, questions, None
    specs = [spec for f in questions.forms if (spec := f.spec()) is not None]
    try:
        if survey is None:
            saved = definitions.create_survey(actor=request.user, spec=form.spec(specs))
        else:
            saved = definitions.update_survey(
                actor=request.user, survey=survey, spec=form.spec(specs)
            )
    except ValidationError as exc:
        for key, errors in exc.message_dict.items():
            if key.startswith("question_"):
                number, _sep, field = key.removeprefix("question_").partition("_")
                target = questions.forms[int(number) - 1]
                lang = form.cleaned_data.get("default_language") or "en"
                name = {
                    "texts": f"text_{lang}",
                    "low_labels": f"low_{lang}",
                    "high_labels": f"high_{lang}",
                    "choices": f"choices_{lang}",
                }.get(field, field)
                target.add_error(name if name in target.fields else None, errors)
            elif key == "questions":
                form.add_error(None, errors)
            else:
                form.add_error(key if key in form.fields else None, errors)
        return form, questions, None
    return form, questions, saved


@require(VIEW, MANAGE)
def survey_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form, questions, saved = _save_definition(request, None)
        if saved is not None:
            messages.success(request, _("Survey saved."))
            return HttpResponseRedirect(reverse("surveys:detail", args=[saved.pk]))
        status = 400
    else:
        form = SurveyForm(initial={"default_language": request.LANGUAGE_CODE})
        questions = QuestionFormSet(prefix="q")
        status = 200
    return render(
        request, "surveys/edit.html", {"form": form, "questions": questions}, status=status
    )


@require(VIEW, MANAGE)
def survey_edit(request: AuthenticatedHttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    if request.method == "POST":
        form, questions, saved = _save_definition(request, survey)
        if saved is not None:
            messages.success(request, _("Survey saved."))
            return HttpResponseRedirect(reverse("surveys:detail", args=[saved.pk]))
        status = 400
    else:
        form = SurveyForm(initial=SurveyForm.initial_of(survey))
        questions = QuestionFormSet(
            prefix="q", initial=[QuestionForm.initial_of(q) for q in survey.questions.all()]
        )
        status = 200
    return render(
        request,
        "surveys/edit.html",
        {"form": form, "questions": questions, "survey": survey},
        status=status,
    )


@require(VIEW)
def survey_detail(request: AuthenticatedHttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    if survey.audience == Survey.Audience.STAFF:
        overall, groups = selectors.staff_results(survey)
        return render(
            request,
            "surveys/staff_detail.html",
            {
                "survey": survey,
                "overall": overall,
                "groups": groups,
                "comments": selectors.staff_comments(survey),
                "asked": survey.staff_invitations.count(),
                "min_group": selectors.MIN_GROUP,
                "send_form": StaffSendForm(),
                "may_manage": request.user.has_perm(MANAGE),
            },
        )
    visible = selectors.responses_for(request.user, survey)
    figures = selectors.results(survey, visible)
    q = request.GET.get("q", "")
    listed = selectors.search_comments(visible, q)
    if request.GET.get("score", "").lstrip("-").isdecimal():
        listed = listed.filter(score=int(request.GET["score"]))
    page = Paginator(listed, PAGE).get_page(request.GET.get("page"))
    distribution = figures.results.distribution
    chart = {
        "labels": [str(k) for k in distribution],
        "values": list(distribution.values()),
    }
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "figures": figures,
            "r": figures.results,
            "chart": chart,
            "page": page,
            "q": q,
            "triggers": survey.triggers.all(),
            "sources": {s.key: s.label for s in trigger_sources},
            "trigger_form": TriggerForm(),
            "segment_form": SegmentSendForm(),
            "may_manage": request.user.has_perm(MANAGE),
            "shareable": praising.shareable_ids(request.user, list(page.object_list)),
            "short_url": request.build_absolute_uri(reverse("surveys:short", args=[survey.code])),
        },
    )


@require_POST
@require(VIEW, MANAGE)
def trigger_add(request: AuthenticatedHttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    form = TriggerForm(request.POST)
    if form.is_valid():
        try:
            definitions.set_trigger(
                actor=request.user,
                survey=survey,
                source=form.cleaned_data["source"],
                target_id=form.cleaned_data["target_id"],
                every_months=form.cleaned_data["every_months"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Trigger saved."))
    else:
        messages.error(
            request, _("Check the trigger: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return HttpResponseRedirect(reverse("surveys:detail", args=[survey.pk]))


@require_POST
@require(VIEW, MANAGE)
def trigger_remove(request: AuthenticatedHttpRequest, trigger_id: int) -> HttpResponse:
    trigger = get_object_or_404(Trigger, pk=trigger_id)
    survey_id = trigger.survey_id
    definitions.remove_trigger(actor=request.user, trigger=trigger)
    messages.success(request, _("Trigger removed."))
    return HttpResponseRedirect(reverse("surveys:detail", args=[survey_id]))


@require_POST
@require(VIEW, MANAGE)
def send_staff(request: AuthenticatedHttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    form = StaffSendForm(request.POST)
    if form.is_valid():
        try:
            count = internal.invite_staff(
                actor=request.user, survey=survey, unit=form.cleaned_data["unit"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)d employees asked.") % {"n": count})
    else:
        messages.error(request, _("Choose a team, or everyone."))
    return HttpResponseRedirect(reverse("surveys:detail", args=[survey.pk]))


@login_only
def take(request: AuthenticatedHttpRequest, survey_id: int) -> HttpResponse:
    """An employee answers a staff survey they were asked (once)."""
    survey = get_object_or_404(Survey, pk=survey_id)
    invitation = internal.invitation_of(request.user, survey)
    language = request.LANGUAGE_CODE
    if invitation is None or invitation.answered or not survey.is_active:
        return render(
            request,
            "surveys/take.html",
            {"survey": survey, "done": invitation is not None and invitation.answered},
        )
    if request.method == "POST":
        answers = posted_answers(request, survey)
        comment = request.POST.get("comment", "")
        try:
            internal.answer(user=request.user, survey=survey, answers=answers, comment=comment)
        except ValidationError as exc:
            context = page_context(
                survey, language, chosen=answers, comment=comment, errors=exc.message_dict
            )
            context["invited"] = True
            return render(request, "surveys/take.html", context, status=400)
        messages.success(request, _("Thank you for your answer."))
        return HttpResponseRedirect(reverse("home"))
    context = page_context(survey, language)
    context["invited"] = True
    return render(request, "surveys/take.html", context)


@require_POST
@require(VIEW, MANAGE)
def send_segment(request: AuthenticatedHttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    form = SegmentSendForm(request.POST)
    if form.is_valid():
        count = inviting.invite_segment(
            actor=request.user, survey=survey, segment_id=form.cleaned_data["segment"].pk
        )
        messages.success(
            request,
            _("%(n)d invitations queued; clients in their quiet period are skipped.")
            % {"n": count},
        )
    else:
        messages.error(request, _("Choose a segment."))
    return HttpResponseRedirect(reverse("surveys:detail", args=[survey.pk]))


@require("surveys.view_followup")
def follow_up_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = selectors.follow_ups_for(request.user)
    shown = request.GET.get("show", "open")
    if shown == "overdue":
        qs = selectors.overdue(qs)
    elif shown == "open":
        qs = qs.exclude(status=FollowUp.Status.CLOSED)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "surveys/follow_ups.html", {"page": page, "show": shown})


@require("surveys.view_followup", writes=["surveys.change_followup"])
def follow_up_detail(request: AuthenticatedHttpRequest, followup_id: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("response__survey", "owner"), pk=followup_id
    )
    if not (
        loop.may_handle(request.user, follow_up) or request.user.has_perm(selectors.HANDLE_ALL)
    ):
        raise Http404
    contact_form, close_form, revision_form = ContactForm(), CloseForm(), RevisionForm()
    status = 200
    step = request.POST.get("step")
    if request.method == "POST":
        try:
            if step == "revision":
                revision_form = RevisionForm(request.POST)
                if revision_form.is_valid():
                    loop.raise_revision(
                        actor=request.user,
                        follow_up=follow_up,
                        standard_id=revision_form.cleaned_data["standard"],
                        reason=revision_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Revision requested."))
                    return HttpResponseRedirect(request.path)
            elif step == "close":
                close_form = CloseForm(request.POST)
                if close_form.is_valid():
                    loop.close_follow_up(
                        actor=request.user,
                        follow_up=follow_up,
                        outcome=close_form.cleaned_data["outcome"],
                    )
                    messages.success(request, _("Follow-up closed."))
                    return HttpResponseRedirect(request.path)
            else:
                contact_form = ContactForm(request.POST)
                if contact_form.is_valid():
                    loop.record_contact(
                        actor=request.user,
                        follow_up=follow_up,
                        note=contact_form.cleaned_data["contact_note"],
                    )
                    messages.success(request, _("Contact recorded."))
                    return HttpResponseRedirect(request.path)
        except ValidationError as exc:
            target = {"close": close_form, "revision": revision_form}.get(step or "", contact_form)
            apply_errors(target, exc)
        status = 400
    response = follow_up.response
    language = response.language or response.survey.default_language
    answers = page_context(response.survey, language, chosen=response.answers)["questions"]
    client = (
        clients.client_labels([response.client_id]).get(response.client_id)
        if response.client_id
        else None
    )
    return render(
        request,
        "surveys/follow_up.html",
        {
            "f": follow_up,
            "response": response,
            "answers": answers,
            "client": client,
            "contact_form": contact_form,
            "close_form": close_form,
            "revision_form": revision_form,
        },
        status=status,
    )


@require("clients.view_client", "surveys.record_responses")
def record(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    """An agent records a client's answers during a call."""
    label = clients.client_labels([client_id]).get(client_id)
    if label is None:
        raise Http404
    active = selectors.active_surveys()
    chosen = active.filter(pk=request.GET.get("survey") or request.POST.get("survey") or 0).first()
    form = PhoneAnswerForm(request.POST or None, surveys=active, initial={"survey": chosen})
    context: dict[str, Any] = {"client": label, "form": form, "chosen": chosen}
    if chosen is not None:
        context.update(page_context(chosen, chosen.default_language))
    if request.method == "POST" and chosen is not None and form.is_valid():
        answers = posted_answers(request, chosen)
        comment = request.POST.get("comment", "")
        try:
            answering.record_answers(
                actor=request.user,
                survey=chosen,
                client_id=client_id,
                answers=answers,
                comment=comment,
                channel=form.cleaned_data["channel"],
            )
        except ValidationError as exc:
            context.update(
                page_context(
                    chosen,
                    chosen.default_language,
                    chosen=answers,
                    comment=comment,
                    errors=exc.message_dict,
                )
            )
            return render(request, "surveys/record.html", context, status=400)
        messages.success(request, _("Answers recorded."))
        return HttpResponseRedirect(reverse("clients:detail", args=[client_id]))
    if request.method == "POST":
        if chosen is None:
            form.add_error("survey", _("Choose a survey."))
        return render(request, "surveys/record.html", context, status=400)
    return render(request, "surveys/record.html", context)
