"""What the service desk brings to the platform: role grants, the client timeline's case
kinds, case search, the survey trigger "case resolved", its pages and API. Called once from
`ready()`; each part of the desk (SLA, mail, webhooks, workspace) registers its own pieces
from its module, listed at the end of `register`."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.clients.registry import CardPanel, register_card_panel
from kliento.core import roles
from kliento.core.channels import label as channel_label
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.search import SearchHit, SearchProvider, register_search_provider
from kliento.core.timeline import Entry, TimelineKind, register_timeline_kind
from kliento.desk import access, demo, hooks, selectors
from kliento.desk.hooks import CaseChange
from kliento.desk.mail import registrations as mail_registrations
from kliento.desk.models import Case, Message
from kliento.desk.panels import cases_panel
from kliento.desk.services import cases as case_services
from kliento.desk.sla import registrations as sla
from kliento.desk.webhooks import registrations as webhooks_registrations

SEE = [access.VIEW]
WORK = [access.VIEW, access.WORK, "desk.add_case", "desk.change_case"]
MANAGE = [*WORK, access.VIEW_ALL, access.MANAGE]

CASE_RESOLVED = "case_resolved"


def _status(code: Any) -> str:
    try:
        return str(Case.Status(code).label)
    except ValueError:
        return str(code)


def describe_status(entry: Entry) -> list[str]:
    lines = [f"{_status(entry.data.get('old'))} → {_status(entry.data.get('new'))}"]
    if entry.data.get("merged_into"):
        lines.append(_("Merged into %(number)s") % {"number": entry.data["merged_into"]})
    return lines


def describe_message(entry: Entry) -> list[str]:
    direction = entry.data.get("direction")
    return [
        _("From the client") if direction == Message.Direction.INBOUND else _("Reply to the client")
    ]


def describe_opened(entry: Entry) -> list[str]:
    return [_("Channel: %(channel)s") % {"channel": channel_label(str(entry.data.get("channel")))}]


def describe_changed(entry: Entry) -> list[str]:
    names = {
        "assignee": _("Assignee"),
        "priority": _("Priority"),
        "team": _("Team"),
        "subject": _("Subject"),
        "kind": _("Type"),
        "tags": _("Tags"),
        "stage": _("Journey stage"),
        "touchpoint": _("Touchpoint"),
        "procedure": _("Policy procedure"),
        "channel": _("Channel"),
    }
    changes = entry.data.get("changes") or {}
    return [str(names.get(field, field)) for field in changes if isinstance(changes, dict)]


def find_cases(user: Any, q: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            title=f"{case.number} {case.subject}",
            url=reverse("desk:case", args=[case.pk]),
            subtitle=case.client.name,
            badge=case.get_status_display(),
        )
        for case in selectors.search_cases(user, q).select_related("client")[:limit]
    ]


def _fire_case_resolved(change: CaseChange) -> None:
    """Invite the client to the surveys triggered by a resolved case (in the transaction)."""
    old_new = change.changes.get("status")
    if change.kind != "status" or not old_new or old_new[1] != Case.Status.RESOLVED:
        return
    from kliento.surveys.registry import Event, fire

    case = change.case
    fire(
        CASE_RESOLVED,
        Event(
            id=case.pk,
            client_id=case.client_id,
            ref=f"{case.pk}:{case.reopened_count}",
            agent_id=case.assignee_id,
            team_id=case.team_id,
            touchpoint_id=case.touchpoint_id,
            stage_id=case.stage_id,
            case_id=case.pk,
        ),
    )


def register() -> None:
    from kliento.surveys.registry import TriggerSource, register_trigger_source

    roles.register_grants(
        {
            roles.ADMINISTRATOR: MANAGE,
            roles.MANAGER: MANAGE,
            roles.STAGE_OWNER: WORK,
            roles.AGENT: WORK,
            # Auditors read every case (quality reviews), and change none.
            roles.AUDITOR: [*SEE, access.VIEW_ALL],
        }
    )
    for key, label, describe, contact in (
        (case_services.TIMELINE_OPENED, gettext_lazy("Case opened"), describe_opened, True),
        (case_services.TIMELINE_MESSAGE, gettext_lazy("Case message"), describe_message, True),
        (case_services.TIMELINE_STATUS, gettext_lazy("Case status"), describe_status, False),
        (case_services.TIMELINE_CHANGED, gettext_lazy("Case changed"), describe_changed, False),
    ):
        register_timeline_kind(
            TimelineKind(
                key=key, label=label, permission=access.VIEW, describe=describe, contact=contact
            )
        )
    register_search_provider(
        SearchProvider(
            key="cases",
            label=gettext_lazy("Cases"),
            permission=access.VIEW,
            search=find_cases,
            order=15,
        )
    )
    register_trigger_source(
        TriggerSource(CASE_RESOLVED, gettext_lazy("A service desk case was resolved"), order=20)
    )
    hooks.register_case_hook("surveys.case_resolved", _fire_case_resolved, order=500)
    register_card_panel(
        CardPanel(
            "desk.cases", "desk/panel_cases.html", cases_panel, permission=access.VIEW, order=15
        )
    )
    mount_urls("desk", "desk/", "kliento.desk.urls", order=20)
    mount_api("desk", "kliento.desk.api.router")
    sla.register()
    mail_registrations.register()
    from kliento.desk.views import registrations as workspace

    workspace.register()
    webhooks_registrations.register()
    demo.register()
