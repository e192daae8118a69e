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
from kliento.desk.models.sla import BusinessCalendar, Holiday, SlaPolicy
from kliento.desk.models.webhooks import (
    ConnectorThread,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

__all__ = [
    "Attachment",
    "BusinessCalendar",
    "Call",
    "Case",
    "CaseEvent",
    "CaseTag",
    "CaseViewer",
    "ConnectorThread",
    "Holiday",
    "IdempotencyRecord",
    "Message",
    "Sender",
    "SlaPolicy",
    "TeamRouting",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "format_number",
]
