"""Writes to the client card. Each function is one transaction and records its timeline entry."""

from kliento.clients.services.clients import (
    EDITABLE_FIELDS,
    create_client,
    delete_client,
    mark_left,
    mark_returned,
    set_key_flag,
    update_client,
)
from kliento.clients.services.contacts import add_contact, remove_contact, set_consent
from kliento.clients.services.portrait import (
    add_portrait_fact,
    remove_portrait_fact,
    verify_portrait_fact,
)
from kliento.clients.services.purchases import record_purchase, remove_purchase, validate_purchase
from kliento.clients.services.undo import UNDO_WINDOW, restore_contact, restore_portrait_fact

__all__ = [
    "EDITABLE_FIELDS",
    "UNDO_WINDOW",
    "add_contact",
    "add_portrait_fact",
    "create_client",
    "delete_client",
    "mark_left",
    "mark_returned",
    "record_purchase",
    "remove_contact",
    "remove_portrait_fact",
    "remove_purchase",
    "restore_contact",
    "restore_portrait_fact",
    "set_consent",
    "set_key_flag",
    "update_client",
    "validate_purchase",
    "verify_portrait_fact",
]
