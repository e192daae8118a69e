"""What the case page shows beside the conversation: the history in the reader's language,
the client card's short form, and the standards and scripts that apply to the case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.core.channels import label as channel_label
from kliento.desk.models import Call, Case, CaseEvent, Message
from kliento.desk.selectors.cases import history
from kliento.journeys import selectors as journeys
from kliento.standards import selectors as standards

VIEW_CLIENT = "clients.view_client"
VIEW_FACTS = "clients.view_portraitfact"
FACTS_SHOWN = 6


@dataclass(frozen=True)
class HistoryLine:
    event: CaseEvent
    text: str


def _names(model: str, ids: set[int], field: str = "name") -> dict[int, str]:
    if not ids:
        return {}
    rows = apps.get_model(model).objects.filter(pk__in=ids)
    return {row.pk: str(getattr(row, field, row)) for row in rows}


def _people(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def _ids(events: list[CaseEvent], field: str) -> set[int]:
    found: set[int] = set()
    for event in events:
        pair = event.data.get(field)
        if isinstance(pair, list):
            found |= {value for value in pair if isinstance(value, int)}
    return found


def history_lines(case: Case) -> list[HistoryLine]:
    """Each event as a sentence; codes and ids become labels and names when read, so the
    history follows the reader's language and today's names."""
    events = list(history(case))
    lookups = {
        "team": _names("core.OrgUnit", _ids(events, "team")),
        "assignee": _people(_ids(events, "assignee")),
        "stage": _names("journeys.Stage", _ids(events, "stage")),
        "touchpoint": _names("touchpoints.Touchpoint", _ids(events, "touchpoint")),
        "procedure": _names("policy.Procedure", _ids(events, "procedure"), "title"),
    }
    labels = {
        "status": (_("Status"), lambda v: str(Case.Status(v).label)),
        "priority": (_("Priority"), lambda v: str(Case.Priority(v).label)),
        "kind": (_("Type"), lambda v: str(Case.Kind(v).label)),
        "channel": (_("Channel"), channel_label),
    }
    names = {
        "team": _("Team"),
        "assignee": _("Assignee"),
        "stage": _("Journey stage"),
        "touchpoint": _("Touchpoint"),
        "procedure": _("Policy procedure"),
        "subject": _("Subject"),
        "tags": _("Tags"),
    }

    def shown(field: str, value: Any) -> str:
        if value in (None, "", []):
            return "—"
        if field in labels:
            try:
                return labels[field][1](value)
            except ValueError:
                return str(value)
        if field in lookups:
            return lookups[field].get(value, f"#{value}")
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    lines = []
    for event in events:
        lines.append(
            HistoryLine(
                event, _describe(event, shown, {**names, **{k: v[0] for k, v in labels.items()}})
            )
        )
    return lines


def _describe(event: CaseEvent, shown: Any, names: dict[str, str]) -> str:
    data = event.data or {}
    if event.kind == CaseEvent.Kind.OPENED:
        return _("Case opened (%(channel)s)") % {"channel": channel_label(str(data.get("channel")))}
    if event.kind == CaseEvent.Kind.MESSAGE:
        texts: dict[str, str] = {
            Message.Direction.INBOUND: _("Message from the client"),
            Message.Direction.OUTBOUND: _("Reply to the client"),
            Message.Direction.NOTE: _("Internal note"),
        }
        return texts.get(str(data.get("direction")), _("Message"))
    if event.kind == CaseEvent.Kind.MERGED:
        return _("%(duplicate)s merged into %(survivor)s") % {
            "duplicate": data.get("duplicate_number", "?"),
            "survivor": data.get("survivor_number", "?"),
        }
    if event.kind in (CaseEvent.Kind.SLA, CaseEvent.Kind.ESCALATED):
        # The clock's own wording (kliento.desk.sla.display); imported here because the
        # display module reads the selectors package this module belongs to.
        from kliento.desk.sla.display import describe_event

        return describe_event(event)
    if event.kind == CaseEvent.Kind.CALL:
        try:
            outcome = str(Call.Outcome(str(data.get("outcome"))).label)
        except ValueError:
            outcome = str(data.get("outcome", ""))
        return _("Call logged: %(outcome)s") % {"outcome": outcome}
    parts = [
        _("%(field)s: %(old)s → %(new)s")
        % {
            "field": names.get(field, field),
            "old": shown(field, pair[0]),
            "new": shown(field, pair[1]),
        }
        for field, pair in data.items()
        if isinstance(pair, list) and len(pair) == 2
    ]
    return "; ".join(parts) or str(event.get_kind_display())


@dataclass(frozen=True)
class ClientPanel:
    client: Any
    facts: list[Any] | None
    stages: list[Any]


def client_panel(case: Case, user: Any) -> ClientPanel:
    client = clients.client(case.client_id)
    facts = None
    if user.has_perm(VIEW_CLIENT) and user.has_perm(VIEW_FACTS):
        facts = clients.facts(case.client_id)[:FACTS_SHOWN]
    stage_ids = journeys.current_stage_ids(client_id=case.client_id)
    stages = list(
        apps.get_model("journeys", "Stage")
        .objects.filter(pk__in=stage_ids)
        .select_related("journey")
        .order_by("journey__name")
    )
    return ClientPanel(client=client, facts=facts, stages=stages)


def applicable_standards(case: Case) -> standards.Applicable:
    """The published standards (and scripts) of the client's stages, the case's own stage,
    its touchpoint and its channel."""
    return standards.applicable(
        client_id=case.client_id,
        stage_ids=[case.stage_id] if case.stage_id else None,
        touchpoint_id=case.touchpoint_id,
        channel=case.channel,
    )
