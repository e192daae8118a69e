"""The client card's timeline kinds and how their entries read.

Entries keep codes and ids ("segment": [3, 7], "kind": "phone"); these functions turn them into
the viewer's language and current names when the timeline is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kliento.clients.models import Client, ContactPoint, PortraitFact, TimelineEntry
from kliento.core import channels
from kliento.core.timeline import Entry, TimelineKind, register_timeline_kind, related

Kind = TimelineEntry.Kind
EMPTY = "—"


def field_label(name: str) -> str:
    if name == "tags":
        return capfirst(_("tags"))
    if name in ContactPoint.Kind.values:
        return channels.label(name)
    try:
        field = Client._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if not isinstance(field, models.Field):  # a reverse relation has no label of its own
        return name
    return capfirst(str(field.verbose_name))


def _foreign_key(name: str) -> models.ForeignKey[Any, Any] | None:
    try:
        field = Client._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.ForeignKey) else None


def change_references(entry: Entry) -> Iterator[tuple[type[models.Model], Any]]:
    """The objects the changes name by id (imports store a segment's or manager's id)."""
    for name, pair in (entry.data.get("changes") or {}).items():
        field = _foreign_key(name)
        if field is None or not isinstance(pair, list | tuple):
            continue
        for value in pair:
            if isinstance(value, int):
                yield field.related_model, value


def field_value(name: str, value: Any, entry: Entry | None = None) -> str:
    """One side of a change as people read it: choice labels, names for ids, lists joined.
    With the entry, names come from the objects its page was prepared with."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    try:
        field = Client._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if not isinstance(field, models.Field):  # a reverse relation: no choices, no single name
        return str(value)
    if isinstance(field, models.ForeignKey) and isinstance(value, int):
        # Imports store ids; show the current name (or the id, if the object is gone).
        if entry is not None:
            found = related(entry, field.related_model, value)
        else:
            found = field.related_model._default_manager.filter(pk=value).first()
        if found is None:
            return f"#{value}"
        full_name = getattr(found, "get_full_name", None)
        return (full_name() if full_name else "") or str(found)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def describe_changes(entry: Entry) -> list[str]:
    changes = entry.data.get("changes") or {}
    return [
        f"{field_label(name)}: {field_value(name, pair[0], entry)} → "
        f"{field_value(name, pair[1], entry)}"
        for name, pair in changes.items()
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]


def describe_import(entry: Entry) -> list[str]:
    data, file = entry.data, entry.data.get("file", "")
    if "purchases" in data:
        count = int(data["purchases"])
        first = ngettext(
            "%(count)d purchase imported from %(file)s",
            "%(count)d purchases imported from %(file)s",
            count,
        ) % {"count": count, "file": file}
    elif data.get("created"):
        first = _("Created by import from %(file)s") % {"file": file}
    else:
        first = _("Updated by import from %(file)s") % {"file": file}
    return [first, *describe_changes(entry)]


def describe_contact(entry: Entry) -> list[str]:
    return [f"{channels.label(entry.data.get('kind', ''))}: {entry.summary}"]


def describe_consent(entry: Entry) -> list[str]:
    label = channels.label(entry.data.get("channel", ""))
    state = _("granted") if entry.data.get("granted") else _("withdrawn")
    return [f"{label}: {state}"]


def describe_fact(entry: Entry) -> list[str]:
    category = entry.data.get("category", "")
    label = dict(PortraitFact.Category.choices).get(category, category)
    return [f"{label}: {entry.summary}"]


def _local_date(value: str) -> str:
    """A stored ISO date in the viewer's format (1.12.2026 in Polish); as stored if malformed."""
    try:
        return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value)


def _local_amount(amount: str, currency: str) -> str | None:
    """A stored neutral amount ("1800.00") as the card writes it in the viewer's language
    ("1 800,00 PLN" in Polish, "1,800.00 PLN" in English); None if it is not an amount."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not value.is_finite():
        return None
    text = number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{text} {currency}".strip()


def _purchase_parts(entry: Entry) -> tuple[str | None, str]:
    """(the amount in the viewer's format, the rest of the summary). Entries store the amount
    and currency in `data` and a neutral summary "1800.00 PLN description"; older entries and
    demo ones may lack parts of `data`, so the summary is read as a fallback."""
    summary = entry.summary or ""
    amount, currency = entry.data.get("amount"), entry.data.get("currency")
    head = summary.split(" ", 2)
    if amount is None and len(head) >= 2:
        amount, currency = head[0], head[1]
    if amount is None:
        return None, summary
    local = _local_amount(str(amount), str(currency or ""))
    prefix = f"{amount} {currency}".strip()
    if local is None:
        return None, summary
    rest = summary[len(prefix) :].strip() if summary.startswith(prefix) else ""
    if "description" in entry.data:
        rest = str(entry.data["description"])
    return local, rest


def describe_purchase(entry: Entry) -> list[str]:
    amount, rest = _purchase_parts(entry)
    if amount is None:
        return [entry.summary] if entry.summary else []
    first = amount
    if "occurred_on" in entry.data:
        first = f"{amount} · {_local_date(entry.data['occurred_on'])}"
    return [first, rest] if rest else [first]


def describe_left(entry: Entry) -> list[str]:
    lines = []
    if "left_on" in entry.data:
        lines.append(_("Left on %(date)s") % {"date": _local_date(entry.data["left_on"])})
    if entry.summary:
        lines.append(entry.summary)
    return lines


def describe_merge(entry: Entry) -> list[str]:
    lines = []
    for merged in entry.data.get("merged") or []:
        if not isinstance(merged, dict):
            continue
        ref = merged.get("external_ref")
        who = f"{merged.get('name', '')} (#{merged.get('id', '?')}{', ' + ref if ref else ''})"
        lines.append(_("Merged from %(client)s") % {"client": who})
    return [*lines, *describe_changes(entry)]


def register() -> None:
    purchases, portrait = "clients.view_purchase", "clients.view_portraitfact"
    changes = {Kind.EDITED, Kind.IMPORTED, Kind.MERGED}
    for kind, permission, describe in [
        (Kind.CREATED, None, None),
        (Kind.EDITED, None, describe_changes),
        (Kind.LEFT, None, describe_left),
        (Kind.RETURNED, None, None),
        (Kind.KEY_FLAGGED, None, None),
        (Kind.KEY_UNFLAGGED, None, None),
        (Kind.CONTACT_ADDED, None, describe_contact),
        (Kind.CONTACT_REMOVED, None, describe_contact),
        (Kind.CONTACT_RESTORED, None, describe_contact),
        (Kind.CONSENT_CHANGED, None, describe_consent),
        (Kind.FACT_ADDED, portrait, describe_fact),
        (Kind.FACT_VERIFIED, portrait, describe_fact),
        (Kind.FACT_REMOVED, portrait, describe_fact),
        (Kind.FACT_RESTORED, portrait, describe_fact),
        (Kind.PURCHASE, purchases, describe_purchase),
        (Kind.PURCHASE_REMOVED, purchases, describe_purchase),
        # An import of purchases quotes counts, of clients their fields: visible with the card.
        (Kind.IMPORTED, None, describe_import),
        (Kind.MERGED, None, describe_merge),
    ]:
        register_timeline_kind(
            TimelineKind(
                key=kind.value,
                label=kind.label,
                permission=permission,
                describe=describe,
                references=change_references if kind in changes else None,
            )
        )
