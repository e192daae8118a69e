"""Compliance over a year: 500 employees, 12 months, two completed evaluations each per month
(12,000 evaluations, 120,000 item results) against one ten-item checklist.

  by employee   — `selectors.compliance_by(by="employee", …)`: mean score, item counts,
                  critical failures and protected findings per employee, in two grouped queries;
  trend         — `selectors.compliance_trend(…)`: the same figures company-wide, month by month;
  bare          — one bare aggregate of the same item rows per employee (passed / applicable),
                  the floor any compliance figure must pay; the baseline.

The per-employee share of items met must equal the bare query's; the script exits non-zero when
it does not.
"""

from __future__ import annotations

import datetime as dt
import random
import sys

import harness

EMPLOYEES = 500
MONTHS = 12
PER_MONTH = 2
ITEMS = 10
NAME = "bench-quality-checklist"


def build() -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kliento.quality.models import (
        Checklist,
        ChecklistItem,
        ChecklistVersion,
        Evaluation,
        ItemResult,
    )
    from kliento.quality.scoring import Line, score

    if Checklist.objects.filter(name=NAME).exists():
        return
    rng = random.Random(11)
    User = get_user_model()
    owner = User.objects.create(username="bench-quality-owner")
    checklist = Checklist.objects.create(name=NAME, area_kind="employee", owner=owner)
    version = ChecklistVersion.objects.create(
        checklist=checklist, number=1, status="published", published_at=timezone.now()
    )
    items = ChecklistItem.objects.bulk_create(
        ChecklistItem(
            version=version, position=i, text=f"Item {i}", weight=1 + i % 3, critical=i == 0
        )
        for i in range(ITEMS)
    )
    users = User.objects.bulk_create(
        [User(username=f"bench-quality-{i}") for i in range(EMPLOYEES)]
    )
    now = timezone.now()
    for month in range(MONTHS):
        evaluations, outcomes = [], []
        for user in users:
            for n in range(PER_MONTH):
                answers = [
                    "na" if rng.random() < 0.05 else ("pass" if rng.random() < 0.9 else "fail")
                    for _ in items
                ]
                if rng.random() < 0.97:
                    answers[0] = "pass"
                result = score(
                    Line(i.weight, i.critical, a) for i, a in zip(items, answers, strict=True)
                )
                evaluations.append(
                    Evaluation(
                        version=version,
                        kind="audit",
                        status="completed",
                        employee=user,
                        performed_at=now - dt.timedelta(days=30 * month + n + 1),
                        completed_at=now,
                        score=result.value,
                        critical_failed=result.critical_failed,
                    )
                )
                outcomes.append(answers)
        made = Evaluation.objects.bulk_create(evaluations, batch_size=2_000)
        ItemResult.objects.bulk_create(
            (
                ItemResult(evaluation=e, item=item, outcome=a)
                for e, answers in zip(made, outcomes, strict=True)
                for item, a in zip(items, answers, strict=True)
            ),
            batch_size=5_000,
        )
        print(f"  month {month + 1}/{MONTHS} loaded", flush=True)


def main() -> int:
    args = harness.arguments(__doc__.split("\n\n")[0])
    with harness.bench_database(args.scale, args.seed):
        build()
        from django.db.models import Count, Q
        from django.utils import timezone

        from kliento.quality import selectors
        from kliento.quality.models import ItemResult
        from kliento.quality.selectors.compliance import bounds

        end = timezone.localdate()
        start = end - dt.timedelta(days=365)
        low, high = bounds(start, end)

        def by_employee() -> dict[int, object]:
            return {
                k: v.item_rate
                for k, v in selectors.compliance_by(by="employee", start=start, end=end).items()
            }

        def trend() -> object:
            return selectors.compliance_trend(start=start, end=end)

        def bare() -> dict[int, object]:
            rows = (
                ItemResult.objects.filter(
                    evaluation__status="completed",
                    evaluation__performed_at__gte=low,
                    evaluation__performed_at__lt=high,
                )
                .values("evaluation__employee_id")
                .annotate(
                    passed=Count("id", filter=Q(outcome="pass")),
                    applicable=Count("id", filter=~Q(outcome="na")),
                )
            )
            return {r["evaluation__employee_id"]: (r["passed"], r["applicable"]) for r in rows}

        ours = selectors.compliance_by(by="employee", start=start, end=end)
        floor = bare()
        if {k: (v.passed_items, v.n_items) for k, v in ours.items()} != floor:
            print("compliance_by and the bare aggregate differ", file=sys.stderr)
            return 1
        print(
            f"\nCompliance, {EMPLOYEES} employees × {MONTHS} months "
            f"({EMPLOYEES * MONTHS * PER_MONTH:,} evaluations), on {harness.database_label()}"
        )
        print(__doc__.split("\n\n", 1)[1].rstrip() + "\n")
        timings = harness.compare(
            {"by employee": by_employee, "trend": trend, "bare": bare},
            repeat=max(3, args.repeat // 5),
        )
        for name in ("by employee", "trend"):
            harness.report(
                bench="quality",
                case=f"compliance {name}, {EMPLOYEES} employees × {MONTHS} months",
                value=timings[name],
                baseline=timings["bare"],
                baseline_name="bare aggregate",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
