"""Possible duplicates: the one rule for "is this client already here?", and the groups of
clients that look like one person or company entered twice.

A client is a possible duplicate of another when they share a phone (E.164) or an e-mail
(normalised), or the reference; the create form, the API and the import all ask
`possible_duplicates`. The duplicates page adds a weaker signal: the same name, folded for case,
in the same company (for people) or as a company.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from kliento.clients.contacts import format_phone, normalize_email, normalize_phone
from kliento.clients.models import (
    Client,
    ClientMergeRecord,
    ContactPoint,
    PortraitFact,
    Purchase,
    TimelineEntry,
)

PHONE = ContactPoint.Kind.PHONE
EMAIL = ContactPoint.Kind.EMAIL
REFERENCE = "external_ref"
NAME = "name"
# Reasons that alone make two clients likely the same; a shared name is only a hint.
STRONG = frozenset({PHONE, EMAIL, REFERENCE})
# The duplicates page looks at this many shared values of each kind at most (the most shared
# first); merging them brings the next ones up.
MAX_SHARED_VALUES = 500
MAX_GROUPS = 500
CHUNK = 500  # ids or values per query


def reason_label(reason: str) -> str:
    """What two clients share, as people read it ("phone", "e-mail" …)."""
    labels = {
        PHONE: _("phone"),
        EMAIL: _("e-mail"),
        REFERENCE: _("reference"),
        NAME: _("name"),
    }
    return str(labels.get(reason, reason))


def _shown(reason: str, value: str) -> str:
    return format_phone(value) if reason == PHONE else value


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing client that shares something with the client being checked."""

    client_id: int
    name: str
    external_ref: str | None
    # (reason, value): ("phone", "+48601234567"), ("email", …), ("external_ref", …), ("name", …)
    reasons: tuple[tuple[str, str], ...]

    @property
    def matched_on(self) -> list[str]:
        return sorted({reason for reason, _value in self.reasons})

    @property
    def described(self) -> list[tuple[str, str]]:
        return [(reason_label(reason), _shown(reason, value)) for reason, value in self.reasons]


def _normalised(kind: str, raw: str) -> str | None:
    try:
        return normalize_phone(raw) if kind == PHONE else normalize_email(raw)
    except ValidationError:
        return None  # not a phone / an e-mail: the service says so, this rule has nothing to say


def possible_duplicates(
    *,
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    external_ref: str | None = None,
    exclude: Collection[int] = (),
) -> list[DuplicateMatch]:
    """Existing clients sharing one of these phones or e-mails (as typed: they are normalised
    here) or the reference, by name. `exclude`: ids not to report (the client itself)."""
    wanted: set[tuple[str, str]] = set()
    given: tuple[tuple[str, Iterable[str]], ...] = ((PHONE, phones), (EMAIL, emails))
    for wanted_kind, values in given:
        for raw in values:
            if raw and (normalised := _normalised(wanted_kind, raw)):
                wanted.add((wanted_kind, normalised))
    reasons: dict[int, list[tuple[str, str]]] = {}
    if wanted:
        contact_q = Q()
        for contact_kind, contact_value in wanted:
            contact_q |= Q(kind=contact_kind, value=contact_value)
        rows = ContactPoint.objects.filter(contact_q).exclude(client_id__in=list(exclude))
        for client_id, kind, value in rows.values_list("client_id", "kind", "value"):
            reasons.setdefault(client_id, []).append((kind, value))
    ref = (external_ref or "").strip()
    if ref:
        for pk in (
            Client.objects.filter(external_ref=ref)
            .exclude(pk__in=list(exclude))
            .values_list("pk", flat=True)
        ):
            reasons.setdefault(pk, []).append((REFERENCE, ref))
    if not reasons:
        return []
    clients = Client.objects.filter(pk__in=list(reasons)).order_by("name", "pk")
    return [
        DuplicateMatch(c.pk, c.name, c.external_ref, tuple(sorted(set(reasons[c.pk]))))
        for c in clients.only("pk", "name", "external_ref")
    ]


def possible_duplicates_of(client: Client | int) -> list[DuplicateMatch]:
    """Other clients sharing a phone, an e-mail or the reference with this one (the card's
    notice)."""
    pk = client if isinstance(client, int) else client.pk
    contacts = list(
        ContactPoint.objects.filter(client_id=pk, kind__in=[PHONE, EMAIL]).values_list(
            "kind", "value"
        )
    )
    phones = [v for k, v in contacts if k == PHONE]
    emails = [v for k, v in contacts if k == EMAIL]
    ref = Client.objects.filter(pk=pk).values_list("external_ref", flat=True).first()
    return possible_duplicates(phones=phones, emails=emails, external_ref=ref, exclude=[pk])


def clients_with_duplicates(client_ids: Iterable[int]) -> set[int]:
    """Which of these clients share a phone or an e-mail with another client (in bulk, for
    the import's report)."""
    ids = list(client_ids)
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        batch = set(ids[start : start + CHUNK])
        own = ContactPoint.objects.filter(client_id__in=batch, kind__in=[PHONE, EMAIL])
        for kind in (PHONE, EMAIL):
            values = sorted({v for k, v in own.values_list("kind", "value") if k == kind})
            for first in range(0, len(values), CHUNK):
                owners: dict[str, set[int]] = {}
                rows = ContactPoint.objects.filter(
                    kind=kind, value__in=values[first : first + CHUNK]
                ).values_list("value", "client_id")
                for value, client_id in rows:
                    owners.setdefault(value, set()).add(client_id)
                for holders in owners.values():
                    if len(holders) > 1:
                        found.update(holders & batch)
    return found


# --------------------------------------------------------------------------- the groups


@dataclass
class DuplicateGroup:
    client_ids: list[int]
    reasons: set[tuple[str, str]] = field(default_factory=set)
    clients: list[Client] = field(default_factory=list)

    @property
    def strong(self) -> bool:
        return any(reason in STRONG for reason, _value in self.reasons)

    @property
    def described(self) -> list[tuple[str, str, bool]]:
        """(what, value, strong) for each thing the group's clients share."""
        return [
            (reason_label(reason), _shown(reason, value), reason in STRONG)
            for reason, value in sorted(self.reasons, key=lambda r: (r[0] not in STRONG, r))
        ]


class _Groups:
    """Union-find over client ids: A~B by phone and B~C by e-mail make one group {A, B, C}."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.reasons: dict[int, set[tuple[str, str]]] = {}

    def find(self, pk: int) -> int:
        self.parent.setdefault(pk, pk)
        while self.parent[pk] != pk:
            self.parent[pk] = self.parent[self.parent[pk]]
            pk = self.parent[pk]
        return pk

    def join(self, ids: Collection[int], reason: tuple[str, str]) -> None:
        roots = {self.find(pk) for pk in ids}
        root = min(roots)
        merged = self.reasons.pop(root, set())
        for other in roots - {root}:
            self.parent[other] = root
            merged |= self.reasons.pop(other, set())
        merged.add(reason)
        self.reasons[root] = merged

    def groups(self) -> list[DuplicateGroup]:
        members: dict[int, list[int]] = {}
        for pk in self.parent:
            members.setdefault(self.find(pk), []).append(pk)
        return [
            DuplicateGroup(sorted(ids), self.reasons.get(root, set()))
            for root, ids in members.items()
            if len(ids) > 1
        ]


def _folded_name() -> F:
    """The name as search folds it (case and accents), kept beside it on every client."""
    return F("search_name")


def _shared_contacts(groups: _Groups) -> None:
    for kind in (PHONE, EMAIL):
        shared = list(
            ContactPoint.objects.filter(kind=kind)
            .values("value")
            .annotate(owners=Count("client_id", distinct=True))
            .filter(owners__gt=1)
            .order_by("-owners", "value")
            .values_list("value", flat=True)[:MAX_SHARED_VALUES]
        )
        owners: dict[str, set[int]] = {}
        rows = ContactPoint.objects.filter(kind=kind, value__in=shared)
        for value, client_id in rows.values_list("value", "client_id"):
            owners.setdefault(value, set()).add(client_id)
        for value, ids in owners.items():
            groups.join(ids, (kind, value))


def _shared_names(groups: _Groups) -> None:
    """People of the same company, or companies, whose names differ at most in case."""
    base = Client.objects.annotate(folded=_folded_name()).filter(
        Q(kind=Client.Kind.PERSON, company__isnull=False) | Q(kind=Client.Kind.COMPANY)
    )
    pairs = list(
        base.values("folded", "company_id", "kind")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("-n", "folded")
        .values_list("folded", "company_id", "kind")[:MAX_SHARED_VALUES]
    )
    for folded, company_id, kind in pairs:
        same = base.filter(folded=folded, company_id=company_id, kind=kind)
        rows = list(same.values_list("pk", "name"))
        groups.join([pk for pk, _name in rows], (NAME, rows[0][1]))


def duplicate_groups(*, strong_only: bool = False) -> list[DuplicateGroup]:
    """Groups of clients that look like one client entered more than once, the surest first
    (a shared phone, e-mail; then a shared name), each with its clients by id."""
    groups = _Groups()
    _shared_contacts(groups)
    if not strong_only:
        _shared_names(groups)
    found = sorted(groups.groups(), key=lambda g: (not g.strong, g.client_ids[0]))[:MAX_GROUPS]
    wanted = [pk for group in found for pk in group.client_ids]
    by_pk = {
        c.pk: c for c in Client.objects.filter(pk__in=wanted).select_related("company", "segment")
    }
    for group in found:
        group.clients = [by_pk[pk] for pk in group.client_ids if pk in by_pk]
    return found


def merged_into(old_id: int) -> int | None:
    """The client that absorbed a merged-away client's card, or None."""
    return (
        ClientMergeRecord.objects.filter(old_id=old_id)
        .values_list("survivor_id", flat=True)
        .first()
    )


@dataclass(frozen=True)
class MergeCandidate:
    """One client of a merge, as the compare page shows it."""

    client: Client
    contacts: list[ContactPoint]
    purchases: int
    facts: int
    timeline: int
    contact_persons: int


def _counts(model: type[models.Model], field: str, ids: list[int]) -> dict[int, int]:
    rows = (
        model._default_manager.filter(**{f"{field}__in": ids})
        .values(field)
        .annotate(n=Count("pk"))
        .values_list(field, "n")
    )
    return dict(rows)


def merge_candidates(ids: Iterable[int]) -> list[MergeCandidate]:
    """The clients with these ids (the unknown ones left out), oldest first, with what a merge
    would move."""
    found = list(
        Client.objects.filter(pk__in=list(ids))
        .select_related("company", "segment", "account_manager")
        .order_by("pk")
    )
    pks = [c.pk for c in found]
    contacts: dict[int, list[ContactPoint]] = {}
    for contact in ContactPoint.objects.filter(client_id__in=pks):
        contacts.setdefault(contact.client_id, []).append(contact)
    purchases = _counts(Purchase, "client_id", pks)
    facts = _counts(PortraitFact, "client_id", pks)
    entries = _counts(TimelineEntry, "client_id", pks)
    persons = _counts(Client, "company_id", pks)
    return [
        MergeCandidate(
            client=c,
            contacts=contacts.get(c.pk, []),
            purchases=purchases.get(c.pk, 0),
            facts=facts.get(c.pk, 0),
            timeline=entries.get(c.pk, 0),
            contact_persons=persons.get(c.pk, 0),
        )
        for c in found
    ]
