"""The client list: search, filters, sort, columns, saved views, pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.clients import forms, selectors, services
from kliento.clients.views.bulk import allowed_actions
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest, HtmxHttpRequest

# Parameters of the list's URL that are not filters: a saved view stores none of them.
NOT_FILTERS = ("page", "cols", "view", "ids")


def filter_query(params: QueryDict) -> str:
    """The filters and sort of a list URL, without the page, columns, view or selection."""
    query = params.copy()
    for key in NOT_FILTERS:
        query.pop(key, None)
    return query.urlencode()


def _list_url(query: str) -> str:
    url = reverse("clients:list")
    return f"{url}?{query}" if query else url


def _columns(request: HtmxHttpRequest) -> tuple[list[str], bool]:
    """The columns to show (a saved view's, from ?cols=, or the user's) and whether they came
    from the URL."""
    if "cols" in request.GET:
        chosen = selectors.clean_columns(request.GET["cols"].split(","))
        if chosen:
            return chosen, True
    return selectors.list_columns(request.user), False


@require("clients.view_client")
def client_list(request: HtmxHttpRequest) -> HttpResponse:
    form = forms.ClientFilterForm(request.GET or None)
    filters = form.to_filters()
    columns, from_url = _columns(request)
    clients = selectors.search_clients(filters)
    if "tags" in columns:
        clients = clients.prefetch_related("tags")
    page = Paginator(clients, settings.KLIENTO_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    filters_only = filter_query(request.GET)
    view_id = request.GET.get("view", "")
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "filter_query": filters_only,
        "sort": filters.sort,
        "columns": selectors.columns_named(columns),
        "column_keys": columns,
        "all_columns": selectors.COLUMNS,
        "cols_param": ",".join(columns) if from_url else "",
        "saved_views": selectors.saved_views(request.user),
        "active_view": int(view_id) if view_id.isdecimal() and len(view_id) < 19 else None,
        "may_share": request.user.has_perm(services.saved_views.SHARE_PERMISSION),
        "bulk_actions": allowed_actions(request.user),
        "currency": settings.KLIENTO_DEFAULT_CURRENCY,
    }
    template = "clients/client_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_POST
@require("clients.view_client")
def list_columns(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Store the columns this user wants in the list, then show it again."""
    services.set_list_columns(user=request.user, columns=request.POST.getlist("columns"))
    next_query = filter_query(QueryDict(request.POST.get("query", "")))
    return HttpResponseRedirect(_list_url(next_query))


@require("clients.view_client")
def saved_view_open(request: AuthenticatedHttpRequest, view_id: int) -> HttpResponse:
    """Apply a saved view: its filters, sort and columns (someone else's personal view: 404)."""
    view = selectors.saved_view(request.user, view_id)
    query = QueryDict(view.query, mutable=True)
    for key in NOT_FILTERS:
        query.pop(key, None)
    if view.columns:
        query["cols"] = ",".join(view.columns)
    query["view"] = str(view.pk)
    return HttpResponseRedirect(_list_url(query.urlencode()))


@require_POST
@require("clients.view_client")
def saved_view_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.SavedViewForm(request.POST)
    query = filter_query(QueryDict(request.POST.get("query", "")))
    if not form.is_valid():
        messages.error(request, _("Give the view a name."))
        return HttpResponseRedirect(_list_url(query))
    shared = form.cleaned_data["shared"]
    if shared and not request.user.has_perm(services.saved_views.SHARE_PERMISSION):
        raise PermissionDenied
    columns = selectors.clean_columns(request.POST.get("columns", "").split(","))
    try:
        view = services.save_view(
            owner=request.user,
            name=form.cleaned_data["name"],
            query=query,
            columns=columns or selectors.list_columns(request.user),
            shared=shared,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_list_url(query))
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return HttpResponseRedirect(reverse("clients:saved_view", args=[view.pk]))


@require_POST
@require("clients.view_client")
def saved_view_rename(request: AuthenticatedHttpRequest, view_id: int) -> HttpResponse:
    view = selectors.own_saved_view(request.user, view_id)
    try:
        services.rename_view(actor=request.user, view=view, name=request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("View renamed."))
    return HttpResponseRedirect(reverse("clients:list"))


@require_POST
@require("clients.view_client")
def saved_view_delete(request: AuthenticatedHttpRequest, view_id: int) -> HttpResponse:
    view = selectors.own_saved_view(request.user, view_id)
    services.delete_view(actor=request.user, view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return HttpResponseRedirect(reverse("clients:list"))
