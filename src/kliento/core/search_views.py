"""The top bar's search: live results in a dropdown (htmx) and the full results page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kliento.core.permissions import login_only
from kliento.core.search import search
from kliento.core.types import HtmxHttpRequest

DROPDOWN_LIMIT = 5
PAGE_LIMIT = 20


@require_GET
@login_only
def search_page(request: HtmxHttpRequest) -> HttpResponse:
    """`/search/?q=`: every kind of result the user may see, grouped by kind.

    The top bar's box asks the same URL through htmx while typing and gets only the dropdown;
    Enter (or a browser without JavaScript) submits the form and lands on the full page.
    """
    partial = bool(request.htmx) and not request.htmx.boosted
    results = search(
        request.user, request.GET.get("q", ""), limit=DROPDOWN_LIMIT if partial else PAGE_LIMIT
    )
    template = "core/search.html#dropdown" if partial else "core/search.html"
    return render(request, template, {"results": results})
