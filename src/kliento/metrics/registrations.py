"""What the metrics app brings to the base layer: its menu entries, the CLV refit job, the
card panel and the merge handler of the stored CLV rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from kliento.clients.registry import CardPanel, register_card_panel, register_merge_handler
from kliento.core import audit, roles
from kliento.core.demo import DemoLoader, DemoOptions, register_demo_loader
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.metrics import (
    client_metrics,
    clv_views,
    digest,
    key_clients,
    margin_metrics,
    pilot_baselines,
    services,
    survey_metrics,
    tasks,
)
from kliento.metrics.models import ClientClv

VIEW_CLIENT_METRICS = "metrics.view_client_metrics"
FIT_CLV = "metrics.fit_clv"
MANAGE_BASELINES = "metrics.manage_baselines"
RATE_SELF = "metrics.rate_self_assessment"
MANAGE_SELF = "metrics.manage_self_assessment"


def _sees_all_answers(user: Any) -> bool:
    return bool(user.has_perm("surveys.view_all_responses"))


def _drop_merged_clv(kept_id: int, duplicate_ids: list[int]) -> None:
    """A merged client's purchases are the survivor's now: the duplicates' figures go (the
    survivor's are refreshed by the next fit), so the generic move meets no (fit, client)
    conflict."""
    ClientClv.objects.filter(client_id__in=duplicate_ids).delete()


def _register_desk() -> None:
    # Imported here: the module reads kliento.desk.selectors, which needs the desk installed.
    from kliento.metrics import desk_metrics

    desk_metrics.register()
    register_menu_item(
        MenuItem(
            key="metrics.desk_metrics",
            label=_("Service desk metrics"),
            url_name="metrics:desk_metrics",
            permission=VIEW_CLIENT_METRICS,
            group="analysis",
            order=35,
        )
    )


def _load_demo_rollups(options: DemoOptions) -> None:
    # The demo's answers, cases and purchases are on the dashboards from the first page view.
    from kliento.metrics.rollups import build

    build.refresh()


def _register_dashboards() -> None:
    digest.register()
    after = tuple(k for k in ("surveys", "desk") if apps.is_installed(f"kliento.{k}"))
    register_demo_loader(
        DemoLoader("metrics.rollups", _load_demo_rollups, depends_on=("clients", *after))
    )
    register_periodic_job(
        PeriodicJob("metrics.refresh_rollups", tasks.refresh_rollups, dt.timedelta(minutes=5))
    )
    register_periodic_job(
        PeriodicJob("metrics.weekly_digest", tasks.send_digests, dt.timedelta(hours=1))
    )
    register_menu_item(
        MenuItem(
            key="metrics.dashboard",
            label=_("Company dashboard"),
            url_name="metrics:dashboard",
            permission=VIEW_CLIENT_METRICS,
            group="analysis",
            order=5,
            active_for=("metrics:dashboard",),
        )
    )
    register_menu_item(
        MenuItem(
            key="metrics.my_scorecard",
            label=_("My scorecard"),
            url_name="metrics:my_scorecard",
            group="analysis",
            order=6,
        )
    )


def register() -> None:
    client_metrics.register()
    margin_metrics.register()
    key_clients.register()
    survey_metrics.register()
    if apps.is_installed("kliento.desk"):
        _register_desk()
    mount_api("metrics", "kliento.metrics.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [
                VIEW_CLIENT_METRICS,
                FIT_CLV,
                MANAGE_BASELINES,
                RATE_SELF,
                MANAGE_SELF,
            ],
            roles.MANAGER: [VIEW_CLIENT_METRICS, FIT_CLV, MANAGE_BASELINES, RATE_SELF, MANAGE_SELF],
            roles.AUDITOR: [VIEW_CLIENT_METRICS],
            # Everyone who serves clients says how they think clients see the service.
            roles.STAGE_OWNER: [RATE_SELF],
            roles.AGENT: [RATE_SELF],
        }
    )
    register_menu_item(
        MenuItem(
            key="metrics.clv",
            label=_("Predicted client value"),
            url_name="metrics:clv",
            permission=VIEW_CLIENT_METRICS,
            group="analysis",
            order=25,
        )
    )
    register_menu_item(
        MenuItem(
            key="metrics.survey_metrics",
            label=_("Survey metrics"),
            url_name="metrics:survey_metrics",
            permission=VIEW_CLIENT_METRICS,
            # Company-wide figures from every answer: only for those who may see them all.
            visible=_sees_all_answers,
            group="analysis",
            order=30,
        )
    )
    register_menu_item(
        MenuItem(
            key="metrics.cohorts",
            label=_("Client cohorts"),
            url_name="metrics:cohorts",
            permission=VIEW_CLIENT_METRICS,
            group="analysis",
            order=22,
        )
    )
    register_menu_item(
        MenuItem(
            key="metrics.self_assessment",
            label=_("Self-assessment"),
            url_name="metrics:self_assessment_rounds",
            permission=RATE_SELF,
            group="analysis",
            order=40,
        )
    )
    if apps.is_installed("kliento.surveys"):
        from kliento.metrics import self_assessment_demo

        register_demo_loader(
            DemoLoader("metrics.self_assessment", self_assessment_demo.load, ("surveys",))
        )
    register_periodic_job(PeriodicJob("metrics.fit_clv", tasks.fit_clv, dt.timedelta(days=7)))
    _register_dashboards()
    register_card_panel(
        CardPanel(
            "metrics.clv",
            "metrics/panel_clv.html",
            clv_views.clv_panel,
            permission=VIEW_CLIENT_METRICS,
            order=60,
        )
    )
    register_merge_handler("metrics.ClientClv", _drop_merged_clv)
    audit.register_action(services.BASELINE_SAVED, _("Metric baseline saved"))
    if apps.is_installed("kliento.policy"):
        from kliento.policy.registry import register_pilot_hook

        register_pilot_hook(pilot_baselines.record_pilot_baseline)
    register_menu_item(
        MenuItem(
            key="metrics.baselines",
            label=_("Metric baselines"),
            url_name="metrics:baselines",
            permission=VIEW_CLIENT_METRICS,
            group="analysis",
            order=40,
        )
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
