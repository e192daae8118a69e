"""Historical answers in and out: an import/export target of the platform's import framework,
so a company keeps its NPS history when it moves to Kliento (and exports answers to CSV/XLSX).

A row names the survey (its short-link code or exact name), the date, the client (reference,
e-mail, phone or "#<id>", as the client import reads them), the score, a comment and the
channel. Imported answers open no follow-ups (they are history) and are marked as imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

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
BATCH = 2000
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


class AnswerValidator:
    def __init__(self, table: Table, mapping: dict[str, str], errors: ErrorCollector) -> None:
        self.table = table
        self.cols = Columns(table.headers or [], mapping)
        self.errors = errors
        self.channel = v.ChoiceReader(Channel.choices)
        self.surveys: dict[str, Survey] = {}
        for survey in Survey.objects.all():
            self.surveys.setdefault(survey.code.lower(), survey)
            self.surveys.setdefault(survey.name.strip().lower(), survey)

    def _error(self, row: int, key: str, value: object, message: str) -> None:
        self.errors.add(row, self.cols.header.get(key, key), v.text(value), message)

    def run(self, progress: Progress) -> list[Response]:
        rows: list[Response] = []
        batch: list[tuple[int, list[Any]]] = []
        done = 0
        for row in self.table.rows():
            batch.append(row)
            if len(batch) >= BATCH:
                rows.extend(self._check(batch))
                done += len(batch)
                batch = []
                if done % PROGRESS_EVERY < BATCH:
                    progress(VALIDATING, done)
        rows.extend(self._check(batch))
        progress(VALIDATING, done + len(batch))
        return rows

    def _check(self, batch: list[tuple[int, list[Any]]]) -> list[Response]:
        keys = [v.text(self.cols.get(values, "client")) for _n, values in batch]
        found = clients.find_clients(k for k in keys if k)
        out: list[Response] = []
        for number, values in batch:
            response = self._row(number, values, found)
            if response is not None:
                out.append(response)
        self.errors.flush()
        return out

    def _row(
        self, number: int, values: list[Any], found: Mapping[str, int | None]
    ) -> Response | None:
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
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        answers = {}
        first = next(iter(survey.questions.all()), None)
        if first is not None and score is not None:
            answers[str(first.pk)] = score
        return Response(
            survey=survey,
            client_id=client_id,
            channel=channel,
            score=score,
            answers=answers,
            comment=comment,
            submitted_at=moment,
            updated_at=moment,
            imported=True,
        )


def write_answers(
    rows: list[Response], /, *, actor: Any, filename: str, data: dict[str, Any], progress: Progress
) -> ImportOutcome:
    done = 0
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        Response.objects.bulk_create(chunk, batch_size=BATCH)
        done += len(chunk)
        progress(WRITING, done)
    return ImportOutcome(rows=len(rows), created=len(rows))


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
