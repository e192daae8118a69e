"""Finding clients: the list's search, filters and sort orders.

A query finds a client when any of these holds:

- **name**: every word of the query is in the client's name, in any order, ignoring case and
  accents ("lukasz NOWAK" finds "Nowak Łukasz"; see `kliento.core.folding`). Words of three
  letters or more match anywhere in the name ("owak" finds "Nowak"); shorter ones match the
  start of a word ("no" finds "Nowak", not "Anna Kanon"), which keeps the first keystrokes
  cheap: a trigram index cannot narrow down one or two letters anywhere in a name;
- **reference**: the external reference starts with the query, in any case ("s-1-00" finds
  "S-1-0000042");
- **e-mail**: an e-mail address starts with the query ("anna.n" finds "anna.nowak@…");
- **phone**: the query is digits (with the usual "+", spaces, dashes, dots, brackets) found in a
  phone number's E.164 form: "600 100", "+48 600-100", "(600) 100" all find "+48600100200". A
  leading trunk or international "0"/"00" is dropped, as E.164 has none.

On PostgreSQL each branch is answered by an index (migration 0006): trigram GIN on the folded
name and on phone numbers, pattern b-trees on references and e-mails. SQLite scans the folded
names, which is fast enough at its embedded scale.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import CharField, F, Func, OrderBy, Q, QuerySet, Value

from kliento.clients.models import Client, ContactPoint
from kliento.clients.selectors import listing
from kliento.core.folding import fold_words

# Contact matches resolved to client ids; a query that matches more contacts than this (three
# letters of an e-mail, three digits) finds the first ones only, which the name and reference
# branches complete.
MAX_CONTACT_MATCHES = 1000
# Shorter words match at the start of a word of the name only.
SHORT_WORD = 3
MIN_CONTACT_QUERY = 3
PHONE_PUNCTUATION = set("+-() ./")
SORTS = listing.ORDERS


@dataclass(frozen=True)
class ClientFilters:
    q: str = ""
    segment: int | None = None
    tag: int | None = None
    manager: int | None = None
    status: str = ""
    key_only: bool = False
    sort: str = "name"
    # The list's activity filters and a selection of ids (selectors/listing.py applies them).
    revenue_min: Decimal | None = None
    revenue_max: Decimal | None = None
    no_purchase_days: int | None = None
    contact_older_days: int | None = None
    contact_newer_days: int | None = None
    ids: tuple[int, ...] | None = None


def _name_match(q: str) -> Q | None:
    """Every folded word of the query in the folded name (AND), in any order."""
    words = fold_words(q)
    if not words:
        return None
    match = Q()
    for word in words:
        if len(word) >= SHORT_WORD:
            match &= Q(search_name__contains=word)
        else:
            match &= Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
    return match


def phone_digits(q: str) -> str | None:
    """The digits to look for in E.164 phone numbers, when the query is a phone fragment."""
    text = "".join(q.split())
    if not text or any(ch not in string.digits and ch not in PHONE_PUNCTUATION for ch in text):
        return None
    # "0 600 …" (trunk prefix) and "00 48 …" (international prefix) are not in E.164.
    digits = "".join(ch for ch in text if ch in string.digits).lstrip("0")
    return digits if len(digits) >= MIN_CONTACT_QUERY else None


def _contact_match(q: str) -> Q | None:
    digits = phone_digits(q)
    if digits is not None:
        return Q(kind=ContactPoint.Kind.PHONE, value__contains=digits)
    text = q.lower()
    if len(text) >= MIN_CONTACT_QUERY and not any(ch.isspace() for ch in text):
        # Stored e-mails are lower case (contacts.normalize_email).
        return Q(kind=ContactPoint.Kind.EMAIL, value__startswith=text)
    return None


def _contact_client_ids(q: str) -> set[int]:
    match = _contact_match(q)
    if match is None:
        return set()
    # Resolved to ids first: "id IN (subquery) OR …" makes PostgreSQL test every client against
    # a hashed subplan (about 300 ms at 1M, see benchmarks/); a literal id list is an index
    # lookup it can OR with the other branches' indexes. No DISTINCT: a client has few
    # contacts, and DISTINCT would read every match before the limit.
    return set(
        ContactPoint.objects.filter(match).values_list("client_id", flat=True)[:MAX_CONTACT_MATCHES]
    )


def search_match(q: str) -> Q | None:
    """The condition on clients for a search query; None for a blank query."""
    q = q.strip()
    if not q:
        return None
    match = Q(external_ref__istartswith=q)
    name = _name_match(q)
    if name is not None:
        match |= name
    ids = _contact_client_ids(q)
    if ids:
        match |= Q(pk__in=sorted(ids))
    return match


def _sort(key: str, *, searching: bool) -> list[str | OrderBy]:
    fields = SORTS.get(key, SORTS["name"])
    first = fields[0]
    if not searching or not isinstance(first, str) or first.lstrip("-") != "name":
        return list(fields)
    # Sorting the matches by `name || ''` rather than `name` gives the same order but keeps
    # PostgreSQL from walking the name index and filtering row by row until a page is full: it
    # assumes matches are spread evenly over the alphabet, but a name search's matches are
    # not ("natalia" finds names that start with "N"), and such a walk read 680,000 rows and
    # took 4.6 s for 355 matches at 1M clients. The matches are few enough to sort.
    by_name = Func(F("name"), Value(""), function="", arg_joiner=" || ", output_field=CharField())
    descending = first.startswith("-")
    return [
        by_name.desc() if descending else by_name.asc(),
        fields[1],
    ]


def search_clients(filters: ClientFilters) -> QuerySet[Client]:
    qs = Client.objects.select_related("segment", "account_manager", "company")
    match = search_match(filters.q)
    if match is not None:
        qs = qs.filter(match)
    if filters.segment:
        qs = qs.filter(segment_id=filters.segment)
    if filters.tag:
        qs = qs.filter(tags__id=filters.tag)
    if filters.manager:
        qs = qs.filter(account_manager_id=filters.manager)
    if filters.status in Client.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.key_only:
        qs = qs.filter(is_key=True)
    qs = listing.narrow(qs, filters)
    if match is not None and (filters.sort or "name").lstrip("-") == "name":
        qs = qs.order_by(*_sort(filters.sort or "name", searching=True))
    return qs
