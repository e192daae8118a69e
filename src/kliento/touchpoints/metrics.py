"""Quality metrics per touchpoint in the metric layer (kliento.metrics.registry): the clients'
impressions at each touchpoint over a period and their net balance.

Net impression = (positive - negative) / all impressions, as the touchpoint page shows it (there
in whole percent, here as a share). The quality parameters of a touchpoint are targets written
in words, so they are listed beside its figures (how many it has), not turned into numbers.
Registered from this app when the metrics app is installed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.metrics.registry import MetricDefinition, MetricResult, Period, Scope, register_metric
from kliento.touchpoints.models import Impression, Touchpoint

GROUP = "touchpoints"
DIGITS = 6


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) in the company's time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def _net(positive: int, negative: int, total: int) -> float | None:
    return round((positive - negative) / total, DIGITS) if total else None


def _per_touchpoint(period: Period) -> list[dict[str, Any]]:
    start, end = _bounds(period)
    found: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Impression.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .values("touchpoint_id", "sentiment")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        found[row["touchpoint_id"]][row["sentiment"]] = row["n"]
    out = []
    for touchpoint in Touchpoint.objects.annotate(n_parameters=Count("parameters")).order_by("pk"):
        by = found.get(touchpoint.pk, {})
        positive = by.get(Impression.Sentiment.POSITIVE, 0)
        neutral = by.get(Impression.Sentiment.NEUTRAL, 0)
        negative = by.get(Impression.Sentiment.NEGATIVE, 0)
        total = positive + neutral + negative
        out.append(
            {
                "touchpoint_id": touchpoint.pk,
                "touchpoint": touchpoint.name,
                "positive": positive,
                "neutral": neutral,
                "negative": negative,
                "n": total,
                "net": _net(positive, negative, total),
                "n_quality_parameters": touchpoint.n_parameters,
            }
        )
    return out


def impressions(period: Period, scope: Scope) -> MetricResult:
    rows = _per_touchpoint(period)
    return MetricResult(
        "touchpoint_impressions", period, None, {"touchpoints": rows}, sum(r["n"] for r in rows)
    )


def net_impression(period: Period, scope: Scope) -> MetricResult:
    rows = _per_touchpoint(period)
    positive = sum(r["positive"] for r in rows)
    negative = sum(r["negative"] for r in rows)
    total = sum(r["n"] for r in rows)
    return MetricResult(
        "touchpoint_net_impression",
        period,
        None,
        {"positive": positive, "negative": negative, "n": total, "touchpoints": rows},
        _net(positive, negative, total),
    )


def register() -> None:
    per = ("touchpoints", _("the same per touchpoint, with its quality parameters"))
    register_metric(
        MetricDefinition(
            key="touchpoint_impressions",
            name=_("Impressions at touchpoints"),
            formula=_("Client impressions recorded at touchpoints during the period"),
            inputs=(per,),
            unit=_("impressions"),
            compute=impressions,
            slices=("company", "touchpoint"),
            group=GROUP,
        )
    )
    register_metric(
        MetricDefinition(
            key="touchpoint_net_impression",
            name=_("Net impression at touchpoints"),
            formula=_("(positive − negative) / n over the period's impressions"),
            inputs=(
                ("positive", _("positive impressions")),
                ("negative", _("negative impressions")),
                ("n", _("all impressions")),
                per,
            ),
            unit=_("share of impressions"),
            compute=net_impression,
            slices=("company", "touchpoint"),
            group=GROUP,
        )
    )
