"""Writes to the client card. Each function is one transaction and records its timeline entry."""

from kliento.clients.services.bulk import (
    bulk_add_tag,
    bulk_assign_manager,
    bulk_mark_left,
    bulk_remove_tag,
    bulk_set_segment,
)
from kliento.clients.services.clients import (
    EDITABLE_FIELDS,
    PossibleDuplicate,
    create_client,
    delete_client,
    mark_left,
    mark_returned,
    set_key_flag,
    update_client,
)
from kliento.clients.services.contacts import add_contact, remove_contact, set_consent
from kliento.clients.services.merge import MERGE_FIELDS, client_relations, merge_clients
from kliento.clients.services.portrait import (
    add_portrait_fact,
    remove_portrait_fact,
    verify_portrait_fact,
)
from kliento.clients.services.purchases import record_purchase, remove_purchase, validate_purchase
from kliento.clients.services.saved_views import (
    delete_view,
    rename_view,
    save_view,
    set_list_columns,
)
from kliento.clients.services.undo import UNDO_WINDOW, restore_contact, restore_portrait_fact

__all__ = [
    "EDITABLE_FIELDS",
    "MERGE_FIELDS",
    "UNDO_WINDOW",
    "PossibleDuplicate",
    "add_contact",
    "add_portrait_fact",
    "bulk_add_tag",
    "bulk_assign_manager",
    "bulk_mark_left",
    "bulk_remove_tag",
    "bulk_set_segment",
    "client_relations",
    "create_client",
    "delete_client",
    "delete_view",
    "mark_left",
    "mark_returned",
    "merge_clients",
    "record_purchase",
    "remove_contact",
    "remove_portrait_fact",
    "remove_purchase",
    "rename_view",
    "restore_contact",
    "restore_portrait_fact",
    "save_view",
    "set_consent",
    "set_key_flag",
    "set_list_columns",
    "update_client",
    "validate_purchase",
    "verify_portrait_fact",
]
