"""The client list's sort orders, its activity filters (revenue, recency, last contact), its
columns and saved views.

They read the activity figures kept on the client row (`Client.revenue`, `last_purchase_on`,
`last_contact_at`, see `clients.services.activity`), each with an index, so a sort or a range
filter stays an index scan at a million clients (figures in docs/client-list.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import F, OrderBy, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kliento.clients.models import Client, ListLayout, SavedView

if TYPE_CHECKING:
    from kliento.clients.selectors.search import ClientFilters

# Never bought / never contacted counts as "longest ago": first when the oldest come first,
# last when the most recent do (the order the indexes of migration 0006 are read in).
_last_purchase_oldest = (F("last_purchase_on").asc(nulls_first=True), F("id").asc())
_last_purchase_newest = (F("last_purchase_on").desc(nulls_last=True), F("id").desc())
_last_contact_oldest = (F("last_contact_at").asc(nulls_first=True), F("id").asc())
_last_contact_newest = (F("last_contact_at").desc(nulls_last=True), F("id").desc())

ORDERS: dict[str, tuple[str | OrderBy, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "revenue": ("revenue", "id"),
    "-revenue": ("-revenue", "-id"),
    "last_purchase": _last_purchase_oldest,
    "-last_purchase": _last_purchase_newest,
    "last_contact": _last_contact_oldest,
    "-last_contact": _last_contact_newest,
}
DEFAULT_ORDER = "name"


def order(qs: QuerySet[Client], sort: str) -> QuerySet[Client]:
    return qs.order_by(*ORDERS.get(sort, ORDERS[DEFAULT_ORDER]))


def narrow(qs: QuerySet[Client], filters: ClientFilters) -> QuerySet[Client]:
    """The activity filters and the selection (ids) of `filters`, then its sort order."""
    if filters.ids is not None:
        qs = qs.filter(pk__in=filters.ids)
    if filters.revenue_min is not None:
        qs = qs.filter(revenue__gte=filters.revenue_min)
    if filters.revenue_max is not None:
        qs = qs.filter(revenue__lte=filters.revenue_max)
    if filters.no_purchase_days is not None:
        since = timezone.localdate() - dt.timedelta(days=filters.no_purchase_days)
        qs = qs.filter(Q(last_purchase_on__isnull=True) | Q(last_purchase_on__lt=since))
    now = timezone.now()
    if filters.contact_older_days is not None:
        cutoff = now - dt.timedelta(days=filters.contact_older_days)
        qs = qs.filter(Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=cutoff))
    if filters.contact_newer_days is not None:
        qs = qs.filter(last_contact_at__gte=now - dt.timedelta(days=filters.contact_newer_days))
    return order(qs, filters.sort)


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    # The sort its header asks for first, and the other direction; none when not sortable.
    sort: str = ""
    reverse: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("segment", _("Segment")),
    Column("manager", _("Account manager")),
    Column("status", _("Status")),
    Column("tags", _("Tags")),
    Column("revenue", _("Revenue"), "-revenue", "revenue"),
    Column("last_purchase", _("Last purchase"), "-last_purchase", "last_purchase"),
    # Fewest days since the last purchase is the latest purchase first.
    Column("recency", _("Days since purchase"), "-last_purchase", "last_purchase"),
    Column("last_contact", _("Last contact"), "-last_contact", "last_contact"),
    Column("created", _("Created"), "-created", "created"),
)
COLUMN_KEYS = frozenset(column.key for column in COLUMNS)
DEFAULT_COLUMNS: tuple[str, ...] = ("segment", "manager", "status", "created")


def clean_columns(keys: Iterable[str]) -> list[str]:
    """Known column keys, in the list's own order, each once."""
    wanted = set(keys)
    return [column.key for column in COLUMNS if column.key in wanted]


def list_columns(user: Any) -> list[str]:
    """The columns this user chose, or the default ones."""
    layout = ListLayout.objects.filter(user=user).first()
    chosen = clean_columns(layout.columns) if layout is not None else []
    return chosen or list(DEFAULT_COLUMNS)


def columns_named(keys: Iterable[str]) -> list[Column]:
    wanted = set(keys)
    return [column for column in COLUMNS if column.key in wanted]


def saved_views(user: Any) -> QuerySet[SavedView]:
    """The views this user sees: their own and every shared one."""
    return SavedView.objects.filter(Q(owner=user) | Q(shared=True)).select_related("owner")


def saved_view(user: Any, pk: int) -> SavedView:
    """One view this user may see; Http404 for another's personal view (as for none)."""
    return get_object_or_404(saved_views(user), pk=pk)


def own_saved_view(user: Any, pk: int) -> SavedView:
    """One of the user's own views (to rename or delete); Http404 for anyone else's."""
    return get_object_or_404(SavedView.objects.filter(owner=user), pk=pk)
