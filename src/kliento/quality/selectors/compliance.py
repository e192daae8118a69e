"""Compliance: how completed evaluations scored over a period, for any area.

Two figures, both over completed evaluations performed in the period:
- `score_mean`: the mean score of the evaluations that have a score (all-N/A ones have none);
- `item_rate`: the share of applicable items met (with `standard_id`, of that standard's items
  only — the compliance of one standard across every checklist that cites it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kliento.quality.models import Evaluation, ItemResult, Outcome

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Compliance:
    score_mean: Decimal | None
    n_evaluations: int
    n_scored: int
    zeroed: int  # evaluations a failed critical item set to 0
    n_items: int  # applicable items (met + not met)
    passed_items: int
    failed_items: int
    na_items: int
    critical_failures: int
    protected_findings: int  # marked "the standard did not work"

    @property
    def item_rate(self) -> Decimal | None:
        if not self.n_items:
            return None
        return (Decimal(100) * self.passed_items / self.n_items).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class MonthCompliance:
    month: dt.date
    compliance: Compliance


@dataclass(frozen=True)
class Finding:
    evaluation_id: int
    result_id: int
    kind: str
    performed_at: dt.datetime
    employee_id: int | None
    item_text: str
    standard_id: int | None
    standard_version_id: int | None
    critical: bool
    outcome: str
    note: str
    standard_did_not_work: bool
    revision_request_id: int | None


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Inclusive local dates as a half-open range of aware datetimes."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def completed() -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(status=Evaluation.Status.COMPLETED)


def _scope(
    *,
    start: dt.date | None,
    end: dt.date | None,
    employee_id: int | None = None,
    team_id: int | None = None,
    touchpoint_id: int | None = None,
    stage_id: int | None = None,
    standard_id: int | None = None,
    kinds: Sequence[str] | None = None,
) -> QuerySet[Evaluation]:
    found = completed()
    if start is not None and end is not None:
        low, high = bounds(start, end)
        found = found.filter(performed_at__gte=low, performed_at__lt=high)
    filters: dict[str, Any] = {
        "employee_id": employee_id,
        "team_id": team_id,
        "touchpoint_id": touchpoint_id,
        "stage_id": stage_id,
    }
    found = found.filter(**{k: v for k, v in filters.items() if v is not None})
    # A calibration session scores one case several times over to compare reviewers; counted
    # as control by default it would multiply that case's weight.
    found = found.filter(kind__in=list(kinds)) if kinds else found.exclude(kind="calibration")
    if standard_id is not None:
        found = found.filter(
            pk__in=ItemResult.objects.filter(item__standard_id=standard_id).values("evaluation_id")
        )
    return found


_ITEM_COUNTS = {
    "passed": Count("id", filter=Q(outcome=Outcome.PASS)),
    "failed": Count("id", filter=Q(outcome=Outcome.FAIL)),
    "na": Count("id", filter=Q(outcome=Outcome.NA)),
    "critical": Count("id", filter=Q(outcome=Outcome.FAIL, item__critical=True)),
    "protected": Count("id", filter=Q(standard_did_not_work=True)),
}
_EVALUATION_COUNTS = {
    "mean": Avg("score"),
    "n": Count("id"),
    "scored": Count("id", filter=Q(score__isnull=False)),
    "zeroed": Count("id", filter=Q(critical_failed=True)),
}


def _compliance(evaluations: dict[str, Any], items: dict[str, Any]) -> Compliance:
    mean = evaluations.get("mean")
    return Compliance(
        score_mean=None if mean is None else Decimal(mean).quantize(CENT, ROUND_HALF_UP),
        n_evaluations=evaluations.get("n") or 0,
        n_scored=evaluations.get("scored") or 0,
        zeroed=evaluations.get("zeroed") or 0,
        n_items=(items.get("passed") or 0) + (items.get("failed") or 0),
        passed_items=items.get("passed") or 0,
        failed_items=items.get("failed") or 0,
        na_items=items.get("na") or 0,
        critical_failures=items.get("critical") or 0,
        protected_findings=items.get("protected") or 0,
    )


def _items(scope: QuerySet[Evaluation], standard_id: int | None) -> QuerySet[ItemResult]:
    items = ItemResult.objects.filter(evaluation__in=scope)
    return items.filter(item__standard_id=standard_id) if standard_id is not None else items


def compliance(
    *,
    start: dt.date,
    end: dt.date,
    employee_id: int | None = None,
    team_id: int | None = None,
    touchpoint_id: int | None = None,
    stage_id: int | None = None,
    standard_id: int | None = None,
    kinds: Sequence[str] | None = None,
) -> Compliance:
    """Compliance of an area over the inclusive period [start, end] (local dates)."""
    scope = _scope(
        start=start,
        end=end,
        employee_id=employee_id,
        team_id=team_id,
        touchpoint_id=touchpoint_id,
        stage_id=stage_id,
        standard_id=standard_id,
        kinds=kinds,
    )
    return _compliance(
        scope.aggregate(**_EVALUATION_COUNTS),
        _items(scope, standard_id).aggregate(**_ITEM_COUNTS),
    )


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _month(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def compliance_trend(
    *,
    start: dt.date,
    end: dt.date,
    employee_id: int | None = None,
    team_id: int | None = None,
    touchpoint_id: int | None = None,
    stage_id: int | None = None,
    standard_id: int | None = None,
    kinds: Sequence[str] | None = None,
) -> list[MonthCompliance]:
    """`compliance` month by month (calendar months of the local time zone), every month of
    the period present, empty ones with zero evaluations."""
    scope = _scope(
        start=start,
        end=end,
        employee_id=employee_id,
        team_id=team_id,
        touchpoint_id=touchpoint_id,
        stage_id=stage_id,
        standard_id=standard_id,
        kinds=kinds,
    )
    zone = timezone.get_current_timezone()
    by_month: dict[dt.date, dict[str, Any]] = {
        _month(row["month"]): dict(row)
        for row in scope.annotate(month=TruncMonth("performed_at", tzinfo=zone))
        .values("month")
        .annotate(**_EVALUATION_COUNTS)
    }
    items_by_month: dict[dt.date, dict[str, Any]] = {
        _month(row["month"]): dict(row)
        for row in _items(scope, standard_id)
        .annotate(month=TruncMonth("evaluation__performed_at", tzinfo=zone))
        .values("month")
        .annotate(**_ITEM_COUNTS)
    }
    return [
        MonthCompliance(m, _compliance(by_month.get(m, {}), items_by_month.get(m, {})))
        for m in _months(start, end)
    ]


def _findings(results: QuerySet[ItemResult]) -> list[Finding]:
    rows = results.select_related("evaluation", "item").order_by(
        "evaluation__performed_at", "evaluation_id", "item__position"
    )
    return [
        Finding(
            evaluation_id=r.evaluation_id,
            result_id=r.pk,
            kind=r.evaluation.kind,
            performed_at=r.evaluation.performed_at,
            employee_id=r.evaluation.employee_id,
            item_text=r.item.text,
            standard_id=r.item.standard_id,
            standard_version_id=r.item.standard_version_id,
            critical=r.item.critical,
            outcome=r.outcome,
            note=r.note,
            standard_did_not_work=r.standard_did_not_work,
            revision_request_id=r.revision_request_id,
        )
        for r in rows
    ]


def _results_of(employee_id: int, start: dt.date, end: dt.date) -> QuerySet[ItemResult]:
    low, high = bounds(start, end)
    return ItemResult.objects.filter(
        evaluation__status=Evaluation.Status.COMPLETED,
        evaluation__employee_id=employee_id,
        evaluation__performed_at__gte=low,
        evaluation__performed_at__lt=high,
    )


def _results_of_many(
    employee_ids: Sequence[int], start: dt.date, end: dt.date
) -> QuerySet[ItemResult]:
    low, high = bounds(start, end)
    return ItemResult.objects.filter(
        evaluation__status=Evaluation.Status.COMPLETED,
        evaluation__employee_id__in=list(employee_ids),
        evaluation__performed_at__gte=low,
        evaluation__performed_at__lt=high,
    )


def _by_employee(findings: list[Finding]) -> dict[int, list[Finding]]:
    grouped: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.employee_id is not None:
            grouped.setdefault(finding.employee_id, []).append(finding)
    return grouped


def critical_breaches_by(
    *, employee_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, list[Finding]]:
    """`critical_breaches` of many employees in one query (employees with none are absent)."""
    return _by_employee(
        _findings(
            _results_of_many(employee_ids, start, end).filter(
                outcome=Outcome.FAIL, item__critical=True, standard_did_not_work=False
            )
        )
    )


def critical_breach_counts(
    *, employee_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, int]:
    """How many `critical_breaches` each employee has (one grouped count; those with none are
    absent): what a KPI needs, without building the findings."""
    rows = (
        _results_of_many(employee_ids, start, end)
        .filter(outcome=Outcome.FAIL, item__critical=True, standard_did_not_work=False)
        .values("evaluation__employee_id")
        .annotate(n=Count("id"))
    )
    return {r["evaluation__employee_id"]: r["n"] for r in rows}


def protected_findings_by(
    *, employee_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, list[Finding]]:
    return _by_employee(
        _findings(_results_of_many(employee_ids, start, end).filter(standard_did_not_work=True))
    )


def critical_breaches(*, employee_id: int, start: dt.date, end: dt.date) -> list[Finding]:
    """Critical items the employee's work did not meet in the period, except those marked
    "the standard did not work" (those raise a revision request instead of a penalty)."""
    return _findings(
        _results_of(employee_id, start, end).filter(
            outcome=Outcome.FAIL, item__critical=True, standard_did_not_work=False
        )
    )


def protected_findings(*, employee_id: int, start: dt.date, end: dt.date) -> list[Finding]:
    return _findings(_results_of(employee_id, start, end).filter(standard_did_not_work=True))


def evaluations_for_employee(
    *,
    employee_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kinds: Sequence[str] | None = None,
) -> QuerySet[Evaluation]:
    """The employee's completed evaluations (newest first), optionally in a period."""
    return _scope(start=start, end=end, employee_id=employee_id, kinds=kinds).select_related(
        "version__checklist"
    )


def last_control_date(
    *,
    employee_id: int | None = None,
    team_id: int | None = None,
    touchpoint_id: int | None = None,
    stage_id: int | None = None,
) -> dt.date | None:
    """The local date of the area's latest completed evaluation of any kind, or None."""
    given = {
        "employee_id": employee_id,
        "team_id": team_id,
        "touchpoint_id": touchpoint_id,
        "stage_id": stage_id,
    }
    chosen = {k: v for k, v in given.items() if v is not None}
    if len(chosen) != 1:
        raise ValueError("Name exactly one area")
    latest = completed().filter(**chosen).aggregate(latest=Max("performed_at"))["latest"]
    return timezone.localdate(latest) if latest is not None else None


def last_controls(field: str) -> dict[int, dt.datetime]:
    """The latest completed evaluation per area of one kind ("employee", "team", …)."""
    rows = (
        completed()
        .filter(**{f"{field}__isnull": False})
        .values(field)
        .annotate(latest=Max("performed_at"))
    )
    return {row[field]: row["latest"] for row in rows}


BY_FIELDS = {
    "touchpoint": "touchpoint_id",
    "stage": "stage_id",
    "team": "team_id",
    "employee": "employee_id",
}


def compliance_by(
    *,
    by: str,
    start: dt.date,
    end: dt.date,
    kinds: Sequence[str] | None = None,
    employee_ids: Sequence[int] | None = None,
    with_items: bool = True,
) -> dict[int, Compliance]:
    """`compliance` for every area of one kind ("touchpoint", "stage", "team", "employee" or
    "standard") that had a completed evaluation in the period, in two grouped queries;
    `employee_ids` narrows it to the evaluations of those people. `with_items=False` leaves out the
    item-result query (about ten times the rows) for readers of the scores alone: the item
    counts are then zero."""
    scope = _scope(start=start, end=end, kinds=kinds)
    if employee_ids is not None:
        scope = scope.filter(employee_id__in=list(employee_ids))
    if by == "standard":
        items = (
            ItemResult.objects.filter(evaluation__in=scope, item__standard__isnull=False)
            .values("item__standard_id")
            .annotate(**_ITEM_COUNTS)
        )
        evaluations = (
            scope.filter(results__item__standard__isnull=False)
            .values("results__item__standard_id")
            .annotate(
                mean=Avg("score"),
                n=Count("id", distinct=True),
                scored=Count("id", filter=Q(score__isnull=False), distinct=True),
                zeroed=Count("id", filter=Q(critical_failed=True), distinct=True),
            )
        )
        by_eval = {row["results__item__standard_id"]: dict(row) for row in evaluations}
        return {
            row["item__standard_id"]: _compliance(
                by_eval.get(row["item__standard_id"], {}), dict(row)
            )
            for row in items
        }
    field = BY_FIELDS[by]
    rows = scope.filter(**{f"{field}__isnull": False}).values(field).annotate(**_EVALUATION_COUNTS)
    if not with_items:
        return {row[field]: _compliance(dict(row), {}) for row in rows}
    item_rows = (
        ItemResult.objects.filter(evaluation__in=scope, **{f"evaluation__{field}__isnull": False})
        .values(f"evaluation__{field}")
        .annotate(**_ITEM_COUNTS)
    )
    items_by = {row[f"evaluation__{field}"]: dict(row) for row in item_rows}
    return {row[field]: _compliance(dict(row), items_by.get(row[field], {})) for row in rows}
