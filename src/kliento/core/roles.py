"""Roles are Django groups with a fixed set of permissions, kept in step by `sync_roles`."""

from __future__ import annotations

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

_VIEW = [
    "customers.view_client",
    "customers.view_purchase",
    "customers.view_portraitfact",
]
_CARE = [
    "customers.change_client",
    "customers.add_portraitfact",
    "customers.change_portraitfact",
    "customers.add_purchase",
]
_MANAGE = [
    "customers.add_client",
    "customers.delete_client",
    "customers.delete_portraitfact",
    "customers.change_purchase",
    "customers.delete_purchase",
    "customers.import_data",
    "customers.export_data",
    "customers.view_key_clients",
    "customers.flag_key_clients",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATOR: [*_VIEW, *_CARE, *_MANAGE, "core.change_orgunit", "core.add_orgunit"],
    MANAGER: [*_VIEW, *_CARE, *_MANAGE],
    STAGE_OWNER: [*_VIEW, *_CARE, "customers.add_client", "customers.view_key_clients"],
    AGENT: [*_VIEW, *_CARE, "customers.add_client"],
    AUDITOR: [*_VIEW, "customers.view_key_clients"],
}


def sync_roles(**kwargs: Any) -> None:
    """Create each role's group and set exactly its permissions (idempotent)."""
    by_key = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([by_key[key] for key in perms if key in by_key])


def roles_of(user) -> list[str]:
    return [g.name for g in user.groups.all() if g.name in ROLE_LABELS]
