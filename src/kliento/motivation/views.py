"""Pages: my KPIs and statements, a statement (review, approve, adjust), the payroll export
and the recognition feed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.motivation import access, exports, periods, selectors
from kliento.motivation.forms import AdjustForm, GenerateForm, ThanksForm, apply_errors
from kliento.motivation.models import ItemKind, Statement
from kliento.motivation.services import recognition, statements

VIEW = "motivation.view_statement"


def _home_context(request: AuthenticatedHttpRequest, form: GenerateForm | None) -> dict[str, Any]:
    scheme, kpis = selectors.kpis_now(request.user)
    visible = selectors.visible_statements(request.user)
    reviewer = request.user.has_perm(access.REVIEW)
    return {
        "scheme": scheme,
        "kpis": kpis,
        "mine": visible.filter(employee=request.user)[:24],
        "team": visible.exclude(employee=request.user)[:100] if reviewer else [],
        "form": form
        if form is not None
        else (GenerateForm(people=access.visible_people(request.user)) if reviewer else None),
        "may_export": request.user.has_perm(access.EXPORT),
        "may_manage": request.user.has_perm(access.MANAGE),
    }


@require(VIEW)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "motivation/home.html", _home_context(request, None))


@require_POST
@require(VIEW, access.REVIEW)
def generate(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST, people=access.visible_people(request.user))
    if form.is_valid():
        employee_id = form.cleaned_data["employee_id"]
        try:
            if not access.may_review(request.user, employee_id):
                raise ValidationError(
                    {"employee_id": [_("You may draft statements of your team only.")]}
                )
            day = periods.parse_month(form.cleaned_data["period"])
            statement = statements.generate(actor=request.user, employee_id=employee_id, day=day)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The statement was drafted."))
            return HttpResponseRedirect(reverse("motivation:statement", args=[statement.pk]))
    return render(request, "motivation/home.html", _home_context(request, form), status=400)


def _statement(request: AuthenticatedHttpRequest, statement_id: int) -> Statement:
    found = selectors.statement_for(request.user, statement_id)
    if found is None:
        raise Http404
    return found


def _detail(
    request: AuthenticatedHttpRequest,
    statement: Statement,
    form: AdjustForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_review = access.may_review(request.user, statement.employee_id)
    return render(
        request,
        "motivation/statement.html",
        {
            "statement": statement,
            "lines": statement.lines.all(),
            "may_review": may_review,
            "form": form or (AdjustForm() if may_review and statement.is_frozen else None),
        },
        status=status,
    )


@require(VIEW)
def statement(request: AuthenticatedHttpRequest, statement_id: int) -> HttpResponse:
    return _detail(request, _statement(request, statement_id))


@require_POST
@require(VIEW, access.REVIEW)
def act(request: AuthenticatedHttpRequest, statement_id: int, action: str) -> HttpResponse:
    found = _statement(request, statement_id)
    if not access.may_review(request.user, found.employee_id):
        # One may see one's own statement but never review or approve it: said beside it.
        messages.error(request, _("You cannot review or approve this statement."))
        return HttpResponseRedirect(reverse("motivation:statement", args=[found.pk]))
    done = {
        "review": (statements.review, _("Marked as reviewed.")),
        "approve": (statements.approve, _("Approved: the statement is frozen.")),
        "submit": (statements.submit_for_review, _("The managers were told.")),
        "redraft": (None, _("The statement was drafted again.")),
    }
    if action not in done:
        raise Http404
    service, text = done[action]
    try:
        if service is None:
            statements.generate(
                actor=request.user, employee_id=found.employee_id, day=found.period_start
            )
        else:
            service(actor=request.user, statement=found)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, text)
    return HttpResponseRedirect(reverse("motivation:statement", args=[found.pk]))


@require_POST
@require(VIEW, access.REVIEW)
def adjust(request: AuthenticatedHttpRequest, statement_id: int) -> HttpResponse:
    found = _statement(request, statement_id)
    form = AdjustForm(request.POST)
    if form.is_valid():
        try:
            statements.adjust(
                actor=request.user,
                statement=found,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The adjustment was added."))
            return HttpResponseRedirect(reverse("motivation:statement", args=[found.pk]))
    found.refresh_from_db()
    return _detail(request, found, form, status=400)


@require(VIEW, access.EXPORT)
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        day = periods.parse_month(request.GET.get("period", ""))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        return HttpResponse(_("Choose csv or xlsx."), status=400, content_type="text/plain")
    return exports.payroll_response(day, fmt)


@require(VIEW)
def recognition_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _feed(request, ThanksForm(sender=request.user))


def _feed(request: AuthenticatedHttpRequest, form: ThanksForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "motivation/recognition.html",
        {
            "items": selectors.recognition_feed(request.user),
            "form": form if request.user.has_perm(access.THANK) else None,
        },
        status=status,
    )


@require_POST
@require(VIEW, access.THANK)
def thank(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ThanksForm(request.POST, sender=request.user)
    if form.is_valid():
        try:
            recognition.thank(
                actor=request.user,
                recipient_id=form.cleaned_data["recipient_id"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your thanks is on the recognition feed."))
            return HttpResponseRedirect(reverse("motivation:recognition"))
    return _feed(request, form, status=400)


@require_POST
@require(VIEW, access.THANK)
def react(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        item_id = int(request.POST.get("item_id", ""))
    except ValueError:
        item_id = 0
    try:
        recognition.toggle_reaction(
            actor=request.user,
            item_kind=request.POST.get("item_kind", ""),
            item_id=item_id,
            emoji=request.POST.get("emoji", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    kind = request.POST.get("item_kind", "")
    anchor = f"#{kind}-{item_id}" if kind in ItemKind.values else ""
    return HttpResponseRedirect(reverse("motivation:recognition") + anchor)
