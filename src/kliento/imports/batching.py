"""Asking the database about many values at once (never one query a row)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, models

CHUNK = 900  # below SQLite's limit on query parameters
MAX_ID = 2**63 - 1  # ids are signed 64-bit integers in SQLite and PostgreSQL


def chunked[T](items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def matching(model: type[models.Model], column: str, values: list[Any], *extra: str) -> list[tuple]:
    """Rows (column, *extra) of `model` whose column is one of `values`: one query with an
    array on PostgreSQL, chunked IN lists elsewhere."""
    if not values:
        return []
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        selected = ", ".join(connection.ops.quote_name(c) for c in (column, *extra))
        where = connection.ops.quote_name(column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {selected} FROM {table} WHERE {where} = ANY(%s)", [list(values)]
            )
            return cursor.fetchall()
    rows: list[tuple] = []
    for batch in chunked(values):
        rows.extend(
            model._default_manager.filter(**{f"{column}__in": batch}).values_list(column, *extra)
        )
    return rows
