"""Compliance over a year: 500 employees, 12 months, 100,000 completed evaluations (scale 1;
1,000,000 item results) against one ten-item checklist (`--scale 0.01` for a quick run).

  by employee   — `selectors.compliance_by(by="employee", …)`: mean score, item counts,
                  critical failures and protected findings per employee, in two grouped queries;
  trend         — `selectors.compliance_trend(…)`: the same figures company-wide, month by month;
  one employee  — `selectors.compliance(employee_id=…)` for one employee over the year (what a
                  card or a KPI reads), for the median employee;
  bare          — one bare aggregate of the same item rows per employee (passed / applicable),
                  the floor any compliance figure must pay; the baseline.

The data is generated in SQL (INSERT … SELECT over a series, never row by row): evaluations
spread over the 360 days before today, item outcomes 5 % not applicable and otherwise 90 % met
(the critical item 97 %), a tenth of the critical failures marked "the standard did not work",
and every evaluation's score and critical flag set by one UPDATE from its item rows by the rule
of kliento.quality.scoring (weighted share of the applicable items met, 0 on a critical
failure). The per-employee share of items met must equal the bare query's, and the stored
scores must equal `scoring.score` on a sample; the script exits non-zero when they do not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import time
from collections.abc import Iterator

import harness

EMPLOYEES = 500
MONTHS = 12
ITEMS = 10
NAME = "bench-quality-checklist"
PREFIX = "bench-quality-"


@contextlib.contextmanager
def database() -> Iterator[None]:
    """A throw-away database of its own: compliance reads no clients, so the scaled client
    data `bench_database` would load is not needed."""
    with harness.throwaway_database() as url:
        harness.setup_django(url)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        yield


def build(evaluations: int) -> float:
    import _desk_data as d
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from kliento.quality.models import (
        Checklist,
        ChecklistItem,
        ChecklistVersion,
        Evaluation,
        ItemResult,
    )

    started = time.perf_counter()
    User = get_user_model()
    owner = User.objects.create(username=f"{PREFIX}owner")
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
    staff = [
        u.pk
        for u in User.objects.bulk_create(User(username=f"{PREFIX}{i}") for i in range(EMPLOYEES))
    ]
    sql = d._Sql(connection.vendor)
    since = (timezone.now() - dt.timedelta(days=361)).astimezone(dt.UTC)
    base = (
        f"TIMESTAMPTZ '{since:%Y-%m-%d %H:%M:%S}+00'" if sql.pg else f"'{since:%Y-%m-%d %H:%M:%S}'"
    )
    i = "g.i"
    when = sql.plus(base, d._h(i, d.H_AGE, 360 * 86400))
    series = f"{sql.series(evaluations)} JOIN bench_agent ag ON ag.n = {i} % {EMPLOYEES}"
    with transaction.atomic(), connection.cursor() as cursor:
        d._map_table(cursor, "bench_agent", staff)
        d._insert(
            cursor,
            Evaluation,
            {
                "id": i,
                "version_id": str(version.pk),
                "kind": "'audit'",
                "status": "'completed'",
                "employee_id": "ag.id",
                "performed_at": when,
                "completed_at": when,
                "created_at": when,
                "critical_failed": "false" if sql.pg else "0",
                "summary": "''",
                "exemplary": "false" if sql.pg else "0",
                "exemplary_note": "''",
            },
            series,
        )
        for n, item in enumerate(items):
            na = f"({d._h(i, d.H_STATUS + n, 100)} < 5)"
            failed = f"({d._h(i, d.H_ASSIGN + n, 100)} < {3 if item.critical else 10})"
            protected = f"({failed} AND {int(item.critical)} = 1 AND {d._h(i, d.H_DUE, 10)} = 0)"
            d._insert(
                cursor,
                ItemResult,
                {
                    "evaluation_id": i,
                    "item_id": str(item.pk),
                    "outcome": f"CASE WHEN {na} THEN 'na' WHEN {failed} THEN 'fail' "
                    "ELSE 'pass' END",
                    "note": "''",
                    "standard_did_not_work": protected,
                    "recorded_at": when,
                },
                series,
            )
        # The scoring rule, set-based: weights of the applicable items and of those met.
        cursor.execute(
            f"""
            UPDATE quality_evaluation SET
                critical_failed = s.critical_failed,
                score = CASE WHEN s.applicable = 0 THEN NULL
                             WHEN s.critical_failed THEN 0
                             ELSE ROUND(100.0 * s.passed / s.applicable, 2) END
            FROM (
                SELECT r.evaluation_id,
                       SUM(CASE WHEN r.outcome <> 'na' THEN it.weight ELSE 0 END) AS applicable,
                       SUM(CASE WHEN r.outcome = 'pass' THEN it.weight ELSE 0 END) AS passed,
                       {"BOOL_OR" if sql.pg else "MAX"}(r.outcome = 'fail' AND it.critical)
                           AS critical_failed
                FROM quality_itemresult r
                JOIN quality_checklistitem it ON it.id = r.item_id
                GROUP BY r.evaluation_id
            ) s
            WHERE s.evaluation_id = quality_evaluation.id
            """
        )
        if sql.pg:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('quality_evaluation', 'id'), "
                "(SELECT MAX(id) FROM quality_evaluation))"
            )
            for table in ("quality_evaluation", "quality_itemresult"):
                cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


def _scores_agree(sample: int = 200) -> bool:
    """The SQL scoring matches `scoring.score` (the one place the rule lives)."""
    from kliento.quality.models import Evaluation
    from kliento.quality.scoring import Line, score

    for evaluation in Evaluation.objects.order_by("id")[:sample].prefetch_related("results__item"):
        result = score(
            Line(r.item.weight, r.item.critical, r.outcome) for r in evaluation.results.all()
        )
        if (result.value, result.critical_failed) != (
            evaluation.score,
            evaluation.critical_failed,
        ):
            print(f"evaluation {evaluation.pk}: {result} vs {evaluation.score}", file=sys.stderr)
            return False
    return True


def main() -> int:
    args = harness.arguments(__doc__.split("\n\n")[0])
    evaluations = max(1_000, round(100_000 * args.scale))
    with database():
        print(f"loading {evaluations:,} evaluations ({evaluations * ITEMS:,} item results) …")
        seconds = build(evaluations)
        print(f"loaded in {seconds:.1f} s on {harness.database_label()}")
        if not _scores_agree():
            print("the scores generated in SQL differ from scoring.score", file=sys.stderr)
            return 1
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

        from django.contrib.auth import get_user_model

        median_employee = (
            get_user_model().objects.filter(username=f"{PREFIX}{EMPLOYEES // 2}").get().pk
        )

        def one_employee() -> object:
            return selectors.compliance(start=start, end=end, employee_id=median_employee)

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
            f"({evaluations:,} evaluations), on {harness.database_label()}"
        )
        print(__doc__.split("\n\n", 1)[1].rstrip() + "\n")
        timings = harness.compare(
            {
                "by employee": by_employee,
                "trend": trend,
                "one employee": one_employee,
                "bare": bare,
            },
            repeat=max(3, args.repeat // 5),
        )
        for name in ("by employee", "trend", "one employee"):
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
