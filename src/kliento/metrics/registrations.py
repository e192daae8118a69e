"""What the metrics app brings to the base layer: its menu entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kliento.core import roles
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.metrics import client_metrics

VIEW_CLIENT_METRICS = "metrics.view_client_metrics"


def register() -> None:
    client_metrics.register()
    mount_api("metrics", "kliento.metrics.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [VIEW_CLIENT_METRICS],
            roles.MANAGER: [VIEW_CLIENT_METRICS],
            roles.AUDITOR: [VIEW_CLIENT_METRICS],
        }
    )
    register_menu_item(
        MenuItem(
            key="metrics.client_metrics",
            label=_("Client metrics"),
            url_name="metrics:client_metrics",
            permission=VIEW_CLIENT_METRICS,
            group="analysis",
            order=20,
        )
    )
    # The key-client analysis keeps its address under /clients/key/.
    mount_urls("metrics", "", "kliento.metrics.urls", order=5)
    register_menu_item(
        MenuItem(
            key="metrics.key_clients",
            label=_("Key clients"),
            url_name="metrics:key_clients",
            # The permissions of the analysis are the client card's (who may see and flag key
            # clients), granted to roles by the clients app.
            permission="clients.view_key_clients",
            group="analysis",
            order=10,
        )
    )
