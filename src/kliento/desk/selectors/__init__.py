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
from kliento.desk.selectors.sla import TargetState, breach_counts, breaches, sla_state

__all__ = [
    "QUEUES",
    "Queue",
    "TargetState",
    "breach_counts",
    "breaches",
    "case_for",
    "cases_of_client",
    "conversation",
    "history",
    "queue_cases",
    "queue_counts",
    "search_cases",
    "sla_state",
]
