"""Historical answers in and out: an import/export target of the platform's import framework,
so a company keeps its NPS history when it moves to Kliento (and exports answers to CSV/XLSX).

A row names the survey (its short-link code or exact name), the date, the client (reference,
e-mail, phone or "#<id>", as the client import reads them), the score, a comment and the
channel. Imported answers open no follow-ups (they are history) and are marked as imported.

Like the purchase import, validated rows are spooled to a temporary file (pickled chunks of
plain values), so memory stays flat however long the file is; the writer streams the spool
into the table with COPY on PostgreSQL and executemany in batches elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import tempfile
from collections.abc import Iterator, Mapping
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.clients import selectors as clients
from kliento.core.channels import Channel
from kliento.imports.registry import (
    PROGRESS_EVERY,
    VALIDATING,
    WRITING,
    Columns,
    ErrorCollector,
    FieldSpec,
    ImportOutcome,
    ImportTarget,
    Progress,
    Table,
    register_target,
)
from kliento.imports.registry import values as v
from kliento.surveys import scoring
from kliento.surveys.models import Response, Survey

KEY = "survey-answers"
BATCH = 5000
# The columns the writer fills; the rest (agent, team, touchpoint, …) stay NULL for history.
COLUMNS = (
    "survey_id",
    "client_id",
    "channel",
    "score",
    "answers",
    "comment",
    "submitted_at",
    "updated_at",
    "language",
    "imported",
)
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "survey", gettext_lazy("Survey (code or name)"), True, ("опрос", "опитування", "ankieta")
    ),
    FieldSpec("date", gettext_lazy("Date"), True, ("дата", "data", "answered", "submitted")),
    FieldSpec(
        "client",
        gettext_lazy("Client (reference, email or phone)"),
        True,
        ("customer", "клиент", "клієнт", "klient", "email", "e-mail"),
    ),
    FieldSpec("score", gettext_lazy("Score"), True, ("оценка", "оцінка", "ocena", "nps", "rating")),
    FieldSpec(
        "comment", gettext_lazy("Comment"), synonyms=("комментарий", "коментар", "komentarz")
    ),
    FieldSpec("channel", gettext_lazy("Channel"), synonyms=("канал", "kanał", "kanal")),
)


class AnswerPlan:
    """The cleaned rows of a file, spooled to disk: (survey id, client id, channel, score,
    answers as JSON text, comment, moment)."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 closed in close()
        self.rows = 0

    def add_chunk(self, rows: list[tuple]) -> None:
        pickle.dump(rows, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.rows += len(rows)

    def chunks(self) -> Iterator[list[tuple]]:
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)  # our own temporary file
            except EOFError:
                return

    def close(self) -> None:
        self.file.close()


class AnswerValidator:
    def __init__(self, table: Table, mapping: dict[str, str], errors: ErrorCollector) -> None:
        self.table = table
        self.cols = Columns(table.headers or [], mapping)
        self.errors = errors
        self.channel = v.ChoiceReader(Channel.choices)
        self.surveys: dict[str, Survey] = {}
        # The score question of each survey, asked once (not once a row).
        self.first_question: dict[int, int] = {}
        for survey in Survey.objects.prefetch_related("questions"):
            self.surveys.setdefault(survey.code.lower(), survey)
            self.surveys.setdefault(survey.name.strip().lower(), survey)
            first = next(iter(survey.questions.all()), None)
            if first is not None:
                self.first_question[survey.pk] = first.pk
        self.noon = dt.time(12)

    def _error(self, row: int, key: str, value: object, message: str) -> None:
        self.errors.add(row, self.cols.header.get(key, key), v.text(value), message)

    def run(self, progress: Progress) -> AnswerPlan:
        plan = AnswerPlan()
        try:
            batch: list[tuple[int, list[Any]]] = []
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
        except BaseException:
            plan.close()
            raise
        return plan

    def _check(self, batch: list[tuple[int, list[Any]]], plan: AnswerPlan) -> None:
        keys = [v.text(self.cols.get(values, "client")) for _n, values in batch]
        found = clients.find_clients(k for k in keys if k)
        out: list[tuple] = []
        for number, values in batch:
            row = self._row(number, values, found)
            if row is not None:
                out.append(row)
        self.errors.flush()
        # Once a row is wrong nothing will be written: stop spooling, keep checking.
        if out and not self.errors:
            plan.add_chunk(out)

    def _row(self, number: int, values: list[Any], found: Mapping[str, int | None]) -> tuple | None:
        bad = False
        raw_survey = v.text(self.cols.get(values, "survey"))
        survey = self.surveys.get(raw_survey.lower())
        if survey is None:
            self._error(number, "survey", raw_survey, _("No survey has this code or name."))
            bad = True
        day: dt.date | None = None
        try:
            day = v.parse_past_date(self.cols.get(values, "date"))
        except v.ValueProblem as exc:
            self._error(number, "date", self.cols.get(values, "date"), str(exc))
            bad = True
        key = v.text(self.cols.get(values, "client"))
        client_id = found.get(key) if key else None
        if client_id is None:
            self._error(number, "client", key, _("No client has this reference, email or phone."))
            bad = True
        elif client_id == clients.AMBIGUOUS:
            self._error(
                number,
                "client",
                key,
                _("Several clients have this email or phone; use their reference."),
            )
            bad = True
        raw_score = v.text(self.cols.get(values, "score"))
        score: int | None = None
        if survey is not None:
            low, high = scoring.bounds(survey.scale or "1-5")
            if raw_score.lstrip("-").isdecimal() and low <= int(raw_score) <= high:
                score = int(raw_score)
            else:
                self._error(
                    number,
                    "score",
                    raw_score,
                    _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high},
                )
                bad = True
        comment = v.text(self.cols.get(values, "comment"))
        if len(comment) > 5000:
            self._error(number, "comment", comment, _("At most %(n)d characters.") % {"n": 5000})
            bad = True
        channel = "email"
        raw_channel = self.cols.get(values, "channel")
        if v.text(raw_channel):
            try:
                channel = self.channel(raw_channel)
            except v.ValueProblem as exc:
                self._error(number, "channel", raw_channel, str(exc))
                bad = True
        if bad or self.errors or survey is None or day is None or client_id is None:
            return None
        moment = timezone.make_aware(dt.datetime.combine(day, self.noon))
        first = self.first_question.get(survey.pk)
        answers = json.dumps({str(first): score} if first is not None else {})
        return (survey.pk, client_id, channel, score, answers, comment, moment)


def write_answers(
    plan: AnswerPlan, /, *, actor: Any, filename: str, data: dict[str, Any], progress: Progress
) -> ImportOutcome:
    if connection.vendor == "postgresql":
        _copy(plan, progress)
    else:
        _insert(plan, progress)
    return ImportOutcome(rows=plan.rows, created=plan.rows)


def _copy(plan: AnswerPlan, progress: Progress) -> None:
    table = connection.ops.quote_name(Response._meta.db_table)
    sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
    done = 0
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for chunk in plan.chunks():
            for row in chunk:
                copy.write_row((*row, row[-1], "", True))
            done += len(chunk)
            progress(WRITING, done)


def _insert(plan: AnswerPlan, progress: Progress) -> None:
    ops = connection.ops
    table = ops.quote_name(Response._meta.db_table)
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})"
    done = 0
    with connection.cursor() as cursor:
        for chunk in plan.chunks():
            cursor.executemany(
                sql,
                [
                    (*row[:6], stamp, stamp, "", True)
                    for row in chunk
                    for stamp in (ops.adapt_datetimefield_value(row[6]),)
                ],
            )
            done += len(chunk)
            progress(WRITING, done)


EXPORT_COLUMNS = [spec.key for spec in FIELDS]


def export_answers(user: Any, params: Mapping[str, Any]) -> tuple[list[str], Iterator[list[Any]]]:
    """Every answer the user may see (all of them with `surveys.view_all_responses`); one
    survey with ?survey=<id>."""
    from kliento.surveys.selectors import responses_for

    qs = responses_for(user)
    survey = str(params.get("survey", ""))
    if survey.isdecimal():
        qs = qs.filter(survey_id=int(survey))

    def rows() -> Iterator[list[Any]]:
        for code, moment, client_id, ref, score, comment, channel in qs.values_list(
            "survey__code",
            "submitted_at",
            "client_id",
            "client__external_ref",
            "score",
            "comment",
            "channel",
        ).iterator(chunk_size=BATCH):
            client = (ref or f"#{client_id}") if client_id else ""
            yield [code, timezone.localdate(moment), client, score, comment, channel]

    return EXPORT_COLUMNS, rows()


def register() -> None:
    register_target(
        ImportTarget(
            key=KEY,
            label=gettext_lazy("Survey answers"),
            import_permission="surveys.manage_surveys",
            export_permission="surveys.export_responses",
            fields=FIELDS,
            validator=AnswerValidator,
            writer=write_answers,
            exporter=export_answers,
            hint=gettext_lazy(
                "One row per answer. Survey: its short-link code or exact name. Dates: "
                "2026-03-31 or 31.03.2026. The score must fit the survey's scale."
            ),
            done_url_name="surveys:list",
            done_label=gettext_lazy("Open the surveys"),
            order=40,
        )
    )
