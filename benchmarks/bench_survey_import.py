"""Import N historical survey answers through Kliento's importer and compare with a bare bulk
write of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        uv run python benchmarks/bench_survey_import.py --rows 1000000

run.py passes --rows 1,000,000 x scale (100,000 at --scale 0.1). Works in a throw-away
database it creates and drops (as import_purchases.py does). Steps:

  1. M clients with external references and an NPS survey are created;
  2. a CSV of N answers is written (survey code or name, dates in both accepted formats,
     client references, 0-10 scores, comments, channels);
  3. the importer runs on it exactly as `kliento import survey-answers FILE` does: every row
     is validated and spooled to a temporary file, then all are written in one transaction
     (COPY on PostgreSQL, executemany in batches elsewhere);
  4. baseline: the answers are deleted and the same file is read with the csv module, client
     references and the survey looked up in dicts, and the rows written by the bare bulk path
     of the database (COPY on PostgreSQL, executemany on SQLite) in one transaction, with no
     validation at all.

It prints rows/s for both and the ratio import time / baseline time (what validation and the
spool cost over the bare write), and the peak resident memory of the process after each step
(before the import it already holds what the setup used).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from import_purchases import drop_database, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

COLUMNS = (
    "survey_id, client_id, channel, score, answers, comment, submitted_at, updated_at, "
    "language, imported"
)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def write_file(path: Path, rows: int, clients: int, survey: tuple[str, str], seed: int) -> None:
    rnd = random.Random(seed)
    start = dt.date(2023, 1, 1)
    channels = ["email", "phone", "Email", "sms", ""]
    comments = ["", "", "Great service", "Slow delivery", "Friendly staff, thank you"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["survey", "date", "client", "score", "comment", "channel"])
        for n in range(rows):
            day = start + dt.timedelta(days=rnd.randrange(700))
            writer.writerow(
                [
                    survey[n % 2],
                    day.strftime("%d.%m.%Y") if n % 2 else day.isoformat(),
                    f"B{rnd.randrange(clients)}",
                    str(rnd.randrange(11)),
                    comments[n % len(comments)],
                    channels[n % len(channels)],
                ]
            )


def create_data(clients: int) -> tuple[str, str]:
    from kliento.clients.models import Client
    from kliento.surveys.services import definitions

    batch = [Client(name=f"Bench client {i}", external_ref=f"B{i}") for i in range(clients)]
    Client.objects.bulk_create(batch, batch_size=5000)
    survey = definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name="Bench NPS",
            kind="nps",
            questions=[definitions.QuestionSpec(kind="scale", texts={"en": "Recommend us?"})],
        ),
    )
    return survey.code, survey.name


def run_importer(path: Path) -> tuple[float, dict[str, float], int]:
    from kliento.imports.engine import ImportRequest, run_import
    from kliento.imports.errors import ErrorCollector

    phases: dict[str, float] = {}

    def progress(phase: str, done: int) -> None:
        phases.setdefault(phase, time.perf_counter())

    errors = ErrorCollector()
    started = time.perf_counter()
    outcome = run_import(
        ImportRequest(path, path.name, "survey-answers"),
        actor=None,
        errors=errors,
        progress=progress,
    )
    total = time.perf_counter() - started
    errors.close()
    writing = phases.get("writing", started + total)
    return total, {"validate": writing - started, "write": started + total - writing}, outcome.rows


def run_baseline(path: Path) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from kliento.clients.models import Client
    from kliento.surveys.models import Response, Survey

    table = Response._meta.db_table
    postgres = connection.vendor == "postgresql"
    started = time.perf_counter()
    ids = dict(Client.objects.values_list("external_ref", "pk"))
    surveys: dict[str, tuple[int, str]] = {}
    for survey in Survey.objects.prefetch_related("questions"):
        first = str(survey.questions.all()[0].pk)
        surveys[survey.code] = surveys[survey.name] = (survey.pk, first)
    noon = dt.time(12)
    tz = timezone.get_current_timezone()

    def rows(reader):
        for code, day, ref, score, comment, channel in reader:
            if "." in day[2:3]:
                day = f"{day[6:]}-{day[3:5]}-{day[:2]}"
            moment = dt.datetime.combine(dt.date.fromisoformat(day), noon, tz)
            survey_id, first = surveys[code]
            yield (
                survey_id,
                ids[ref],
                channel.lower() or "email",
                int(score),
                json.dumps({first: int(score)}),
                comment,
                moment,
                moment,
                "",
                True,
            )

    with transaction.atomic(), connection.cursor() as cursor, path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        if postgres:
            with cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:
                for row in rows(reader):
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * 10)
            sql = f"INSERT INTO {table} ({COLUMNS}) VALUES ({marks})"
            batch = []
            for row in rows(reader):
                batch.append(row)
                if len(batch) == 10_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kliento-bench-") as tmp:
        admin, name = throwaway_database(Path(tmp))
        try:
            import os

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
            import django

            from kliento.startup import prepare_data_dir

            prepare_data_dir()
            django.setup()
            from django.core.management import call_command
            from django.db import connection

            from kliento.surveys.models import Response

            call_command("migrate", verbosity=0)
            print(f"database: {connection.vendor} ({name})")
            survey = create_data(args.clients)
            path = Path(tmp) / "answers.csv"
            started = time.perf_counter()
            write_file(path, args.rows, args.clients, survey, args.seed)
            size = path.stat().st_size / 1e6
            print(
                f"file: {args.rows:,} answers for {args.clients:,} clients, {size:.1f} MB, "
                f"generated in {time.perf_counter() - started:.1f} s; peak memory "
                f"{peak_mb():.0f} MB"
            )

            total, phases, rows = run_importer(path)
            assert rows == args.rows == Response.objects.count(), "not every row was imported"
            print(
                f"import:   {total:8.1f} s  {rows / total:>10,.0f} rows/s  "
                f"(validate {phases['validate']:.1f} s, write {phases['write']:.1f} s); "
                f"peak memory {peak_mb():.0f} MB"
            )

            Response.objects.all().delete()
            baseline = run_baseline(path)
            assert Response.objects.count() == args.rows
            bulk = "COPY" if connection.vendor == "postgresql" else "executemany INSERT"
            print(
                f"baseline: {baseline:8.1f} s  {args.rows / baseline:>10,.0f} rows/s  "
                f"(csv + dict lookups + bare {bulk}, no validation)"
            )
            print(f"ratio import/baseline: {total / baseline:.2f}x")
            from harness import Timing, report

            report(
                bench="import",
                case=f"import {rows:,} survey answers",
                value=Timing.single(total),
                unit="s",
                baseline=Timing.single(baseline),
                baseline_name=f"csv + bare {bulk}",
                note="ratio: import time / bare write time",
            )
        finally:
            drop_database(admin, name)


if __name__ == "__main__":
    main()
