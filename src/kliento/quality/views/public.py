"""The external mystery shopper's page, opened by a signed link that works for one assignment
only, and only while it is open; no account, no other page of Kliento."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from kliento.core.permissions import public
from kliento.quality import selectors
from kliento.quality.models import Outcome
from kliento.quality.services import programme
from kliento.quality.views.answering import blank_rows, handle_post, rows


@never_cache
@public
def shop(request: HttpRequest, token: str) -> HttpResponse:
    found = programme.assignment_for_link(token)
    if found is None:
        # Said plainly (a link that expired or was closed is not an error of the shopper).
        return render(request, "quality/shop_closed.html", status=200)
    errors: dict[str, list[str]] = {}
    posted = None
    if request.method == "POST":
        evaluation = programme.start_shop(actor=None, assignment=found)
        done, errors = handle_post(
            request,
            actor=None,
            evaluation=evaluation,
            finish=lambda: programme.finish_shop(
                actor=None, assignment=found, summary=request.POST.get("summary", "")
            ),
        )
        if done is not None:
            if request.POST.get("complete"):
                return render(request, "quality/shop_thanks.html")
            return HttpResponseRedirect(reverse("quality:shop", args=[token]))
        posted = request.POST.dict()
        found.refresh_from_db()
    context: dict[str, Any] = {
        "assignment": found,
        "form_action": request.path,
        "outcomes": Outcome.choices,
    }
    if found.evaluation is not None:
        context["rows"] = rows(found.evaluation, posted, errors)
    else:
        version = selectors.published_version(found.checklist)
        context["rows"] = blank_rows(list(version.items.all()) if version else [])
    context["errors"] = [m for f, ms in errors.items() if not f.startswith("item-") for m in ms]
    return render(request, "quality/shop.html", context, status=400 if errors else 200)
