"""Evaluations: the list, starting one, the form on a phone, the result page (with the rule),
evidence files, the exemplary mark and corrective actions opened from a failed item."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.quality import selectors, services
from kliento.quality.forms import ActionForm, ExemplaryForm, StartForm
from kliento.quality.models import Evaluation, Evidence, ItemResult, Outcome
from kliento.quality.services import programme
from kliento.quality.views.answering import handle_post, result_context, rows

VIEW = "quality.view_evaluation"
PERFORM = "quality.perform_evaluations"
EXEMPLARY = "quality.mark_exemplary"


def _visible(request: AuthenticatedHttpRequest, evaluation_id: int) -> Evaluation:
    found = selectors.visible_evaluations(request.user).filter(pk=evaluation_id).first()
    if found is None:
        raise Http404(_("No such evaluation."))
    return found


@require(VIEW)
def evaluations(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = selectors.visible_evaluations(request.user)
    kind = request.GET.get("kind", "")
    if kind in Evaluation.Kind.values:
        found = found.filter(kind=kind)
    context = {
        "evaluations": found[:200],
        "kind": kind,
        "kinds": Evaluation.Kind.choices,
        "may_perform": request.user.has_perm(PERFORM),
    }
    return render(request, "quality/evaluations.html", context)


@require(PERFORM)
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = selectors.published_version(data["checklist"])
        try:
            if version is None:
                raise ValidationError({"checklist": [_("Publish the checklist first.")]})
            made = services.start_evaluation(
                actor=request.user,
                version=version,
                kind=data["kind"],
                touchpoint_id=data["touchpoint"].pk if data["touchpoint"] else None,
                stage_id=data["stage"].pk if data["stage"] else None,
                team_id=data["team"].pk if data["team"] else None,
                employee_id=data["employee"].pk if data["employee"] else None,
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            return HttpResponseRedirect(reverse("quality:evaluation", args=[made.pk]))
    return render(request, "quality/start.html", {"form": form})


def _may_fill(request: AuthenticatedHttpRequest, evaluation: Evaluation) -> bool:
    return evaluation.status == Evaluation.Status.DRAFT and request.user.has_perm(PERFORM)


@require(VIEW)
def evaluation(request: AuthenticatedHttpRequest, evaluation_id: int) -> HttpResponse:
    found = _visible(request, evaluation_id)
    errors: dict[str, list[str]] = {}
    posted = None
    if request.method == "POST":
        if not _may_fill(request, found):
            messages.error(request, _("This evaluation cannot be changed."))
            return HttpResponseRedirect(reverse("quality:evaluation", args=[found.pk]))
        done, errors = handle_post(request, actor=request.user, evaluation=found)
        if done is not None:
            if done.status == Evaluation.Status.COMPLETED:
                messages.success(request, _("Evaluation completed."))
            else:
                messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("quality:evaluation", args=[found.pk]))
        posted = request.POST.dict()
    return _page(request, found, posted, errors)


def _page(
    request: AuthenticatedHttpRequest,
    found: Evaluation,
    posted: dict[str, Any] | None,
    errors: dict[str, list[str]],
) -> HttpResponse:
    context: dict[str, Any] = {
        "evaluation": found,
        "rows": rows(found, posted, errors),
        "errors": [m for f, ms in errors.items() if not f.startswith("item-") for m in ms],
        "may_fill": _may_fill(request, found),
        "may_mark": request.user.has_perm(EXEMPLARY)
        and found.status == Evaluation.Status.COMPLETED,
        "may_act": request.user.has_perm(PERFORM) and found.status == Evaluation.Status.COMPLETED,
        "action_form": ActionForm(initial={"owner": found.employee_id}),
        "exemplary_form": ExemplaryForm(initial={"exemplary": not found.exemplary}),
        "outcomes": Outcome.choices,
        "form_action": reverse("quality:evaluation", args=[found.pk]),
        **result_context(found),
    }
    return render(request, "quality/evaluation.html", context, status=400 if errors else 200)


@require_POST
@require(VIEW, writes=[EXEMPLARY])
def exemplary(request: AuthenticatedHttpRequest, evaluation_id: int) -> HttpResponse:
    found = _visible(request, evaluation_id)
    form = ExemplaryForm(request.POST)
    if form.is_valid():
        try:
            services.mark_exemplary(
                actor=request.user,
                evaluation=found,
                exemplary=form.cleaned_data["exemplary"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    return HttpResponseRedirect(reverse("quality:evaluation", args=[found.pk]))


@require(VIEW)
def evidence(request: AuthenticatedHttpRequest, evidence_id: int) -> FileResponse:
    found = get_object_or_404(Evidence.objects.select_related("result"), pk=evidence_id)
    _visible(request, found.result.evaluation_id)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such file.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=found.filename,
        content_type="application/octet-stream",
    )


@require_POST
@require(VIEW, writes=[PERFORM])
def open_action(request: AuthenticatedHttpRequest, result_id: int) -> HttpResponse:
    result = get_object_or_404(ItemResult, pk=result_id)
    found = _visible(request, result.evaluation_id)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            programme.open_corrective_action(actor=request.user, result=result, **form.cleaned_data)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Corrective action opened."))
    else:
        for field_errors in form.errors.values():
            for problem in field_errors:
                messages.error(request, str(problem))
    return HttpResponseRedirect(
        reverse("quality:evaluation", args=[found.pk]) + f"#result-{result.pk}"
    )
