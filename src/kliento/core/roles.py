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
    "clients.view_client",
    "clients.view_purchase",
    "clients.view_portraitfact",
]
_CARE = [
    "clients.change_client",
    "clients.add_portraitfact",
    "clients.change_portraitfact",
    "clients.add_purchase",
]
_MANAGE = [
    "clients.add_client",
    "clients.delete_client",
    "clients.delete_portraitfact",
    "clients.change_purchase",
    "clients.delete_purchase",
    "clients.import_data",
    "clients.export_data",
    "clients.view_key_clients",
    "clients.flag_key_clients",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATOR: [*_VIEW, *_CARE, *_MANAGE, "core.change_orgunit", "core.add_orgunit"],
    MANAGER: [*_VIEW, *_CARE, *_MANAGE],
    STAGE_OWNER: [*_VIEW, *_CARE, "clients.add_client", "clients.view_key_clients"],
    AGENT: [*_VIEW, *_CARE, "clients.add_client"],
    AUDITOR: [*_VIEW, "clients.view_key_clients"],
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
