"""The service desk at volume: queue counts, queue lists and the case page.

    uv run python benchmarks/bench_desk.py --scale 0.1            # 100,000 cases, ~1M messages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        uv run python benchmarks/bench_desk.py --scale 1           # 1M cases, ~10M messages

Scale 1 = 1,000,000 cases with ~10,000,000 messages and 2,000,000 history lines (see
_desk_data.py for the mix), on top of 100,000 x scale clients (or the clients run.py
loaded). Each case is timed in interleaved rounds against baselines measured in the same
run:

  queue counts    `selectors.queue_counts(user)` (capped at COUNT_CAP) for an agent and a manager
                  | bare SQL: the same statements on the raw cursor
                  | exact counts: every queue counted in full (what a plain `.count()` costs)
  queue list      `selectors.queue_page`: the first page (25 rows, with client, team and
                  assignee) of every queue
                  | bare SQL: the same statements on the raw cursor
                  | one query: `queue_cases(...).select_related(...)[:25]`, the obvious way
  case page       `case_for` + `conversation` + `history` of an 18-message case, as an agent
                  | bare SQL: the same statements on the raw cursor

Every call loads the user afresh (as a request does: the user, their permissions, their team),
so the permission lookups are part of the figure, and of the baseline's statements too.
`--explain` prints EXPLAIN ANALYZE of every statement (PostgreSQL). Nothing asserts on time; the
script says whether each p95 is within the issue's 50 ms.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import harness

PAGE = 25
TARGET_MS = 50.0


def ensure_data(scale: float, seed: int):
    import _desk_data
    from django.core.management import call_command

    from kliento.clients.demo import scale as scaled
    from kliento.core.roles import sync_roles

    call_command("migrate", interactive=False, verbosity=0)
    sync_roles()
    from kliento.clients.models import Client

    if not Client.objects.exists():
        clients = max(1_000, round(100_000 * min(scale, 1.0)))
        print(f"loading {clients:,} clients …", flush=True)
        scaled.load_scale(scaled.ScaleSpec(clients, 0, seed))
    cases = max(1_000, round(1_000_000 * scale))
    if not _desk_data.desk_loaded():
        print(f"loading {cases:,} cases …", flush=True)
        data = _desk_data.load_desk(cases, report=lambda line: print(line, flush=True))
        rows = data.cases + data.messages + data.events
        print(f"loaded in {data.seconds:.1f} s ({rows / data.seconds:,.0f} rows/s)", flush=True)
        harness.report(
            bench="desk",
            case=f"load {data.cases:,} cases, {data.messages:,} messages, {data.events:,} events",
            unit="s",
            value=harness.Timing.single(data.seconds),
            note=f"{rows / data.seconds:,.0f} rows/s, generate_series + index rebuild + ANALYZE",
        )
    return _desk_data.measured()


def captured(fn: Callable[[], object]) -> list[str]:
    """The SQL statements fn runs, as executed (parameters inlined by the driver)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fn()
    return [q["sql"] for q in queries.captured_queries]


def bare(statements: list[str]) -> Callable[[], object]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def explain(statements: list[str]) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in statements:
            if "desk_case" not in sql and "desk_message" not in sql:
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) {sql}")
            print("      " + sql[:300])
            for (line,) in cursor.fetchall():
                flag = "!! " if "Seq Scan on desk_" in line else "   "
                print(f"      {flag}{line}")


def main() -> int:
    show_plans = "--explain" in sys.argv or bool(os.environ.get("KLIENTO_BENCH_EXPLAIN"))
    if "--explain" in sys.argv:
        sys.argv.remove("--explain")
    args = harness.arguments(__doc__.split("\n\n")[0])
    with desk_database(args.scale, args.seed):
        measured = ensure_data(args.scale, args.seed)
        import _desk_data

        from kliento.desk import selectors
        from kliento.desk.selectors import cases as case_selectors

        print(f"database: {harness.database_label()}, {measured.summary}", flush=True)
        now = _desk_data.ANCHOR
        user_model = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model()

        def fresh(pk: int):
            return user_model.objects.select_related("staff_profile").get(pk=pk)

        slow: list[str] = []

        def record(case: str, timed, baseline: str, note: str = "") -> None:
            results, cpu = timed
            value = results[case]
            # This process's CPU time beside the wall time: on a shared machine the wall time
            # also counts waiting for a core (the database server's work is in neither).
            note = ", ".join(
                x
                for x in (note, f"CPU {cpu[case].median:.1f} ms vs {cpu[baseline].median:.1f} ms")
                if x
            )
            harness.report(
                bench="desk",
                case=case,
                value=value,
                baseline=results[baseline],
                baseline_name=baseline,
                note=note,
            )
            if value.p95 > TARGET_MS:
                slow.append(f"{case}: p95 {value.p95:.1f} ms")

        for who, pk in (("agent", measured.agent_id), ("manager", measured.manager_id)):

            def counts(pk: int = pk) -> object:
                return selectors.queue_counts(fresh(pk), now=now)

            def exact(pk: int = pk) -> object:
                user = fresh(pk)
                return {
                    q.key: selectors.queue_cases(user, q.key, now=now).count()
                    for q in selectors.QUEUES
                }

            statements = captured(counts)
            shown = counts()
            print(
                f"\n  {who}: counts {shown} (cap {getattr(case_selectors, 'COUNT_CAP', None)}), "
                f"{len(statements)} queries"
            )
            if show_plans:
                explain(statements)
            name = f"{who}: queue counts"
            results = harness.compare_with_cpu(
                {name: counts, "bare SQL": bare(statements), "exact counts": exact},
                repeat=args.repeat,
            )
            record(name, results, "bare SQL")
            record(name, results, "exact counts")
            for queue in selectors.QUEUES:

                def page(pk: int = pk, key: str = queue.key) -> object:
                    return selectors.queue_page(fresh(pk), key, now=now, per_page=PAGE).cases

                def one_query(pk: int = pk, key: str = queue.key) -> object:
                    return list(
                        selectors.queue_cases(fresh(pk), key, now=now).select_related(
                            "client", "team", "assignee"
                        )[:PAGE]
                    )

                statements = captured(page)
                if show_plans:
                    print(f"\n    {who}: {queue.key}")
                    explain(statements)
                name = f"{who}: list {queue.key}"
                results = harness.compare_with_cpu(
                    {name: page, "bare SQL": bare(statements), "one query": one_query},
                    repeat=args.repeat,
                )
                record(name, results, "bare SQL", note=f"{len(statements)} queries")
                record(name, results, "one query")

        def case_page() -> object:
            user = fresh(measured.agent_id)
            case = selectors.case_for(user, measured.case_id)
            assert case is not None, "the measured agent cannot see the measured case"
            return list(selectors.conversation(case)), list(selectors.history(case))

        statements = captured(case_page)
        if show_plans:
            print("\n    case page")
            explain(statements)
        messages, events = case_page()
        name = "agent: case page"
        results = harness.compare_with_cpu(
            {name: case_page, "bare SQL": bare(statements)}, repeat=args.repeat
        )
        record(
            name,
            results,
            "bare SQL",
            note=f"{len(messages)} messages, {len(events)} events, {len(statements)} queries",
        )
        print()
        if slow:
            print(f"  over the {TARGET_MS:.0f} ms p95 target: " + "; ".join(slow))
        else:
            print(f"  every p95 is within the {TARGET_MS:.0f} ms target")
    return 0


def desk_database(scale: float, seed: int):
    """run.py's shared database (clients loaded), or a new one of our own with only clients."""
    import contextlib

    @contextlib.contextmanager
    def shared():
        harness.setup_django(os.environ[harness.SHARED_DB_ENV])
        yield

    @contextlib.contextmanager
    def own():
        with harness.throwaway_database() as url:
            harness.setup_django(url)
            yield

    return shared() if os.environ.get(harness.SHARED_DB_ENV) else own()


if __name__ == "__main__":
    sys.exit(main())
