"""The registry's pages: list with filters, a touchpoint's page, create and edit (managers), the
owner's regulation and quality parameters, "My touchpoints", and recording an impression from
the client card."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.clients import selectors as clients
from kliento.clients.registry import TIMELINE_CHANGED
from kliento.core.channels import Channel
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest, HtmxHttpRequest
from kliento.touchpoints import rules, selectors, services
from kliento.touchpoints.forms import (
    ImpressionForm,
    ParameterForm,
    RegulationForm,
    TouchpointForm,
)
from kliento.touchpoints.models import Impression, Kind, QualityParameter, Touchpoint
from kliento.touchpoints.panels import impressions_context

VIEW = "touchpoints.view_touchpoint"
IMPRESSIONS_PER_PAGE = 25


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


@require(VIEW)
def touchpoint_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    params = request.GET
    kind = params.get("kind", "")
    channel = params.get("channel", "")
    filters = selectors.TouchpointFilters(
        kind=kind if kind in Kind.values else "",
        channel=channel if channel in Channel.values else "",
        stage_id=_int(params.get("stage")),
        owner_id=_int(params.get("owner")),
        q=params.get("q", "")[:100],
        active=None if params.get("all") else True,
    )
    found = list(selectors.touchpoints(filters))
    owners = {t.owner_id: t.owner for t in selectors.touchpoints()}
    return render(
        request,
        "touchpoints/list.html",
        {
            "touchpoints": found,
            "filters": filters,
            "show_all": bool(params.get("all")),
            "kinds": Kind.choices,
            "channels": Channel.choices,
            "stages": [(s.pk, selectors.stage_label(s)) for s in selectors.stages()],
            "owners": sorted(
                ((pk, str(u.get_full_name() or u.username)) for pk, u in owners.items()),
                key=lambda pair: pair[1].casefold(),
            ),
            "filtered": any(
                (filters.kind, filters.channel, filters.stage_id, filters.owner_id, filters.q)
            ),
            "may_add": request.user.has_perm("touchpoints.add_touchpoint"),
        },
    )


def _touchpoint(pk: int) -> Touchpoint:
    found = selectors.touchpoint(pk)
    if found is None:
        raise Http404
    return found


@require(VIEW)
def touchpoint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    touchpoint = _touchpoint(pk)
    period = request.GET.get("period", "week")
    period = period if period in selectors.PERIODS else "week"
    context: dict[str, Any] = {
        "touchpoint": touchpoint,
        "stages": [selectors.stage_label(s) for s in touchpoint.stages.all()],
        "parameters": list(touchpoint.parameters.all()),
        "may_edit": rules.may_edit_registry(request.user),
        "may_edit_regulation": rules.may_edit_regulation(request.user, touchpoint),
        "period": period,
    }
    if request.user.has_perm("touchpoints.view_impression"):
        trend = selectors.trend(touchpoint.pk, period=period)
        page = Paginator(
            selectors.impressions_of_touchpoint(touchpoint.pk), IMPRESSIONS_PER_PAGE
        ).get_page(request.GET.get("page"))
        names = dict(Impression.Sentiment.choices)
        chart = {**trend.chart(), "names": {key: str(label) for key, label in names.items()}}
        context.update({"trend": trend, "chart": chart, "page": page})
    return render(request, "touchpoints/detail.html", context)


def _save_touchpoint(
    request: AuthenticatedHttpRequest, form: TouchpointForm, touchpoint: Touchpoint | None
) -> Touchpoint | None:
    data = form.cleaned_data
    fields = {
        key: data[key]
        for key in ("name", "kind", "category", "channel", "occurs_when", "participants", "kpi")
    }
    try:
        if touchpoint is None:
            return services.create_touchpoint(
                actor=request.user,
                owner=form.owner_user(),
                regulation=data["regulation"],
                stage_ids=data["stages"],
                is_active=data["is_active"],
                **fields,
            )
        return services.update_touchpoint(
            actor=request.user,
            touchpoint=touchpoint,
            owner=form.owner_user(),
            regulation=data["regulation"],
            stage_ids=data["stages"],
            is_active=data["is_active"],
            **fields,
        )
    except ValidationError as exc:
        form.apply(exc)
        return None


@require("touchpoints.add_touchpoint")
def touchpoint_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TouchpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = _save_touchpoint(request, form, None)
        if created is not None:
            messages.success(request, _("Touchpoint added."))
            return HttpResponseRedirect(created.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "touchpoints/form.html", {"form": form}, status=status)


@require("touchpoints.change_touchpoint")
def touchpoint_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    touchpoint = _touchpoint(pk)
    form = TouchpointForm(request.POST or None, initial=TouchpointForm.initial_for(touchpoint))
    saved = request.method == "POST" and form.is_valid()
    if saved and _save_touchpoint(request, form, touchpoint) is not None:
        messages.success(request, _("Touchpoint saved."))
        return HttpResponseRedirect(touchpoint.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "touchpoints/form.html", {"form": form, "touchpoint": touchpoint}, status=status
    )


def _owned(request: AuthenticatedHttpRequest, touchpoint: Touchpoint) -> None:
    if not rules.may_edit_regulation(request.user, touchpoint):
        raise PermissionDenied


@require(VIEW)
def regulation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    touchpoint = _touchpoint(pk)
    _owned(request, touchpoint)
    form = RegulationForm(request.POST or None, initial={"regulation": touchpoint.regulation})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_regulation(
                actor=request.user,
                touchpoint=touchpoint,
                regulation=form.cleaned_data["regulation"],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Regulation saved."))
            return HttpResponseRedirect(touchpoint.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "touchpoints/regulation_form.html",
        {"form": form, "touchpoint": touchpoint},
        status=status,
    )


@require(VIEW)
def parameter_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    touchpoint = _touchpoint(pk)
    _owned(request, touchpoint)
    form = ParameterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_parameter(actor=request.user, touchpoint=touchpoint, **form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Quality parameter added."))
            return HttpResponseRedirect(touchpoint.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "touchpoints/parameter_form.html",
        {"form": form, "touchpoint": touchpoint},
        status=status,
    )


def _parameter(parameter_id: int) -> QualityParameter:
    return get_object_or_404(QualityParameter.objects.select_related("touchpoint"), pk=parameter_id)


@require(VIEW)
def parameter_edit(request: AuthenticatedHttpRequest, parameter_id: int) -> HttpResponse:
    parameter = _parameter(parameter_id)
    touchpoint = parameter.touchpoint
    _owned(request, touchpoint)
    form = ParameterForm(
        request.POST or None,
        initial={
            "name": parameter.name,
            "measurement": parameter.measurement,
            "target": parameter.target,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_parameter(actor=request.user, parameter=parameter, **form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Quality parameter saved."))
            return HttpResponseRedirect(touchpoint.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "touchpoints/parameter_form.html",
        {"form": form, "touchpoint": touchpoint, "parameter": parameter},
        status=status,
    )


@require(VIEW)
def parameter_delete(request: AuthenticatedHttpRequest, parameter_id: int) -> HttpResponse:
    parameter = _parameter(parameter_id)
    touchpoint = parameter.touchpoint
    _owned(request, touchpoint)
    if request.method == "POST":
        services.remove_parameter(actor=request.user, parameter=parameter)
        messages.success(request, _("Quality parameter removed."))
        return HttpResponseRedirect(touchpoint.get_absolute_url())
    return render(
        request,
        "touchpoints/parameter_delete.html",
        {"parameter": parameter, "touchpoint": touchpoint},
    )


@require(VIEW)
def my_touchpoints(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "touchpoints/mine.html",
        {"mine": selectors.my_touchpoints(request.user), "recent_days": selectors.RECENT_DAYS},
    )


@require_POST
@require("clients.view_client", "touchpoints.add_impression")
def record_impression(request: HtmxHttpRequest, client_id: int) -> HttpResponse:
    label = clients.client_labels([client_id]).get(client_id)
    if label is None:
        raise Http404
    form = ImpressionForm(request.POST, client_id=client_id)
    recorded = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_impression(
                actor=request.user,
                touchpoint_id=data["touchpoint"],
                client_id=client_id,
                sentiment=data["sentiment"],
                text=data["text"],
                source=data["source"],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            recorded = True
            if not request.htmx:
                messages.success(request, _("Impression recorded."))
                return HttpResponseRedirect(reverse("clients:detail", args=[client_id]))
    context = impressions_context(request.user, client_id)
    context.update({"client": label, "recorded": recorded})
    if not recorded:
        context["form"] = form
    if request.htmx:
        # 200 either way, so htmx swaps the panel in with the errors beside the fields.
        response = render(request, "touchpoints/panel_impressions.html#panel_body", context)
        if recorded:
            response["HX-Trigger"] = TIMELINE_CHANGED
        return response
    return render(request, "touchpoints/impression_page.html", context, status=400)
