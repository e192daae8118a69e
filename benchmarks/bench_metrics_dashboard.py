"""Metrics dashboards: the company dashboard read from the daily rollups, against the same
metrics computed by a naive full aggregate over the raw rows, and by DuckDB scanning a Parquet
export of the same rows (the columnar-scan reference), in one run.

data          — the harness's clients and purchases (scale 1: 1,000,000 / 10,000,000), plus
                10,000,000 x scale survey answers (NPS, CSAT, CES thirds) and 1,000,000 x scale
                cases over the last 365 days, 10 teams of 5 employees, generated on PostgreSQL
                by INSERT … SELECT FROM generate_series (SQLite: bulk inserts, small scales only).
rollup build  — the worker's first run over every day (one time, for information).
dashboard     — GET /metrics/dashboard/ for the last 365 days as a manager: the roll-up table,
                the per-team table (10 teams), trends, per-team bars, distributions, revenue.
naive         — the same figures straight from the raw rows: NPS/CSAT/CES by scale and score,
                per team, per week; cases opened/resolved/first response, company and per team;
                revenue. The ratio is dashboard / naive.
duckdb        — the same aggregates by DuckDB over Parquet files of the same rows (exported
                once, not timed). The ratio is dashboard / DuckDB.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

import harness

ANSWERS = 10_000_000
CASES = 1_000_000
TEAMS = 10
PER_TEAM = 5
DAYS = 365


def _world() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from kliento.core import roles
    from kliento.core.models import OrgUnit, StaffProfile
    from kliento.surveys.services import definitions

    def user(name: str, role: str):
        made = get_user_model().objects.create_user(username=name)
        made.groups.add(Group.objects.get(name=role))
        return made

    company = OrgUnit.objects.create(name="Bench company", kind=OrgUnit.Kind.COMPANY)
    depts = [
        OrgUnit.objects.create(name=f"Dept {i}", kind=OrgUnit.Kind.DEPARTMENT, parent=company)
        for i in range(2)
    ]
    teams = [
        OrgUnit.objects.create(name=f"Team {i}", kind=OrgUnit.Kind.TEAM, parent=depts[i % 2])
        for i in range(TEAMS)
    ]
    agents = []
    for t, team in enumerate(teams):
        for a in range(PER_TEAM):
            agent = user(f"bench-agent-{t}-{a}", roles.AGENT)
            StaffProfile.objects.create(user=agent, unit=team)
            agents.append((agent.pk, team.pk))
    surveys = {}
    for kind, scale in (("nps", "0-10"), ("csat", "1-5"), ("ces", "1-7")):
        surveys[kind] = definitions.create_survey(
            actor=None,
            spec=definitions.SurveySpec(
                name=f"Bench {kind}",
                kind=kind,
                scale=scale,
                questions=[definitions.QuestionSpec(kind="scale", texts={"en": "Score?"})],
            ),
        )
    manager = user("bench-manager", roles.MANAGER)
    return {"teams": teams, "agents": agents, "surveys": surveys, "manager": manager}


def _literal(field) -> object:
    default = field.get_default()
    return "" if default is None and not field.null else default


def _insert_sql(model, overrides: dict[str, str]) -> tuple[str, list[object]]:
    """INSERT … SELECT over generate_series(1, %s): overridden columns as SQL expressions of
    g, the others as their model default (a parameter)."""
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in overrides:
            values.append(overrides[field.column])
        elif field.null:
            values.append("NULL")
        else:
            import json

            value = _literal(field)
            values.append("%s::jsonb" if field.get_internal_type() == "JSONField" else "%s")
            params.append(json.dumps(value) if field.get_internal_type() == "JSONField" else value)
    table = model._meta.db_table
    sql = (
        f'INSERT INTO "{table}" ({", ".join(columns)}) '
        f"SELECT {', '.join(values)} FROM generate_series(1, %s) AS g"
    )
    return sql, params


def _load_postgres(world: dict, answers: int, cases: int) -> None:
    from django.db import connection

    from kliento.clients.models import Client
    from kliento.desk.models import Case
    from kliento.surveys.models import Response

    low = Client.objects.order_by("pk").values_list("pk", flat=True).first()
    high = Client.objects.order_by("-pk").values_list("pk", flat=True).first()
    span = high - low + 1
    agent_ids = "ARRAY[" + ",".join(str(a) for a, _t in world["agents"]) + "]"
    team_ids = "ARRAY[" + ",".join(str(t) for _a, t in world["agents"]) + "]"
    s = world["surveys"]
    pick = f"(1 + (g * 7) %% {len(world['agents'])})"
    when = f"now() - make_interval(secs => (g::bigint * 7919) %% {DAYS * 86400})"
    response_sql, params = _insert_sql(
        Response,
        {
            "survey_id": f"(ARRAY[{s['nps'].pk},{s['csat'].pk},{s['ces'].pk}])[1 + g %% 3]",
            "client_id": f"{low} + (g * 31) %% {span}",
            "agent_id": f"({agent_ids})[{pick}]",
            "team_id": f"({team_ids})[{pick}]",
            "channel": "(ARRAY['email','phone','chat'])[1 + (g / 3) %% 3]",
            # NPS 0-10, CSAT 1-5, CES 1-7, from a hash of g.
            "score": "CASE g %% 3 WHEN 0 THEN (g * 13) %% 11 WHEN 1 THEN 1 + (g * 13) %% 5"
            " ELSE 1 + (g * 13) %% 7 END",
            "submitted_at": when,
            "updated_at": when,
        },
    )
    case_sql, case_params = _insert_sql(
        Case,
        {
            "subject": "'Bench case'",
            "client_id": f"{low} + (g * 17) %% {span}",
            "channel": "(ARRAY['email','phone','chat'])[1 + g %% 3]",
            "team_id": f"({team_ids})[{pick}]",
            "assignee_id": f"({agent_ids})[{pick}]",
            "status": "CASE WHEN g %% 4 = 0 THEN 'open' ELSE 'resolved' END",
            "created_at": when,
            "updated_at": when,
            "first_response_at": f"{when} + make_interval(mins => g %% 240)",
            "resolved_at": f"CASE WHEN g %% 4 = 0 THEN NULL ELSE {when} + "
            "make_interval(hours => g %% 72) END",
        },
    )
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # Every id generated is drawn from rows that exist, so the foreign keys' triggers (one
        # lookup per key and row: tens of millions at scale 1) are skipped for the load only.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for sql, values, total in ((response_sql, params, answers), (case_sql, case_params, cases)):
            started = time.perf_counter()
            cursor.execute(sql, [*values, total])
            print(f"  {total:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _load_sqlite(world: dict, answers: int, cases: int) -> None:
    from django.utils import timezone

    from kliento.clients.models import Client
    from kliento.desk.models import Case
    from kliento.surveys.models import Response

    rng = random.Random(1)
    clients = list(Client.objects.values_list("pk", flat=True)[:10_000])
    now = timezone.now()
    top = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
    kinds = list(world["surveys"])
    batch = []
    for g in range(answers):
        kind = kinds[g % 3]
        agent, team = world["agents"][g % len(world["agents"])]
        when = now - dt.timedelta(seconds=rng.randrange(DAYS * 86400))
        batch.append(
            Response(
                survey=world["surveys"][kind],
                client_id=rng.choice(clients),
                agent_id=agent,
                team_id=team,
                channel=rng.choice(["email", "phone", "chat"]),
                score=rng.randint(*top[kind]),
                submitted_at=when,
                updated_at=when,
            )
        )
        if len(batch) == 5000:
            Response.objects.bulk_create(batch)
            batch = []
    Response.objects.bulk_create(batch)
    cases_made = []
    for g in range(cases):
        agent, team = world["agents"][g % len(world["agents"])]
        when = now - dt.timedelta(seconds=rng.randrange(DAYS * 86400))
        cases_made.append(
            Case(
                subject="Bench case",
                client_id=rng.choice(clients),
                channel="email",
                team_id=team,
                assignee_id=agent,
                created_at=when,
                updated_at=when,
                first_response_at=when + dt.timedelta(minutes=g % 240),
                resolved_at=None if g % 4 == 0 else when + dt.timedelta(hours=g % 72),
            )
        )
    Case.objects.bulk_create(cases_made, batch_size=5000)


def _naive(period, teams) -> object:
    """The dashboard's figures from the raw rows, one aggregate query per figure group."""
    from django.conf import settings
    from django.db.models import Count, F, Sum
    from django.db.models.functions import TruncWeek

    from kliento.clients.models import Purchase
    from kliento.desk.models import Case
    from kliento.metrics.registry import compute
    from kliento.surveys.models import Response

    out = [compute(key, period).value for key in ("nps", "csat", "ces")]
    answers = Response.objects.filter(
        score__isnull=False,
        submitted_at__date__gte=period.start,
        submitted_at__date__lte=period.end,
    )
    out.append(
        list(answers.values("survey__kind", "team_id", "score").annotate(n=Count("id")).order_by())
    )
    out.append(
        list(
            answers.annotate(week=TruncWeek("submitted_at"))
            .values("survey__kind", "week", "score")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    live = Case.objects.filter(merged_into__isnull=True)
    opened = live.filter(created_at__date__gte=period.start, created_at__date__lte=period.end)
    out.append(
        list(
            opened.values("team_id")
            .annotate(
                n=Count("id"),
                responded=Count("first_response_at"),
                wait=Sum(F("first_response_at") - F("created_at")),
            )
            .order_by()
        )
    )
    out.append(
        list(
            live.filter(resolved_at__date__gte=period.start, resolved_at__date__lte=period.end)
            .values("team_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    out.append(
        Purchase.objects.filter(
            occurred_on__gte=period.start,
            occurred_on__lte=period.end,
            currency=settings.KLIENTO_DEFAULT_CURRENCY,
        ).aggregate(n=Count("id"), total=Sum("amount"))
    )
    return out


def _export_parquet(folder: Path) -> dict[str, Path]:
    """The raw rows the figures need, to Parquet (through CSV), once."""
    import duckdb
    from django.db import connection

    queries = {
        "answers": "SELECT r.submitted_at, s.kind, r.team_id, r.score FROM surveys_response r "
        "JOIN surveys_survey s ON s.id = r.survey_id WHERE r.score IS NOT NULL",
        "cases": "SELECT created_at, first_response_at, resolved_at, team_id FROM desk_case "
        "WHERE merged_into_id IS NULL",
        "purchases": "SELECT occurred_on, amount, currency FROM clients_purchase",
    }
    files = {}
    for name, sql in queries.items():
        csv_path, parquet = folder / f"{name}.csv", folder / f"{name}.parquet"
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with csv_path.open("wb") as out:
                    raw = cursor.cursor  # psycopg 3 COPY
                    with raw.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as copy:
                        for chunk in copy:
                            out.write(chunk)
            else:
                import csv

                cursor.execute(sql)
                with csv_path.open("w", newline="") as out:
                    writer = csv.writer(out)
                    writer.writerow([c[0] for c in cursor.description])
                    writer.writerows(cursor.fetchall())
        duckdb.execute(
            f"COPY (SELECT * FROM read_csv_auto('{csv_path}')) TO '{parquet}' (FORMAT PARQUET)"
        )
        csv_path.unlink()
        files[name] = parquet
    return files


def _duckdb(files: dict[str, Path], period, currency: str):
    import duckdb

    con = duckdb.connect()
    a, c, p = files["answers"], files["cases"], files["purchases"]
    start, end = period.start.isoformat(), (period.end + dt.timedelta(days=1)).isoformat()
    where = f"submitted_at >= '{start}' AND submitted_at < '{end}'"
    return [
        con.execute(
            f"SELECT kind, score, count(*) FROM '{a}' WHERE {where} GROUP BY ALL"
        ).fetchall(),
        con.execute(
            f"SELECT kind, team_id, score, count(*) FROM '{a}' WHERE {where} GROUP BY ALL"
        ).fetchall(),
        con.execute(
            f"SELECT kind, date_trunc('week', submitted_at) w, score, count(*) FROM '{a}' "
            f"WHERE {where} GROUP BY ALL"
        ).fetchall(),
        con.execute(
            f"SELECT team_id, count(*), count(first_response_at), "
            f"sum(epoch(first_response_at - created_at)) FROM '{c}' "
            f"WHERE created_at >= '{start}' AND created_at < '{end}' GROUP BY ALL"
        ).fetchall(),
        con.execute(
            f"SELECT team_id, count(*) FROM '{c}' WHERE resolved_at >= '{start}' "
            f"AND resolved_at < '{end}' GROUP BY ALL"
        ).fetchall(),
        con.execute(
            f"SELECT count(*), sum(amount) FROM '{p}' WHERE occurred_on >= '{start}' "
            f"AND occurred_on < '{end}' AND currency = '{currency}'"
        ).fetchall(),
    ]


def main() -> None:
    args = harness.arguments("Metrics dashboards benchmark")
    with harness.bench_database(args.scale, args.seed):
        run(args)


def run(args) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client as HttpClient
    from django.urls import reverse
    from django.utils import timezone

    from kliento.metrics.registry import Period
    from kliento.metrics.rollups import build

    print(f"\nMetrics dashboards on {harness.database_label()}")
    print(__doc__.split("\n\n", 1)[1].rstrip() + "\n")
    answers, cases = int(ANSWERS * args.scale), int(CASES * args.scale)
    world = _world()
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        _load_postgres(world, answers, cases)
    else:
        _load_sqlite(world, answers, cases)
    print(
        f"generated {answers:,} answers and {cases:,} cases in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )

    started = time.perf_counter()
    outcome = build.refresh()
    built = time.perf_counter() - started
    with connection.cursor() as cursor:
        # The tables were analysed while the rollups were empty; fresh statistics, as
        # autovacuum would gather soon after the first build, or the planner expects a few
        # rows and sorts the rollup on disk instead of hashing it.
        cursor.execute("ANALYZE")
    harness.report(
        bench="metrics_dashboard",
        case="rollup build, every day",
        unit="s",
        value=harness.Timing.single(built),
        note=f"{outcome['recomputed']} source-days",
    )

    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=DAYS - 1), today)
    http = HttpClient()
    http.force_login(world["manager"])
    url = reverse("metrics:dashboard")
    query = {"start": period.start.isoformat(), "end": period.end.isoformat()}

    def dashboard() -> None:
        response = http.get(url, query)
        assert response.status_code == 200, response.status_code

    folder = Path(tempfile.mkdtemp(prefix="kliento-bench-parquet-"))
    started = time.perf_counter()
    files = _export_parquet(folder)
    print(f"exported to Parquet in {time.perf_counter() - started:.1f} s", flush=True)
    currency = settings.KLIENTO_DEFAULT_CURRENCY
    repeat = max(3, min(args.repeat, 10))
    timings = harness.compare(
        {
            "dashboard": dashboard,
            "naive": lambda: _naive(period, world["teams"]),
            "duckdb": lambda: _duckdb(files, period, currency),
        },
        repeat=repeat,
        warmup=1,
    )
    harness.report(
        bench="metrics_dashboard",
        case="dashboard from rollups",
        value=timings["dashboard"],
        baseline=timings["naive"],
        baseline_name="naive full aggregate",
    )
    harness.report(
        bench="metrics_dashboard",
        case="dashboard from rollups",
        value=timings["dashboard"],
        baseline=timings["duckdb"],
        baseline_name="DuckDB over Parquet",
    )
    # Where the page's time goes: its SQL (count and time as the client saw it) vs the rest
    # (the Python around the queries, templates, charts) — naive and DuckDB render nothing.
    spent: list[float] = []
    slow: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)
            slow.append((spent[-1], sql[:150]))

    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        dashboard()
    whole = time.perf_counter() - started
    print(
        f"  dashboard page once: {len(spent)} queries, {sum(spent) * 1000:.0f} ms in SQL "
        f"of {whole * 1000:.0f} ms",
        flush=True,
    )
    for took, sql in sorted(slow, reverse=True)[:6]:
        print(f"    {took * 1000:.0f} ms  {sql}")
    for path in files.values():
        path.unlink()


if __name__ == "__main__":
    main()
