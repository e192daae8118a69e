"""The client card's rules, in one place for every entry path.

The card's forms, the API, the file import and the services all ask this module which fields of
a client can be edited, how a value is normalised, and whether a combination is allowed:

- only a person can be a contact of a company, and the client named as the company must be a
  company (so nobody is their own company);
- a company has no job title;
- a company that has contact persons cannot become a person (they would point at a person);
- a client reference (external_ref) is unique, and an empty one is stored as "none";
- "client since" (when the client became one) is not in the future; not given, it is the date
  of the first purchase, else the day the record was created; and it is never after the first
  purchase (buying proves being a client): a later date, or a purchase recorded later with an
  earlier date, moves it back to that purchase. `settle_client_since` applies this after every
  write (card, API, import, purchases, the migration that added the field).

Each rule raises (or returns) Django's ValidationError keyed by the field it concerns, with one
message: forms show it beside that field, the API reports it at that field's location (under the
API's field name, see `API_NAMES`), the import next to that column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients.models import Client, Purchase

PERSON = Client.Kind.PERSON
COMPANY = Client.Kind.COMPANY


# --------------------------------------------------------------------------- editable fields


def _text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _text_or_none(value: Any) -> Any:
    """Stripped text, with "" as None (several clients may lack a reference; unique when set)."""
    value = _text(value)
    return value or None


@dataclass(frozen=True)
class EditableField:
    name: str  # the model attribute, the service's keyword, the form field
    api_name: str  # the field in the API's JSON
    normalise: Callable[[Any], Any] = _text
    reference: bool = False  # the API and the import send an id or a key, not the object
    many: bool = False  # a set of objects (tags), replaced as a whole

    @property
    def max_length(self) -> int | None:
        return getattr(Client._meta.get_field(self.name), "max_length", None)


FIELDS: tuple[EditableField, ...] = (
    EditableField("kind", "kind"),
    EditableField("name", "name"),
    EditableField("company", "company_id", reference=True),
    EditableField("job_title", "job_title"),
    EditableField("language", "language"),
    EditableField("account_manager", "account_manager_id", reference=True),
    EditableField("segment", "segment_id", reference=True),
    EditableField("tags", "tag_ids", reference=True, many=True),
    EditableField("external_ref", "external_ref", normalise=_text_or_none),
    EditableField("client_since", "client_since"),
    EditableField("notes", "notes"),
)
BY_NAME: dict[str, EditableField] = {f.name: f for f in FIELDS}

# What `update_client(changes=...)` takes; tags are given apart, as they replace a set.
EDITABLE_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if not f.many)
# Every field the card's form edits, in the form's order.
FORM_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS)
# Field name → the API's name for it, to report rule errors where the API client sent the value.
API_NAMES: dict[str, str] = {f.name: f.api_name for f in FIELDS if f.api_name != f.name}


def normalise(field: str, value: Any) -> Any:
    """A field's value as it is stored: text stripped, an empty reference as None."""
    return BY_NAME[field].normalise(value)


def normalise_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes with each value normalised; a field that is not editable is a bug (ValueError),
    not a user's mistake: no entry path offers one."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    return {field: normalise(field, value) for field, value in changes.items()}


def max_length(field: str) -> int | None:
    return BY_NAME[field].max_length


# --------------------------------------------------------------------------- combinations


@dataclass(frozen=True)
class Proposed:
    """A client as it would be after a change, with what the rules need to know about it.

    `company_kind` is the kind of the client named as its company (None: no company).
    `former_kind` is its kind before the change (None: a new client).
    `has_contact_persons` is asked only when a company would stop being one; give a bool when
    it is known already (the import counts them in bulk), or a function to look it up.
    `changed` lists the fields the change touches (None: all, for a new client); the job-title
    rule is checked only when kind or job title change, so records made before the rule existed
    stay editable.
    """

    kind: str
    company_kind: str | None = None
    job_title: str = ""
    former_kind: str | None = None
    has_contact_persons: bool | Callable[[], bool] = False
    changed: Collection[str] | None = None


def errors(proposed: Proposed) -> dict[str, list[ValidationError]]:
    """Every broken rule, by field; empty when the client is consistent."""
    found: dict[str, list[ValidationError]] = {}
    if proposed.company_kind is not None:
        if proposed.kind != PERSON:
            found.setdefault("company", []).append(
                ValidationError(
                    _("Only a person can be a contact of a company."), code="company_for_non_person"
                )
            )
        elif proposed.company_kind != COMPANY:
            found.setdefault("company", []).append(
                ValidationError(_("The chosen client is not a company."), code="not_a_company")
            )
    touched = proposed.changed
    if (
        proposed.kind == COMPANY
        and proposed.job_title
        and (touched is None or {"kind", "job_title"} & set(touched))
    ):
        found.setdefault("job_title", []).append(
            ValidationError(_("A company has no job title."), code="company_job_title")
        )
    if proposed.former_kind == COMPANY and proposed.kind != COMPANY:
        persons = proposed.has_contact_persons
        if persons() if callable(persons) else persons:
            found.setdefault("kind", []).append(
                ValidationError(
                    _("This company has contact persons; it cannot become a person."),
                    code="company_has_persons",
                )
            )
    return found


def check(proposed: Proposed) -> None:
    """Raise one ValidationError with every broken rule, keyed by field."""
    if found := errors(proposed):
        raise ValidationError(found)


def client_errors(
    client: Client, *, former_kind: str | None = None, changed: Collection[str] | None = None
) -> dict[str, list[ValidationError]]:
    """The rules for a client object about to be saved (what the services ask)."""
    company = client.company
    return errors(
        Proposed(
            kind=client.kind,
            company_kind=company.kind if company is not None else None,
            job_title=client.job_title,
            former_kind=former_kind,
            has_contact_persons=lambda: (
                client.pk is not None and Client.objects.filter(company_id=client.pk).exists()
            ),
            changed=changed,
        )
    )


def check_client(
    client: Client, *, former_kind: str | None = None, changed: Collection[str] | None = None
) -> None:
    if found := client_errors(client, former_kind=former_kind, changed=changed):
        raise ValidationError(found)


def reference_taken(external_ref: str | None, *, exclude_pk: int | None = None) -> bool:
    if not external_ref:
        return False
    same = Client.objects.filter(external_ref=external_ref)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same.exists()


def duplicate_reference() -> ValidationError:
    return ValidationError(_("Another client has this reference."), code="duplicate_reference")


# --------------------------------------------------------------------------- client since


def client_since_error(value: dt.date | None) -> ValidationError | None:
    if value is not None and value > timezone.localdate():
        return ValidationError(
            _("The date a client became a client cannot be in the future."),
            code="client_since_future",
        )
    return None


def settle_client_since(
    clients: QuerySet[Any] | None = None,
    *,
    client_ids: Iterable[int] | None = None,
    purchases: QuerySet[Any] | None = None,
) -> int:
    """Apply the "client since" rule to these clients (all when neither is given): an empty
    date becomes the first purchase's, else the creation day; a date after the first purchase
    becomes the first purchase's. Returns how many rows changed.

    `clients` and `purchases` may be a migration's historical managers' querysets."""
    if clients is None:
        clients = Client.objects.all()
    if purchases is None:
        purchases = Purchase.objects.all()
    if client_ids is not None:
        clients = clients.filter(pk__in=sorted(set(client_ids)))
    first = Subquery(
        purchases.filter(client=OuterRef("pk")).order_by("occurred_on").values("occurred_on")[:1]
    )
    return (
        clients.filter(Q(client_since__isnull=True) | Q(client_since__gt=first))
        .order_by()
        .update(client_since=Coalesce(first, F("client_since"), TruncDate("created_at")))
    )
