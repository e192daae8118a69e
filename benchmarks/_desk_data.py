"""Volume data for the service-desk benchmarks, generated in SQL (generate_series on PostgreSQL,
a recursive CTE on SQLite), never through the ORM one row at a time.

`load_desk(cases)` adds 20 teams of 10 agents, a manager, and `cases` cases with about ten
messages and two history lines each (scale 1: 1,000,000 cases, ~10,000,000 messages,
2,000,000 events) to a database that already holds clients. Everything is derived from the case
number with integer hashing, so the same `cases` gives the same rows on either database.

The mix is what a desk with years of history looks like: 8% of the cases still ask something of
the company (new 2%, open 3%, waiting 2%, on hold 1%), opened in the last 30 days; the rest are
resolved (7%) or closed (85%) over three years. 5% came in without a team (visible to every
agent), 30% of the active ones have no assignee. New and open cases carry an SLA target between
3 hours overdue and 69 hours ahead of the anchor; paused ones (waiting, on hold) none.

On PostgreSQL the three loaded tables lose their secondary indexes and constraints during the
insert and get them back afterwards (the same trick as the clients' volume loader and
pg_restore), then ANALYZE. Benchmark databases only: the tables are locked for the load.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

ANCHOR = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TEAMS = 20
AGENTS_PER_TEAM = 10
PREFIX = "bench-desk-"
SUBJECTS = (
    "Where is my order?",
    "Invoice correction needed",
    "Cannot log in to the account",
    "Refund for a cancelled class",
    "Change of the delivery address",
    "Complaint about the service",
    "Question about the timetable",
    "Damaged item in the parcel",
)
CHANNELS = ("email", "email", "email", "phone", "phone", "web_form", "chat", "messenger", "social")
# Multipliers for integer hashing: each attribute looks independent of the others.
H_STATUS, H_TEAM, H_ASSIGN, H_DUE, H_AGE, H_CLIENT, H_MSGS = (
    1654435761,
    1140503003,
    1246822519,
    1266489917,
    668265263,
    374761393,
    1103515245,
)


@dataclass(frozen=True)
class DeskData:
    cases: int
    messages: int
    events: int
    seconds: float


P = 2147483647  # 2^31 - 1: a product of two residues still fits in a 64-bit integer


def _h(expr: str, mult: int, mod: int) -> str:
    """A pseudo-random residue of expr in [0, mod): x = expr * mult mod P, then x * (x + mult)
    mod P, which is not linear in expr (a plain multiplication is, and its residues modulo 20
    and modulo 100 would move in step)."""
    x = f"(({expr}) * {mult} % {P})"
    return f"(({x} * (({x} + {mult}) % {P})) % {P} % {mod})"


class _Sql:
    """The few places where the two databases speak differently."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def anchor(self) -> str:
        return "TIMESTAMPTZ '2026-01-01 00:00:00+00'" if self.pg else "'2026-01-01 00:00:00'"

    def plus(self, ts: str, seconds: str) -> str:
        if self.pg:
            return f"({ts} + make_interval(secs => ({seconds})))"
        return f"datetime({ts}, ({seconds}) || ' seconds')"

    def series(self, n: int, alias: str = "g") -> str:
        if self.pg:
            return f"generate_series(1::bigint, {n}) AS {alias}(i)"
        return (
            f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) "
            f"SELECT i FROM s) AS {alias}"
        )

    def number(self, expr: str) -> str:
        if self.pg:
            return (
                f"('C-' || CASE WHEN {expr} < 1000000 THEN lpad(({expr})::text, 6, '0') "
                f"ELSE ({expr})::text END)"
            )
        return f"printf('C-%06d', {expr})"

    def json(self, *pairs: str) -> str:
        return f"{'json_build_object' if self.pg else 'json_object'}({', '.join(pairs)})"

    def array(self, *items: str) -> str:
        return f"{'json_build_array' if self.pg else 'json_array'}({', '.join(items)})"


def desk_loaded() -> int:
    from kliento.desk.models import Case

    return Case.objects.filter(subject__startswith=PREFIX).count()


def _staff() -> tuple[int, int, list[int], list[int]]:
    """20 teams of 10 agents and a manager; ids of the manager, the measured agent, teams,
    agents (agent k is in team k // 10)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from kliento.core import roles
    from kliento.core.models import OrgUnit, StaffProfile

    user_model = get_user_model()
    existing = user_model.objects.filter(username=f"{PREFIX}manager").first()
    if existing is not None:  # a load that failed after the staff were made
        teams = list(OrgUnit.objects.filter(name__startswith=f"{PREFIX}team-").order_by("name"))
        agents = list(
            user_model.objects.filter(username__startswith=f"{PREFIX}agent-")
            .order_by("username")
            .values_list("pk", flat=True)
        )
        return existing.pk, agents[0], [t.pk for t in teams], agents
    service = OrgUnit.objects.create(name=f"{PREFIX}service", kind=OrgUnit.Kind.DEPARTMENT)
    teams = [
        OrgUnit.objects.create(name=f"{PREFIX}team-{t:02d}", kind=OrgUnit.Kind.TEAM, parent=service)
        for t in range(TEAMS)
    ]
    manager = user_model.objects.create_user(username=f"{PREFIX}manager", password=None)
    manager.groups.add(Group.objects.get(name=roles.MANAGER))
    StaffProfile.objects.create(user=manager, unit=service)
    agent_group = Group.objects.get(name=roles.AGENT)
    agents = []
    for t, team in enumerate(teams):
        for k in range(AGENTS_PER_TEAM):
            agent = user_model.objects.create_user(
                username=f"{PREFIX}agent-{t:02d}-{k}", password=None
            )
            agent.groups.add(agent_group)
            StaffProfile.objects.create(user=agent, unit=team)
            agents.append(agent.pk)
    return manager.pk, agents[0], [t.pk for t in teams], agents


def _map_table(cursor, name: str, ids: list[int] | None, select: str = "") -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} (n INTEGER PRIMARY KEY, id BIGINT NOT NULL)")
    if ids is not None:
        cursor.executemany(f"INSERT INTO {name} (n, id) VALUES (%s, %s)", list(enumerate(ids)))
    else:
        # Numbered 0.. in id order, from a query (the clients: possibly a million).
        cursor.execute(
            f"INSERT INTO {name} (n, id) SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM "
            f"({select}) x"
        )


def _defaults_for_other_columns(model, given: set[str]) -> tuple[list[str], list[object]]:
    """Columns other parts of the desk may have added since this was written: their Python
    default, so the generated INSERT keeps working after a merge."""
    from django.db import connection

    columns, params = [], []
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key:
            continue
        columns.append(field.column)
        value = field.get_default() if field.has_default() or not field.null else None
        params.append(field.get_db_prep_save(value, connection))
    return columns, params


def _insert(cursor, model, exprs: dict[str, str], source: str) -> None:
    columns = list(exprs)
    extra, params = _defaults_for_other_columns(model, set(columns))
    # The expressions use % (modulo): doubled, since the statement has parameters.
    selects = [exprs[c].replace("%", "%%") for c in columns] + ["%s"] * len(extra)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns + extra)}) "
        f"SELECT {', '.join(selects)} FROM {source.replace('%', '%%')}"
    )
    cursor.execute(sql, params)


def _drop_secondary(cursor, tables: list[str]) -> list[str]:
    cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype DESC, "
        "conname",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN "
        "('p','u','x')) "
        "ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _n, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in reversed(constraints)
    ]


def load_desk(cases: int, *, report=print) -> DeskData:
    from django.db import connection, transaction

    from kliento.desk.models import Case, CaseEvent, Message

    started = time.perf_counter()
    sql = _Sql(connection.vendor)
    case_t, msg_t, ev_t = (m._meta.db_table for m in (Case, Message, CaseEvent))
    with transaction.atomic():
        # Committed first: dropping the foreign keys below needs no pending trigger events.
        _manager, _agent, teams, agents = _staff()
    with transaction.atomic(), connection.cursor() as cursor:
        _map_table(cursor, "bench_team", teams)
        _map_table(cursor, "bench_agent", agents)
        _map_table(cursor, "bench_client", None, "SELECT id FROM clients_client")
        cursor.execute("SELECT COUNT(*) FROM bench_client")
        n_clients = cursor.fetchone()[0]
        if not n_clients:
            raise RuntimeError("the desk benchmark needs clients in the database")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {case_t}")
        base = cursor.fetchone()[0]
        rebuild = _drop_secondary(cursor, [case_t, msg_t, ev_t]) if sql.pg else []

        i = "g.i"
        u = _h(i, H_STATUS, 1000)
        status = (
            f"CASE WHEN {u} < 20 THEN 'new' WHEN {u} < 50 THEN 'open' WHEN {u} < 70 THEN 'waiting' "
            f"WHEN {u} < 80 THEN 'on_hold' WHEN {u} < 150 THEN 'resolved' ELSE 'closed' END"
        )
        active = f"({u} < 80)"
        team_idx = _h(i, H_TEAM, TEAMS)
        no_team = f"({_h(i, H_TEAM + 2, 100)} < 5)"
        unassigned = f"({active} AND {_h(i, H_ASSIGN, 100)} < 30)"
        age = (
            f"CASE WHEN {active} THEN {_h(i, H_AGE, 30 * 86400)} "
            f"ELSE {_h(i, H_AGE, 3 * 365 * 86400)} + 86400 END"
        )
        created = sql.plus(sql.anchor(), f"-({age})")
        due = sql.plus(sql.anchor(), f"{_h(i, H_DUE, 72 * 3600)} - 3 * 3600")
        running = f"({u} < 50)"
        paused = f"({u} >= 50 AND {u} < 80)"
        done_at = sql.plus(created, "2 * 86400")
        channel = (
            "CASE "
            + f"{i} % {len(CHANNELS)}"
            + "".join(f" WHEN {n} THEN '{c}'" for n, c in enumerate(CHANNELS))
            + " END"
        )
        subject = (
            "CASE "
            + f"{i} % {len(SUBJECTS)}"
            + "".join(
                f" WHEN {n} THEN '{PREFIX}{s.replace(chr(39), chr(39) * 2)}'"
                for n, s in enumerate(SUBJECTS)
            )
            + " END"
        )
        u_prio = _h(i, H_DUE + 2, 100)
        priority = (
            f"CASE WHEN {u_prio} < 5 THEN 'urgent' WHEN {u_prio} < 20 THEN 'high' "
            f"WHEN {u_prio} < 90 THEN 'normal' ELSE 'low' END"
        )
        source = (
            f"{sql.series(cases)} "
            f"JOIN bench_client cl ON cl.n = {_h(i, H_CLIENT, n_clients)} "
            f"JOIN bench_team tm ON tm.n = {team_idx} "
            f"JOIN bench_agent ag ON ag.n = {team_idx} * {AGENTS_PER_TEAM} + {i} % "
            f"{AGENTS_PER_TEAM}"
        )
        report(f"  cases: {cases:,} …")
        _insert(
            cursor,
            Case,
            {
                "id": f"{base} + {i}",
                "number": sql.number(f"{base} + {i}"),
                "subject": subject,
                "client_id": "cl.id",
                "channel": channel,
                "kind": "'question'",
                "status": status,
                "priority": priority,
                "team_id": f"CASE WHEN {no_team} THEN NULL ELSE tm.id END",
                "assignee_id": f"CASE WHEN {unassigned} THEN NULL ELSE ag.id END",
                "created_at": created,
                "updated_at": created,
                "first_response_at": (
                    f"CASE WHEN {u} < 20 THEN NULL ELSE {sql.plus(created, '3600')} END"
                ),
                "last_inbound_at": created,
                "resolved_at": f"CASE WHEN {active} THEN NULL ELSE {done_at} END",
                "closed_at": f"CASE WHEN {u} >= 150 THEN {done_at} ELSE NULL END",
                "reopened_count": "0",
                "first_response_due_at": f"CASE WHEN {u} < 20 THEN {due} ELSE NULL END",
                "next_response_due_at": (
                    f"CASE WHEN {running} AND {u} >= 20 THEN {due} ELSE NULL END"
                ),
                "sla_paused_at": f"CASE WHEN {paused} THEN {created} ELSE NULL END",
                "sla_next_due_at": f"CASE WHEN {running} THEN {due} ELSE NULL END",
                "escalation_level": "0",
            },
            source,
        )
        # Messages: 2..18 per case (10 on average); the first from the client, then replies,
        # client answers and every seventh an internal note, 20 minutes apart.
        per_case = f"(2 + {_h('c.id', H_MSGS, 17)})"
        j = "m.i"
        direction = (
            f"CASE WHEN {j} = 1 THEN 'in' WHEN (c.id + {j}) % 7 = 0 THEN 'note' "
            f"WHEN {j} % 2 = 0 THEN 'out' ELSE 'in' END"
        )
        report(f"  messages: ~{cases * 10:,} …")
        _insert(
            cursor,
            Message,
            {
                "case_id": "c.id",
                "direction": direction,
                "channel": "c.channel",
                "author_id": f"CASE WHEN {j} % 2 = 0 THEN c.assignee_id ELSE NULL END",
                "author_name": "''",
                "author_address": f"CASE WHEN {j} % 2 = 1 THEN 'client' || c.client_id || "
                "'@example.com' ELSE '' END",
                "body_text": (
                    f"'Message ' || {j} || ' of ' || c.number || ': thank you for your patience, "
                    "we are looking into it and will come back to you shortly.'"
                ),
                "body_html": "''",
                "created_at": sql.plus("c.created_at", f"{j} * 1200"),
                "external_id": (
                    f"CASE WHEN {j} % 2 = 1 AND c.channel = 'email' "
                    f"THEN '<' || c.id || '.' || {j} || '@bench.example>' ELSE '' END"
                ),
                "delivery": f"CASE WHEN {j} % 2 = 0 AND {j} > 1 AND (c.id + {j}) % 7 <> 0 THEN "
                "'sent' ELSE '' END",
                "delivery_error": "''",
                "automated": "FALSE" if sql.pg else "0",
            },
            f"{case_t} c JOIN {sql.series(18, 'm')} ON m.i <= {per_case} WHERE c.id > {base}",
        )
        report("  history …")
        for kind, at, data in (
            ("opened", "c.created_at", sql.json("'channel'", "c.channel")),
            ("status", "c.resolved_at", sql.json("'status'", sql.array("'open'", "c.status"))),
        ):
            where = f"c.id > {base}" + (
                " AND c.resolved_at IS NOT NULL" if kind == "status" else ""
            )
            _insert(
                cursor,
                CaseEvent,
                {
                    "case_id": "c.id",
                    "kind": f"'{kind}'",
                    "actor_id": "c.assignee_id" if kind == "status" else "NULL",
                    "data": data,
                    "created_at": at,
                },
                f"{case_t} c WHERE {where}",
            )
        if sql.pg:
            report("  indexes and constraints …")
            for statement in rebuild:
                cursor.execute(statement)
            for table in (case_t, msg_t, ev_t):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
    with connection.cursor() as cursor:
        # VACUUM as autovacuum would soon after a bulk insert: statistics, and the visibility
        # map that lets counts read an index alone (a live desk's tables are mostly all-visible).
        report("  vacuum analyze …")
        for table in (case_t, msg_t, ev_t):
            cursor.execute(f"{'VACUUM ' if sql.pg else ''}ANALYZE {table}")
        cursor.execute(f"SELECT COUNT(*) FROM {msg_t} WHERE case_id > %s", [base])
        messages = cursor.fetchone()[0]
        cursor.execute(f"SELECT COUNT(*) FROM {ev_t} WHERE case_id > %s", [base])
        events = cursor.fetchone()[0]
    return DeskData(
        cases=cases,
        messages=messages,
        events=events,
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True)
class Measured:
    manager_id: int
    agent_id: int
    case_id: int
    summary: str


def measured() -> Measured:
    """Who and what the benchmark measures, found in a loaded database: the manager, the first
    team's first agent, and one of that agent's longest conversations (18 messages)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from kliento.desk.models import Case, CaseEvent, Message

    users = get_user_model().objects
    manager = users.get(username=f"{PREFIX}manager").pk
    agent = users.get(username=f"{PREFIX}agent-00-0").pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id FROM {Case._meta.db_table} c WHERE c.assignee_id = %s "
            f"ORDER BY {_h('c.id', H_MSGS, 17).replace('%', '%%')} DESC, c.id LIMIT 1",
            [agent],
        )
        case = cursor.fetchone()[0]
    counts = ", ".join(
        f"{model.objects.count():,} {label}"
        for model, label in ((Case, "cases"), (Message, "messages"), (CaseEvent, "events"))
    )
    return Measured(manager, agent, case, counts)
