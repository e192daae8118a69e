"""Mentions from a CSV/XLSX file (an export of a review site or a monitoring tool): a target of
the import framework. Each row goes through the same intake as the API and the feeds, so it is
judged, matched and assigned; a row whose source and external id are already known is counted
as unchanged, never created twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from kliento.mentions.models import LANGUAGES, Mention
from kliento.mentions.services import intake, matching

KEY = "mentions"
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("source", gettext_lazy("Source"), True, ("site", "источник", "джерело", "źródło")),
    FieldSpec("text", gettext_lazy("Text"), True, ("review", "текст", "tekst", "content")),
    FieldSpec("date", gettext_lazy("Date"), synonyms=("дата", "data", "published")),
    FieldSpec("author", gettext_lazy("Author"), synonyms=("автор", "autor")),
    FieldSpec(
        "author_contact", gettext_lazy("Author's contact"), synonyms=("email", "phone", "handle")
    ),
    FieldSpec("url", gettext_lazy("URL"), synonyms=("link", "ссылка", "посилання")),
    FieldSpec("title", gettext_lazy("Title"), synonyms=("заголовок", "tytuł")),
    FieldSpec("language", gettext_lazy("Language"), synonyms=("язык", "мова", "język")),
    FieldSpec(
        "rating", gettext_lazy("Rating (1–5)"), synonyms=("оценка", "оцінка", "ocena", "stars")
    ),
    FieldSpec("external_id", gettext_lazy("External id"), synonyms=("id", "guid")),
)


class MentionValidator:
    def __init__(self, table: Table, mapping: dict[str, str], errors: ErrorCollector) -> None:
        self.table = table
        self.cols = Columns(table.headers or [], mapping)
        self.errors = errors

    def _error(self, row: int, key: str, value: object, message: str) -> None:
        self.errors.add(row, self.cols.header.get(key, key), v.text(value), message)

    def run(self, progress: Progress) -> list[intake.MentionDraft]:
        drafts: list[intake.MentionDraft] = []
        for done, (number, values) in enumerate(self.table.rows(), start=1):
            draft = self._row(number, values)
            if draft is not None and not self.errors:
                drafts.append(draft)
            if done % PROGRESS_EVERY == 0:
                progress(VALIDATING, done)
        self.errors.flush()
        progress(VALIDATING, len(drafts))
        return drafts

    def _row(self, number: int, values: list[Any]) -> intake.MentionDraft | None:
        get = self.cols.get
        bad = False
        rating: int | None = None
        raw_rating = v.text(get(values, "rating"))
        if raw_rating:
            if raw_rating.isdecimal() and 1 <= int(raw_rating) <= 5:
                rating = int(raw_rating)
            else:
                self._error(number, "rating", raw_rating, _("Give a rating from 1 to 5."))
                bad = True
        published: dt.datetime | None = None
        if v.text(get(values, "date")):
            try:
                day = v.parse_past_date(get(values, "date"))
                published = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
            except v.ValueProblem as exc:
                self._error(number, "date", get(values, "date"), str(exc))
                bad = True
        language = v.text(get(values, "language")).lower()[:2]
        if language and language not in LANGUAGES:
            self._error(
                number,
                "language",
                language,
                _("Choose one of: %(codes)s.") % {"codes": ", ".join(LANGUAGES)},
            )
            bad = True
        draft = intake.MentionDraft(
            source=v.text(get(values, "source")),
            text=v.text(get(values, "text")),
            external_id=v.text(get(values, "external_id")) or v.text(get(values, "url")),
            author=v.text(get(values, "author")),
            author_contact=v.text(get(values, "author_contact")),
            url=v.text(get(values, "url")),
            title=v.text(get(values, "title")),
            language=language,
            rating=rating,
            published_at=published,
        )
        try:
            intake.clean(draft)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self._error(number, field, getattr(draft, field, ""), message)
            bad = True
        return None if bad else draft


def write_mentions(
    drafts: list[intake.MentionDraft],
    /,
    *,
    actor: Any,
    filename: str,
    data: dict[str, Any],
    progress: Progress,
) -> ImportOutcome:
    created = unchanged = 0
    rules = matching.active_rules()
    # A chunk at a time through the batch intake (one query for the known ids, one INSERT),
    # reporting progress after each.
    for start in range(0, len(drafts), PROGRESS_EVERY):
        chunk = drafts[start : start + PROGRESS_EVERY]
        batch = intake.receive_many(
            actor=actor, drafts=chunk, origin=Mention.Origin.IMPORT, rules=rules
        )
        created += len(batch.created)
        # The validator refused rows without text already; anything `clean` still refuses was
        # not created, like a row seen before.
        unchanged += batch.duplicates + batch.skipped
        progress(WRITING, start + len(chunk))
    progress(WRITING, len(drafts))
    return ImportOutcome(rows=len(drafts), created=created, unchanged=unchanged)


def register() -> None:
    register_target(
        ImportTarget(
            key=KEY,
            label=gettext_lazy("Mentions"),
            import_permission="mentions.add_mention",
            fields=FIELDS,
            validator=MentionValidator,
            writer=write_mentions,
            hint=gettext_lazy(
                "One mention a row. A row whose source and external id (or URL) were imported "
                "before is skipped. Sentiment, situation and owner are set as for any mention."
            ),
            done_url_name="mentions:inbox",
            done_label=gettext_lazy("Open the mentions"),
            order=80,
        )
    )
