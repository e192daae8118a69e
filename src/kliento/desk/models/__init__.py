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
from kliento.desk.models.idempotency import IdempotencyRecord
from kliento.desk.models.mail import InboundMail, Mailbox, OutboundMail
from kliento.desk.models.sla import BusinessCalendar, Holiday, SlaPolicy
from kliento.desk.models.sla_records import EscalationRecord, SlaBreach, SlaClock, SlaTarget
from kliento.desk.models.webhooks import (
    ConnectorThread,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from kliento.desk.models.workspace import Macro, SavedCaseView

__all__ = [
    "Attachment",
    "BusinessCalendar",
    "Call",
    "Case",
    "CaseEvent",
    "CaseTag",
    "CaseViewer",
    "ConnectorThread",
    "EscalationRecord",
    "Holiday",
    "IdempotencyRecord",
    "InboundMail",
    "Macro",
    "Mailbox",
    "Message",
    "OutboundMail",
    "SavedCaseView",
    "Sender",
    "SlaBreach",
    "SlaClock",
    "SlaPolicy",
    "SlaTarget",
    "TeamRouting",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "format_number",
]
