"""The client list: search, filters, pages."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from kliento.clients import forms, selectors
from kliento.core.permissions import require
from kliento.core.types import HtmxHttpRequest


@require("clients.view_client")
def client_list(request: HtmxHttpRequest) -> HttpResponse:
    form = forms.ClientFilterForm(request.GET or None)
    filters = form.to_filters()
    page = Paginator(selectors.search_clients(filters), settings.KLIENTO_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "clients/client_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)
