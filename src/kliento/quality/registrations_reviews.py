"""What QA reviews bring: pages, API, audit actions, notifications, menu entries, the
sampling job and demo data. Called from `quality.registrations.register()`."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.core import audit
from kliento.core.demo import DemoLoader, register_demo_loader
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.quality.services import calibration, reviews
from kliento.quality.tasks_reviews import sample_reviews


def render_completed(n: Notification) -> str:
    return _("Your case was reviewed: score %(score)s.") % {"score": n.params.get("score", "—")}


def render_opened(n: Notification) -> str:
    return _("%(agent)s disputes a QA review; a second reviewer should decide it.") % {
        "agent": n.params.get("agent", "")
    }


def render_decided(n: Notification) -> str:
    p = n.params
    if p.get("decision") == "amended":
        return _(
            "Your dispute was accepted: the review was amended from %(before)s to %(after)s."
        ) % {
            "before": p.get("before", "—"),
            "after": p.get("after", "—"),
        }
    return _("Your dispute was decided: the review stands (score %(before)s).") % {
        "before": p.get("before", "—")
    }


def register() -> None:
    mount_urls("quality.reviews", "quality/reviews/", "kliento.quality.urls_reviews", order=60)
    mount_api("quality.reviews", "kliento.quality.api_reviews.router", prefix="quality/")
    for key, label in (
        (reviews.DISPUTE_OPENED, gettext_lazy("Review disputed")),
        (reviews.DISPUTE_DECIDED, gettext_lazy("Review dispute decided")),
        (calibration.SESSION_CLOSED, gettext_lazy("Calibration session closed")),
        (calibration.REFERENCE_RECORDED, gettext_lazy("Calibration reference recorded")),
    ):
        audit.register_action(key, label)
    for key, label, render, permission in (
        (
            reviews.REVIEW_COMPLETED,
            gettext_lazy("A QA review of your case is complete"),
            render_completed,
            "quality.view_evaluation",
        ),
        (
            reviews.DISPUTE_OPENED,
            gettext_lazy("An agent disputes a QA review"),
            render_opened,
            reviews.PERFORM,
        ),
        (
            reviews.DISPUTE_DECIDED,
            gettext_lazy("Your dispute of a QA review was decided"),
            render_decided,
            "quality.view_evaluation",
        ),
    ):
        register_notification_kind(
            NotificationKind(
                key=key, label=label, render=render, default_email=True, permission=permission
            )
        )
    register_menu_item(
        MenuItem(
            key="quality.review_queue",
            label=gettext_lazy("Review queue"),
            url_name="qareviews:queue",
            permission=reviews.PERFORM,
            group="work",
            order=70,
            active_for=(
                "qareviews:queue",
                "qareviews:score",
                "qareviews:sessions",
                "qareviews:session",
            ),
        )
    )
    register_menu_item(
        MenuItem(
            key="quality.my_reviews",
            label=gettext_lazy("QA reviews"),
            url_name="qareviews:mine",
            permission="quality.view_evaluation",
            group="work",
            order=71,
            active_for=(
                "qareviews:mine",
                "qareviews:review",
                "qareviews:disputes",
                "qareviews:dispute",
            ),
        )
    )
    register_periodic_job(
        PeriodicJob("quality.sample_reviews", sample_reviews, every=dt.timedelta(hours=6))
    )
    from kliento.quality import demo_reviews

    register_demo_loader(
        DemoLoader("quality.reviews", demo_reviews.load, depends_on=("desk", "standards.book"))
    )
