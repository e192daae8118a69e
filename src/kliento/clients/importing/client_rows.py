"""Clients import, first half: read and check every row, resolving references in bulk."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kliento.clients import rules
from kliento.clients.contacts import normalize_email, normalize_phone
from kliento.clients.models import Client
from kliento.imports.registry import (
    PROGRESS_EVERY,
    VALIDATING,
    Columns,
    ErrorCollector,
    Progress,
    Table,
    chunked,
)
from kliento.imports.registry import values as v

_TAG_SPLIT = re.compile(r"[,;]")


@dataclass
class ClientRow:
    number: int
    data: dict[str, Any]  # the cleaned non-empty cells, by field
    tags: list[str] = field(default_factory=list)
    existing: Client | None = None
    company_row: ClientRow | None = None  # a company created by the same file
    company_id: int | None = None
    company_kind: str | None = None  # the kind of the client named in the company column
    manager_id: int | None = None

    @property
    def client(self) -> Client:
        """The stored client; the writer creates one for each new row before asking."""
        assert self.existing is not None
        return self.existing

    @property
    def kind(self) -> str:
        if "kind" in self.data:
            return self.data["kind"]
        return self.existing.kind if self.existing else Client.Kind.PERSON


def _limited(field: str) -> Callable[[Any], Any]:
    """A text cell of a client field: as long as the field allows, normalised as the card
    and the API normalise it (the one list of editable fields, `clients.rules`)."""
    limit = rules.max_length(field) or 10_000
    return lambda raw: rules.normalise(field, v.limited(raw, limit))


def _phone(raw: object) -> str:
    try:
        return normalize_phone(v.text(raw))
    except ValidationError as exc:
        raise v.ValueProblem(" ".join(exc.messages)) from None


def _email(raw: object) -> str:
    try:
        return normalize_email(v.text(raw))
    except ValidationError as exc:
        raise v.ValueProblem(" ".join(exc.messages)) from None


def _tags(raw: object) -> list[str]:
    names = [t.strip() for t in _TAG_SPLIT.split(v.text(raw)) if t.strip()]
    for name in names:
        if len(name) > 60:
            raise v.ValueProblem(
                _("The tag “%(tag)s” is longer than 60 characters.") % {"tag": name}
            )
    return list(dict.fromkeys(names))


class ClientValidator:
    def __init__(self, table: Table, mapping: dict[str, str], errors: ErrorCollector) -> None:
        self.table = table
        self.cols = Columns(table.headers or [], mapping)
        self.errors = errors
        self.readers: dict[str, Callable[[Any], Any]] = {
            "name": _limited("name"),
            "kind": v.ChoiceReader(Client.Kind.choices),
            "external_ref": _limited("external_ref"),
            "phone": _phone,
            "email": _email,
            # A company's reference or name.
            "company": lambda raw: v.limited(raw, rules.max_length("name") or 200),
            "job_title": _limited("job_title"),
            "language": v.ChoiceReader(settings.LANGUAGES),
            "segment": lambda raw: v.limited(raw, 100),
            "tags": _tags,
            "account_manager": v.text,
            "client_since": v.parse_past_date,
            "status": v.ChoiceReader(Client.Status.choices),
            "left_on": v.parse_past_date,
            "notes": v.text,
        }

    def error(self, row: ClientRow | int, key: str, value: object, message: str) -> None:
        number = row if isinstance(row, int) else row.number
        self.errors.add(number, self.cols.header.get(key, key), v.text(value), message)

    def run(self, progress: Progress) -> list[ClientRow]:
        rows: list[ClientRow] = []
        seen_refs: dict[str, int] = {}
        for number, values in self.table.rows():
            row = ClientRow(number, {})
            for key in self.cols.index:
                raw = self.cols.get(values, key)
                if v.text(raw) == "":
                    continue
                try:
                    row.data[key] = self.readers[key](raw)
                except v.ValueProblem as exc:
                    self.error(number, key, raw, str(exc))
            row.tags = row.data.pop("tags", [])
            ref = row.data.get("external_ref")
            if ref and seen_refs.setdefault(ref, number) != number:
                self.error(
                    number,
                    "external_ref",
                    ref,
                    _("This reference appears twice in the file (first in row %(row)d).")
                    % {"row": seen_refs[ref]},
                )
            rows.append(row)
            if len(rows) % PROGRESS_EVERY == 0:
                progress(VALIDATING, len(rows))
        self._match_existing(rows)
        self._check_rows(rows)
        self._resolve_companies(rows)
        self._check_client_rules(rows)
        self._resolve_managers(rows)
        progress(VALIDATING, len(rows))
        return rows

    def _match_existing(self, rows: list[ClientRow]) -> None:
        by_ref = {row.data["external_ref"]: row for row in rows if row.data.get("external_ref")}
        for batch in chunked(by_ref):
            for client in Client.objects.filter(external_ref__in=batch):
                by_ref[client.external_ref].existing = client

    def _check_rows(self, rows: list[ClientRow]) -> None:
        for row in rows:
            data = row.data
            if row.existing is None and not data.get("name"):
                self.error(row, "name", "", _("The name is required for a new client."))
            status = data.get("status")
            if status is None and "left_on" in data:
                status = data["status"] = Client.Status.LEFT
            if status == Client.Status.ACTIVE and "left_on" in data:
                self.error(
                    row,
                    "left_on",
                    data["left_on"],
                    _("An active client cannot have a date of leaving."),
                )
            existing_left_on = row.existing.left_on if row.existing else None
            if status == Client.Status.LEFT and not (data.get("left_on") or existing_left_on):
                self.error(
                    row,
                    "status",
                    status,
                    _("Give the date the client left in the “left on” column."),
                )

    def _resolve_companies(self, rows: list[ClientRow]) -> None:
        wanted = {row.data["company"] for row in rows if row.data.get("company")}
        if not wanted:
            return
        db_by_ref: dict[str, Client] = {}
        db_by_name: dict[str, list[Client]] = {}
        for batch in chunked(wanted):
            for client in Client.objects.filter(external_ref__in=batch):
                db_by_ref[client.external_ref or ""] = client
            for client in Client.objects.filter(name__in=batch, kind=Client.Kind.COMPANY):
                db_by_name.setdefault(client.name, []).append(client)
        file_by_ref: dict[str, ClientRow] = {}
        file_by_name: dict[str, list[ClientRow]] = {}
        for row in rows:
            if row.kind == Client.Kind.COMPANY and row.existing is None:
                if row.data.get("external_ref"):
                    file_by_ref[row.data["external_ref"]] = row
                if row.data.get("name"):
                    file_by_name.setdefault(row.data["name"], []).append(row)
        for row in rows:
            key = row.data.get("company")
            if not key:
                continue
            if key in db_by_ref:
                # Any client may be named; the company rule then says whether it can be one.
                row.company_id = db_by_ref[key].pk
                row.company_kind = db_by_ref[key].kind
            elif key in file_by_ref:
                row.company_row = file_by_ref[key]
                row.company_kind = Client.Kind.COMPANY
            elif len(db_by_name.get(key, [])) + len(file_by_name.get(key, [])) > 1:
                self.error(
                    row,
                    "company",
                    key,
                    _("Several companies have this name; use the company's reference."),
                )
            elif key in db_by_name:
                row.company_id = db_by_name[key][0].pk
                row.company_kind = Client.Kind.COMPANY
            elif key in file_by_name:
                row.company_row = file_by_name[key][0]
                row.company_kind = Client.Kind.COMPANY
            else:
                self.error(
                    row,
                    "company",
                    key,
                    _("No company has this reference or name, in Kliento or in the file."),
                )

    def _check_client_rules(self, rows: list[ClientRow]) -> None:
        """The company/person rules of the card (`clients.rules`), for every row at once: who
        has contact persons is counted in bulk, in the database and in this file."""
        becoming_person = [
            row.existing.pk
            for row in rows
            if row.existing
            and row.existing.kind == Client.Kind.COMPANY
            and row.kind != Client.Kind.COMPANY
        ]
        with_persons = {row.company_id for row in rows if row.company_id}
        for batch in chunked(becoming_person):
            with_persons.update(
                Client.objects.filter(company_id__in=batch).values_list("company_id", flat=True)
            )
        for row in rows:
            existing = row.existing
            company_kind = row.company_kind
            if company_kind is None and "company" not in row.data and existing is not None:
                # An empty cell keeps the stored company.
                company_kind = Client.Kind.COMPANY if existing.company_id else None
            broken = rules.errors(
                rules.Proposed(
                    kind=row.kind,
                    company_kind=company_kind,
                    job_title=row.data.get("job_title", existing.job_title if existing else ""),
                    former_kind=existing.kind if existing else None,
                    has_contact_persons=existing is not None and existing.pk in with_persons,
                    changed=set(row.data) if existing else None,
                )
            )
            for field_name, problems in broken.items():
                # A kept company has no cell of its own: the kind is what breaks the rule.
                column = (
                    "kind" if field_name == "company" and "company" not in row.data else field_name
                )
                value = row.data.get(column, "")
                for problem in problems:
                    self.error(row, column, value, " ".join(problem.messages))

    def _resolve_managers(self, rows: list[ClientRow]) -> None:
        wanted = {
            row.data["account_manager"].lower() for row in rows if row.data.get("account_manager")
        }
        if not wanted:
            return
        lookup: dict[str, int] = {}
        users = get_user_model().objects.filter(is_active=True)
        for pk, username, email in users.values_list("pk", "username", "email"):
            lookup.setdefault(username.lower(), pk)
            if email:
                lookup.setdefault(email.lower(), pk)
        for row in rows:
            key = row.data.get("account_manager")
            if key:
                row.manager_id = lookup.get(key.lower())
                if row.manager_id is None:
                    self.error(
                        row, "account_manager", key, _("No active user has this username or email.")
                    )
