"""Shared machinery for the benchmarks: a throw-away database, timing, and result reporting.

Every benchmark script is runnable on its own (`uv run python benchmarks/bench_x.py --scale 0.01`)
and from `benchmarks/run.py`, which loads one database for all of them and passes it down in
KLIENTO_BENCH_DATABASE_URL. A script run alone creates its own database and drops it at the end.

The database server is the one DATABASE_URL points at (PostgreSQL is what the figures are for);
without DATABASE_URL, or with a SQLite one, a temporary SQLite file is used. Real data is never
touched: the benchmark database is always new (kliento_bench_<pid>) and dropped afterwards.

Reporting: `report(...)` prints a line and, when run.py asked for it (KLIENTO_BENCH_RESULTS),
appends a JSON record that run.py turns into the summary table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RESULTS_ENV = "KLIENTO_BENCH_RESULTS"
SHARED_DB_ENV = "KLIENTO_BENCH_DATABASE_URL"
SHARED_SCALE_ENV = "KLIENTO_BENCH_SCALE"


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--scale",
        type=float,
        default=float(os.environ.get(SHARED_SCALE_ENV, "0.1")),
        help="1 = 1,000,000 clients / 10,000,000 purchases (default 0.1)",
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(url: str):
    import psycopg

    # Connect to the maintenance database of the same server; CREATE/DROP DATABASE cannot run in
    # a transaction, hence autocommit.
    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


@contextlib.contextmanager
def throwaway_database() -> Iterator[str]:
    """Create a new empty database next to DATABASE_URL's and yield its URL; drop it after."""
    base = os.environ.get("DATABASE_URL", "")
    data_dir = tempfile.mkdtemp(prefix="kliento-bench-")
    os.environ["KLIENTO_DATA_DIR"] = data_dir
    if _is_postgres(base):
        name = f"kliento_bench_{os.getpid()}"
        with _admin_connection(base) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        url = _with_database(base, name)
        try:
            yield url
        finally:
            _close_django_connections()
            with _admin_connection(base) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = Path(data_dir) / "bench.sqlite3"
        try:
            yield f"sqlite:///{path}"
        finally:
            _close_django_connections()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


def _close_django_connections() -> None:
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("KLIENTO_DATA_DIR", tempfile.mkdtemp(prefix="kliento-bench-"))
    # The test client talks to "testserver"; DEBUG stays off so queries are not kept in memory.
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
    import django

    from kliento.startup import prepare_data_dir

    prepare_data_dir()
    django.setup()


def prepare(scale: float, seed: int) -> None:
    """Migrate and load the scaled data set unless this database already holds it."""
    from django.core.management import call_command

    from kliento.clients.demo import scale as scaled
    from kliento.core.roles import sync_roles

    call_command("migrate", interactive=False, verbosity=0)
    # On a fresh database the roles are synced (post_migrate of core) before the clients
    # app's permissions exist, leaving the groups without them; sync again now that they do.
    sync_roles()
    if scaled.scaled_clients_loaded(seed):
        return
    spec = scaled.ScaleSpec.from_scale(scale, seed=seed)
    print(f"loading {spec.clients:,} clients and {spec.purchases:,} purchases …", flush=True)
    result = scaled.load_scale(spec, progress=_progress())
    rate = (result.clients * 4 + result.purchases) / result.seconds
    print(f"\nloaded in {result.seconds:.1f} s ({rate:,.0f} rows/s)", flush=True)
    report(
        bench="load",
        case=f"scale {scale:g}: {spec.clients:,} clients, {spec.purchases:,} purchases",
        unit="s",
        value=Timing.single(result.seconds),
        note=f"{rate:,.0f} rows/s incl. contacts and timeline",
    )


def _progress() -> Callable[[str, int, int], None]:
    last = {"t": 0.0}

    def show(table: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if done == total or now - last["t"] > 2:
            last["t"] = now
            print(f"\r  {table}: {done:,}/{total:,}          ", end="", flush=True)
            if done == total:
                print(flush=True)

    return show


@contextlib.contextmanager
def bench_database(scale: float, seed: int) -> Iterator[None]:
    """The database a benchmark runs in: run.py's shared one, or a new one of its own."""
    shared = os.environ.get(SHARED_DB_ENV)
    if shared:
        setup_django(shared)
        prepare(scale, seed)
        yield
        return
    with throwaway_database() as url:
        setup_django(url)
        prepare(scale, seed)
        yield


@dataclass
class Timing:
    median: float
    p95: float
    minimum: float
    runs: int

    @classmethod
    def of(cls, samples: list[float]) -> Timing:
        ordered = sorted(samples)
        p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
        return cls(statistics.median(ordered), p95, ordered[0], len(ordered))

    @classmethod
    def single(cls, seconds: float) -> Timing:
        return cls(seconds, seconds, seconds, 1)


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> Timing:
    """Median and p95 wall time of fn in milliseconds, after a few untimed warm-up calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing.of(samples)


def compare(
    candidates: dict[str, Callable[[], object]], *, repeat: int, warmup: int = 3
) -> dict[str, Timing]:
    """Time several functions in interleaved rounds (a, b, c, a, b, c, …).

    On a shared machine the load changes from second to second; interleaving gives every
    candidate the same conditions, so their ratio is meaningful even when absolute times drift.
    """
    return compare_with_cpu(candidates, repeat=repeat, warmup=warmup)[0]


def compare_with_cpu(
    candidates: dict[str, Callable[[], object]], *, repeat: int, warmup: int = 3
) -> tuple[dict[str, Timing], dict[str, Timing]]:
    """`compare`, with the CPU time this process spent in each call beside the wall time.

    On a machine shared with other work the wall time also counts the time spent waiting for
    a core; the CPU time does not (nor the database server's own work, on PostgreSQL), so the
    two together tell the code's cost from the machine's load.
    """
    for fn in candidates.values():
        for _ in range(warmup):
            fn()
    wall: dict[str, list[float]] = {name: [] for name in candidates}
    cpu: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(repeat):
        for name, fn in candidates.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            fn()
            cpu[name].append((time.process_time() - started_cpu) * 1000)
            wall[name].append((time.perf_counter() - started) * 1000)
    return (
        {name: Timing.of(values) for name, values in wall.items()},
        {name: Timing.of(values) for name, values in cpu.items()},
    )


def report(
    *,
    bench: str,
    case: str,
    value: Timing,
    unit: str = "ms",
    baseline: Timing | None = None,
    baseline_name: str = "",
    note: str = "",
) -> None:
    ratio = value.median / baseline.median if baseline and baseline.median else None
    line = f"  {case}: median {value.median:.2f} {unit}, p95 {value.p95:.2f} {unit}"
    if baseline is not None:
        line += (
            f" | {baseline_name}: median {baseline.median:.2f} {unit}, "
            f"p95 {baseline.p95:.2f} {unit} | ratio {ratio:.2f}x"
        )
    if note:
        line += f"  ({note})"
    print(line, flush=True)
    target = os.environ.get(RESULTS_ENV)
    if target:
        record = {
            "bench": bench,
            "case": case,
            "unit": unit,
            "value": asdict(value),
            "baseline": asdict(baseline) if baseline else None,
            "baseline_name": baseline_name,
            "ratio": ratio,
            "note": note,
        }
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"
