"""Demo data: profiles for the demo roles, a hiring round, two onboardings with mentors, a
training catalogue, and a refresher proposal raised by a drop in one agent's CSAT, all named and
written in the operator's language. Runs once: a second run finds the profiles and does
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.clients import selectors as clients
from kliento.core.demo import DemoOptions, Texts, pick
from kliento.surveys import selectors as surveys
from kliento.surveys.services import answering
from kliento.team import signals
from kliento.team.demo_texts import (
    AGENT_COMPETENCIES,
    AGENT_SUMMARY,
    COURSES,
    LEAD_COMPETENCIES,
    MANAGER_SUMMARY,
    MATERIALS,
    ONLINE,
    PLAN,
    PLAN_TITLE,
    ROOM,
    SIGNED_OFF,
    STAGE_OWNER_SUMMARY,
    STRONG_EXAMPLE,
    Competency,
)
from kliento.team.models import Attendance, IdealProfile, Stage
from kliento.team.services import hiring, onboarding, profiles, refresher, training

CANDIDATES = [
    ("Anna Kowalczyk", {0: 5, 1: 5, 2: 4, 3: 3, 4: 2, 5: 3, 6: 1}, Stage.TEST_TASK),
    ("Taras Hnatiuk", {0: 2, 1: 3, 2: 2, 3: 5, 4: 5, 5: 5, 6: 5}, Stage.INTERVIEW),
    ("Maria Lewandowska", {0: 4, 1: 4, 2: 5, 3: 4, 4: 3, 5: 2, 6: 4}, Stage.OFFER),
    ("Oleh Savchenko", {0: 3, 1: 4, 2: 3}, Stage.INTERVIEW),
]
# What each course builds, by position in the agents' competencies: product knowledge, the
# tools, care for clients, calm under pressure.
BUILDS = [[4], [5], [0], [2]]


def load(options: DemoOptions) -> None:
    if IdealProfile.objects.exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    boss = users.get("marta")
    if boss is None:
        return
    language = options.language

    def say(texts: Texts) -> str:
        return pick(texts, language)

    with transaction.atomic():
        agent = _profile(boss, "agent", say(AGENT_SUMMARY), AGENT_COMPETENCIES, say)
        _profile(boss, "stage_owner", say(STAGE_OWNER_SUMMARY), LEAD_COMPETENCIES, say)
        _profile(boss, "manager", say(MANAGER_SUMMARY), LEAD_COMPETENCIES, say)
        _hiring(boss, agent, [u for u in (boss, users.get("piotr")) if u], say)
        courses = _training(boss, users, say)
        _onboardings(boss, users, say)
    _refresher(boss, users, courses)
    options.report("Team: profiles, a hiring round, onboardings, courses and a refresher loaded.")


def _profile(
    boss: Any, role: str, summary: str, rows: list[Competency], say: Callable[[Texts], str]
) -> IdealProfile:
    profile = profiles.save_profile(actor=boss, role=role, summary=summary)
    for i, (name, group, attitude, by, how) in enumerate(rows):
        profiles.save_competency(
            actor=boss,
            profile=profile,
            name=say(name),
            group=group,
            is_attitude=attitude,
            description="",
            assessed_by=by,
            assessment=say(how),
            position=i,
        )
    return profile


def _hiring(
    boss: Any, profile: IdealProfile, interviewers: list[Any], say: Callable[[Texts], str]
) -> None:
    competencies = list(profile.competencies.order_by("position"))
    path = [Stage.INTERVIEW, Stage.TEST_TASK, Stage.OFFER]
    for name, scores, stage in CANDIDATES:
        email = name.lower().replace(" ", ".") + "@mail.example"
        candidate = hiring.create_candidate(actor=boss, profile=profile, name=name, email=email)
        for step in path[: path.index(stage) + 1]:
            candidate = hiring.move_candidate(actor=boss, candidate=candidate, to=step)
        for i, score in scores.items():
            for k, who in enumerate(interviewers):
                hiring.score_candidate(
                    interviewer=who,
                    candidate=candidate,
                    competency=competencies[i],
                    score=max(1, min(5, score - k % 2 * (i % 2))),
                    note=say(STRONG_EXAMPLE) if score >= 4 else "",
                )
    rejected = hiring.create_candidate(actor=boss, profile=profile, name="Piotr Nowicki")
    hiring.move_candidate(actor=boss, candidate=rejected, to=Stage.REJECTED)


def _training(boss: Any, users: dict[str, Any], say: Callable[[Texts], str]) -> list[Any]:
    now = timezone.now()
    agent = IdealProfile.objects.get(role="agent")
    competencies = list(agent.competencies.order_by("position").values_list("pk", flat=True))
    courses = []
    for (title, kind, text), builds in zip(COURSES, BUILDS, strict=True):
        course = training.save_course(
            actor=boss,
            title=say(title),
            kind=kind,
            description=say(text),
            materials=say(MATERIALS),
            competency_ids=[competencies[i] for i in builds],
        )
        courses.append(course)
        past = training.add_session(
            actor=boss,
            course=course,
            starts_at=now - dt.timedelta(days=40),
            place=say(ROOM),
            trainer=boss,
        )
        training.add_session(
            actor=boss,
            course=course,
            starts_at=now + dt.timedelta(days=10),
            place=say(ONLINE),
            trainer=boss,
        )
        for i, name in enumerate(("olena", "jakub", "iryna")):
            if name in users and (i + len(courses)) % 2 == 0:
                training.record_attendance(
                    actor=boss,
                    session=past,
                    employee=users[name],
                    status=Attendance.Status.ATTENDED,
                )
    return courses


def _onboardings(boss: Any, users: dict[str, Any], say: Callable[[Texts], str]) -> None:
    plan = onboarding.save_plan(actor=boss, role="agent", title=say(PLAN_TITLE))
    for title, kind, day in PLAN:
        onboarding.add_plan_checkpoint(plan=plan, title=say(title), kind=kind, due_day=day)
    today = timezone.localdate()
    pairs = [("jakub", "olena", 20), ("iryna", "piotr", 4)]
    for employee, mentor, days_ago in pairs:
        if employee not in users or mentor not in users:
            continue
        started = onboarding.start_onboarding(
            actor=boss,
            employee=users[employee],
            mentor=users[mentor],
            plan=plan,
            started_on=today - dt.timedelta(days=days_ago),
        )
        if days_ago > 10:
            shadow = started.checkpoints.get(kind="shadow")
            onboarding.sign_off(actor=users[mentor], checkpoint=shadow, note=say(SIGNED_OFF))


def _refresher(boss: Any, users: dict[str, Any], courses: list[Any]) -> None:
    """Jakub's CSAT over the last year falls against the year before: a few poor answers today
    on top of the surveys demo's history, then the check as of the end of today."""
    rule = refresher.save_rule(
        actor=boss,
        signal=signals.CSAT,
        threshold=40.0,
        drop=10.0,
        period_days=365,
        min_n=5,
        course=courses[2],
    )
    jakub = users.get("jakub")
    survey = surveys.active_surveys().filter(kind="csat").first()
    ids = clients.client_ids_after(0, limit=40)
    if jakub is None or survey is None or not ids:
        return
    question = survey.questions.order_by("position").first()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start, end, base_start, base_end = refresher.periods(rule, tomorrow)
    for client_id in ids:
        now = signals.csat([jakub.pk], start, end)
        before = signals.csat([jakub.pk], base_start, base_end)
        if refresher.judge(rule, now, before) is not None:
            break
        with transaction.atomic():
            answering.record_answers(
                actor=jakub,
                survey=survey,
                client_id=client_id,
                answers={str(question.pk): 2} if question else {},
                channel="phone",
            )
    refresher.run_refresher(today=tomorrow)
