"""Kinds of entries on a client's timeline, registered by the apps that write them.

The base layer knows no client: it keeps, per kind, the label, how an entry's details read and
who may see it. The clients app stores the entries and offers `record` / `record_many`; every
app that writes to the timeline registers its kinds here first. Entries store codes and ids, so
they are rendered at display time, in the viewer's language, with names instead of ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.utils.functional import Promise

from kliento.core.registry import Registry


class Entry(Protocol):
    kind: str
    summary: str
    data: dict[str, Any]


# A kind's details: lines such as "Segment: Regular → VIP", already translated.
Describe = Callable[[Entry], list[str]]
# The objects a kind's details name by id (a user, a segment), as (model, id) pairs: `prepare`
# fetches those of a whole page at once, `related` then answers from them.
References = Callable[[Entry], Iterable[tuple[type[models.Model], Any]]]

# Where a prepared entry keeps the objects of its page: {model: {id: object or None}}.
_LOOKUPS = "_kliento_lookups"


@dataclass(frozen=True)
class TimelineKind:
    key: str
    label: Promise | str
    # Who may see entries of this kind (they may quote what a separate permission guards).
    permission: str | None = None
    describe: Describe | None = None
    # An exchange with the client (a call, a meeting, a message, a visit): entries of such kinds
    # set the client's "last contact", which the client list filters and sorts on.
    contact: bool = False
    references: References | None = None


timeline_kinds: Registry[TimelineKind] = Registry("timeline kinds")


def register_timeline_kind(kind: TimelineKind) -> TimelineKind:
    return timeline_kinds.register(kind)


def kind_label(key: str) -> str:
    kind = timeline_kinds.get(key)
    return str(kind.label) if kind is not None else key


def describe(entry: Entry) -> list[str]:
    kind = timeline_kinds.get(entry.kind)
    if kind is None or kind.describe is None:
        return []
    return kind.describe(entry)


def prepare(entries: Sequence[Any]) -> None:
    """Fetch every object the entries' details name, one query per model for the whole page,
    so showing N entries does not cost N queries. Unprepared entries still describe themselves,
    one lookup at a time."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        kind = timeline_kinds.get(entry.kind)
        if kind is not None and kind.references is not None:
            for model, pk in kind.references(entry):
                if isinstance(pk, int) and not isinstance(pk, bool):
                    wanted[model].add(pk)
    found: dict[type[models.Model], dict[Any, models.Model | None]] = {}
    for model, ids in wanted.items():
        objects = model._default_manager.in_bulk(sorted(ids))
        found[model] = {pk: objects.get(pk) for pk in ids}  # None: deleted since
    for entry in entries:
        setattr(entry, _LOOKUPS, found)


def related(entry: Entry, model: type[models.Model], pk: Any) -> models.Model | None:
    """The object of `model` with id `pk` an entry names (None if there is none): from the
    page `prepare` fetched, else looked up now."""
    prepared = getattr(entry, _LOOKUPS, {}).get(model, {})
    if pk in prepared:
        return prepared[pk]
    if not isinstance(pk, int) or isinstance(pk, bool):
        return None
    return model._default_manager.filter(pk=pk).first()


def hidden_kinds(user: Any, keys: Iterable[str] | None = None) -> list[str]:
    """Kinds this user may not see."""
    return [
        kind.key
        for kind in timeline_kinds
        if (keys is None or kind.key in keys)
        and kind.permission
        and not user.has_perm(kind.permission)
    ]


def contact_kinds() -> frozenset[str]:
    """The keys of the kinds that count as a contact with the client."""
    return frozenset(kind.key for kind in timeline_kinds if kind.contact)


def ensure_registered(kind: str) -> None:
    if kind not in timeline_kinds:
        raise LookupError(f"Timeline kind {kind!r} is not registered")
