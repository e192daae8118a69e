from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest


def widget_context(request: HttpRequest) -> dict[str, Any]:
    from tests.plugin_app.models import Visit

    return {"count": Visit.objects.count()}


def describe_visit(entry: Any) -> list[str]:
    return [f"Visited the {entry.data['room']}"]


def load_demo(options: Any) -> None:
    from kliento.clients.models import Client
    from tests.plugin_app.models import Visit

    client = Client.objects.order_by("pk").first()
    if client is not None and not Visit.objects.exists():
        Visit.objects.create(client=client, room="demo showroom")


class PluginAppConfig(AppConfig):
    name = "tests.plugin_app"
    label = "plugin_app"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.core import audit, roles
        from kliento.core.demo import DemoLoader, register_demo_loader
        from kliento.core.home import HomeWidget, register_home_widget
        from kliento.core.mounts import mount_api, mount_urls
        from kliento.core.navigation import MenuItem, register_menu_item
        from kliento.core.timeline import TimelineKind, register_timeline_kind

        mount_urls("plugin_app", "visits/", "tests.plugin_app.urls")
        mount_api("plugin_app", "tests.plugin_app.api.router")
        register_menu_item(
            MenuItem(
                "plugin_app.visits",
                "Showroom visits",
                "plugin_app:visits",
                permission="plugin_app.view_visit",
                group="work",
                order=90,
            )
        )
        register_home_widget(
            HomeWidget(
                "plugin_app.visits",
                "Showroom",
                "plugin_app/widget.html",
                widget_context,
                permission="plugin_app.view_visit",
            )
        )
        roles.register_grants(
            {
                roles.MANAGER: ["plugin_app.view_visit", "plugin_app.log_visit"],
                roles.AGENT: ["plugin_app.view_visit"],
            }
        )
        register_timeline_kind(
            TimelineKind(
                "plugin.visit",
                "Showroom visit",
                permission="plugin_app.view_visit",
                describe=describe_visit,
                contact=True,  # a visit is a contact: it sets the client's "last contact"
            )
        )
        audit.register_action("plugin.visit_logged", "Showroom visit logged")
        register_demo_loader(DemoLoader("plugin_app", load_demo, depends_on=("clients",)))

        from kliento.core.notifications import NotificationKind, register_notification_kind
        from kliento.core.search import SearchProvider, register_search_provider
        from kliento.imports.registry import FieldSpec, ImportTarget, register_target
        from tests.plugin_app import plugins

        register_search_provider(
            SearchProvider(
                "plugin_app.visits",
                "Showroom visits",
                "plugin_app.view_visit",
                plugins.search_visits,
            )
        )
        register_target(
            ImportTarget(
                key="visits",
                label="Showroom visits",
                import_permission="plugin_app.log_visit",
                fields=(FieldSpec("client_id", "Client id", True), FieldSpec("room", "Room", True)),
                validator=plugins.VisitValidator,
                writer=plugins.write_visits,
            )
        )
        register_notification_kind(
            NotificationKind(
                "plugin.visit_logged", "Showroom visit logged", plugins.render_visit_notice
            )
        )
