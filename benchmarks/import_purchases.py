"""Import N purchase rows through Kliento's importer and compare with a plain executemany.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        uv run python benchmarks/import_purchases.py --rows 1000000

Works in a throw-away database that it creates and drops (on PostgreSQL a new database next to
the one DATABASE_URL names; without DATABASE_URL a SQLite file in a temporary folder), so it never
touches real data. Steps:

  1. M clients with external references are created;
  2. a CSV of N purchases is written (references, dates in both accepted formats, amounts with
     decimal commas and thousands spaces, currencies, channels, unique order numbers);
  3. the importer runs on it exactly as `kliento import purchases FILE` does: every row is
     validated, then all are written in one transaction (COPY on PostgreSQL) with one timeline
     entry per client;
  4. baseline: the purchases are deleted and the same file is read with the csv module, client
     references looked up in a dict, and the rows inserted with cursor.executemany in one
     transaction, with no validation at all.

It prints rows/s and times for both and the ratio baseline time / import time.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def throwaway_database(tmp: Path) -> tuple[str | None, str]:
    """Point DATABASE_URL at a fresh database; return (admin URL to drop it with, its name)."""
    url = os.environ.get("DATABASE_URL", "")
    os.environ["KLIENTO_DATA_DIR"] = str(tmp)
    if not url.startswith(("postgres://", "postgresql://")):
        os.environ.pop("DATABASE_URL", None)
        return None, str(tmp / "kliento.sqlite3")
    import psycopg

    name = f"kliento_bench_import_{os.getpid()}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    return admin, name


def drop_database(admin: str | None, name: str) -> None:
    if admin is None:
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_file(path: Path, rows: int, clients: int, seed: int) -> None:
    rnd = random.Random(seed)
    start = dt.date(2023, 1, 1)
    channels = ["store", "online", "phone", "Online", ""]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["client", "date", "amount", "currency", "description", "channel", "order"])
        for n in range(rows):
            day = start + dt.timedelta(days=rnd.randrange(700))
            cents = rnd.randrange(100, 5_000_000)
            if n % 2:
                date_text, amount = day.strftime("%d.%m.%Y"), f"{cents // 100:,},{cents % 100:02}"
                amount = amount.replace(",", " ", amount.count(",") - 1)
            else:
                date_text, amount = day.isoformat(), f"{cents // 100}.{cents % 100:02}"
            writer.writerow(
                [
                    f"B{rnd.randrange(clients)}",
                    date_text,
                    amount,
                    "PLN" if n % 10 else "EUR",
                    f"Item {n % 97}",
                    channels[n % len(channels)],
                    f"ORD-{n}",
                ]
            )


def create_clients(count: int) -> None:
    from kliento.clients.models import Client

    batch = [Client(name=f"Bench client {i}", external_ref=f"B{i}") for i in range(count)]
    Client.objects.bulk_create(batch, batch_size=5000)


def run_importer(path: Path) -> tuple[float, dict[str, float], int]:
    from kliento.imports.engine import ImportRequest, run_import
    from kliento.imports.errors import ErrorCollector

    phases: dict[str, float] = {}

    def progress(phase: str, done: int) -> None:
        phases.setdefault(phase, time.perf_counter())

    errors = ErrorCollector()
    started = time.perf_counter()
    outcome = run_import(
        ImportRequest(path, path.name, "purchases"), actor=None, errors=errors, progress=progress
    )
    total = time.perf_counter() - started
    errors.close()
    writing = phases.get("writing", started + total)
    return total, {"validate": writing - started, "write": started + total - writing}, outcome.rows


def run_baseline(path: Path) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from kliento.clients.models import Client, Purchase

    columns = (
        "client_id, occurred_on, amount, currency, description, channel, external_ref, "
        "items, created_at"
    )
    sql = (
        f"INSERT INTO {Purchase._meta.db_table} ({columns}) VALUES "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    started = time.perf_counter()
    ids = dict(Client.objects.values_list("external_ref", "pk"))
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor, path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch = []
        for ref, day, amount, currency, description, channel, order in reader:
            if "." in day[2:3]:
                day = f"{day[6:]}-{day[3:5]}-{day[:2]}"
            amount = Decimal(amount.replace(" ", "").replace(",", "."))
            batch.append(
                (
                    ids[ref],
                    day,
                    amount,
                    currency,
                    description,
                    channel.lower() or "store",
                    order,
                    "[]",
                    now,
                )
            )
            if len(batch) == 10_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return time.perf_counter() - started


def _record(rows: int, seconds: float, baseline: float) -> None:
    """Add the figures to run.py's summary table (harness.report also prints them)."""
    from harness import Timing, report

    report(
        bench="import",
        case=f"import {rows:,} purchase rows",
        value=Timing.single(seconds),
        unit="s",
        baseline=Timing.single(baseline),
        baseline_name="csv + executemany",
        note="ratio < 1: the importer is faster",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kliento-bench-") as tmp:
        admin, name = throwaway_database(Path(tmp))
        try:
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
            import django

            from kliento.startup import prepare_data_dir

            prepare_data_dir()
            django.setup()
            from django.core.management import call_command
            from django.db import connection

            from kliento.clients.models import Purchase, TimelineEntry

            call_command("migrate", verbosity=0)
            print(f"database: {connection.vendor} ({name})")
            create_clients(args.clients)
            path = Path(tmp) / "purchases.csv"
            started = time.perf_counter()
            write_file(path, args.rows, args.clients, args.seed)
            size = path.stat().st_size / 1e6
            print(
                f"file: {args.rows:,} rows for {args.clients:,} clients, {size:.1f} MB, "
                f"generated in {time.perf_counter() - started:.1f} s"
            )

            total, phases, rows = run_importer(path)
            assert rows == args.rows == Purchase.objects.count(), "not every row was imported"
            entries = TimelineEntry.objects.filter(kind=TimelineEntry.Kind.IMPORTED).count()
            print(
                f"import:   {total:8.1f} s  {rows / total:>10,.0f} rows/s  "
                f"(validate {phases['validate']:.1f} s, write {phases['write']:.1f} s; "
                f"{entries:,} timeline entries)"
            )

            Purchase.objects.all().delete()
            baseline = run_baseline(path)
            assert Purchase.objects.count() == args.rows
            print(
                f"baseline: {baseline:8.1f} s  {args.rows / baseline:>10,.0f} rows/s  "
                "(csv + dict lookup + executemany INSERT, no validation)"
            )
            print(f"ratio baseline/import: {baseline / total:.2f}x")
            _record(rows, total, baseline)
        finally:
            drop_database(admin, name)


if __name__ == "__main__":
    main()
