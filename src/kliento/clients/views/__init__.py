"""The client card's pages, by concept; every view stays importable from here
(`from kliento.clients import views; views.client_detail`)."""

from kliento.clients.views.bulk import bulk_action
from kliento.clients.views.card import TIMELINE_PAGE, client_detail, client_timeline, render_card
from kliento.clients.views.edits import (
    client_create,
    client_edit,
    client_key_flag,
    client_left,
    consent_set,
    contact_add,
    contact_remove,
    contact_restore,
)
from kliento.clients.views.listing import (
    client_list,
    list_columns,
    saved_view_delete,
    saved_view_open,
    saved_view_rename,
    saved_view_save,
)
from kliento.clients.views.merge import client_merge, duplicate_list
from kliento.clients.views.portrait import fact_add, fact_remove, fact_restore, fact_verify
from kliento.clients.views.purchases import purchase_add, purchase_remove

__all__ = [
    "TIMELINE_PAGE",
    "bulk_action",
    "client_create",
    "client_detail",
    "client_edit",
    "client_key_flag",
    "client_left",
    "client_list",
    "client_merge",
    "client_timeline",
    "consent_set",
    "contact_add",
    "contact_remove",
    "contact_restore",
    "duplicate_list",
    "fact_add",
    "fact_remove",
    "fact_restore",
    "fact_verify",
    "list_columns",
    "purchase_add",
    "purchase_remove",
    "render_card",
    "saved_view_delete",
    "saved_view_open",
    "saved_view_rename",
    "saved_view_save",
]
