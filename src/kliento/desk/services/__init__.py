"""Writes of the service desk. Each function is one transaction that records the case's
history and the client's timeline; other apps change cases only through this package."""

from kliento.desk.services.assignment import CaseTaken, assign, route, take
from kliento.desk.services.calls import CallDraft, log_call
from kliento.desk.services.cases import (
    AttachmentDraft,
    CaseDraft,
    MessageDraft,
    add_message,
    open_case,
    set_status,
    update_case,
)
from kliento.desk.services.merge import merge_cases
from kliento.desk.services.senders import client_for, mark_failing, mark_working

__all__ = [
    "AttachmentDraft",
    "CallDraft",
    "CaseDraft",
    "CaseTaken",
    "MessageDraft",
    "add_message",
    "assign",
    "client_for",
    "log_call",
    "mark_failing",
    "mark_working",
    "merge_cases",
    "open_case",
    "route",
    "set_status",
    "take",
    "update_case",
]
