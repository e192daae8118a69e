"""Bulk actions on the client list: choose, confirm (with the count), run through a service.

The list offers only the actions the user may run (`allowed_actions`); the POST checks the
permission again, and "all N matching" is resolved from the list's filters when confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from kliento.clients import forms, selectors, services
from kliento.clients.views.common import apply_errors
from kliento.core.permissions import require, require_that
from kliento.core.types import Actor, AuthenticatedHttpRequest

Run = Callable[[Actor, list[int], dict[str, Any]], int]


@dataclass(frozen=True)
class BulkAction:
    key: str
    label: Promise | str
    permission: str
    form: type[django_forms.Form]
    run: Run | None  # None: nothing to write (the export)

    @property
    def writes(self) -> bool:
        """For templates, which would call `run` if asked about it."""
        return self.run is not None


ACTIONS: tuple[BulkAction, ...] = (
    BulkAction(
        "assign_manager",
        gettext_lazy("Assign account manager"),
        "clients.change_client",
        forms.BulkManagerForm,
        lambda actor, ids, data: services.bulk_assign_manager(
            actor=actor, client_ids=ids, manager=data["manager"]
        ),
    ),
    BulkAction(
        "add_tag",
        gettext_lazy("Add tag"),
        "clients.change_client",
        forms.BulkTagForm,
        lambda actor, ids, data: services.bulk_add_tag(
            actor=actor, client_ids=ids, tag=data["tag"]
        ),
    ),
    BulkAction(
        "remove_tag",
        gettext_lazy("Remove tag"),
        "clients.change_client",
        forms.BulkTagForm,
        lambda actor, ids, data: services.bulk_remove_tag(
            actor=actor, client_ids=ids, tag=data["tag"]
        ),
    ),
    BulkAction(
        "set_segment",
        gettext_lazy("Set segment"),
        "clients.change_client",
        forms.BulkSegmentForm,
        lambda actor, ids, data: services.bulk_set_segment(
            actor=actor, client_ids=ids, segment=data["segment"]
        ),
    ),
    BulkAction(
        "mark_left",
        gettext_lazy("Mark as left"),
        "clients.change_client",
        forms.BulkLeftForm,
        lambda actor, ids, data: services.bulk_mark_left(
            actor=actor, client_ids=ids, left_on=data["left_on"], reason=data["reason"]
        ),
    ),
    BulkAction(
        "export",
        gettext_lazy("Export the selection"),
        "clients.export_data",
        forms.BulkExportForm,
        None,
    ),
)
BY_KEY = {action.key: action for action in ACTIONS}


def allowed_actions(user: Any) -> list[BulkAction]:
    return [action for action in ACTIONS if user.has_perm(action.permission)]


def may_act(user: Any) -> bool:
    """Whether the user may run at least one bulk action (an auditor may not)."""
    return bool(allowed_actions(user))


def _list_url(query: str) -> str:
    url = reverse("clients:list")
    return f"{url}?{query}" if query else url


@require_POST
@require_that(may_act)
@require("clients.view_client")
def bulk_action(request: AuthenticatedHttpRequest) -> HttpResponse:
    selection = forms.BulkSelectionForm(request.POST)
    if not selection.is_valid():
        return render(
            request,
            "clients/bulk_confirm.html",
            {"selection": selection, "action": None},
            status=400,
        )
    action = BY_KEY.get(selection.cleaned_data["action"])
    if action is None:
        selection.add_error("action", _("Unknown action."))
        return render(
            request,
            "clients/bulk_confirm.html",
            {"selection": selection, "action": None},
            status=400,
        )
    if not request.user.has_perm(action.permission):
        raise PermissionDenied
    query = selection.cleaned_data["query"]
    if selection.cleaned_data["all"]:
        # Every client the list's filters match, as they match now (not when the list was shown).
        filters = forms.ClientFilterForm(QueryDict(query)).to_filters()
    else:
        filters = selectors.ClientFilters(ids=selection.cleaned_data["ids"])
    clients = selectors.search_clients(filters)
    confirming = request.POST.get("confirm") == "1"
    form = action.form(request.POST if confirming else None)
    context: dict[str, Any] = {
        "selection": selection,
        "action": action,
        "form": form,
        "count": clients.count(),
        "ids": ",".join(str(pk) for pk in selection.cleaned_data["ids"]),
        "all": selection.cleaned_data["all"],
        "query": query,
        "list_url": _list_url(query),
    }
    if action.run is None:
        export = QueryDict(mutable=True)
        if selection.cleaned_data["all"]:
            export = QueryDict(query, mutable=True)
        else:
            export["ids"] = context["ids"]
        context["export_query"] = export.urlencode()
        return render(request, "clients/bulk_confirm.html", context)
    if not confirming or not form.is_valid():
        return render(request, "clients/bulk_confirm.html", context)
    ids = list(clients.order_by("pk").values_list("pk", flat=True))
    try:
        changed = action.run(request.user, ids, form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return render(request, "clients/bulk_confirm.html", context)
    messages.success(
        request,
        ngettext("%(count)d client changed.", "%(count)d clients changed.", changed)
        % {"count": changed},
    )
    return HttpResponseRedirect(_list_url(query))
