"""Possible duplicates: the list of groups, the compare page, the confirm step and the merge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kliento.clients import forms, selectors, services
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest

GROUPS_PAGE = 20


@require("clients.merge_client")
def duplicate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = selectors.duplicate_groups(strong_only=request.GET.get("strong") == "1")
    page = Paginator(groups, GROUPS_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "strong_only": request.GET.get("strong") == "1"}
    return render(request, "clients/duplicates.html", context)


def _ids(request: AuthenticatedHttpRequest) -> list[int]:
    source = request.POST if request.method == "POST" else request.GET
    ids: set[int] = set()
    for value in source.getlist("ids"):
        for part in value.split(","):
            if part.strip().isdecimal() and len(part.strip()) < 19:
                ids.add(int(part))
    return sorted(ids)


@require("clients.merge_client")
def client_merge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: compare the clients and choose; POST: the confirm step, then (with `confirm`) the
    merge itself."""
    ids = _ids(request)
    candidates = selectors.merge_candidates(ids[: services.merge.MAX_MERGED + 1])
    if len(candidates) < 2:
        messages.warning(request, _("Choose at least two existing clients to compare and merge."))
        return redirect("clients:duplicates")
    clients = [c.client for c in candidates]
    form = forms.MergeForm(clients, request.POST if request.method == "POST" else None)
    context = {"candidates": candidates, "form": form, "ids": [c.pk for c in clients]}
    if request.method != "POST" or not form.is_valid():
        return render(request, "clients/merge.html", context)
    survivor = form.cleaned_data["survivor"]
    if request.POST.get("confirm") != "1":
        by_pk = {c.pk: c for c in clients}
        context |= {
            "survivor": by_pk[survivor],
            "removed": [by_pk[pk] for pk in form.duplicates()],
            "taken": [
                (
                    form.fields[f"take_{field}"].label,
                    forms.merge_value(by_pk[src], field),
                    by_pk[src],
                )
                for field, src in form.field_choices().items()
                if src != survivor
            ],
        }
        return render(request, "clients/merge_confirm.html", context)
    try:
        kept = services.merge_clients(
            actor=request.user,
            survivor=survivor,
            duplicates=form.duplicates(),
            field_choices=form.field_choices(),
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "gone":
            messages.error(request, " ".join(exc.messages))
            return redirect("clients:duplicates")
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                name = f"take_{field}"
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return render(request, "clients/merge.html", context)
    messages.success(request, _("The clients are merged into this card."))
    return redirect(kept)
