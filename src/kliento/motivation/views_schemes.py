"""Pages where managers define motivation schemes: the list, a scheme with its KPIs and bonus
or penalty rules, and their forms. Every write goes through services.schemes, the same calls
the API makes; approved statements never change (they store their own lines)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.motivation import access
from kliento.motivation.calculate import rule_text
from kliento.motivation.forms import apply_errors
from kliento.motivation.forms_schemes import KpiForm, RuleForm, SchemeForm
from kliento.motivation.models import Kpi, Rule, Scheme
from kliento.motivation.registry import kpi_sources
from kliento.motivation.services import schemes

VIEW = "motivation.view_scheme"


def _back(scheme: Scheme) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("motivation:scheme", args=[scheme.pk]))


@require(VIEW, access.MANAGE)
def scheme_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = Scheme.objects.select_related("employee").annotate(
        n_kpis=Count("kpis", distinct=True), n_rules=Count("rules", distinct=True)
    )
    return render(request, "motivation/schemes.html", {"schemes": found})


def _form_page(
    request: AuthenticatedHttpRequest, form: Any, title: str, scheme: Scheme | None, status: int
) -> HttpResponse:
    return render(
        request,
        "motivation/scheme_form.html",
        {"form": form, "title": title, "scheme": scheme},
        status=status,
    )


@require(VIEW, access.MANAGE)
def scheme_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = schemes.create_scheme(
                actor=request.user,
                name=data["name"],
                period=data["period"],
                base_bonus=data["base_bonus"],
                currency=data["currency"],
                role=data["role"],
                employee_id=data["employee_id"],
                max_bonus=data["max_bonus"],
                max_penalty=data["max_penalty"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The scheme was created; add its KPIs and rules."))
            return _back(scheme)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, form, _("New motivation scheme"), None, status)


def _kpi_rows(scheme: Scheme) -> list[dict[str, Any]]:
    rows = []
    for kpi in scheme.kpis.all():
        source = kpi_sources.get(kpi.source)
        rows.append({"kpi": kpi, "label": source.label if source else kpi.source, "source": source})
    return rows


@require(VIEW, access.MANAGE)
def scheme_edit(request: AuthenticatedHttpRequest, scheme_id: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=scheme_id)
    form = SchemeForm(request.POST or None, initial=SchemeForm.initial_for(scheme))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            schemes.update_scheme(actor=request.user, scheme=scheme, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The scheme was saved."))
            return _back(scheme)
    kpis = _kpi_rows(scheme)
    labels = {row["kpi"].pk: str(row["label"]) for row in kpis}
    rules = [
        {"rule": r, "text": rule_text(r, scheme, labels.get(r.kpi_id or 0, ""))}
        for r in scheme.rules.all()
    ]
    return render(
        request,
        "motivation/scheme.html",
        {"scheme": scheme, "form": form, "kpis": kpis, "rules": rules},
        status=400 if request.method == "POST" else 200,
    )


@require(VIEW, access.MANAGE)
def kpi_form(
    request: AuthenticatedHttpRequest, scheme_id: int | None = None, kpi_id: int | None = None
) -> HttpResponse:
    kpi = get_object_or_404(Kpi.objects.select_related("scheme"), pk=kpi_id) if kpi_id else None
    scheme = kpi.scheme if kpi else get_object_or_404(Scheme, pk=scheme_id)
    form = KpiForm(request.POST or None, initial=KpiForm.initial_for(kpi) if kpi else None)
    if request.method == "POST" and form.is_valid():
        try:
            if kpi is None:
                schemes.add_kpi(actor=request.user, scheme=scheme, **form.cleaned_data)
            else:
                schemes.update_kpi(actor=request.user, kpi=kpi, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The KPI was saved."))
            return _back(scheme)
    title = _("Edit the KPI") if kpi else _("Add a KPI")
    return _form_page(request, form, title, scheme, 400 if request.method == "POST" else 200)


@require(VIEW, access.MANAGE)
def rule_form(
    request: AuthenticatedHttpRequest,
    scheme_id: int | None = None,
    bonus_rule_id: int | None = None,
) -> HttpResponse:
    rule = (
        get_object_or_404(Rule.objects.select_related("scheme"), pk=bonus_rule_id)
        if bonus_rule_id
        else None
    )
    scheme = rule.scheme if rule else get_object_or_404(Scheme, pk=scheme_id)
    form = RuleForm(
        request.POST or None, scheme=scheme, initial=RuleForm.initial_for(rule) if rule else None
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "comparison": form.cleaned_data["comparison"] or ""}
        try:
            if rule is None:
                schemes.add_rule(actor=request.user, scheme=scheme, **data)
            else:
                schemes.update_rule(actor=request.user, rule=rule, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The rule was saved."))
            return _back(scheme)
    title = _("Edit the rule") if rule else _("Add a bonus or penalty rule")
    return _form_page(request, form, title, scheme, 400 if request.method == "POST" else 200)


@require_POST
@require(VIEW, access.MANAGE)
def kpi_remove(request: AuthenticatedHttpRequest, kpi_id: int) -> HttpResponse:
    kpi = get_object_or_404(Kpi.objects.select_related("scheme"), pk=kpi_id)
    schemes.remove_kpi(actor=request.user, kpi=kpi)
    messages.success(request, _("The KPI and the rules that read it were removed."))
    return _back(kpi.scheme)


@require_POST
@require(VIEW, access.MANAGE)
def rule_remove(request: AuthenticatedHttpRequest, bonus_rule_id: int) -> HttpResponse:
    rule = get_object_or_404(Rule.objects.select_related("scheme"), pk=bonus_rule_id)
    schemes.remove_rule(actor=request.user, rule=rule)
    messages.success(request, _("The rule was removed."))
    return _back(rule.scheme)
