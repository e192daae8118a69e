"""Reads of the client app: search, the card, purchases and their figures, the timeline.

Other apps read clients only through this package; everything public is importable from here
(`from kliento.clients.selectors import card`).
"""

from kliento.clients.selectors.card import Card, ConsentRow, card, consents, contacts, facts
from kliento.clients.selectors.exports import clients_for_export, purchases_for_export
from kliento.clients.selectors.purchases import (
    CurrencySeries,
    CurrencyTotals,
    MonthlyRevenue,
    PurchaseStats,
    monthly_revenue,
    purchase_stats,
    purchases_between,
    recent_purchases,
    revenue_by_client,
)
from kliento.clients.selectors.references import (
    ClientLabel,
    client_labels,
    key_clients,
    resolve_references,
    segments,
    staff,
    tags,
)
from kliento.clients.selectors.search import (
    SORTS,
    ClientFilters,
    register_sqlite_functions,
    search_clients,
)
from kliento.clients.selectors.timeline import (
    TIMELINE_PAGE,
    InvalidCursor,
    TimelinePage,
    decode_cursor,
    encode_cursor,
    timeline_before,
    timeline_page,
)

__all__ = [
    "SORTS",
    "TIMELINE_PAGE",
    "Card",
    "ClientFilters",
    "ClientLabel",
    "ConsentRow",
    "CurrencySeries",
    "CurrencyTotals",
    "InvalidCursor",
    "MonthlyRevenue",
    "PurchaseStats",
    "TimelinePage",
    "card",
    "client_labels",
    "clients_for_export",
    "consents",
    "contacts",
    "decode_cursor",
    "encode_cursor",
    "facts",
    "key_clients",
    "monthly_revenue",
    "purchase_stats",
    "purchases_between",
    "purchases_for_export",
    "recent_purchases",
    "register_sqlite_functions",
    "resolve_references",
    "revenue_by_client",
    "search_clients",
    "segments",
    "staff",
    "tags",
    "timeline_before",
    "timeline_page",
]
