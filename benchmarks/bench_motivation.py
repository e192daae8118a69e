"""Motivation KPIs at volume: compliance and KPI computation for 500 employees x 12 months over
1,000,000 cases and 100,000 reviews (scale 1; `--scale 0.01` for a quick run).

  batched       - the registered KPI sources `first_response_sla`, `compliance` and
                  `critical_breaches` (kliento.motivation.sources, reading desk and quality
                  selectors) for every employee, month by month, through `KpiSource.values`
                  (one grouped query per source and month);
  statement run - `calculate_many`: every employee's statement lines month by month for a
                  scheme of those three KPIs with a percent rule, an amount rule, a per-breach
                  penalty and both caps (KPI values, breach findings, attainment, money);
  one at a time - the same KPI values one employee-month at a time, as one statement reads
                  them, for 50 of the employees (timed once, extrapolated to all, and checked
                  equal to the batched values);
  bare aggregate - the baseline: the same figures for every employee-month at once, in three
                  GROUP BY queries over the same rows (cases, evaluations, item results).

The data (generated in SQL, never row by row, stored in time order as a desk and a review
queue record it): `employees` agents, each case assigned to one of them and created in 2025
with a first-response due time one hour after opening and 80 % answered in time; reviews of a
four-item checklist (one critical item) spread over the same year, 10 % with a failed critical
item and a tenth of those marked "the standard did not work".

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        uv run python benchmarks/bench_motivation.py --scale 1
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

import harness

YEAR = 2025
SAMPLE = 50  # employees whose KPIs are also computed one employee-month at a time
PREFIX = "bench-motivation-"


@contextlib.contextmanager
def database() -> Iterator[None]:
    with harness.throwaway_database() as url:
        harness.setup_django(url)
        from django.core.management import call_command

        from kliento.clients.demo import scale as scaled
        from kliento.core.roles import sync_roles

        call_command("migrate", interactive=False, verbosity=0)
        sync_roles()
        scaled.load_scale(scaled.ScaleSpec(1_000, 0, 1))
        yield


def _staff(count: int) -> list[int]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    made = user_model.objects.bulk_create(
        [user_model(username=f"{PREFIX}{i}", is_active=True) for i in range(count)]
    )
    return [u.pk for u in made]


def _checklist(owner_id: int) -> list[tuple[int, bool]]:
    from django.contrib.auth import get_user_model

    from kliento.quality import services

    owner = get_user_model().objects.get(pk=owner_id)
    checklist = services.create_checklist(
        actor=owner, name=f"{PREFIX}review", area_kind="employee", owner=owner
    )
    draft = checklist.versions.get()
    for i in range(4):
        services.add_item(actor=owner, version=draft, text=f"Item {i}", critical=i == 0)
    services.publish_version(actor=owner, version=draft)
    return [(item.pk, item.critical) for item in draft.items.order_by("position")]


def load(cases: int, reviews: int, employees: int) -> dict[str, float | int]:
    import _desk_data as d
    from django.db import connection, transaction

    from kliento.desk.models import Case
    from kliento.quality.models import Evaluation, ItemResult

    started = time.perf_counter()
    staff = _staff(employees)
    items = _checklist(staff[0])
    version_id = Evaluation._meta.get_field("version").related_model.objects.get().pk
    sql = d._Sql(connection.vendor)
    year_start = f"TIMESTAMPTZ '{YEAR}-01-01 00:00:00+00'" if sql.pg else f"'{YEAR}-01-01 00:00:00'"
    i = "g.i"
    with transaction.atomic(), connection.cursor() as cursor:
        d._map_table(cursor, "bench_agent", staff)
        d._map_table(cursor, "bench_client", None, "SELECT id FROM clients_client")
        cursor.execute("SELECT COUNT(*) FROM bench_client")
        n_clients = cursor.fetchone()[0]
        created = sql.plus(year_start, d._h(i, d.H_AGE, 364 * 86400))
        late = f"({d._h(i, d.H_DUE, 100)} < 20)"
        d._insert(
            cursor,
            Case,
            {
                "id": i,
                "number": sql.number(i),
                "subject": f"'{PREFIX}case'",
                "client_id": "cl.id",
                "channel": "'email'",
                "kind": "'question'",
                "status": "'closed'",
                "priority": "'normal'",
                "assignee_id": "ag.id",
                "created_at": created,
                "updated_at": created,
                "first_response_due_at": sql.plus(created, "3600"),
                "first_response_at": f"CASE WHEN {late} THEN {sql.plus(created, '7200')} "
                f"ELSE {sql.plus(created, '1800')} END",
                "reopened_count": "0",
                "escalation_level": "0",
            },
            f"{sql.series(cases)} JOIN bench_client cl ON cl.n = {d._h(i, d.H_CLIENT, n_clients)}"
            f" JOIN bench_agent ag ON ag.n = {i} % {employees} ORDER BY {created}",
        )
        when = sql.plus(year_start, d._h(i, d.H_STATUS, 364 * 86400))
        critical = f"({d._h(i, d.H_TEAM, 100)} < 10)"
        d._insert(
            cursor,
            Evaluation,
            {
                "id": i,
                "version_id": str(version_id),
                "kind": "'review'",
                "status": "'completed'",
                "employee_id": "ag.id",
                "performed_at": when,
                "completed_at": when,
                "created_at": when,
                "score": f"CASE WHEN {critical} THEN 0 ELSE {d._h(i, d.H_MSGS, 41)} + 60 END",
                "critical_failed": f"{critical}",
                "summary": "''",
                "exemplary": "false" if sql.pg else "0",
                "exemplary_note": "''",
            },
            f"{sql.series(reviews)} JOIN bench_agent ag ON ag.n = {i} % {employees} "
            f"ORDER BY {when}",
        )
        for n, (item_id, is_critical) in enumerate(items):
            failed = critical if is_critical else f"({d._h(i, d.H_ASSIGN + n, 100)} < 15)"
            protected = f"({(is_critical and 1) or 0} = 1 AND {d._h(i, d.H_DUE + 3, 10)} = 0)"
            d._insert(
                cursor,
                ItemResult,
                {
                    "evaluation_id": i,
                    "item_id": str(item_id),
                    "outcome": f"CASE WHEN {failed} THEN 'fail' ELSE 'pass' END",
                    "note": "''",
                    "standard_did_not_work": f"({failed} AND {protected})",
                    "recorded_at": when,
                },
                f"{sql.series(reviews)} JOIN bench_agent ag ON ag.n = {i} % {employees} "
                f"ORDER BY {when}",
            )
        if sql.pg:
            for table in ("desk_case", "quality_evaluation", "quality_itemresult"):
                cursor.execute(f"ANALYZE {table}")
    return {"seconds": time.perf_counter() - started, "staff": len(staff)}


def _scheme(owner_id: int, keys: tuple[str, ...]) -> Any:
    """A monthly scheme on the three KPIs with a percent rule, an amount rule, a per-breach
    penalty and both caps, built through the services as a manager would."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from kliento.motivation.services import schemes

    owner = get_user_model().objects.get(pk=owner_id)
    scheme = schemes.create_scheme(
        actor=owner,
        name=f"{PREFIX}scheme",
        period="month",
        base_bonus=Decimal("1000"),
        currency="PLN",
        role="agent",
        max_bonus=Decimal("600"),
        max_penalty=Decimal("300"),
    )
    kpis = [
        schemes.add_kpi(
            actor=owner, scheme=scheme, source=key, target=Decimal(t), threshold=Decimal(h)
        )
        for key, t, h in zip(keys, ("90", "95", "0"), ("70", "80", "3"), strict=True)
    ]
    schemes.add_rule(
        actor=owner,
        scheme=scheme,
        name="SLA",
        kind="percent",
        kpi_id=kpis[0].pk,
        comparison="gte",
        value=Decimal("80"),
        percent=Decimal("30"),
    )
    schemes.add_rule(
        actor=owner,
        scheme=scheme,
        name="Compliance",
        kind="amount",
        kpi_id=kpis[1].pk,
        comparison="gte",
        value=Decimal("85"),
        amount=Decimal("400"),
    )
    schemes.add_rule(
        actor=owner,
        scheme=scheme,
        name="Breaches",
        kind="per_breach",
        amount=Decimal("-50"),
        cap=Decimal("250"),
    )
    return scheme


def months() -> list[tuple[dt.date, dt.date]]:
    out = []
    for m in range(1, 13):
        start = dt.date(YEAR, m, 1)
        end = (dt.date(YEAR + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)
        out.append((start, end))
    return out


def main() -> int:
    args = harness.arguments(__doc__.split("\n\n")[0])
    scale = args.scale
    cases = max(1_000, round(1_000_000 * scale))
    reviews = max(100, round(100_000 * scale))
    employees = 500 if scale >= 0.05 else 50
    os.environ.setdefault("TZ", "UTC")
    with database():
        from django.contrib.auth import get_user_model
        from django.db.models import Avg, Count, F, Q
        from django.db.models.functions import TruncMonth
        from django.utils import timezone

        from kliento.desk.models import Case
        from kliento.motivation import sources
        from kliento.quality.models import Evaluation, ItemResult

        print(f"loading {cases:,} cases and {reviews:,} reviews for {employees} employees …")
        loaded = load(cases, reviews, employees)
        print(f"loaded in {loaded['seconds']:.1f} s on {harness.database_label()}")
        staff = list(
            get_user_model()
            .objects.filter(username__startswith=PREFIX)
            .values_list("pk", flat=True)
        )
        periods = months()
        from kliento.motivation.calculate import calculate_many
        from kliento.motivation.registry import kpi_sources

        keys = (sources.FIRST_RESPONSE_SLA, sources.COMPLIANCE, sources.CRITICAL_BREACHES)
        scheme = _scheme(staff[0], keys)

        sample = staff[:SAMPLE]

        def per_employee() -> dict[tuple[int, int, str], object]:
            out: dict[tuple[int, int, str], object] = {}
            with timezone.override(dt.UTC):
                for employee in sample:
                    for m, (start, end) in enumerate(periods):
                        for key in keys:
                            out[employee, m, key] = kpi_sources.get(key).compute(
                                employee, start, end
                            )
            return out

        def batched() -> dict[tuple[int, int, str], object]:
            out: dict[tuple[int, int, str], object] = {}
            with timezone.override(dt.UTC):
                for m, (start, end) in enumerate(periods):
                    for key in keys:
                        for employee, value in (
                            kpi_sources.get(key).values(staff, start, end).items()
                        ):
                            out[employee, m, key] = value
            return out

        def statement_run() -> int:
            lines = 0
            with timezone.override(dt.UTC):
                for start, end in periods:
                    for result in calculate_many(scheme, staff, start, end).values():
                        lines += len(result.lines)
            return lines

        def bare_aggregate() -> int:
            rows = 0
            cases_by = (
                Case.objects.filter(first_response_due_at__isnull=False)
                .annotate(month=TruncMonth("created_at", tzinfo=dt.UTC))
                .values("assignee_id", "month")
                .annotate(
                    counted=Count("id"),
                    within=Count("id", filter=Q(first_response_at__lte=F("first_response_due_at"))),
                )
            )
            rows += len(list(cases_by))
            evaluations = (
                Evaluation.objects.filter(status="completed")
                .annotate(month=TruncMonth("performed_at", tzinfo=dt.UTC))
                .values("employee_id", "month")
                .annotate(mean=Avg("score"), n=Count("id"))
            )
            rows += len(list(evaluations))
            breaches = (
                ItemResult.objects.filter(
                    outcome="fail", item__critical=True, standard_did_not_work=False
                )
                .annotate(month=TruncMonth("evaluation__performed_at", tzinfo=dt.UTC))
                .values("evaluation__employee_id", "month")
                .annotate(n=Count("id"))
            )
            rows += len(list(breaches))
            return rows

        # The batched sources must answer exactly what one employee-month at a time answers.
        started = time.perf_counter()
        one_by_one = per_employee()
        single = harness.Timing.single((time.perf_counter() - started) * 1000)
        if {k: v for k, v in batched().items() if k[0] in set(sample)} != one_by_one:
            print("batched KPI values differ from the per-employee ones", file=sys.stderr)
            return 1
        repeat = 3 if scale >= 0.5 else 5
        timings = harness.compare(
            {"batched": batched, "statement run": statement_run, "bare": bare_aggregate},
            repeat=repeat,
            warmup=1,
        )
        cells = len(staff) * 12
        print(
            f"\nKPIs for {len(staff)} employees x 12 months over {cases:,} cases and "
            f"{reviews:,} reviews"
        )
        print(__doc__.split("\n\n")[1].rstrip() + "\n")
        harness.report(
            bench="motivation",
            case=f"{len(staff)} employees x 12 months, 3 KPI sources, batched per month",
            value=timings["batched"],
            baseline=timings["bare"],
            baseline_name="bare GROUP BY aggregate",
        )
        harness.report(
            bench="motivation",
            case=f"statement run (3 KPIs, 3 rules, caps), {cells:,} employee-months",
            value=timings["statement run"],
            baseline=timings["bare"],
            baseline_name="bare GROUP BY aggregate",
        )
        per_cell = single.median / (len(sample) * 12)
        harness.report(
            bench="motivation",
            case=f"the same KPIs one employee-month at a time, {len(sample)} employees x 12 "
            "months (a single run)",
            value=single,
            note=f"{per_cell:.2f} ms per employee-month; x {cells:,} employee-months "
            f"= {per_cell * cells / 1000:.0f} s, {per_cell * cells / timings['bare'].median:.0f}x "
            "the bare aggregate",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
