"""Pages of the agent workspace (see the modules); urls.py reads them from here."""

from __future__ import annotations

from kliento.desk.views.actions import (
    apply_macro,
    assign,
    change_status,
    edit,
    log_call,
    merge,
    reply,
    take,
)
from kliento.desk.views.case import attachment, case, case_presence, case_script
from kliento.desk.views.create import client_search, new_call_case, new_case
from kliento.desk.views.macros import macro_delete, macro_edit, macros
from kliento.desk.views.queue import bulk, queue, view_delete, view_open, view_rename, view_save

__all__ = [
    "apply_macro",
    "assign",
    "attachment",
    "bulk",
    "case",
    "case_presence",
    "case_script",
    "change_status",
    "client_search",
    "edit",
    "log_call",
    "macro_delete",
    "macro_edit",
    "macros",
    "merge",
    "new_call_case",
    "new_case",
    "queue",
    "reply",
    "take",
    "view_delete",
    "view_open",
    "view_rename",
    "view_save",
]
