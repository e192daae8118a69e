"""Background work of the metrics app: refitting the CLV models on the worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.tasks import task
from django.utils import timezone

from kliento.metrics.clv import fitting, service


@task()
def fit_clv(until: str | None = None, unit: str = "week") -> dict[str, Any]:
    """Fit on the purchases up to `until` (ISO date; default: yesterday, the last whole day)."""
    day = dt.date.fromisoformat(until) if until else timezone.localdate() - dt.timedelta(days=1)
    try:
        outcome = service.fit(until=day, unit=unit)
    except fitting.NotEnoughData as exc:
        return {"fitted": False, "reason": str(exc)}
    return {"fitted": True, "fit_id": outcome.fit.pk, "n_clients": outcome.bgnbd.n}


@task()
def refresh_rollups() -> dict[str, Any]:
    """Turn new and changed rows into dirty days, then recompute them (idempotent)."""
    from kliento.metrics.rollups import build

    return build.refresh()


@task()
def send_digests() -> dict[str, Any]:
    """Last week's digest to the managers who asked for it (once per person and week)."""
    from kliento.metrics import digest

    return {"sent": digest.send()}
