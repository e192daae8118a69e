"""What the information field brings: pages, API, roles, timeline kinds, notifications, the
menu, a home widget, global search, the import target, the periodic job and demo data.
Called once from `MentionsConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.core import audit, roles
from kliento.core.demo import DemoLoader, register_demo_loader
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.core.search import SearchHit, SearchProvider, register_search_provider
from kliento.core.timeline import Entry, TimelineKind, register_timeline_kind
from kliento.core.types import AuthenticatedHttpRequest
from kliento.mentions import selectors
from kliento.mentions.services import answering, catalogue, deadlines, intake
from kliento.mentions.tasks import mentions_tick

SEE = ["mentions.view_mention", "mentions.view_situation"]
WORK = [*SEE, "mentions.change_mention"]
MANAGE = [
    *WORK,
    "mentions.add_mention",
    "mentions.manage_information_field",
    "mentions.answer_any_mention",
]


def _when(value: Any) -> str:
    moment = parse_datetime(str(value or ""))
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else "—"


def render_assigned(notification: Notification) -> str:
    p = notification.params
    return _("A mention on %(source)s (%(situation)s) is yours to answer by %(due)s.") % {
        "source": p.get("source", ""),
        "situation": p.get("situation", ""),
        "due": _when(p.get("due")),
    }


def render_due_soon(notification: Notification) -> str:
    p = notification.params
    return _("The reaction to a mention on %(source)s (%(situation)s) is due %(due)s.") % {
        "source": p.get("source", ""),
        "situation": p.get("situation", ""),
        "due": _when(p.get("due")),
    }


def render_overdue(notification: Notification) -> str:
    p = notification.params
    return _(
        "The reaction to a mention on %(source)s (%(situation)s, %(owner)s) was due %(due)s."
    ) % {
        "source": p.get("source", ""),
        "situation": p.get("situation", ""),
        "owner": p.get("owner", ""),
        "due": _when(p.get("due")),
    }


def describe_mention(entry: Entry) -> list[str]:
    data = entry.data
    line = _("On %(source)s: %(text)s") % {"source": data.get("source", ""), "text": entry.summary}
    return [line]


def due_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    shown = list(selectors.due_for(request.user)[:8])
    return {"due": shown, "now": timezone.now()} if shown else None


def find_mentions(user: Any, query: str, limit: int) -> list[SearchHit]:
    found = selectors.inbox(user, show="all", query=query)[:limit]
    return [
        SearchHit(
            title=(m.title or m.text)[:80],
            url=reverse("mentions:detail", args=[m.pk]),
            subtitle=f"{m.source} · {m.author}" if m.author else m.source,
            badge=str(m.get_sentiment_display()),
        )
        for m in found
    ]


def _more(query: str) -> str:
    return reverse("mentions:inbox") + "?" + urlencode({"show": "all", "q": query})


def register() -> None:
    mount_urls("mentions", "", "kliento.mentions.urls", order=60)
    mount_api("mentions", "kliento.mentions.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: MANAGE,
            roles.MANAGER: MANAGE,
            roles.STAGE_OWNER: WORK,
            roles.AGENT: WORK,
            roles.AUDITOR: SEE,
        }
    )
    for key, label in (
        (catalogue.SITUATION_SAVED, gettext_lazy("Situation saved")),
        (catalogue.RULE_SAVED, gettext_lazy("Mention match rule saved")),
        (catalogue.FEED_SAVED, gettext_lazy("Feed saved")),
    ):
        audit.register_action(key, label)
    for key, label, render in (
        (intake.ASSIGNED, gettext_lazy("A mention was given to you"), render_assigned),
        (deadlines.DUE_SOON, gettext_lazy("A mention's reaction is due soon"), render_due_soon),
        (deadlines.OVERDUE, gettext_lazy("A mention's reaction is overdue"), render_overdue),
    ):
        register_notification_kind(
            NotificationKind(
                key=key,
                label=label,
                render=render,
                default_email=True,
                permission="mentions.view_mention",
            )
        )
    for key, label in (
        (intake.TIMELINE_MENTIONED, gettext_lazy("Mentioned the company publicly")),
        (answering.TIMELINE_ANSWERED, gettext_lazy("Public mention answered")),
    ):
        register_timeline_kind(
            TimelineKind(
                key=key,
                label=label,
                permission="mentions.view_mention",
                describe=describe_mention,
            )
        )
    register_menu_item(
        MenuItem(
            key="mentions.inbox",
            label=gettext_lazy("Mentions"),
            url_name="mentions:inbox",
            permission="mentions.view_mention",
            group="work",
            order=50,
            active_for=("mentions:inbox", "mentions:detail", "mentions:report"),
        )
    )
    register_menu_item(
        MenuItem(
            key="mentions.situations",
            label=gettext_lazy("Situations"),
            url_name="mentions:situations",
            permission="mentions.view_situation",
            group="analysis",
            order=60,
            active_for=(
                "mentions:situations",
                "mentions:situation_new",
                "mentions:situation_edit",
                "mentions:feeds",
                "mentions:feed_new",
                "mentions:feed_edit",
            ),
        )
    )
    register_home_widget(
        HomeWidget(
            "mentions.due",
            gettext_lazy("My mentions to answer"),
            "mentions/widget_due.html",
            due_widget,
            "mentions.view_mention",
            order=16,
        )
    )
    register_search_provider(
        SearchProvider(
            key="mentions",
            label=gettext_lazy("Mentions"),
            permission="mentions.view_mention",
            search=find_mentions,
            order=60,
            more_url=_more,
        )
    )
    register_periodic_job(
        PeriodicJob("mentions.tick", mentions_tick, every=dt.timedelta(minutes=1))
    )
    from kliento.mentions import demo, importing

    importing.register()
    register_demo_loader(
        DemoLoader("mentions", demo.load, depends_on=("core.organisation", "clients"))
    )
