"""The queues: a page of cases with filters, counts per queue, saved views and bulk actions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest, HtmxHttpRequest
from kliento.desk import selectors
from kliento.desk.forms import BulkForm, QueueFilterForm, SavedViewForm
from kliento.desk.selectors import workspace as ws
from kliento.desk.services import bulk as bulk_services
from kliento.desk.services import workspace as ws_services
from kliento.desk.views.common import VIEW, WORK

FILTER_KEYS = ("queue", "q", "status", "priority", "channel", "kind", "team", "assignee", "tag")


def _query(request: AuthenticatedHttpRequest) -> str:
    """The filters as a query string, without the page and without empty values."""
    return urlencode([(k, request.GET[k]) for k in FILTER_KEYS if request.GET.get(k)])


def _page_number(request: AuthenticatedHttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return min(int(raw), 10_000) if raw.isdigit() and len(raw) < 6 else 1


@require_GET
@require(VIEW)
def queue(request: HtmxHttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    query = _query(request)
    context = {
        "form": form,
        "filters": filters,
        "queues": [(q, None) for q in selectors.QUEUES],
        "page": ws.queue_page(request.user, filters, _page_number(request)),
        "query": query,
        "saved_views": ws.saved_views(request.user),
        "bulk_form": BulkForm(),
        "can_work": request.user.has_perm(WORK),
        "save_form": SavedViewForm(initial={"query": query}),
        "active_view": request.GET.get("view", ""),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "desk/queue.html#results", context)
    counts = selectors.queue_counts(request.user)
    context["queues"] = [(q, selectors.count_label(counts.get(q.key, 0))) for q in selectors.QUEUES]
    return render(request, "desk/queue.html", context)


def _back_to_queue(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(reverse("desk:queue"))


@require_POST
@require(VIEW, WORK)
def bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return _back_to_queue(request)
    try:
        result = bulk_services.bulk_apply(
            actor=request.user,
            case_ids=form.cleaned_data["ids"],
            action=form.cleaned_data["action"],
            value=form.value(),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back_to_queue(request)
    messages.success(
        request,
        ngettext("%(n)d case changed.", "%(n)d cases changed.", result.changed)
        % {"n": result.changed},
    )
    if result.refused:
        refused = "; ".join(f"{number}: {why}" for number, why in result.refused)
        messages.warning(request, _("Not changed: %(list)s") % {"list": refused})
    return _back_to_queue(request)


@require_GET
@require(VIEW)
def view_open(request: AuthenticatedHttpRequest, desk_view_id: int) -> HttpResponse:
    view = ws.own_saved_view(request.user, desk_view_id)
    if view is None:
        raise Http404(_("No such view."))
    url = reverse("desk:queue")
    return HttpResponseRedirect(f"{url}?{view.query}&view={view.pk}" if view.query else url)


@require_POST
@require(VIEW)
def view_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SavedViewForm(request.POST)
    if form.is_valid():
        try:
            view = ws_services.save_view(
                owner=request.user,
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
            return HttpResponseRedirect(reverse("desk:view_open", args=[view.pk]))
    else:
        messages.error(request, _("Give the view a name of at most 80 characters."))
    return _back_to_queue(request)


@require_POST
@require(VIEW)
def view_rename(request: AuthenticatedHttpRequest, desk_view_id: int) -> HttpResponse:
    view = ws.own_saved_view(request.user, desk_view_id)
    if view is None:
        raise Http404(_("No such view."))
    try:
        ws_services.rename_view(owner=request.user, view=view, name=request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("View renamed."))
    return _back_to_queue(request)


@require_POST
@require(VIEW)
def view_delete(request: AuthenticatedHttpRequest, desk_view_id: int) -> HttpResponse:
    view = ws.own_saved_view(request.user, desk_view_id)
    if view is None:
        raise Http404(_("No such view."))
    ws_services.delete_view(owner=request.user, view=view)
    messages.success(request, _("View deleted."))
    return _back_to_queue(request)
