"""Pages of calibration: the sessions, a reviewer's blind scorecard, the result with the
agreement between reviewers, and the facilitator's reference score."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import selectors as desk
from kliento.quality.forms_reviews import (
    ReferenceNoteForm,
    ScorecardForm,
    SessionForm,
    quality_staff,
)
from kliento.quality.selectors import reviews as found
from kliento.quality.services import calibration as services
from kliento.quality.views.reviews import _case_versions, _flat, _show_errors

PERFORM = "quality.perform_evaluations"


@require(PERFORM)
def sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    versions = _case_versions()
    form = SessionForm(request.POST or None, versions=versions, people=quality_staff())
    if request.method == "POST" and form.is_valid():
        chosen = next(v for v in versions if v.pk == form.cleaned_data["version"])
        try:
            session = services.create_session(
                actor=request.user,
                title=form.cleaned_data["title"],
                case_id=form.cleaned_data["case"],
                version=chosen,
                reviewer_ids=form.cleaned_data["reviewers"],
            )
        except ValidationError as error:
            for field, msgs in error.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            return HttpResponseRedirect(reverse("qareviews:session", args=[session.pk]))
    return render(
        request,
        "quality/reviews/sessions.html",
        {"sessions": found.sessions_for(request.user)[:100], "form": form},
    )


@require(PERFORM)
def session(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    item = found.session_for(request.user, session_id)
    if item is None:
        raise Http404
    seat = found.seat_of(request.user, item)
    items = item.version.items.order_by("position", "id")
    form = None
    reference_form = None
    if seat is not None and seat.submitted_at is None and item.status == item.Status.OPEN:
        form = ScorecardForm(request.POST or None, items=items)
        if request.method == "POST" and form.is_valid():
            try:
                services.submit_score(
                    actor=request.user,
                    session=item,
                    answers=form.answers(),
                    summary=form.cleaned_data["summary"],
                )
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("Scores submitted."))
                return HttpResponseRedirect(request.path)
    is_facilitator = request.user.pk == item.facilitator_id
    if is_facilitator and item.status == item.Status.CLOSED and item.reference_id is None:
        reference_form = ScorecardForm(items=items, summary=False)
    visible = found.may_see_scores(request.user, item)
    case = item.case
    return render(
        request,
        "quality/reviews/session.html",
        {
            "session": item,
            "seat": seat,
            "form": form,
            "reference_form": reference_form,
            "note_form": ReferenceNoteForm() if reference_form else None,
            "result": found.calibration_result(item) if visible else None,
            "submitted": item.seats.filter(submitted_at__isnull=False).count(),
            "seats": item.seats.select_related("reviewer"),
            "is_facilitator": is_facilitator,
            "case": case,
            "conversation": desk.conversation(case, notes=True) if form is not None else None,
        },
    )


@require_POST
@require(PERFORM)
def close(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    item = found.session_for(request.user, session_id)
    if item is None:
        raise Http404
    try:
        services.close_session(actor=request.user, session=item)
    except ValidationError as error:
        messages.error(request, _flat(error))
    return HttpResponseRedirect(reverse("qareviews:session", args=[item.pk]))


@require_POST
@require(PERFORM)
def reference(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    item = found.session_for(request.user, session_id)
    if item is None:
        raise Http404
    items = item.version.items.order_by("position", "id")
    form = ScorecardForm(request.POST, items=items, summary=False)
    note = ReferenceNoteForm(request.POST)
    if form.is_valid() and note.is_valid():
        try:
            services.record_reference(
                actor=request.user,
                session=item,
                answers=form.answers(),
                note=note.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, _flat(error))
        else:
            messages.success(request, _("Reference score recorded."))
    else:
        messages.error(request, _("Answer every item and say how the reference was agreed."))
    return HttpResponseRedirect(reverse("qareviews:session", args=[item.pk]))
