from kliento.customers.models.client import (
    ChannelConsent,
    Client,
    ContactPoint,
    Segment,
    Tag,
)
from kliento.customers.models.imports import ImportJob
from kliento.customers.models.portrait import PortraitFact
from kliento.customers.models.purchase import Purchase
from kliento.customers.models.timeline import TimelineEntry

__all__ = [
    "ChannelConsent",
    "Client",
    "ContactPoint",
    "ImportJob",
    "PortraitFact",
    "Purchase",
    "Segment",
    "Tag",
    "TimelineEntry",
]
