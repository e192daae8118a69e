"""Writes of the metrics app: flagging the key clients an analysis found (through the clients'
service), and saving metric baselines (for people, and for other apps: pilots record theirs at
start and end)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kliento.clients import services as clients
from kliento.core import audit
from kliento.core.types import Actor
from kliento.metrics import registry, slicing
from kliento.metrics.models import BaselineFigure, MetricBaseline
from kliento.metrics.selectors import pareto
from kliento.metrics.slices import Slice

BASELINE_SAVED = "metrics.baseline_saved"
MAX_FIGURES = 200  # metrics times slices: one snapshot is computed in one request


@transaction.atomic
def flag_top_clients(*, actor: Actor, start: dt.date, end: dt.date, currency: str) -> int:
    """Flag the top 20% of the period's buyers in `currency` as key clients; returns how many
    were not flagged before."""
    result = pareto(start=start, end=end, currency=currency)
    return clients.set_key_flag(actor=actor, client_ids=result.top_ids, is_key=True)


def _slices(raw: Iterable[Slice | str], problems: dict[str, list[str]]) -> list[Slice]:
    found: list[Slice] = []
    for item in raw:
        try:
            one = item if isinstance(item, Slice) else slicing.clean_slice(item)
            if isinstance(item, Slice):
                slicing.check_exists(one)
        except ValidationError as exc:
            problems.setdefault("slices", []).extend(exc.messages)
            continue
        except ValueError as exc:
            problems.setdefault("slices", []).append(str(exc))
            continue
        if one not in found:
            found.append(one)
    if not found and "slices" not in problems:
        problems["slices"] = [_("Choose at least one slice.")]
    return found


def _keys(raw: Iterable[str], problems: dict[str, list[str]]) -> list[str]:
    known = {d.key for d in registry.metrics()}
    found: list[str] = []
    for key in raw:
        if key not in known:
            problems.setdefault("metric_keys", []).append(
                _("Unknown metric: %(key)s.") % {"key": key}
            )
        elif key not in found:
            found.append(key)
    if not found and "metric_keys" not in problems:
        problems["metric_keys"] = [_("Choose at least one metric.")]
    return found


@transaction.atomic
def save_baseline(
    *,
    actor: Actor,
    name: str,
    metric_keys: Iterable[str],
    slices: Iterable[Slice | str],
    period: registry.Period,
    source: str = "",
    rule: registry.ChurnRule | None = None,
) -> MetricBaseline:
    """Compute each metric for each slice over the period and keep the figures under `name`.
    `source` names what took it (unique when set: a second call with the same source returns
    the first snapshot unchanged, so a hook run twice saves one). ValidationError with
    field → messages for an empty name, an unknown metric, a slice that names nothing or
    that a chosen metric cannot be cut by, or too many figures."""
    name = (name or "").strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = [_("Give the baseline a name.")]
    elif len(name) > 200:
        problems["name"] = [_("At most 200 characters.")]
    keys = _keys(metric_keys, problems)
    wanted = _slices(slices, problems)
    for key in keys:
        for one in wanted:
            if not registry.supports(key, one):
                problems.setdefault("slices", []).append(
                    _("%(metric)s cannot be computed for %(slice)s.")
                    % {"metric": registry.metric(key).name, "slice": str(one)}
                )
    if len(keys) * len(wanted) > MAX_FIGURES:
        problems.setdefault("slices", []).append(
            _("At most %(count)d figures (metrics × slices) in one baseline.")
            % {"count": MAX_FIGURES}
        )
    if problems:
        raise ValidationError(problems)
    if source:
        known = MetricBaseline.objects.filter(source=source).first()
        if known is not None:
            return known
    rule = rule or registry.ChurnRule.configured()
    baseline = MetricBaseline(
        name=name,
        period_start=period.start,
        period_end=period.end,
        rule=rule.key,
        inactive_days=rule.inactive_days,
        source=source,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            baseline.save()
    except IntegrityError:
        # Another worker saved the same source's snapshot in the meantime: that one stands.
        return MetricBaseline.objects.get(source=source)
    BaselineFigure.objects.bulk_create(
        BaselineFigure(
            baseline=baseline,
            metric=result.metric,
            slice=str(one),
            inputs=result.inputs,
            value=result.value,
            extra=result.extra,
            exact=result.exact,
        )
        for key in keys
        for one in wanted
        for result in [registry.compute(key, period, rule, slice=one)]
    )
    audit.record(
        actor=actor,
        action=BASELINE_SAVED,
        target=baseline,
        data={
            "metrics": keys,
            "slices": [str(s) for s in wanted],
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "source": source,
        },
    )
    return baseline
