"""Bulk loading of generated rows: COPY on PostgreSQL, executemany on SQLite.

For demo and benchmark databases only: on PostgreSQL the loaded tables are locked and their
secondary indexes and constraints are dropped for the load and rebuilt after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from django.db import connection
from django.db.models import Model

from kliento.clients.models import Client, ContactPoint, Purchase, TimelineEntry

CHUNK = 50_000
Progress = Callable[[str, int, int], None]


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


LOADED_MODELS = (Client, ContactPoint, TimelineEntry, Purchase)


class _Writer:
    def next_client_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {Client._meta.db_table}")
            return cursor.fetchone()[0]


class _PostgresWriter(_Writer):
    """COPY into tables whose secondary indexes and constraints are rebuilt afterwards.

    Maintaining four b-tree indexes, a GIN trigram index and a foreign-key trigger per row is
    what makes a ten-million-row COPY slow; building them once over the loaded table is several
    times faster (the same trick pg_restore uses). DDL is transactional in PostgreSQL, so a
    failed load rolls the dropped indexes back with the rows. The tables are locked for the
    duration: this is a loader for demo and benchmark databases, not for a live system.
    """

    def __init__(self) -> None:
        self._rebuild: list[str] = []

    def lock(self) -> None:
        tables = [m._meta.db_table for m in LOADED_MODELS]
        with connection.cursor() as cursor:
            # Client ids are chosen here rather than by the sequence, and the indexes are
            # dropped below: nobody else may touch these tables until the commit.
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
                "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) "
                "AND contype IN ('f', 'u') ORDER BY contype DESC, conname",
                [tables],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
                "AND c.contype IN ('p', 'u', 'x')) ORDER BY 1",
                [tables],
            )
            indexes = cursor.fetchall()
            # Foreign keys go first (contype 'f' sorts before 'u' descending) and come back last.
            for table, name, _definition, _kind in constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
        self._rebuild = [definition for _name, definition in indexes] + [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, definition, _kind in reversed(constraints)
        ]

    def write(
        self,
        model: type[Model],
        columns: Sequence[str],
        rows: Iterable[tuple],
        total: int,
        report: Progress,
        label: str,
    ) -> None:
        table = model._meta.db_table
        done = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for batch in _batches(rows, CHUNK):
                    for row in batch:
                        copy.write_row(row)
                    done += len(batch)
                    report(label, done, total)

    def finish(self, report: Progress) -> None:
        table = Client._meta.db_table
        with connection.cursor() as cursor:
            for done, statement in enumerate(self._rebuild, start=1):
                cursor.execute(statement)
                report("indexes and constraints", done, len(self._rebuild))
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )

    def analyze(self) -> None:
        # Fresh statistics, or the planner guesses row counts from an empty table and picks
        # sequential scans for the first searches.
        with connection.cursor() as cursor:
            for model in (Client, ContactPoint, TimelineEntry, Purchase):
                cursor.execute(f"ANALYZE {model._meta.db_table}")


class _SqliteWriter(_Writer):
    def lock(self) -> None:
        # The transaction is opened IMMEDIATE (see settings), which already excludes writers.
        pass

    def write(
        self,
        model: type[Model],
        columns: Sequence[str],
        rows: Iterable[tuple],
        total: int,
        report: Progress,
        label: str,
    ) -> None:
        table = model._meta.db_table
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        done = 0
        raw = connection.connection  # sqlite3 connection: executemany without Django's wrapper
        for batch in _batches(rows, CHUNK):
            raw.executemany(sql, batch)
            done += len(batch)
            report(label, done, total)

    def finish(self, report: Progress) -> None:
        # AUTOINCREMENT already remembers the highest explicit id.
        pass

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def writer_for_connection() -> _PostgresWriter | _SqliteWriter:
    return _PostgresWriter() if connection.vendor == "postgresql" else _SqliteWriter()
