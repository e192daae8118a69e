"""Baselines a policy pilot records by itself: when it starts, its clients' and everyone
else's figures over a period as long as the pilot just before it ("before"); when it ends,
the same over the pilot's own days ("during"). Both are ordinary baselines, compared on the
baseline page (the "during" one against the "before" period, or the pilot against the rest).

Wired through kliento.policy.registry's pilot hook, which runs after the commit that starts or
ends a pilot; the snapshot's `source` ("policy.pilot:<id>:start") makes a repeated call save
nothing twice. A failure is logged by the hook runner and leaves the pilot as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.metrics import registry, services
from kliento.metrics.slices import NON_PILOT, PILOT, Slice

# What a pilot of a service policy is expected to move; only those installed are taken.
PILOT_METRICS = (
    "nps",
    "csat",
    "ces",
    "churn",
    "first_response_sla",
    "reopen_rate",
    "first_contact_resolution",
)


def pilot_period(pilot: Any, moment: str, today: dt.date | None = None) -> registry.Period:
    today = today or timezone.localdate()
    if moment == "start":
        length = (pilot.ends_on - pilot.starts_on).days + 1
        # Before the first day it ran (started early or late: the day it really started).
        first = min(pilot.starts_on, today)
        end = first - dt.timedelta(days=1)
        return registry.Period(end - dt.timedelta(days=length - 1), end)
    # It ran from its first day to the day it ended, early or late.
    return registry.Period(pilot.starts_on, max(pilot.starts_on, today))


def record_pilot_baseline(pilot: Any, moment: str) -> Any:
    known = {d.key for d in registry.metrics()}
    keys = [k for k in PILOT_METRICS if k in known]
    label = _("before the pilot") if moment == "start" else _("during the pilot")
    return services.save_baseline(
        actor=None,
        name=f"{pilot}: {label}",
        metric_keys=keys,
        slices=[Slice(PILOT, pilot.pk), Slice(NON_PILOT, pilot.pk)],
        period=pilot_period(pilot, moment),
        source=f"policy.pilot:{pilot.pk}:{moment}",
    )
