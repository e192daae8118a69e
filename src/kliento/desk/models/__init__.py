"""The service desk's models, one module per concept."""

from kliento.desk.models.cases import (
    Attachment,
    Call,
    Case,
    CaseEvent,
    CaseTag,
    CaseViewer,
    Message,
    Sender,
    TeamRouting,
    format_number,
)
from kliento.desk.models.mail import InboundMail, Mailbox, OutboundMail
from kliento.desk.models.sla import BusinessCalendar, Holiday, SlaPolicy

__all__ = [
    "Attachment",
    "BusinessCalendar",
    "Call",
    "Case",
    "CaseEvent",
    "CaseTag",
    "CaseViewer",
    "Holiday",
    "InboundMail",
    "Mailbox",
    "Message",
    "OutboundMail",
    "Sender",
    "SlaPolicy",
    "TeamRouting",
    "format_number",
]
