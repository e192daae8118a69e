"""The five roles of Kliento, and the permissions each app grants them.

Roles are Django groups. The base layer defines the roles; each app declares, from its
`AppConfig.ready()`, which of its own permissions each role gets, and `sync_roles` (run after
every migrate) sets every group to exactly the union of those grants.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

ADMINISTRATOR = "administrator"
MANAGER = "manager"
STAGE_OWNER = "stage_owner"
AGENT = "agent"
AUDITOR = "auditor"

ROLE_LABELS = {
    ADMINISTRATOR: _("Administrator"),
    MANAGER: _("Manager"),
    STAGE_OWNER: _("Stage owner"),
    AGENT: _("Agent"),
    AUDITOR: _("Auditor"),
}

_grants: dict[str, set[str]] = {role: set() for role in ROLE_LABELS}


def register_grants(grants: Mapping[str, Iterable[str]]) -> None:
    """Add permissions ("app_label.codename") to roles. Grants only add; no app can take away
    what another granted."""
    for role, perms in grants.items():
        if role not in _grants:
            raise ValueError(f"Unknown role {role!r}; roles are {sorted(ROLE_LABELS)}")
        for perm in perms:
            if perm.count(".") != 1:
                raise ValueError(f"Permission {perm!r} must read 'app_label.codename'")
            _grants[role].add(perm)


def role_permissions() -> dict[str, frozenset[str]]:
    return {role: frozenset(perms) for role, perms in _grants.items()}


def sync_roles(**kwargs: Any) -> None:
    """Create each role's group and set exactly its permissions (idempotent)."""
    by_key = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role, perms in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([by_key[key] for key in perms if key in by_key])


def roles_of(user: Any) -> list[str]:
    return [g.name for g in user.groups.all() if g.name in ROLE_LABELS]


def role_label(name: str) -> str:
    """A group's name as people read it: the role's translated label, or the name itself."""
    label = ROLE_LABELS.get(name)
    return str(label) if label is not None else name
