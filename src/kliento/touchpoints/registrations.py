"""What the touchpoints app brings: its pages and API, role grants, the menu entry, the
impression timeline kind, the owner notification, audit actions, the owner's home widget, the
card panel, search and demo data. Called once from `TouchpointsConfig.ready()`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.clients.registry import CardPanel, register_card_panel
from kliento.core import audit, roles
from kliento.core.demo import DemoLoader, demo_loaders, register_demo_loader
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.search import SearchHit, SearchProvider, register_search_provider
from kliento.core.timeline import Entry, TimelineKind, register_timeline_kind
from kliento.core.types import AuthenticatedHttpRequest
from kliento.touchpoints import demo, selectors, services
from kliento.touchpoints.models import Impression, Touchpoint
from kliento.touchpoints.panels import impressions_panel

VIEW = ["touchpoints.view_touchpoint"]
READ_IMPRESSIONS = ["touchpoints.view_impression"]
RECORD = ["touchpoints.add_impression"]
# The registry: managers and administrators. Owners edit their own touchpoints' regulation and
# parameters (an object rule, `rules.may_edit_regulation`), whatever their role.
REGISTRY = ["touchpoints.add_touchpoint", "touchpoints.change_touchpoint"]


def describe_impression(entry: Entry) -> list[str]:
    data = entry.data
    sentiments, sources = dict(Impression.Sentiment.choices), dict(Impression.Source.choices)
    touchpoint_id = data.get("touchpoint_id")
    name = (
        Touchpoint.objects.filter(pk=touchpoint_id).values_list("name", flat=True).first()
        if isinstance(touchpoint_id, int)
        else None
    ) or entry.summary
    head = [str(sentiments.get(data.get("sentiment", ""), data.get("sentiment", ""))), name]
    if data.get("source") and data["source"] != Impression.Source.STAFF:
        head.append(str(sources.get(data["source"], data["source"])))
    lines = [" · ".join(head)]
    if data.get("excerpt"):
        lines.append(str(data["excerpt"]))
    return lines


def render_owner_assigned(notification: Notification) -> str:
    actor = notification.actor
    who = (actor.get_full_name() or actor.username) if actor is not None else _("Kliento")
    return _("%(who)s made you the owner of the touchpoint %(name)s.") % {
        "who": who,
        "name": notification.params.get("name", ""),
    }


def my_touchpoints_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    mine = selectors.my_touchpoints(request.user, latest=1)
    return {"mine": mine, "recent_days": selectors.RECENT_DAYS} if mine else None


def find_touchpoints(user: Any, query: str, limit: int) -> list[SearchHit]:
    found = selectors.touchpoints(selectors.TouchpointFilters(q=query, active=None))[:limit]
    return [
        SearchHit(
            title=t.name,
            url=t.get_absolute_url(),
            subtitle=" · ".join(
                [str(t.get_category_display()), str(t.owner.get_full_name() or t.owner.username)]
            ),
            badge="" if t.is_active else str(_("Not in use")),
        )
        for t in found
    ]


def all_matches_url(query: str) -> str:
    return f"{reverse('touchpoints:list')}?{urlencode({'q': query, 'all': '1'})}"


def _register_metrics() -> None:
    """The app's figures in the metric layer, when that layer is installed."""
    from django.apps import apps

    if apps.is_installed("kliento.metrics"):
        from kliento.touchpoints import metrics

        metrics.register()


def register() -> None:
    _register_metrics()
    mount_urls("touchpoints", "touchpoints/", "kliento.touchpoints.urls", order=40)
    mount_api("touchpoints", "kliento.touchpoints.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*VIEW, *READ_IMPRESSIONS, *RECORD, *REGISTRY],
            roles.MANAGER: [*VIEW, *READ_IMPRESSIONS, *RECORD, *REGISTRY],
            roles.STAGE_OWNER: [*VIEW, *READ_IMPRESSIONS, *RECORD],
            roles.AGENT: [*VIEW, *READ_IMPRESSIONS, *RECORD],
            roles.AUDITOR: [*VIEW, *READ_IMPRESSIONS],
        }
    )
    register_menu_item(
        MenuItem(
            key="touchpoints",
            label=gettext_lazy("Touchpoints"),
            url_name="touchpoints:list",
            permission="touchpoints.view_touchpoint",
            group="setup",
            order=20,
            active_for=("touchpoints:",),
        )
    )
    audit.register_action(services.CREATED, gettext_lazy("Touchpoint added"))
    audit.register_action(services.OWNER_CHANGED, gettext_lazy("Touchpoint owner changed"))
    register_timeline_kind(
        TimelineKind(
            key=services.IMPRESSION_RECORDED,
            label=gettext_lazy("Impression at a touchpoint"),
            permission="touchpoints.view_impression",
            describe=describe_impression,
        )
    )
    register_notification_kind(
        NotificationKind(
            key=services.OWNER_ASSIGNED,
            label=gettext_lazy("You were made a touchpoint's owner"),
            render=render_owner_assigned,
            default_email=True,
            permission="touchpoints.view_touchpoint",
        )
    )
    register_home_widget(
        HomeWidget(
            "touchpoints.mine",
            gettext_lazy("My touchpoints"),
            "touchpoints/widget_mine.html",
            my_touchpoints_widget,
            "touchpoints.view_touchpoint",
            order=30,
        )
    )
    register_card_panel(
        CardPanel(
            "touchpoints.impressions",
            "touchpoints/panel_impressions.html",
            impressions_panel,
            permission="touchpoints.view_impression",
            order=40,
        )
    )
    register_search_provider(
        SearchProvider(
            key="touchpoints",
            label=gettext_lazy("Touchpoints"),
            permission="touchpoints.view_touchpoint",
            search=find_touchpoints,
            order=40,
            more_url=all_matches_url,
        )
    )
    # The journeys app is installed before this one, so its demo loader (if it has one) is
    # registered by now; the touchpoints link to whatever demo stages it made.
    journeys = tuple(
        loader.key for loader in demo_loaders if loader.key.split(".")[0] == "journeys"
    )
    register_demo_loader(DemoLoader("touchpoints", demo.load, depends_on=("clients", *journeys)))
