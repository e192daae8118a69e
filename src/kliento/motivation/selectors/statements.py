"""Reads of statements and of an employee's KPIs this period, narrowed to what a viewer may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kliento.core import roles
from kliento.motivation import access, periods
from kliento.motivation.calculate import attainment
from kliento.motivation.models import Kpi, Scheme, Statement
from kliento.motivation.registry import KpiSource, KpiValue, kpi_sources


def visible_statements(user: Any) -> QuerySet[Statement]:
    found = Statement.objects.select_related("employee")
    ids = access.team_ids(user)
    return found if ids is None else found.filter(employee_id__in=ids)


def statement_for(user: Any, pk: int) -> Statement | None:
    return visible_statements(user).filter(pk=pk).first()


@dataclass(frozen=True)
class KpiNow:
    kpi: Kpi
    source: KpiSource
    value: KpiValue
    attainment: Decimal | None  # percent


def scheme_for(employee: Any) -> Scheme | None:
    """The employee's own active scheme, else the first active scheme of one of their roles."""
    own = Scheme.objects.filter(employee=employee, is_active=True).first()
    if own is not None:
        return own
    return (
        Scheme.objects.filter(role__in=roles.roles_of(employee), employee=None, is_active=True)
        .order_by("name")
        .first()
    )


def kpis_now(employee: Any, day: dt.date | None = None) -> tuple[Scheme | None, list[KpiNow]]:
    """The employee's KPIs over the scheme's period containing `day` (today by default)."""
    scheme = scheme_for(employee)
    if scheme is None:
        return None, []
    start, end = periods.bounds(scheme.period, day or timezone.localdate())
    rows = []
    for kpi in scheme.kpis.all():
        source = kpi_sources.get(kpi.source)
        if source is None:
            continue
        value = source.compute(employee.pk, start, end)
        reached = None
        if value.value is not None:
            share = attainment(value.value, kpi.target, kpi.threshold, source.direction)
            reached = (share * 100).quantize(Decimal("1"))
        rows.append(KpiNow(kpi, source, value, reached))
    return scheme, rows
