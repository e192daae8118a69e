from kliento.clients.models.client import (
    ChannelConsent,
    Client,
    ContactPoint,
    Segment,
    Tag,
)
from kliento.clients.models.merge import ClientMergeRecord
from kliento.clients.models.portrait import PortraitFact
from kliento.clients.models.purchase import Purchase
from kliento.clients.models.saved_view import ListLayout, SavedView
from kliento.clients.models.timeline import TimelineEntry

__all__ = [
    "ChannelConsent",
    "Client",
    "ClientMergeRecord",
    "ContactPoint",
    "ListLayout",
    "PortraitFact",
    "Purchase",
    "SavedView",
    "Segment",
    "Tag",
    "TimelineEntry",
]
