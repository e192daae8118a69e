"""Pages of QA reviews: the reviewers' queue, scoring a case beside its conversation, the
reviews an agent sees, disputes and their decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import selectors as desk
from kliento.quality import scoring, selectors
from kliento.quality.forms_reviews import DecisionForm, DisputeForm, ScorecardForm
from kliento.quality.models import AreaKind, ChecklistVersion, Dispute, Evaluation
from kliento.quality.selectors import reviews as found
from kliento.quality.services import mark_exemplary
from kliento.quality.services import reviews as services

VIEW = "quality.view_evaluation"
PERFORM = "quality.perform_evaluations"
EXEMPLARY = "quality.mark_exemplary"


def _flat(error: ValidationError) -> str:
    return " ".join(m for msgs in error.message_dict.values() for m in msgs)


def _case_versions() -> list[ChecklistVersion]:
    out = []
    for checklist in selectors.published_checklists(AreaKind.CASE):
        version = selectors.published_version(checklist)
        if version is not None:
            out.append(version)
    return out


@require(PERFORM)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "quality/reviews/queue.html", {"assignments": found.queue(request.user)[:200]}
    )


def _show_errors(form: ScorecardForm, error: ValidationError) -> None:
    for field, msgs in error.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


@require(PERFORM)
def score(request: AuthenticatedHttpRequest, review_assignment_id: int) -> HttpResponse:
    """The conversation beside the scorecard (stacked on a phone)."""
    assignment = found.assignment_for(request.user, review_assignment_id)
    if assignment is None:
        raise Http404
    versions = _case_versions()
    evaluation = assignment.evaluation
    form = None
    if request.method == "POST" and evaluation is None:
        chosen = next((v for v in versions if str(v.pk) == request.POST.get("version")), None)
        try:
            if chosen is None:
                raise ValidationError({"version": [_("Choose a checklist for cases.")]})
            services.start_review(actor=request.user, assignment=assignment, version=chosen)
        except ValidationError as error:
            messages.error(request, _flat(error))
        return HttpResponseRedirect(request.path)
    if evaluation is not None:
        if evaluation.performed_by_id != request.user.pk:
            raise Http404
        items = evaluation.version.items.order_by("position", "id")
        if request.method == "POST":
            form = ScorecardForm(request.POST, items=items)
            if form.is_valid():
                try:
                    done = services.submit_review(
                        actor=request.user,
                        assignment=assignment,
                        answers=form.answers(),
                        summary=form.cleaned_data["summary"],
                    )
                except ValidationError as error:
                    _show_errors(form, error)
                else:
                    messages.success(request, _("Review completed."))
                    return HttpResponseRedirect(reverse("qareviews:review", args=[done.pk]))
        else:
            form = ScorecardForm(items=items)
    case = assignment.case
    return render(
        request,
        "quality/reviews/score.html",
        {
            "assignment": assignment,
            "case": case,
            "conversation": desk.conversation(case, notes=True),
            "calls": case.calls.order_by("started_at"),
            "versions": versions,
            "form": form,
            "rule": scoring.rule_text(),
        },
    )


@require_POST
@require(PERFORM)
def queue_case(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    # Quality staff review any case, whichever team's queue it is in.
    try:
        assignment = services.queue_case(actor=request.user, case_id=case_id)
    except ValidationError as error:
        messages.error(request, _flat(error))
        return HttpResponseRedirect(reverse("qareviews:queue"))
    return HttpResponseRedirect(reverse("qareviews:score", args=[assignment.pk]))


@require(VIEW)
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    reviews = found.completed_reviews_for(request.user)
    sees_others = request.user.has_perm("quality.view_all_evaluations") or request.user.has_perm(
        "quality.view_team_evaluations"
    )
    if sees_others and request.GET.get("all") != "1":
        reviews = reviews.filter(employee=request.user) | found.completed_reviews_for(
            request.user
        ).filter(performed_by=request.user)
    return render(request, "quality/reviews/mine.html", {"reviews": reviews[:200]})


def _review_page(
    request: AuthenticatedHttpRequest,
    review: Evaluation,
    dispute_form: DisputeForm | None = None,
) -> HttpResponse:
    dispute = found.dispute_of(review)
    may_dispute = dispute is None and review.employee_id == request.user.pk and review.completed_at
    return render(
        request,
        "quality/reviews/review.html",
        {
            "review": review,
            "results": found.results_of(review),
            "dispute": dispute,
            "dispute_form": dispute_form or (DisputeForm() if may_dispute else None),
            "explain": scoring.explain(
                scoring.score(
                    scoring.Line(r.item.weight, r.item.critical, r.outcome)
                    for r in found.results_of(review)
                )
            ),
            "case_visible": review.case_id is not None
            and desk.case_for(request.user, review.case_id) is not None,
            "may_mark": request.user.has_perm(EXEMPLARY),
        },
    )


@require(VIEW)
def review(request: AuthenticatedHttpRequest, review_id: int) -> HttpResponse:
    item = found.review_for(request.user, review_id)
    if item is None or item.status != Evaluation.Status.COMPLETED:
        raise Http404
    return _review_page(request, item)


@require_POST
@require(VIEW)
def dispute(request: AuthenticatedHttpRequest, review_id: int) -> HttpResponse:
    item = found.review_for(request.user, review_id)
    if item is None or item.status != Evaluation.Status.COMPLETED:
        raise Http404
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.open_dispute(
                actor=request.user, evaluation=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for field, msgs in error.message_dict.items():
                form.add_error("reason" if field == "reason" else None, msgs)
        else:
            messages.success(request, _("Dispute sent; a second reviewer will decide it."))
            return HttpResponseRedirect(reverse("qareviews:review", args=[item.pk]))
    return _review_page(request, item, form)


@require_POST
@require(EXEMPLARY)
def exemplary(request: AuthenticatedHttpRequest, review_id: int) -> HttpResponse:
    item = found.review_for(request.user, review_id)
    if item is None:
        raise Http404
    try:
        mark_exemplary(
            actor=request.user,
            evaluation=item,
            exemplary=request.POST.get("exemplary") == "1",
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, _flat(error))
    return HttpResponseRedirect(reverse("qareviews:review", args=[item.pk]))


@require(VIEW)
def disputes(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "quality/reviews/disputes.html",
        {"disputes": found.disputes_for(request.user)[:200]},
    )


@require(VIEW, writes=[PERFORM])
def dispute_detail(request: AuthenticatedHttpRequest, dispute_id: int) -> HttpResponse:
    item = found.dispute_for(request.user, dispute_id)
    if item is None:
        raise Http404
    review = item.evaluation
    results = list(found.results_of(review))
    may_decide = (
        item.status == Dispute.Status.OPEN
        and request.user.has_perm(PERFORM)
        and request.user.pk not in (review.performed_by_id, item.raised_by_id, review.employee_id)
    )
    form = None
    if may_decide:
        form = DecisionForm(request.POST or None, results=results)
        if request.method == "POST" and form.is_valid():
            try:
                services.decide_dispute(
                    actor=request.user,
                    dispute=item,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    answers=form.answers(),
                )
            except ValidationError as error:
                for field, msgs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, msgs)
            else:
                messages.success(request, _("Dispute decided; the agent has been told."))
                return HttpResponseRedirect(request.path)
    elif request.method == "POST":
        messages.error(
            request, _("A second reviewer decides: not the original reviewer or the agent.")
        )
        return HttpResponseRedirect(request.path)
    return render(
        request,
        "quality/reviews/dispute.html",
        {"dispute": item, "review": review, "results": results, "form": form},
    )
