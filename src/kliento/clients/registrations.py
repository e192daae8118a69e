"""What the client card brings to the base layer: menu, role grants, timeline kinds, audit
actions, home widgets, search and demo data. Called once from `ClientsConfig.ready()`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kliento.clients import search, timeline_kinds, widgets
from kliento.clients.demo import loader as demo_loader
from kliento.clients.importing import targets as import_targets
from kliento.core import audit, roles
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item

VIEW = ["clients.view_client", "clients.view_purchase", "clients.view_portraitfact"]
CARE = [
    "clients.change_client",
    "clients.add_portraitfact",
    "clients.change_portraitfact",
    "clients.add_purchase",
]
MANAGE = [
    "clients.add_client",
    "clients.delete_client",
    "clients.delete_portraitfact",
    "clients.change_purchase",
    "clients.delete_purchase",
    "clients.import_data",
    "clients.export_data",
    "clients.view_key_clients",
    "clients.flag_key_clients",
    "clients.merge_client",
    "clients.share_savedview",
]


def register() -> None:
    mount_urls("clients", "clients/", "kliento.clients.urls", order=10)
    mount_api("clients", "kliento.clients.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*VIEW, *CARE, *MANAGE],
            roles.MANAGER: [*VIEW, *CARE, *MANAGE],
            roles.STAGE_OWNER: [*VIEW, *CARE, "clients.add_client", "clients.view_key_clients"],
            roles.AGENT: [*VIEW, *CARE, "clients.add_client"],
            roles.AUDITOR: [*VIEW, "clients.view_key_clients"],
        }
    )
    register_menu_item(
        MenuItem(
            key="clients",
            label=_("Clients"),
            url_name="clients:list",
            permission="clients.view_client",
            group="work",
            order=10,
            active_for=("clients:",),
        )
    )
    audit.register_action("client.deleted", _("Client deleted"))
    audit.register_action("client.merged", _("Client merged into another"))
    timeline_kinds.register()
    widgets.register()
    search.register()
    demo_loader.register()
    import_targets.register()
