"""Customer journey: board figures, conversion, the board page and the move rules at scale.

On top of the scaled clients (scale 1: 1,000,000), a journey of eight stages (six on the main
path, two exit stages) is loaded with every client at a stage and ten moves per client on
average (scale 1: 10,000,000 stage moves), spread over two years.

  stage figures — per stage: clients, average and median days in the stage, how many are
                  over the target (`journeys.stats.stage_figures`), against a bare
                  `GROUP BY stage_id` count and average over the same table;
  conversion    — moves into each main-path stage and on to the next over 90 days
                  (`journeys.stats.conversion`), against a bare `GROUP BY to_stage_id` count of
                  the moves of those 90 days;
  board page    — GET /journeys/<id>/ as a manager (figures, conversion, 20 cards a column,
                  template), against the bare stage aggregate;
  column page   — the htmx "More" of a column, page 50;
  baseline      — freezing the distribution (`services.take_baseline`'s snapshot);
  rules         — a full first run of "2 purchases: Purchase/Ownership → Repeat" (clients
                  examined per second), then an incremental run with nothing changed, against
                  a bare SQL query that finds the same clients.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

import harness

MOVES_PER_CLIENT = 10
# The walk every client follows, cut at a random length (1 to 19 moves, ten on average):
# awareness … advocacy, at risk, then round repeat → advocacy → at risk again.
WALK = [0, 1, 2, 3, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6]
NAMES = ["Awareness", "Consideration", "Purchase", "Ownership", "Repeat", "Advocacy"]
TARGETS = [30, 21, 14, 120, 180, None, 30, None]


def build_journey(staff: list) -> tuple:
    from kliento.journeys import services
    from kliento.journeys.models import Journey, Stage

    existing = Journey.objects.filter(name="Bench journey").first()
    if existing is None:
        specs = [
            services.StageSpec(name=name, owner=staff[i % len(staff)], target_days=TARGETS[i])
            for i, name in enumerate(NAMES)
        ] + [
            services.StageSpec(name=n, owner=staff[0], is_exit=True, target_days=TARGETS[6 + i])
            for i, n in enumerate(["At risk", "Churned"])
        ]
        existing = services.create_journey(actor=None, name="Bench journey", stages=specs)
    return existing, list(Stage.objects.filter(journey=existing).order_by("position"))


def load_moves(journey, stages: list, seed: int) -> tuple[int, int]:
    """Every client placed, with a walk of moves behind it; COPY on PostgreSQL."""
    from django.db import connection, transaction

    from kliento.journeys.models import ClientStage

    if ClientStage.objects.filter(journey=journey).exists():
        return ClientStage.objects.count(), journey.moves.count()
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    ids = [s.pk for s in stages]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM clients_client ORDER BY id")
        client_ids = [row[0] for row in cursor.fetchall()]

    def rows():
        for client_id in client_ids:
            length = rng.randint(1, len(WALK))
            walk = WALK[:length]
            at = now - dt.timedelta(days=rng.randint(0, 60), seconds=rng.randint(0, 86_399))
            dates = []
            for _step in walk:
                dates.append(at)
                at -= dt.timedelta(days=rng.randint(1, 70), seconds=rng.randint(0, 86_399))
            dates.reverse()
            previous = None
            for index, when in zip(walk, dates, strict=True):
                yield ("move", client_id, previous, ids[index], when)
                previous = ids[index]
            yield ("place", client_id, ids[walk[-1]], dates[-1], dates[0])

    started = time.perf_counter()
    places = moves = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            raw = connection.cursor().cursor
            with (
                raw.copy(
                    "COPY journeys_stagemove (client_id, journey_id, from_stage_id, to_stage_id,"
                    " moved_at, reason, forced) FROM STDIN"
                ) as move_copy,
            ):
                buffered_places = []
                for row in rows():
                    if row[0] == "move":
                        move_copy.write_row((row[1], journey.pk, row[2], row[3], row[4], "", False))
                        moves += 1
                    else:
                        buffered_places.append((row[1], journey.pk, row[2], row[3], row[4]))
            with raw.copy(
                "COPY journeys_clientstage (client_id, journey_id, stage_id, entered_at,"
                " joined_at) FROM STDIN"
            ) as place_copy:
                for place in buffered_places:
                    place_copy.write_row(place)
            places = len(buffered_places)
            raw.execute("ANALYZE journeys_stagemove")
            raw.execute("ANALYZE journeys_clientstage")
        else:
            move_rows, place_rows = [], []
            for row in rows():
                if row[0] == "move":
                    move_rows.append((row[1], journey.pk, row[2], row[3], row[4], "", False))
                else:
                    place_rows.append((row[1], journey.pk, row[2], row[3], row[4]))
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO journeys_stagemove (client_id, journey_id, from_stage_id,"
                    " to_stage_id, moved_at, reason, forced) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    move_rows,
                )
                cursor.executemany(
                    "INSERT INTO journeys_clientstage (client_id, journey_id, stage_id,"
                    " entered_at, joined_at) VALUES (%s, %s, %s, %s, %s)",
                    place_rows,
                )
            places, moves = len(place_rows), len(move_rows)
    if connection.vendor == "postgresql":
        # Index-only scans need the visibility map a VACUUM writes, as autovacuum would.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE journeys_clientstage")
            cursor.execute("VACUUM ANALYZE journeys_stagemove")
    seconds = time.perf_counter() - started
    print(f"loaded {places:,} places and {moves:,} moves in {seconds:.1f} s", flush=True)
    return places, moves


def main() -> None:
    args = harness.arguments("Customer journey benchmark")
    with harness.bench_database(args.scale, args.seed):
        sys.exit(run(args))


def run(args) -> int:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client as HttpClient
    from django.utils import timezone

    from kliento.clients.demo.scale import account_managers
    from kliento.journeys import engine, services, stats
    from kliento.journeys.models import MoveRule

    users = get_user_model()
    staff = list(users.objects.filter(pk__in=account_managers()).order_by("pk"))
    journey, stages = build_journey(staff)
    places, moves = load_moves(journey, stages, args.seed)
    print(
        f"\nCustomer journey: {places:,} clients on it, {moves:,} moves, on "
        f"{harness.database_label()}"
    )
    print(__doc__.split("\n\n", 1)[1].rstrip() + "\n")
    repeat = max(5, args.repeat // 3)
    pg = connection.vendor == "postgresql"
    epoch = "EXTRACT(EPOCH FROM entered_at)" if pg else "julianday(entered_at)"

    def bare_stages() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT stage_id, count(*), avg({epoch}) FROM journeys_clientstage "
                "WHERE journey_id = %s GROUP BY stage_id",
                [journey.pk],
            )
            cursor.fetchall()

    def figures() -> None:
        stats.stage_figures(journey)

    timings = harness.compare({"figures": figures, "bare": bare_stages}, repeat=repeat)
    harness.report(
        bench="journey",
        case="stage figures (count, avg, median, over target)",
        value=timings["figures"],
        baseline=timings["bare"],
        baseline_name="bare GROUP BY",
        note=f"{places:,} clients",
    )

    since = timezone.now() - dt.timedelta(days=90)

    def bare_moves() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_stage_id, count(*) FROM journeys_stagemove "
                "WHERE journey_id = %s AND moved_at >= %s GROUP BY to_stage_id",
                [journey.pk, since],
            )
            cursor.fetchall()

    def conversion() -> None:
        stats.conversion(journey, start=since, end=timezone.now())

    timings = harness.compare({"conversion": conversion, "bare": bare_moves}, repeat=repeat)
    harness.report(
        bench="journey",
        case="conversion over 90 days",
        value=timings["conversion"],
        baseline=timings["bare"],
        baseline_name="bare GROUP BY of the period's moves",
        note=f"{moves:,} moves",
    )

    manager = users.objects.filter(groups__name="manager").first()
    if manager is None:
        manager = users.objects.create_user(username="bench-journey-manager", password=None)
        manager.groups.add(Group.objects.get(name="manager"))
    http = HttpClient()
    http.force_login(manager)

    def board() -> None:
        response = http.get(f"/journeys/{journey.pk}/")
        assert response.status_code == 200, response.status_code

    def column() -> None:
        response = http.get(f"/journeys/stages/{stages[3].pk}/clients/?page=50")
        assert response.status_code == 200, response.status_code

    timings = harness.compare({"board": board, "bare": bare_stages}, repeat=repeat)
    harness.report(
        bench="journey",
        case="board page (figures, conversion, 8 columns of 20)",
        value=timings["board"],
        baseline=timings["bare"],
        baseline_name="bare GROUP BY",
    )
    timings = harness.compare({"column": column, "bare": bare_stages}, repeat=repeat)
    harness.report(
        bench="journey",
        case="column page 50 (htmx)",
        value=timings["column"],
        baseline=timings["bare"],
        baseline_name="bare GROUP BY",
    )
    timings = harness.compare(
        {"snapshot": lambda: stats.snapshot(journey), "bare": bare_stages}, repeat=repeat
    )
    harness.report(
        bench="journey",
        case="baseline snapshot",
        value=timings["snapshot"],
        baseline=timings["bare"],
        baseline_name="bare GROUP BY",
    )

    # The move rule, last: it changes the data.
    MoveRule.objects.filter(journey=journey).delete()
    rule = services.save_rule(
        actor=None,
        journey=journey,
        name="Second purchase",
        condition="purchases",
        threshold=2,
        from_stages=[stages[2], stages[3]],
        to_stage=stages[4],
    )
    sources = [stages[2].pk, stages[3].pk]

    def bare_candidates() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT cs.client_id FROM journeys_clientstage cs WHERE cs.journey_id = %s "
                "AND cs.stage_id IN (%s, %s) AND (SELECT count(*) FROM clients_purchase p "
                "WHERE p.client_id = cs.client_id) >= 2",
                [journey.pk, *sources],
            )
            return len(cursor.fetchall())

    started = time.perf_counter()
    expected = bare_candidates()
    bare_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = engine.run_rules(journey_id=journey.pk)
    seconds = time.perf_counter() - started
    rate = result.examined / seconds if seconds else 0.0
    harness.report(
        bench="journey",
        case="rules: first full run",
        unit="s",
        value=harness.Timing.single(seconds),
        baseline=harness.Timing.single(bare_seconds),
        baseline_name="bare SQL finding the same clients",
        note=f"{result.examined:,} examined, {result.moved:,} moved ({expected:,} expected), "
        f"{rate:,.0f} clients/s",
    )
    started = time.perf_counter()
    again = engine.run_rules(journey_id=journey.pk)
    seconds = time.perf_counter() - started
    harness.report(
        bench="journey",
        case="rules: incremental run, nothing changed",
        unit="s",
        value=harness.Timing.single(seconds),
        note=f"{again.examined:,} examined, {again.moved:,} moved",
    )
    rule.delete()
    ok = result.moved == expected and again.moved == 0
    if not ok:
        print("the rule run did not move exactly the clients the bare query finds", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    main()
