"""Reads of the client app: search, the card, purchases and their figures, the timeline.

Other apps read clients only through this package; everything public is importable from here
(`from kliento.clients.selectors import card`).
"""

from kliento.clients.selectors.card import Card, ConsentRow, card, consents, contacts, facts
from kliento.clients.selectors.duplicates import (
    DuplicateGroup,
    DuplicateMatch,
    MergeCandidate,
    clients_with_duplicates,
    duplicate_groups,
    merge_candidates,
    merged_into,
    possible_duplicates,
    possible_duplicates_of,
)
from kliento.clients.selectors.exports import clients_for_export, purchases_for_export
from kliento.clients.selectors.listing import (
    COLUMNS,
    DEFAULT_COLUMNS,
    Column,
    clean_columns,
    columns_named,
    list_columns,
    own_saved_view,
    saved_view,
    saved_views,
)
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
from kliento.clients.selectors.reach import AMBIGUOUS, Reach, find_clients, reach
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
    "AMBIGUOUS",
    "COLUMNS",
    "DEFAULT_COLUMNS",
    "SORTS",
    "TIMELINE_PAGE",
    "Card",
    "ClientFilters",
    "ClientLabel",
    "Column",
    "ConsentRow",
    "CurrencySeries",
    "CurrencyTotals",
    "DuplicateGroup",
    "DuplicateMatch",
    "InvalidCursor",
    "MergeCandidate",
    "MonthlyRevenue",
    "PurchaseStats",
    "Reach",
    "TimelinePage",
    "card",
    "clean_columns",
    "client_labels",
    "clients_for_export",
    "clients_with_duplicates",
    "columns_named",
    "consents",
    "contacts",
    "decode_cursor",
    "duplicate_groups",
    "encode_cursor",
    "facts",
    "find_clients",
    "key_clients",
    "list_columns",
    "merge_candidates",
    "merged_into",
    "monthly_revenue",
    "own_saved_view",
    "possible_duplicates",
    "possible_duplicates_of",
    "purchase_stats",
    "purchases_between",
    "purchases_for_export",
    "reach",
    "recent_purchases",
    "resolve_references",
    "revenue_by_client",
    "saved_view",
    "saved_views",
    "search_clients",
    "segments",
    "staff",
    "tags",
    "timeline_before",
    "timeline_page",
]
