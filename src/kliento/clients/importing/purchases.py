"""Purchase import: validate every row into a spool file, then write it all in the transaction
the import machinery opens around the writer.

The spool holds already-cleaned rows (pickled in chunks) so the write phase does no parsing and
memory stays flat however long the file is. On PostgreSQL rows go in through COPY; elsewhere
through executemany in batches.
"""

from __future__ import annotations

import datetime as dt
import pickle
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kliento.clients.importing.resolving import AMBIGUOUS, ClientResolver
from kliento.clients.models import Purchase, TimelineEntry
from kliento.clients.services import activity, timeline
from kliento.core.money import is_currency, validate_currency
from kliento.core.types import Actor
from kliento.imports.registry import (
    PROGRESS_EVERY,
    VALIDATING,
    WRITING,
    Columns,
    ErrorCollector,
    ImportOutcome,
    Progress,
    Table,
    matching,
)
from kliento.imports.registry import values as v

ORDER_REF_MAX = Purchase._meta.get_field("external_ref").max_length or 100

BATCH = 5000
FIELD_ORDER = (
    "client",
    "occurred_on",
    "amount",
    "currency",
    "description",
    "channel",
    "external_ref",
    "cost",
)
_BAD = object()  # marks a cell that failed; its error is already collected
COLUMNS = (
    "client_id",
    "occurred_on",
    "amount",
    "currency",
    "description",
    "channel",
    "external_ref",
    "cost",
    "items",
    "created_at",
)


class PurchasePlan:
    """The cleaned rows of a file, spooled to disk, and how many each client has."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 closed in close()
        self.rows = 0
        self.per_client: Counter[int] = Counter()

    def add_chunk(self, rows: list[tuple]) -> None:
        pickle.dump(rows, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.rows += len(rows)
        self.per_client.update(row[0] for row in rows)

    def chunks(self) -> Iterator[list[Any]]:
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)  # our own temporary file
            except EOFError:
                return

    def close(self) -> None:
        self.file.close()


class PurchaseValidator:
    def __init__(self, table: Table, mapping: dict[str, str], errors: ErrorCollector) -> None:
        self.table = table
        self.cols = Columns(table.headers or [], mapping)
        self.errors = errors
        self.resolver = ClientResolver()
        self.seen_refs: dict[str, int] = {}
        self.channel = v.ChoiceReader(Purchase.SalesChannel.choices)
        self.default_currency = settings.KLIENTO_DEFAULT_CURRENCY
        self.positions = [self.cols.index.get(key) for key in FIELD_ORDER]
        self.today = timezone.localdate()

    def run(self, progress: Progress) -> PurchasePlan:
        plan = PurchasePlan()
        batch: list[tuple[int, list]] = []
        done = 0
        for row in self.table.rows():
            batch.append(row)
            if len(batch) >= BATCH:
                self._check(batch, plan)
                done += len(batch)
                batch = []
                if done % PROGRESS_EVERY < BATCH:
                    progress(VALIDATING, done)
        if batch:
            self._check(batch, plan)
            done += len(batch)
        progress(VALIDATING, done)
        return plan

    def _error(self, row: int, key: str, value: object, message: str) -> None:
        self.errors.add(row, self.cols.header.get(key, key), v.text(value), message)

    def _read(
        self,
        number: int,
        values: list[Any],
        field: str,
        reader: Callable[[Any], Any],
        required: bool = False,
    ) -> Any:
        raw = self.cols.get(values, field)
        if required and v.text(raw) == "":
            self._error(number, field, raw, _("This value is required."))
            return _BAD
        try:
            return reader(raw)
        except v.ValueProblem as exc:
            self._error(number, field, raw, str(exc))
            return _BAD

    def _currency(self, raw: object) -> str:
        try:
            return validate_currency(v.text(raw) or self.default_currency)
        except ValidationError as exc:
            raise v.ValueProblem(" ".join(exc.messages)) from None

    def _channel(self, raw: object) -> str:
        return self.channel(raw) if v.text(raw) else Purchase.SalesChannel.STORE

    def _order(self, number: int, raw: object) -> str | None:
        ref = v.limited(raw, ORDER_REF_MAX)
        if not ref:
            return None
        first = self.seen_refs.setdefault(ref, number)
        if first != number:
            raise v.ValueProblem(
                _("The order number appears twice in the file (first in row %(row)d).")
                % {"row": first}
            )
        return ref

    def _fast(self, number: int, values: list) -> tuple | None:
        """A row read without error bookkeeping; None sends it through `_careful`, which
        records exactly what is wrong. Nearly every row of a real file takes this path."""
        size = len(values)
        cells = [values[i] if i is not None and i < size else None for i in self.positions]
        try:
            key = v.text(cells[0])
            day = v.parse_date(cells[1]) if cells[1] not in (None, "") else None
            amount = v.parse_amount(cells[2]) if cells[2] not in (None, "") else None
            # The cost obeys the amount's rule (kliento.core.money): an empty cell is unknown.
            cost = v.parse_amount(cells[7]) if cells[7] not in (None, "") else None
        except v.ValueProblem:
            return None
        if not key or day is None or amount is None or day > self.today:
            return None
        currency = v.text(cells[3]).upper() or self.default_currency
        description = v.text(cells[4])
        spelled = v.text(cells[5])
        channel = (
            self.channel.lookup.get(spelled.lower()) if spelled else Purchase.SalesChannel.STORE
        )
        ref = v.text(cells[6])
        if channel is None or not is_currency(currency) or len(description) > 500:
            return None
        if len(ref) > 100 or (ref and self.seen_refs.setdefault(ref, number) != number):
            return None
        return (key, day, amount, currency, description, channel, ref or None, cost)

    def _clean(self, number: int, values: list) -> tuple | None:
        return self._fast(number, values) or self._careful(number, values)

    def _careful(self, number: int, values: list) -> tuple | None:
        row = (
            self._read(number, values, "client", v.text, required=True),
            self._read(number, values, "occurred_on", v.parse_past_date, required=True),
            self._read(number, values, "amount", v.parse_amount, required=True),
            self._read(number, values, "currency", self._currency),
            self._read(number, values, "description", lambda raw: v.limited(raw, 500)),
            self._read(number, values, "channel", self._channel),
            self._read(number, values, "external_ref", lambda raw: self._order(number, raw)),
            self._read(number, values, "cost", _optional_amount),
        )
        return None if _BAD in row else row

    def _check(self, batch: list[tuple[int, list]], plan: PurchasePlan) -> None:
        cleaned = [(number, self._clean(number, values)) for number, values in batch]
        good = [(number, row) for number, row in cleaned if row is not None]
        self.resolver.load(row[0] for _n, row in good)
        refs = [row[6] for _n, row in good if row[6]]
        existing = {ref for (ref,) in matching(Purchase, "external_ref", refs)}
        rows: list[tuple] = []
        for number, row in good:
            client_id = self.resolver.get(row[0])
            if client_id is None:
                self._error(
                    number, "client", row[0], _("No client has this reference, email or phone.")
                )
            elif client_id == AMBIGUOUS:
                self._error(
                    number,
                    "client",
                    row[0],
                    _("Several clients have this email or phone; use their reference."),
                )
            elif row[6] in existing:
                self._error(
                    number,
                    "external_ref",
                    row[6],
                    _("A purchase with this order number has already been imported."),
                )
            elif not self.errors:
                # Text, not date/Decimal objects: it pickles several times faster and both
                # COPY and SQLite take it as it is.
                cost = None if row[7] is None else str(row[7])
                rows.append((client_id, row[1].isoformat(), str(row[2]), *row[3:7], cost))
        self.errors.flush()
        if rows:
            plan.add_chunk(rows)


def _optional_amount(raw: object) -> Any:
    return v.parse_amount(raw) if v.text(raw) else None


def write_purchases(
    plan: PurchasePlan, /, *, actor: Any, filename: str, data: dict[str, Any], progress: Progress
) -> ImportOutcome:
    """A unique order number written by another import since the check raises IntegrityError,
    which the machinery turns into a rejection of the whole file."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        _copy(plan, now, progress)
    else:
        _insert(plan, now, progress)
    _timeline(plan, actor=actor, filename=filename, data=data, now=now)
    activity.refresh_purchase_totals(client_ids=plan.per_client.keys())
    return ImportOutcome(rows=plan.rows, created=plan.rows, clients=len(plan.per_client))


def _copy(plan: PurchasePlan, now: dt.datetime, progress: Progress) -> None:
    table = connection.ops.quote_name(Purchase._meta.db_table)
    sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
    done = 0
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for chunk in plan.chunks():
            for row in chunk:
                copy.write_row((*row, "[]", now))
            done += len(chunk)
            progress(WRITING, done)


def _insert(plan: PurchasePlan, now: dt.datetime, progress: Progress) -> None:
    ops = connection.ops
    table = ops.quote_name(Purchase._meta.db_table)
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})"
    stamp = ops.adapt_datetimefield_value(now)
    done = 0
    with connection.cursor() as cursor:
        for chunk in plan.chunks():
            cursor.executemany(
                sql,
                [(*row, "[]", stamp) for row in chunk],
            )
            done += len(chunk)
            progress(WRITING, done)


def _timeline(
    plan: PurchasePlan, *, actor: Actor, filename: str, data: dict[str, Any], now: dt.datetime
) -> None:
    """One entry per client; there can be as many as rows, so PostgreSQL gets them by COPY."""
    summaries: dict[int, str] = {}

    def summary(count: int) -> str:
        if count not in summaries:
            summaries[count] = ngettext(
                "%(count)d purchase imported from %(file)s",
                "%(count)d purchases imported from %(file)s",
                count,
            ) % {"count": count, "file": filename}
        return summaries[count][:500]

    actor_id = actor.pk if actor is not None else None
    timeline.record_many(
        timeline.NewEntry(
            client_id=client_id,
            kind=TimelineEntry.Kind.IMPORTED,
            actor_id=actor_id,
            occurred_at=now,
            summary=summary(count),
            data={**data, "file": filename, "purchases": count},
        )
        for client_id, count in plan.per_client.items()
    )
