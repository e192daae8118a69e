"""Reads of the service desk; other apps read cases only through this package."""

from kliento.desk.selectors.cases import (
    COUNT_CAP,
    QUEUES,
    Queue,
    QueuePage,
    capped_count,
    case_for,
    cases_of_client,
    conversation,
    count_label,
    history,
    queue_cases,
    queue_counts,
    queue_page,
    search_cases,
)
from kliento.desk.selectors.sla import TargetState, breach_counts, breaches, sla_state

__all__ = [
    "COUNT_CAP",
    "QUEUES",
    "Queue",
    "QueuePage",
    "TargetState",
    "breach_counts",
    "breaches",
    "capped_count",
    "case_for",
    "cases_of_client",
    "conversation",
    "count_label",
    "history",
    "queue_cases",
    "queue_counts",
    "queue_page",
    "search_cases",
    "sla_state",
]
