"""Writes of the information field. Each public function is one transaction; other apps
change mentions only through this package."""

from kliento.mentions.services.answering import answer, dismiss, open_case
from kliento.mentions.services.catalogue import save_feed, save_rule, save_situation
from kliento.mentions.services.deadlines import check_deadlines
from kliento.mentions.services.intake import MentionDraft, Received, receive

__all__ = [
    "MentionDraft",
    "Received",
    "answer",
    "check_deadlines",
    "dismiss",
    "open_case",
    "receive",
    "save_feed",
    "save_rule",
    "save_situation",
]
