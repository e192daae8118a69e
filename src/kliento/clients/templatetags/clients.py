from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from kliento.clients.contacts import format_phone

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.filter
def phone(value: str) -> str:
    return format_phone(value)


@register.filter
def revenue_chart(revenue: Any) -> dict[str, Any]:
    """A MonthlyRevenue as the purchase chart's script reads it (through json_script): month
    labels in the viewer's language and one dataset of plain numbers per currency."""
    from django.utils.formats import date_format

    return {
        "labels": [date_format(month, "YEAR_MONTH_FORMAT") for month in revenue.months],
        "datasets": [
            {"label": s.currency, "data": [float(amount) for amount in s.amounts]}
            for s in revenue.series
        ],
    }


@register.filter
def days_since(value: dt.date | None) -> int | None:
    """Whole days from a date to today (the list's "days since purchase")."""
    return (timezone.localdate() - value).days if value else None
