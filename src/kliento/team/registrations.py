"""What the team app brings: pages, API, roles, audit actions, notifications, the menu, home
widgets, search, the daily job, its own performance signals and demo data. Called once from
`TeamConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
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
from kliento.core.types import AuthenticatedHttpRequest
from kliento.team import selectors, signals
from kliento.team.services import hiring, onboarding, profiles, refresher
from kliento.team.tasks import team_daily

VIEW = ["team.view_idealprofile", "team.view_course"]
MANAGE = [
    "team.manage_profiles",
    "team.hire",
    "team.manage_onboarding",
    "team.manage_training",
    "team.view_skills",
]


def render_started(n: Notification) -> str:
    return _("Onboarding of %(employee)s has started; %(mentor)s is the mentor.") % {
        "employee": n.params.get("employee", ""),
        "mentor": n.params.get("mentor", ""),
    }


def render_signed(n: Notification) -> str:
    return _("%(mentor)s signed off your checkpoint “%(checkpoint)s”.") % {
        "mentor": n.params.get("mentor", ""),
        "checkpoint": n.params.get("checkpoint", ""),
    }


def render_overdue(n: Notification) -> str:
    return _("The onboarding checkpoint “%(checkpoint)s” of %(employee)s was due %(due)s.") % {
        "checkpoint": n.params.get("checkpoint", ""),
        "employee": n.params.get("employee", ""),
        "due": n.params.get("due", ""),
    }


def render_proposed(n: Notification) -> str:
    return _("Refresher training proposed for %(subject)s: %(signal)s is at %(value)s.") % {
        "subject": n.params.get("subject", ""),
        "signal": n.params.get("signal", ""),
        "value": n.params.get("value", ""),
    }


def my_onboarding_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    rows = [
        (o, selectors.onboarding_progress(o))
        for o in selectors.running_onboardings_of(request.user)
    ]
    return {"rows": rows} if rows else None


def mentoring_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    rows = [(o, selectors.onboarding_progress(o)) for o in selectors.mentored_by(request.user)]
    rows = [(o, p) for o, p in rows if p.percent < 100]
    return {"rows": rows} if rows else None


def search_courses(user: Any, query: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(c.title, reverse("team:course", args=[c.pk]), c.get_kind_display())
        for c in selectors.course_search(query, limit)
    ]


def search_candidates(user: Any, query: str, limit: int) -> list[SearchHit]:
    found = selectors.candidates_for(user).filter(name__icontains=query)[:limit]
    return [
        SearchHit(
            c.name, reverse("team:candidate", args=[c.pk]), str(c.profile), c.get_stage_display()
        )
        for c in found
    ]


def _menu() -> None:
    items = [
        (
            "team.profiles",
            gettext_lazy("Ideal-employee profiles"),
            "team:profiles",
            "team.view_idealprofile",
            "setup",
            60,
            ("team:profiles", "team:profile"),
        ),
        (
            "team.candidates",
            gettext_lazy("Candidates"),
            "team:candidates",
            "team.hire",
            "work",
            70,
            ("team:candidates", "team:candidate"),
        ),
        (
            "team.onboarding",
            gettext_lazy("Onboarding"),
            "team:onboardings",
            "team.view_idealprofile",
            "work",
            71,
            ("team:onboardings", "team:onboarding"),
        ),
        (
            "team.plans",
            gettext_lazy("Onboarding plans"),
            "team:plans",
            "team.manage_onboarding",
            "setup",
            61,
            ("team:plans", "team:plan"),
        ),
        (
            "team.courses",
            gettext_lazy("Training"),
            "team:courses",
            "team.view_course",
            "work",
            72,
            ("team:courses", "team:course", "team:session", "team:record"),
        ),
        (
            "team.refreshers",
            gettext_lazy("Refresher training"),
            "team:proposals",
            "team.manage_training",
            "analysis",
            60,
            ("team:proposals", "team:proposal"),
        ),
        (
            "team.matrix",
            gettext_lazy("Skills matrix"),
            "team:matrix",
            "team.view_skills",
            "analysis",
            61,
            ("team:matrix",),
        ),
        (
            "team.climate",
            gettext_lazy("Team climate"),
            "team:climate",
            "team.view_skills",
            "analysis",
            62,
            ("team:climate",),
        ),
    ]
    for key, label, url_name, permission, group, order, active in items:
        register_menu_item(
            MenuItem(
                key=key,
                label=label,
                url_name=url_name,
                permission=permission,
                group=group,
                order=order,
                active_for=active,
            )
        )


def register() -> None:
    mount_urls("team", "team/", "kliento.team.urls", order=60)
    mount_api("team", "kliento.team.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*VIEW, *MANAGE],
            roles.MANAGER: [*VIEW, *MANAGE],
            roles.STAGE_OWNER: [*VIEW, "team.view_skills"],
            roles.AGENT: VIEW,
            roles.AUDITOR: VIEW,
        }
    )
    audit.register_action(profiles.PROFILE_SAVED, gettext_lazy("Ideal-employee profile saved"))
    audit.register_action(hiring.CANDIDATE_MOVED, gettext_lazy("Candidate moved in the pipeline"))
    audit.register_action(
        hiring.CANDIDATE_ERASED, gettext_lazy("Candidate's personal data erased (retention)")
    )
    audit.register_action(onboarding.ONBOARDING_STARTED, gettext_lazy("Onboarding started"))
    for key, label, render in (
        (
            onboarding.ONBOARDING_STARTED,
            gettext_lazy("An onboarding you take part in started"),
            render_started,
        ),
        (
            onboarding.CHECKPOINT_SIGNED,
            gettext_lazy("Your mentor signed off a checkpoint"),
            render_signed,
        ),
        (
            onboarding.CHECKPOINT_OVERDUE,
            gettext_lazy("An onboarding checkpoint is overdue"),
            render_overdue,
        ),
    ):
        register_notification_kind(
            NotificationKind(key=key, label=label, render=render, default_email=True)
        )
    register_notification_kind(
        NotificationKind(
            key=refresher.REFRESHER_PROPOSED,
            label=gettext_lazy("Refresher training is proposed"),
            render=render_proposed,
            default_email=True,
            permission="team.manage_training",
        )
    )
    register_home_widget(
        HomeWidget(
            "team.my_onboarding",
            gettext_lazy("My onboarding"),
            "team/widget_my_onboarding.html",
            my_onboarding_widget,
            order=8,
        )
    )
    register_home_widget(
        HomeWidget(
            "team.mentoring",
            gettext_lazy("Onboardings I mentor"),
            "team/widget_mentoring.html",
            mentoring_widget,
            order=9,
        )
    )
    register_search_provider(
        SearchProvider(
            "team.courses", gettext_lazy("Courses"), "team.view_course", search_courses, order=80
        )
    )
    register_search_provider(
        SearchProvider(
            "team.candidates", gettext_lazy("Candidates"), "team.hire", search_candidates, order=81
        )
    )
    _menu()
    signals.register()
    register_periodic_job(PeriodicJob("team.daily", team_daily, every=dt.timedelta(hours=1)))
    from kliento.team import demo

    register_demo_loader(
        DemoLoader("team", demo.load, depends_on=("surveys", "standards.book", "core.organisation"))
    )
