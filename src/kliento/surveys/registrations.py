"""What the surveys app brings: pages, API, roles, the timeline kind, notifications, the menu,
a home widget, a client-card panel, trigger sources, the import target and demo data.
Called once from `SurveysConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.clients.registry import CardPanel, register_card_panel, register_merge_handler
from kliento.core import audit, roles
from kliento.core.demo import DemoLoader, register_demo_loader
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.core.timeline import Entry, TimelineKind, register_timeline_kind
from kliento.core.types import AuthenticatedHttpRequest
from kliento.surveys import merging, selectors, sources
from kliento.surveys.services import answering, definitions, internal, loop, praising
from kliento.surveys.tasks import surveys_tick

VIEW = [
    "surveys.view_survey",
    "surveys.view_response",
    "surveys.view_followup",
    "surveys.view_praise",
]
WORK = ["surveys.change_followup", "surveys.record_responses", praising.SHARE_OWN]
MANAGE = [
    praising.SHARE_ANY,
    "surveys.manage_surveys",
    "surveys.view_all_responses",
    "surveys.handle_all_followups",
    "surveys.export_responses",
]


def describe_answer(entry: Entry) -> list[str]:
    data = entry.data
    line = entry.summary
    if data.get("score") is not None:
        line = _("%(survey)s: %(score)s (scale %(scale)s)") % {
            "survey": entry.summary,
            "score": data["score"],
            "scale": data.get("scale") or "—",
        }
    if data.get("edited"):
        line += " · " + _("answer changed")
    return [line]


def _when(value: Any) -> str:
    moment = parse_datetime(str(value or ""))
    return date_format(moment, "SHORT_DATETIME_FORMAT") if moment else "—"


def render_opened(notification: Notification) -> str:
    p = notification.params
    return _("A poor answer to %(survey)s (score %(score)s) needs your follow-up by %(due)s.") % {
        "survey": p.get("survey", ""),
        "score": p.get("score", "—"),
        "due": _when(p.get("due")),
    }


def render_overdue(notification: Notification) -> str:
    p = notification.params
    return _("The follow-up of an answer to %(survey)s (%(owner)s) was due %(due)s.") % {
        "survey": p.get("survey", ""),
        "owner": p.get("owner", ""),
        "due": _when(p.get("due")),
    }


def render_staff_invited(notification: Notification) -> str:
    p = notification.params
    if p.get("anonymous"):
        return _("Please answer the staff survey %(survey)s (anonymous).") % {
            "survey": p.get("survey", "")
        }
    return _("Please answer the staff survey %(survey)s.") % {"survey": p.get("survey", "")}


def render_praised(notification: Notification) -> str:
    p = notification.params
    if p.get("client"):
        return _("%(client)s praised your work (%(source)s); it is on the recognition feed.") % {
            "client": p["client"],
            "source": p.get("source", ""),
        }
    return _("A client praised your work (%(source)s); it is on the recognition feed.") % {
        "source": p.get("source", "")
    }


PRAISE_SHOWN = 5


def praise_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    shown = list(selectors.praise_feed()[:PRAISE_SHOWN])
    return {"praise": shown} if shown else None


def follow_ups_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    mine = selectors.open_follow_ups_of(request.user).select_related("response__survey")
    shown = list(mine[:10])
    return {"follow_ups": shown} if shown else None


def answers_panel(request: AuthenticatedHttpRequest, client: Any) -> dict[str, Any] | None:
    answers = selectors.responses_for(request.user).filter(client_id=client.pk)[:5]
    may_record = request.user.has_perm("surveys.record_responses")
    shown = list(answers)
    if not shown and not may_record:
        return None
    return {"answers": shown, "may_record": may_record, "now": dt.datetime.now(dt.UTC)}


def register() -> None:
    mount_urls("surveys", "", "kliento.surveys.urls", order=40)
    mount_api("surveys", "kliento.surveys.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*VIEW, *WORK, *MANAGE],
            roles.MANAGER: [*VIEW, *WORK, *MANAGE],
            roles.STAGE_OWNER: [*VIEW, *WORK],
            roles.AGENT: [*VIEW, *WORK],
            roles.AUDITOR: [*VIEW, "surveys.view_all_responses"],
        }
    )
    audit.register_action(definitions.SURVEY_SAVED, gettext_lazy("Survey saved"))
    audit.register_action(praising.PRAISE_SHARED, gettext_lazy("Praise shared"))
    register_notification_kind(
        NotificationKind(
            key=praising.PRAISE_SHARED,
            label=gettext_lazy("A client's praise of your work was shared"),
            render=render_praised,
            default_email=True,
            permission="surveys.view_praise",
        )
    )
    register_home_widget(
        HomeWidget(
            "surveys.praise",
            gettext_lazy("Praise from clients"),
            "surveys/widget_praise.html",
            praise_widget,
            "surveys.view_praise",
            order=12,
        )
    )
    register_menu_item(
        MenuItem(
            key="surveys.praise",
            label=gettext_lazy("Praise from clients"),
            url_name="surveys:praise",
            permission="surveys.view_praise",
            group="work",
            order=45,
            active_for=("surveys:praise", "surveys:praise_share"),
        )
    )
    register_timeline_kind(
        TimelineKind(
            key=answering.ANSWERED,
            label=gettext_lazy("Survey answered"),
            permission="surveys.view_response",
            describe=describe_answer,
        )
    )
    for key, label, render in (
        (loop.FOLLOW_UP_OPENED, gettext_lazy("A survey follow-up was given to you"), render_opened),
        (loop.FOLLOW_UP_OVERDUE, gettext_lazy("A survey follow-up is overdue"), render_overdue),
    ):
        register_notification_kind(
            NotificationKind(
                key=key,
                label=label,
                render=render,
                default_email=True,
                permission="surveys.view_followup",
            )
        )
    register_notification_kind(
        NotificationKind(
            key=internal.STAFF_INVITED,
            label=gettext_lazy("A staff survey asks for your answer"),
            render=render_staff_invited,
            default_email=True,
        )
    )
    register_menu_item(
        MenuItem(
            key="surveys.list",
            label=gettext_lazy("Surveys"),
            url_name="surveys:list",
            permission="surveys.view_survey",
            group="analysis",
            order=30,
            active_for=("surveys:list", "surveys:detail", "surveys:create", "surveys:edit"),
        )
    )
    register_menu_item(
        MenuItem(
            key="surveys.follow_ups",
            label=gettext_lazy("Survey follow-ups"),
            url_name="surveys:follow_ups",
            permission="surveys.view_followup",
            group="work",
            order=40,
            active_for=("surveys:follow_ups", "surveys:follow_up"),
        )
    )
    register_home_widget(
        HomeWidget(
            "surveys.follow_ups",
            gettext_lazy("Survey follow-ups"),
            "surveys/widget_follow_ups.html",
            follow_ups_widget,
            "surveys.view_followup",
            order=15,
        )
    )
    register_card_panel(
        CardPanel(
            "surveys.answers",
            "surveys/panel_answers.html",
            answers_panel,
            permission="surveys.view_response",
            order=40,
        )
    )
    sources.register()
    register_periodic_job(PeriodicJob("surveys.tick", surveys_tick, every=dt.timedelta(minutes=5)))
    register_merge_handler("surveys.LastAsked", merging.merge_last_asked)
    register_merge_handler("surveys.Invitation", merging.merge_invitations)
    from kliento.surveys import demo, importing

    importing.register()
    register_demo_loader(DemoLoader("surveys", demo.load, depends_on=("clients",)))
