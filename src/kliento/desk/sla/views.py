"""The SLA setup pages under /desk/setup/: business calendars and SLA policies (managers)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import access
from kliento.desk.models import BusinessCalendar, SlaPolicy
from kliento.desk.sla import setup
from kliento.desk.sla.forms import DAY_FIELDS, CalendarForm, PolicyForm, periods_text

MANAGE = access.MANAGE


def _back() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("desk:sla_setup"))


def _form_page(
    request: AuthenticatedHttpRequest, form: Any, heading: str, **extra: Any
) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    context = {"form": form, "heading": heading, "back": reverse("desk:sla_setup"), **extra}
    return render(request, "desk/sla/form.html", context, status=status)


@require(MANAGE)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    calendars = [
        {
            "calendar": calendar,
            "days": [
                (WEEKDAYS_ABBR[day], periods_text(calendar.hours.get(str(day), [])))
                for day in range(len(DAY_FIELDS))
            ],
            "holidays": len(calendar.holidays.all()),
        }
        for calendar in BusinessCalendar.objects.prefetch_related("holidays")
    ]
    policies = SlaPolicy.objects.select_related("calendar", "segment")
    return render(request, "desk/sla/setup.html", {"calendars": calendars, "policies": policies})


def _calendar_page(
    request: AuthenticatedHttpRequest, calendar: BusinessCalendar | None
) -> HttpResponse:
    # A new calendar starts as an office week (Monday to Friday, 09:00-18:00).
    initial = CalendarForm.initial_for(calendar) if calendar else CalendarForm.office_week()
    form = CalendarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.save_calendar(actor=request.user, spec=form.spec(), calendar=calendar)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Business calendar saved."))
            return _back()
    heading = _("Edit business calendar") if calendar else _("New business calendar")
    return _form_page(request, form, heading, calendar=calendar)


@require(MANAGE)
def calendar_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _calendar_page(request, None)


@require(MANAGE)
def calendar_edit(request: AuthenticatedHttpRequest, calendar_id: int) -> HttpResponse:
    return _calendar_page(request, get_object_or_404(BusinessCalendar, pk=calendar_id))


@require_POST
@require(MANAGE)
def calendar_delete(request: AuthenticatedHttpRequest, calendar_id: int) -> HttpResponse:
    calendar = get_object_or_404(BusinessCalendar, pk=calendar_id)
    try:
        setup.delete_calendar(actor=request.user, calendar=calendar)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Business calendar deleted."))
    return _back()


def _policy_page(request: AuthenticatedHttpRequest, policy: SlaPolicy | None) -> HttpResponse:
    initial = PolicyForm.initial_for(policy) if policy else {}
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.save_policy(actor=request.user, spec=form.spec(), policy=policy)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("SLA policy saved."))
            return _back()
    heading = _("Edit SLA policy") if policy else _("New SLA policy")
    return _form_page(request, form, heading, policy=policy)


@require(MANAGE)
def policy_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _policy_page(request, None)


@require(MANAGE)
def policy_edit(request: AuthenticatedHttpRequest, sla_policy_id: int) -> HttpResponse:
    return _policy_page(request, get_object_or_404(SlaPolicy, pk=sla_policy_id))


@require_POST
@require(MANAGE)
def policy_delete(request: AuthenticatedHttpRequest, sla_policy_id: int) -> HttpResponse:
    policy = get_object_or_404(SlaPolicy, pk=sla_policy_id)
    setup.delete_policy(actor=request.user, policy=policy)
    messages.success(request, _("SLA policy deleted."))
    return _back()
