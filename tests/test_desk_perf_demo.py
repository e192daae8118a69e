"""The service desk's demo: cases across channels, languages and statuses with their
conversations, team routing, loaded once; the desk's periodic jobs run after it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kliento.clients.demo import loader as clients_demo
from kliento.core.demo import DemoOptions
from kliento.core.demo_organisation import load_organisation
from kliento.core.schedule import PeriodicJob, periodic_jobs, register_periodic_job
from kliento.desk import demo, selectors
from kliento.desk.models import Call, Case, CaseEvent, Message, TeamRouting

pytestmark = pytest.mark.django_db


def _load(language: str = "en") -> list[str]:
    said: list[str] = []
    options = DemoOptions(clients=60, language=language, report=said.append)
    load_organisation(options)
    clients_demo.load(options)
    demo.load(options)
    return said


def _staff(username: str):
    return get_user_model().objects.get(username=username)


def test_demo_cases_cover_channels_languages_statuses_and_conversations():
    _load()
    cases = list(Case.objects.select_related("client"))
    assert len(cases) == demo.CASES
    assert {c.channel for c in cases} >= {
        "email",
        "phone",
        "web_form",
        "chat",
        "messenger",
        "social",
    }
    assert {c.client.language for c in cases} >= {"en", "ru", "uk", "pl"}
    assert {c.status for c in cases} == set(Case.Status.values)
    assert {m.direction for m in Message.objects.all()} == set(Message.Direction.values)
    assert Call.objects.filter(case__channel="phone").exists()
    assert Case.objects.filter(tags__isnull=False).exists()
    # A Ukrainian-speaking client wrote in Ukrainian and was answered in it.
    ukrainian = next(c for c in cases if c.client.language == "uk" and c.status == "closed")
    texts = [m.body_text for m in ukrainian.messages.exclude(direction="note")]
    scenario = next(s for s in demo.SCENARIOS if s.subject["uk"] == ukrainian.subject)
    assert texts[:2] == [scenario.question["uk"], scenario.reply["uk"]]


def test_demo_timestamps_are_spread_over_weeks_and_never_in_the_future():
    _load()
    now = timezone.now()
    opened = sorted(Case.objects.values_list("created_at", flat=True))
    assert opened[0] < now - dt.timedelta(days=14)
    assert opened[-1] > now - dt.timedelta(days=2)
    assert not Message.objects.filter(created_at__gt=now).exists()
    for case in Case.objects.filter(status__in=Case.DONE):
        assert case.resolved_at is not None and case.resolved_at < now - dt.timedelta(minutes=5)
        last = case.messages.order_by("-created_at").first()
        assert last is not None and case.resolved_at >= last.created_at
        assert case.events.filter(kind=CaseEvent.Kind.STATUS).latest("created_at").created_at <= now


def test_demo_front_desk_routes_round_robin_and_the_queues_show_cases():
    _load()
    routing = TeamRouting.objects.get()
    assert routing.strategy == TeamRouting.Strategy.ROUND_ROBIN
    front = Case.objects.filter(team=routing.team)
    assert {c.assignee.username for c in front} == {"olena", "jakub"}
    olena, marta, ewa = _staff("olena"), _staff("marta"), _staff("ewa")
    mine = selectors.queue_counts(olena)
    assert mine["mine"] > 0 and mine["all"] > 0 and mine["team"] > 0
    everyone = selectors.queue_counts(marta)
    for key in ("unassigned", "waiting", "all", "done"):
        assert everyone[key] > 0, key
        assert everyone[key] == selectors.queue_cases(marta, key).count()
    # The auditor reads every case too; the agent sees less than the manager.
    assert selectors.queue_counts(ewa)["all"] == everyone["all"]
    assert mine["all"] < everyone["all"]


def test_demo_loads_once_and_says_so():
    _load()
    counts = (Case.objects.count(), Message.objects.count(), CaseEvent.objects.count())
    said = _load()
    assert (Case.objects.count(), Message.objects.count(), CaseEvent.objects.count()) == counts
    assert any("already loaded" in line for line in said)


def test_demo_without_the_demo_staff_loads_nothing():
    said: list[str] = []
    demo.load(DemoOptions(report=said.append))
    assert not Case.objects.exists()
    assert any("missing" in line for line in said)


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def call(self, **kwargs):
        self.calls.append(kwargs)

    def enqueue(self, **kwargs):  # pragma: no cover - the scheduler's path, not the demo's
        raise AssertionError("the demo runs jobs in place")


def test_after_loading_the_desks_periodic_jobs_run_once_and_no_others():
    desk_task, other_task, broken = _Recorder(), _Recorder(), _Recorder()

    def fail(**kwargs):
        raise RuntimeError("not set up")

    broken.call = fail  # type: ignore[method-assign]
    jobs = [
        PeriodicJob("desk.test_sla", desk_task, dt.timedelta(minutes=1), {"limit": 5}),
        PeriodicJob("desk.test_broken", broken, dt.timedelta(minutes=1)),
        PeriodicJob("other.test_job", other_task, dt.timedelta(minutes=1)),
    ]
    for job in jobs:
        register_periodic_job(job)
    try:
        said = _load()
    finally:
        for job in jobs:
            periodic_jobs.unregister(job.key)
    assert desk_task.calls == [{"limit": 5}]
    assert other_task.calls == []
    # A failing job is logged and does not stop the demo.
    assert Case.objects.count() == demo.CASES
    assert any("desk.test_sla" in line and "desk.test_broken" not in line for line in said)
