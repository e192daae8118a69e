"""Reads of the processes app: definitions, a client's runs with their progress, and what is
overdue. Overdue is decided when read (due time against now), so nothing in the background has
to keep a flag true; only the notice to the owner is sent by a task."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from kliento.clients import selectors as clients
from kliento.processes.models import ProcessDefinition, ProcessRun, ProcessVersion, RunStep

OVERDUE_SHOWN = 200


def definitions() -> QuerySet[ProcessDefinition]:
    """Every process with a published version, by name, with its current version."""
    return (
        ProcessDefinition.objects.filter(current__isnull=False)
        .select_related("current")
        .annotate(
            step_count=Count("current__steps", distinct=True),
            running=Count(
                "versions__runs", filter=Q(versions__runs__completed_at=None), distinct=True
            ),
        )
    )


def definition(pk: int) -> ProcessDefinition:
    return ProcessDefinition.objects.select_related("current").get(pk=pk, current__isnull=False)


def versions_of(definition_id: int) -> QuerySet[ProcessVersion]:
    return (
        ProcessVersion.objects.filter(definition_id=definition_id)
        .select_related("published_by")
        .prefetch_related("steps")
        .annotate(run_count=Count("runs"))
    )


def _runs() -> QuerySet[ProcessRun]:
    return (
        ProcessRun.objects.select_related("version", "owner")
        .annotate(
            step_count=Count("steps", distinct=True),
            done_count=Count("steps", filter=Q(steps__state=RunStep.State.DONE), distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=RunStep.objects.filter(
                    state__in=[RunStep.State.OPEN, RunStep.State.REVIEW]
                ).select_related("template"),
                to_attr="current_steps",
            )
        )
    )


def runs_of(client_id: int, *, running_only: bool = False) -> QuerySet[ProcessRun]:
    """A client's runs, newest first, each with `step_count`, `done_count` and
    `current_steps` (the open step or the one awaiting sign-off; none when complete)."""
    runs = _runs().filter(client_id=client_id)
    return runs.filter(completed_at__isnull=True) if running_only else runs


RUNNING_SHOWN = 200


def running_of(definition_id: int, *, shown: int = RUNNING_SHOWN) -> list[tuple[ProcessRun, str]]:
    """Where each client is in a process: its running runs (any version), oldest first, with
    the client's name."""
    runs = list(
        _runs()
        .filter(version__definition_id=definition_id, completed_at__isnull=True)
        .order_by("started_at", "id")[:shown]
    )
    names = {
        pk: label.name for pk, label in clients.client_labels({r.client_id for r in runs}).items()
    }
    return [(r, names.get(r.client_id, "")) for r in runs]


def run(run_id: int) -> ProcessRun:
    return _runs().select_related("started_by").get(pk=run_id)


def steps_of(run_id: int) -> QuerySet[RunStep]:
    return RunStep.objects.filter(run_id=run_id).select_related(
        "template", "completed_by", "reviewed_by"
    )


def step_of_run(run_id: int, step_id: int) -> RunStep:
    """The step, only if it belongs to that run (else DoesNotExist: a 404)."""
    return steps_of(run_id).get(pk=step_id)


# ---------------------------------------------------------------------------------------------
# Overdue


def overdue_steps_q(now: dt.datetime) -> Q:
    return Q(state=RunStep.State.OPEN, due_at__lt=now)


def overdue_reviews_q(now: dt.datetime) -> Q:
    return Q(state=RunStep.State.REVIEW, review_due_at__lt=now)


@dataclass(frozen=True)
class OverdueRow:
    step: RunStep
    client_name: str
    kind: str  # "step" or "control_point"
    due_at: dt.datetime
    late_by: dt.timedelta

    @property
    def late_days(self) -> int:
        """Whole days late; a step late by less than a day is "0 days" late."""
        return self.late_by.days


@dataclass(frozen=True)
class Overdue:
    steps: list[OverdueRow]
    control_points: list[OverdueRow]
    step_total: int
    control_point_total: int

    @property
    def total(self) -> int:
        return self.step_total + self.control_point_total


def overdue(*, now: dt.datetime | None = None, shown: int = OVERDUE_SHOWN) -> Overdue:
    """Open steps past their due time and control points past their sign-off time, the
    latest first (the longest overdue at the top), the first `shown` of each."""
    now = now or timezone.now()
    base = RunStep.objects.select_related("template", "run__version", "run__owner").filter(
        run__completed_at__isnull=True
    )
    late_steps = base.filter(overdue_steps_q(now)).order_by("due_at", "pk")
    late_reviews = base.filter(overdue_reviews_q(now)).order_by("review_due_at", "pk")
    steps, reviews = list(late_steps[:shown]), list(late_reviews[:shown])
    names = {
        pk: label.name
        for pk, label in clients.client_labels({s.run.client_id for s in steps + reviews}).items()
    }

    def row(step: RunStep, kind: str) -> OverdueRow:
        due = step.due_at if kind == "step" else step.review_due_at
        assert due is not None  # the filters above require it
        return OverdueRow(step, names.get(step.run.client_id, ""), kind, due, now - due)

    return Overdue(
        steps=[row(s, "step") for s in steps],
        control_points=[row(s, "control_point") for s in reviews],
        step_total=late_steps.count() if len(steps) == shown else len(steps),
        control_point_total=late_reviews.count() if len(reviews) == shown else len(reviews),
    )
