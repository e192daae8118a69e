"""Training pages: the catalogue, sessions and attendance, one's record, the skills matrix and
the internal climate per team."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kliento.core.models import OrgUnit
from kliento.core.permissions import require
from kliento.core.richtext import render_markdown
from kliento.core.types import AuthenticatedHttpRequest
from kliento.team import selectors
from kliento.team.forms import AttendanceForm, CourseForm, SessionForm, apply
from kliento.team.models import Course, TrainingSession
from kliento.team.services import training

VIEW = "team.view_course"
MANAGE = "team.manage_training"
SKILLS = "team.view_skills"


@require(VIEW, writes=[MANAGE])
def course_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        course = apply(
            form,
            lambda: training.save_course(
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                materials=data["materials"],
            ),
        )
        if course is not None:
            return HttpResponseRedirect(reverse("team:course", args=[course.pk]))
    query = request.GET.get("q", "").strip()[:100]
    courses = (
        selectors.course_search(query, 500) if query else Course.objects.filter(is_active=True)
    )
    sections = [
        (label, [c for c in courses if c.kind == value]) for value, label in Course.Kind.choices
    ]
    context = {
        "sections": sections,
        "query": query,
        "form": form,
        "manager": request.user.has_perm(MANAGE),
    }
    return render(request, "team/courses.html", context, status=422 if form.errors else 200)


@require(VIEW, writes=[MANAGE])
def course_detail(request: AuthenticatedHttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(Course.objects.prefetch_related("competencies"), pk=course_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (
            apply(
                form,
                lambda: training.add_session(
                    actor=request.user,
                    course=course,
                    starts_at=data["starts_at"],
                    place=data["place"],
                    trainer=data["trainer"],
                ),
            )
            is not None
        ):
            messages.success(request, _("Session added."))
            return HttpResponseRedirect(reverse("team:course", args=[course.pk]))
    context = {
        "course": course,
        "materials": render_markdown(course.materials) if course.materials else "",
        "sessions": course.sessions.select_related("trainer"),
        "form": form,
        "manager": request.user.has_perm(MANAGE),
    }
    return render(request, "team/course.html", context, status=422 if form.errors else 200)


@require(VIEW, writes=[MANAGE])
def session_detail(request: AuthenticatedHttpRequest, training_session_id: int) -> HttpResponse:
    session = get_object_or_404(
        TrainingSession.objects.select_related("course"), pk=training_session_id
    )
    form = AttendanceForm(request.POST or None)
    recorded = (
        request.method == "POST"
        and form.is_valid()
        and apply(
            form,
            lambda: training.record_attendance(
                actor=request.user,
                session=session,
                employee=form.cleaned_data["employee"],
                status=form.cleaned_data["status"],
            ),
        )
        is not None
    )
    if recorded:
        return HttpResponseRedirect(reverse("team:session", args=[session.pk]))
    context = {
        "session": session,
        "attendances": session.attendances.select_related("employee").order_by(
            "employee__first_name"
        ),
        "form": form,
        "manager": request.user.has_perm(MANAGE),
    }
    return render(request, "team/session.html", context, status=422 if form.errors else 200)


@require(VIEW)
def my_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "team/record.html", {"record": selectors.training_record(request.user)})


@require(SKILLS)
def skills_matrix(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = list(selectors.teams())
    raw = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == raw), teams[0] if teams else None)
    matrix = selectors.skills_matrix(team) if isinstance(team, OrgUnit) else None
    return render(request, "team/matrix.html", {"teams": teams, "team": team, "matrix": matrix})


@require(SKILLS)
def climate(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "team/climate.html", {"surveys": selectors.climate()})
