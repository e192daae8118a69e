"""Pages of the standards book: the book, a standard, its versions, writing and publishing,
acknowledging, revision requests, and the manager's view of who has read what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core import audit
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.standards import selectors, services
from kliento.standards.forms import (
    DraftForm,
    RevisionRequestForm,
    StandardForm,
    format_scripts,
)
from kliento.standards.models import Kind, RevisionRequest, Standard, StandardVersion

VIEW = "standards.view_standard"
MANAGE = "standards.manage_standards"
Status = StandardVersion.Status


def _may_manage(request: AuthenticatedHttpRequest) -> bool:
    return request.user.has_perm(MANAGE)


@require(VIEW)
def book(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    manager = _may_manage(request)
    standards = selectors.book(query=query, kind=kind, published_only=not manager)
    unread = {v.standard_id for v in selectors.unread_for(request.user)}
    today = timezone.localdate()
    sections = []
    for value, label in Kind.choices:
        rows = [
            {
                "standard": s,
                "version": selectors.published_version(s),
                "unread": s.pk in unread,
                "overdue": s.review_overdue(today),
            }
            for s in standards
            if s.kind == value
        ]
        if rows:
            sections.append({"kind": value, "label": label, "rows": rows})
    context = {
        "sections": sections,
        "query": query,
        "kind": kind,
        "kinds": Kind.choices,
        "manager": manager,
        "mission": selectors.current_mission(),
        "overdue": selectors.overdue_reviews(today).count() if manager else 0,
    }
    return render(request, "standards/book.html", context)


@require(VIEW)
def detail(request: AuthenticatedHttpRequest, standard_id: int) -> HttpResponse:
    standard = get_object_or_404(
        selectors.with_published().prefetch_related("units"), pk=standard_id
    )
    version = selectors.published_version(standard)
    manager = _may_manage(request)
    if version is None and not manager:
        raise Http404
    terms = selectors.glossary_terms()
    skip = standard.title if standard.kind == Kind.GLOSSARY else ""
    context = {
        "standard": standard,
        "version": version,
        "html": selectors.render_text(version.body, terms=terms, skip=skip) if version else "",
        "manager": manager,
        "overdue": standard.review_overdue(),
        "applies": version is not None and selectors.applies_to(standard, request.user),
        "acknowledged": version is not None and selectors.acknowledged(version, request.user),
        "versions": standard.versions.all()
        if manager
        else standard.versions.exclude(status__in=StandardVersion.OPEN),
        "open_version": selectors.open_version(standard) if manager else None,
        "requests": standard.revision_requests.select_related("raised_by", "resolved_by")[:20],
        "request_form": RevisionRequestForm(),
        "history": [(e, audit.action_label(e.action)) for e in selectors.history(standard)[:30]]
        if manager
        else [],
    }
    return render(request, "standards/detail.html", context)


@require(VIEW)
def version_detail(
    request: AuthenticatedHttpRequest, standard_id: int, version_id: int
) -> HttpResponse:
    version = get_object_or_404(
        StandardVersion.objects.select_related("standard", "created_by", "published_by"),
        pk=version_id,
        standard_id=standard_id,
    )
    if version.status in StandardVersion.OPEN and not _may_manage(request):
        raise Http404
    previous = (
        version.standard.versions.filter(number__lt=version.number)
        .exclude(status__in=StandardVersion.OPEN)
        .order_by("-number")
        .first()
    )
    context = {
        "standard": version.standard,
        "version": version,
        "previous": previous,
        "html": selectors.render_text(version.body),
        "diff": selectors.diff(previous, version),
        "manager": _may_manage(request),
    }
    return render(request, "standards/version.html", context)


def _standard_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "owner": data["owner"],
        "review_on": data["review_on"],
        "position": data["position"],
        "roles": data["roles"],
        "channels": data["channels"],
        "unit_ids": [u.pk for u in data["units"]],
        "stage_ids": [s.pk for s in data["stages"]],
        "touchpoint_ids": [t.pk for t in data["touchpoints"]],
    }


@require(VIEW, MANAGE)
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StandardForm(
        request.POST or None,
        initial={"owner": request.user, "kind": request.GET.get("kind", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            standard = services.create_standard(
                actor=request.user,
                kind=data["kind"],
                body=data["body"],
                scripts=data["scripts"],
                **_standard_values(data),
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Standard created as a draft."))
            return HttpResponseRedirect(reverse("standards:detail", args=[standard.pk]))
    status = 400 if form.errors else 200
    return render(request, "standards/form.html", {"form": form, "creating": True}, status=status)


@require(VIEW, MANAGE)
def edit(request: AuthenticatedHttpRequest, standard_id: int) -> HttpResponse:
    standard = get_object_or_404(Standard, pk=standard_id)
    initial = {
        "title": standard.title,
        "owner": standard.owner,
        "review_on": standard.review_on,
        "position": standard.position,
        "roles": standard.roles,
        "channels": standard.channels,
        "units": standard.units.all(),
        "stages": standard.stages.all(),
        "touchpoints": standard.touchpoints.all(),
    }
    form = StandardForm(request.POST or None, initial=initial, with_text=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_standard(
                actor=request.user, standard=standard, **_standard_values(form.cleaned_data)
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Standard saved."))
            return HttpResponseRedirect(reverse("standards:detail", args=[standard.pk]))
    status = 400 if form.errors else 200
    context = {"form": form, "standard": standard, "creating": False}
    return render(request, "standards/form.html", context, status=status)


@require(VIEW, MANAGE)
def edit_draft(
    request: AuthenticatedHttpRequest, standard_id: int, version_id: int
) -> HttpResponse:
    version = get_object_or_404(
        StandardVersion.objects.select_related("standard"), pk=version_id, standard_id=standard_id
    )
    if version.status != Status.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return HttpResponseRedirect(reverse("standards:detail", args=[standard_id]))
    initial = {
        "body": version.body,
        "scripts": format_scripts(version.scripts.all()),
        "change_note": version.change_note,
    }
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_draft(
                actor=request.user,
                version=version,
                body=data["body"],
                scripts=data["scripts"],
                change_note=data["change_note"],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Draft saved."))
            return HttpResponseRedirect(
                reverse("standards:version", args=[standard_id, version.pk])
            )
    status = 400 if form.errors else 200
    context = {"form": form, "version": version, "standard": version.standard}
    return render(request, "standards/draft_form.html", context, status=status)


def _act(
    request: AuthenticatedHttpRequest, run: Callable[[], Any], done: str, standard_id: int
) -> HttpResponse:
    try:
        run()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("standards:detail", args=[standard_id]))


def _version(standard_id: int, version_id: int) -> StandardVersion:
    return get_object_or_404(StandardVersion, pk=version_id, standard_id=standard_id)


@require_POST
@require(VIEW, MANAGE)
def revise(request: AuthenticatedHttpRequest, standard_id: int) -> HttpResponse:
    standard = get_object_or_404(Standard, pk=standard_id)
    try:
        draft = services.start_revision(actor=request.user, standard=standard)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("standards:detail", args=[standard_id]))
    return HttpResponseRedirect(reverse("standards:edit_draft", args=[standard_id, draft.pk]))


@require_POST
@require(VIEW, MANAGE)
def transition(
    request: AuthenticatedHttpRequest, standard_id: int, version_id: int, action: str
) -> HttpResponse:
    version = _version(standard_id, version_id)
    steps: dict[str, tuple[Callable[..., Any], str]] = {
        "submit": (services.submit_for_review, _("Sent for review.")),
        "return": (services.return_to_draft, _("Returned to draft.")),
        "publish": (services.publish, _("Published: staff are asked to read it.")),
    }
    if action not in steps:
        raise Http404
    service, done = steps[action]
    return _act(request, lambda: service(actor=request.user, version=version), done, standard_id)


@require_POST
@require(VIEW)
def acknowledge(request: AuthenticatedHttpRequest, standard_id: int) -> HttpResponse:
    standard = get_object_or_404(Standard, pk=standard_id)
    version = standard.versions.filter(status=Status.PUBLISHED).first()
    if version is None:
        raise Http404
    return _act(
        request,
        lambda: services.acknowledge(actor=request.user, version=version),
        _("Thank you: your acknowledgement is recorded."),
        standard_id,
    )


@require_POST
@require(VIEW, "standards.request_revision")
def request_revision(request: AuthenticatedHttpRequest, standard_id: int) -> HttpResponse:
    standard = get_object_or_404(Standard, pk=standard_id)
    form = RevisionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.raise_revision_request(
                actor=request.user,
                standard_id=standard.pk,
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Your request was sent to the standard's owner."))
            return HttpResponseRedirect(reverse("standards:detail", args=[standard.pk]))
    context = {"standard": standard, "request_form": form}
    return render(request, "standards/request_form.html", context, status=400)


@require_POST
@require(VIEW, MANAGE)
def resolve_request(
    request: AuthenticatedHttpRequest, standard_id: int, request_id: int
) -> HttpResponse:
    found = get_object_or_404(RevisionRequest, pk=request_id, standard_id=standard_id)
    accepted = request.POST.get("decision") == "accept"
    return _act(
        request,
        lambda: services.resolve_revision_request(
            actor=request.user,
            request=found,
            accepted=accepted,
            answer=request.POST.get("answer", ""),
        ),
        _("Request answered."),
        standard_id,
    )


@require(VIEW, "standards.view_acknowledgements")
def acknowledgements(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The manager's view: the share of each published version acknowledged, per team, and
    each person's unread list (of one unit with `?unit=`)."""
    raw = request.GET.get("unit", "")
    unit_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
    found = selectors.reading()
    context = {
        "shares": found.shares,
        "teams": found.teams(),
        "people": found.people if unit_id is None else found.people_of(unit_id),
        "unit_id": unit_id,
        "manager": _may_manage(request),
    }
    return render(request, "standards/acknowledgements.html", context)


@require_POST
@require(VIEW, MANAGE)
def remind(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(StandardVersion, pk=version_id, status=Status.PUBLISHED)
    services.request_reminders(version=version)
    messages.success(request, _("Reminders are on their way to those who have not read it."))
    return HttpResponseRedirect(reverse("standards:acknowledgements"))
