"""The audit log: one `record` for every change to configuration, staff or deleted data.

Apps register the actions they write (a name and a translated label), so the log reads in the
viewer's language and a typo in an action name fails at once instead of writing an orphan row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.functional import Promise

from kliento.core.models import AuditEntry
from kliento.core.registry import Registry
from kliento.core.types import Actor


@dataclass(frozen=True)
class AuditAction:
    key: str
    label: Promise | str


audit_actions: Registry[AuditAction] = Registry("audit actions")


def register_action(key: str, label: Promise | str) -> AuditAction:
    return audit_actions.register(AuditAction(key, label))


def action_label(key: str) -> str:
    action = audit_actions.get(key)
    return str(action.label) if action is not None else key


def record(
    *,
    actor: Actor,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
    target_repr: str | None = None,
) -> AuditEntry:
    """Write one audit row in the transaction of the change it records."""
    if action not in audit_actions:
        raise LookupError(f"Audit action {action!r} is not registered")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit entries must be written inside the change's transaction")
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=(target_repr if target_repr is not None else str(target))[:300],
        changes=data or {},
    )
