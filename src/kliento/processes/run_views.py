"""Pages of runs: starting one from the client card, its checklist, completing a step, signing
off a control point, and handing out a step's attachment (MEDIA_ROOT is never served)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.clients import selectors as clients
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.processes import rules, selectors, services
from kliento.processes.forms import CompleteStepForm, SignOffForm, StartRunForm
from kliento.processes.models import ProcessRun, RunStep

VIEW = ("clients.view_client", "processes.view_processrun")


def _client_name(client_id: int) -> str:
    label = clients.client_labels([client_id]).get(client_id)
    if label is None:
        raise Http404
    return label.name


def _apply(exc: ValidationError, form: Any) -> None:
    for key, problems in exc.message_dict.items():
        for problem in problems:
            form.add_error(key if key in form.fields else None, problem)


@require_POST
@require("clients.view_client", "processes.add_processrun")
def start(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    name = _client_name(client_id)
    form = StartRunForm(request.POST)
    if form.is_valid():
        try:
            run = services.start_run(
                actor=request.user,
                client_id=client_id,
                definition=form.cleaned_data["process"],
                subject=form.cleaned_data["subject"],
            )
        except ValidationError as exc:
            _apply(exc, form)
        else:
            messages.success(request, _("Process started."))
            return HttpResponseRedirect(reverse("processes:run", args=[run.pk]))
    context = {"form": form, "client_id": client_id, "client_name": name}
    return render(request, "processes/start_page.html", context, status=400)


def _run(run_id: int) -> ProcessRun:
    try:
        return selectors.run(run_id)
    except ProcessRun.DoesNotExist:
        raise Http404 from None


def _run_page(
    request: AuthenticatedHttpRequest,
    run_id: int,
    *,
    complete_form: CompleteStepForm | None = None,
    sign_off_form: SignOffForm | None = None,
    status: int = 200,
) -> HttpResponse:
    run = _run(run_id)
    steps = list(selectors.steps_of(run.pk))
    user = request.user
    context = {
        "run": run,
        "client_name": _client_name(run.client_id),
        "steps": steps,
        "workable": {s.pk for s in steps if rules.may_complete(user, s.template.role)},
        "may_sign_off": rules.may_sign_off(user),
        "complete_form": complete_form or CompleteStepForm(),
        "sign_off_form": sign_off_form or SignOffForm(),
    }
    return render(request, "processes/run_detail.html", context, status=status)


@require(*VIEW)
def run_detail(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    return _run_page(request, run_id)


def _step(run_id: int, step_id: int) -> RunStep:
    try:
        return selectors.step_of_run(run_id, step_id)
    except RunStep.DoesNotExist:
        raise Http404 from None


@require_POST
@require(*VIEW, "processes.change_runstep")
def complete(request: AuthenticatedHttpRequest, run_id: int, step_id: int) -> HttpResponse:
    step = _step(run_id, step_id)
    if not rules.may_complete(request.user, step.template.role):
        raise PermissionDenied
    form = CompleteStepForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.complete_step(
                actor=request.user,
                step=step,
                result=form.cleaned_data["result"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as exc:
            _apply(exc, form)
        else:
            messages.success(request, _("Step done."))
            return HttpResponseRedirect(reverse("processes:run", args=[run_id]))
    return _run_page(request, run_id, complete_form=form, status=400)


@require_POST
@require(*VIEW, "processes.sign_off")
def sign_off(request: AuthenticatedHttpRequest, run_id: int, step_id: int) -> HttpResponse:
    step = _step(run_id, step_id)
    form = SignOffForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            services.sign_off(
                actor=request.user,
                step=step,
                decision=decision,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _apply(exc, form)
        else:
            done = _("Control point accepted.") if decision == services.ACCEPT else _("Sent back.")
            messages.success(request, done)
            return HttpResponseRedirect(reverse("processes:run", args=[run_id]))
    return _run_page(request, run_id, sign_off_form=form, status=400)


@require(*VIEW)
def attachment(request: AuthenticatedHttpRequest, run_id: int, step_id: int) -> FileResponse:
    step = _step(run_id, step_id)
    if not step.attachment:
        raise Http404(_("This step has no attachment."))
    try:
        handle = step.attachment.open("rb")
    except OSError:  # listed, but the file is gone (MEDIA_ROOT lost or not shared)
        raise Http404(_("This step has no attachment.")) from None
    # Always a download of opaque bytes: an uploaded file is never rendered by the browser.
    return FileResponse(
        handle,
        as_attachment=True,
        filename=step.attachment_name or "attachment",
        content_type="application/octet-stream",
    )
