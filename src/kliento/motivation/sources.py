"""The KPI sources Kliento ships, each read through another app's selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kliento.desk.selectors.metrics import SlaShare
from kliento.desk.selectors.people import (
    agent_first_responses_within_sla,
    agents_first_responses_within_sla,
)
from kliento.motivation.registry import (
    HIGHER,
    LOWER,
    KpiSource,
    KpiValue,
    register_kpi_source,
    rounded,
    share,
)
from kliento.quality import selectors as quality
from kliento.surveys import selectors as surveys

CSAT = "csat"
FIRST_RESPONSE_SLA = "first_response_sla"
COMPLIANCE = "compliance"
NPS_OWN_CLIENTS = "nps_own_clients"
FOLLOW_UPS_ON_TIME = "follow_ups_on_time"
CRITICAL_BREACHES = "critical_breaches"


def csat(employee_id: int, start: dt.date, end: dt.date) -> KpiValue:
    """The mean CSAT score of the answers about the employee's own cases and answers."""
    groups = surveys.scores_about(kind="csat", since=start, until=end, agent_id=employee_id)
    n = sum(g.n for g in groups)
    total = sum(score * count for g in groups for score, count in g.counts.items())
    value = rounded(Decimal(total) / n) if n else None
    return KpiValue(value, n, reverse("surveys:list"))


def first_response_sla(employee_id: int, start: dt.date, end: dt.date) -> KpiValue:
    found = agent_first_responses_within_sla(agent_id=employee_id, start=start, end=end)
    link = reverse("desk:queue") + f"?assignee={employee_id}"
    return KpiValue(share(found.within, found.counted), found.counted, link)


def first_response_sla_many(
    employee_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, KpiValue]:
    found = agents_first_responses_within_sla(agent_ids=employee_ids, start=start, end=end)
    empty = SlaShare(within=0, counted=0)
    queue = reverse("desk:queue")
    return {
        pk: KpiValue(
            share(found.get(pk, empty).within, found.get(pk, empty).counted),
            found.get(pk, empty).counted,
            f"{queue}?assignee={pk}",
        )
        for pk in employee_ids
    }


def _compliance_value(found: quality.Compliance | None) -> KpiValue:
    if found is None or found.score_mean is None:
        return KpiValue(None, found.n_scored if found else 0)
    return KpiValue(rounded(found.score_mean), found.n_scored)


def compliance_many(
    employee_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, KpiValue]:
    found = quality.compliance_by(
        by="employee", start=start, end=end, employee_ids=employee_ids, with_items=False
    )
    return {pk: _compliance_value(found.get(pk)) for pk in employee_ids}


def compliance(employee_id: int, start: dt.date, end: dt.date) -> KpiValue:
    return _compliance_value(quality.compliance(start=start, end=end, employee_id=employee_id))


def nps_own_clients(employee_id: int, start: dt.date, end: dt.date) -> KpiValue:
    """NPS (promoters' share minus detractors', in points) of the clients the employee manages."""
    groups = surveys.scores_about(
        kind="nps", since=start, until=end, account_manager_id=employee_id
    )
    n = sum(g.n for g in groups)
    if not n:
        return KpiValue(None, 0, reverse("surveys:list"))
    promoters = sum(g.categories.get("promoter", 0) for g in groups)
    detractors = sum(g.categories.get("detractor", 0) for g in groups)
    return KpiValue(rounded(Decimal(promoters - detractors) * 100 / n), n, reverse("surveys:list"))


def follow_ups_on_time(employee_id: int, start: dt.date, end: dt.date) -> KpiValue:
    found = surveys.follow_ups_on_time(owner_id=employee_id, since=start, until=end)
    return KpiValue(
        share(found.on_time, found.counted), found.counted, reverse("surveys:follow_ups")
    )


def critical_breaches(employee_id: int, start: dt.date, end: dt.date) -> KpiValue:
    """Critical standards breached (findings protected because the standard did not work are
    not breaches)."""
    found = quality.critical_breaches(employee_id=employee_id, start=start, end=end)
    return KpiValue(Decimal(len(found)), len(found))


def critical_breaches_many(
    employee_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, KpiValue]:
    found = quality.critical_breach_counts(employee_ids=employee_ids, start=start, end=end)
    counts = {pk: found.get(pk, 0) for pk in employee_ids}
    return {pk: KpiValue(Decimal(n), n) for pk, n in counts.items()}


def register() -> None:
    for source in (
        KpiSource(CSAT, _("CSAT of own cases"), "", HIGHER, csat),
        KpiSource(
            FIRST_RESPONSE_SLA,
            _("First responses within SLA"),
            "%",
            HIGHER,
            first_response_sla,
            compute_many=first_response_sla_many,
        ),
        KpiSource(
            COMPLIANCE,
            _("Audit and review compliance"),
            "%",
            HIGHER,
            compliance,
            compute_many=compliance_many,
        ),
        KpiSource(NPS_OWN_CLIENTS, _("NPS of own clients"), "", HIGHER, nps_own_clients),
        KpiSource(
            FOLLOW_UPS_ON_TIME, _("Follow-ups closed on time"), "%", HIGHER, follow_ups_on_time
        ),
        KpiSource(
            CRITICAL_BREACHES,
            _("Critical standards breached"),
            "count",
            LOWER,
            critical_breaches,
            compute_many=critical_breaches_many,
        ),
    ):
        register_kpi_source(source)
