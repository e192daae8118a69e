"""What else happens when a case changes, inside the desk: the SLA clock, escalation, outbound
mail, webhooks and survey triggers each register a hook here from `registrations`, and the
case services call them all in the change's transaction.

A hook that talks to the outside world (mail, webhooks) must defer that with
`transaction.on_commit`, so a rolled-back change sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kliento.core.types import Actor

if TYPE_CHECKING:
    from kliento.desk.models import Case, Message


@dataclass(frozen=True)
class CaseChange:
    case: Case
    # "opened", "message", "status", "priority", "changed", "assigned", "merged", "call"
    kind: str
    actor: Actor = None
    # {"field": (old, new)}
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    message: Message | None = None


CaseHook = Callable[[CaseChange], None]

_hooks: list[tuple[int, str, CaseHook]] = []


def register_case_hook(key: str, hook: CaseHook, *, order: int = 100) -> None:
    """Hooks run by `order` (the SLA clock before those that report the case's state)."""
    if any(existing == key for _, existing, _ in _hooks):
        raise ValueError(f"Case hook {key!r} is already registered")
    _hooks.append((order, key, hook))
    _hooks.sort(key=lambda item: (item[0], item[1]))


def emit(change: CaseChange) -> None:
    for _, _, hook in list(_hooks):
        hook(change)
