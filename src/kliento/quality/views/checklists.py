"""Checklists: the list, building one from the standards book, a checklist's versions and the
draft's items, publishing and starting a new version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.quality import scoring, selectors, services
from kliento.quality.forms import BuildForm, ChecklistForm, ItemForm
from kliento.quality.models import Checklist, ChecklistItem

VIEW = "quality.view_checklist"
MANAGE = "quality.manage_checklists"


@require(VIEW, writes=[MANAGE])
def checklists(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ChecklistForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_checklist(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            return HttpResponseRedirect(reverse("quality:checklist", args=[made.pk]))
    rows = [
        {
            "checklist": c,
            "published": selectors.published_version(c),
            "draft": selectors.draft_version(c),
        }
        for c in selectors.checklists()
    ]
    context = {"rows": rows, "form": form, "may_manage": request.user.has_perm(MANAGE)}
    return render(request, "quality/checklists.html", context)


@require(MANAGE)
def build(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BuildForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ids = [int(x) for x in data.pop("standards")]
        try:
            made = services.build_from_standards(actor=request.user, standard_ids=ids, **data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(
                request, _("Checklist drafted from the standards; review and publish it.")
            )
            return HttpResponseRedirect(reverse("quality:checklist", args=[made.pk]))
    return render(request, "quality/build.html", {"form": form})


def _checklist_context(
    request: AuthenticatedHttpRequest, checklist: Checklist
) -> dict[str, object]:
    draft = selectors.draft_version(checklist)
    published = selectors.published_version(checklist)
    return {
        "checklist": checklist,
        "draft": draft,
        "published": published,
        "versions": checklist.versions.order_by("-number"),
        "shown": draft if draft and request.user.has_perm(MANAGE) else published,
        "may_manage": request.user.has_perm(MANAGE),
        "rule": scoring.rule_text(),
        "edit_form": ChecklistForm(
            initial={
                "name": checklist.name,
                "area_kind": checklist.area_kind,
                "owner": checklist.owner_id,
                "description": checklist.description,
            }
        ),
    }


@require(VIEW, writes=[MANAGE])
def checklist(request: AuthenticatedHttpRequest, checklist_id: int) -> HttpResponse:
    found = get_object_or_404(selectors.checklists(), pk=checklist_id)
    context = _checklist_context(request, found)
    item_form = ItemForm(request.POST or None)
    if request.method == "POST":
        edit_form = ChecklistForm(request.POST)
        context["edit_form"] = edit_form
        if edit_form.is_valid():
            try:
                services.update_checklist(
                    actor=request.user, checklist=found, **edit_form.cleaned_data
                )
            except ValidationError as exc:
                edit_form.apply(exc)
            else:
                return HttpResponseRedirect(reverse("quality:checklist", args=[found.pk]))
        item_form = ItemForm()
    context["item_form"] = item_form
    return render(request, "quality/checklist.html", context)


@require(MANAGE)
def add_item(request: AuthenticatedHttpRequest, checklist_id: int) -> HttpResponse:
    found = get_object_or_404(selectors.checklists(), pk=checklist_id)
    form = ItemForm(request.POST or None)
    draft = selectors.draft_version(found)
    if request.method == "POST" and form.is_valid() and draft is not None:
        data = form.cleaned_data
        try:
            services.add_item(
                actor=request.user,
                version=draft,
                text=data["text"],
                standard_id=data["standard"],
                weight=data["weight"],
                critical=data["critical"],
                allows_na=data["allows_na"],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            return HttpResponseRedirect(reverse("quality:checklist", args=[found.pk]) + "#items")
    elif request.method == "POST" and draft is None:
        form.add_error(None, _("Start a new version to change the items."))
    context = _checklist_context(request, found)
    context["item_form"] = form
    return render(
        request, "quality/checklist.html", context, status=400 if request.method == "POST" else 200
    )


@require(MANAGE)
def item(request: AuthenticatedHttpRequest, checklist_id: int, item_id: int) -> HttpResponse:
    found = get_object_or_404(
        ChecklistItem.objects.select_related("version"),
        pk=item_id,
        version__checklist_id=checklist_id,
    )
    initial = {
        "text": found.text,
        "standard": found.standard_id,
        "weight": found.weight,
        "critical": found.critical,
        "allows_na": found.allows_na,
    }
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.remove_item(actor=request.user, item=found)
                return HttpResponseRedirect(
                    reverse("quality:checklist", args=[checklist_id]) + "#items"
                )
            if form.is_valid():
                data = form.cleaned_data
                services.update_item(
                    actor=request.user,
                    item=found,
                    text=data["text"],
                    standard_id=data["standard"],
                    weight=data["weight"],
                    critical=data["critical"],
                    allows_na=data["allows_na"],
                )
                return HttpResponseRedirect(
                    reverse("quality:checklist", args=[checklist_id]) + "#items"
                )
        except ValidationError as exc:
            form.apply(exc)
    return render(
        request, "quality/item.html", {"form": form, "item": found, "checklist_id": checklist_id}
    )


@require_POST
@require(MANAGE)
def publish(request: AuthenticatedHttpRequest, checklist_id: int) -> HttpResponse:
    found = get_object_or_404(Checklist, pk=checklist_id)
    draft = selectors.draft_version(found)
    if draft is None:
        messages.error(request, _("There is no draft to publish."))
    else:
        try:
            services.publish_version(
                actor=request.user, version=draft, change_note=request.POST.get("change_note", "")
            )
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Published. New evaluations use this version."))
    return HttpResponseRedirect(reverse("quality:checklist", args=[found.pk]))


@require_POST
@require(MANAGE)
def revise(request: AuthenticatedHttpRequest, checklist_id: int) -> HttpResponse:
    found = get_object_or_404(Checklist, pk=checklist_id)
    services.start_revision(actor=request.user, checklist=found)
    return HttpResponseRedirect(reverse("quality:checklist", args=[found.pk]) + "#items")
