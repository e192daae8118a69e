"""Reads of the service desk; other apps read cases only through this package."""

from kliento.desk.selectors.cases import (
    QUEUES,
    Queue,
    case_for,
    cases_of_client,
    conversation,
    history,
    queue_cases,
    queue_counts,
    search_cases,
)

__all__ = [
    "QUEUES",
    "Queue",
    "case_for",
    "cases_of_client",
    "conversation",
    "history",
    "queue_cases",
    "queue_counts",
    "search_cases",
]
