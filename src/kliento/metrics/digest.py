"""The weekly digest for managers: last week's company figures from the rollups, as a
notification of its own kind, so each person opts in (e-mail and/or the bell) on their
notification preferences, and the e-mail is written in their language and leaves after the
commit (kliento.core.notifications). A DigestSent row per person and week, written in the same
transaction, makes a second run of the job send nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.core.models import Notification, NotificationPreference
from kliento.core.notifications import NotificationKind, notify, register_notification_kind
from kliento.metrics.registry import Period
from kliento.metrics.rollup_models import DigestSent
from kliento.metrics.rollups import reads
from kliento.metrics.rollups.reads import Cut

KIND = "metrics.weekly_digest"
PERMISSION = "metrics.view_client_metrics"


def last_week(today: dt.date) -> Period:
    """Monday to Sunday of the last whole week before `today`."""
    monday = today - dt.timedelta(days=today.weekday() + 7)
    return Period(monday, monday + dt.timedelta(days=6))


def figures(period: Period) -> dict[str, Any]:
    """What the digest reports, as JSON-able parameters (the text is written per reader)."""
    out: dict[str, Any] = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    for key in reads.SCORES:
        result = reads.score(key, period, Cut())
        out[key] = result.value
        out[f"{key}_n"] = result.extra.get("n")
    cases = reads.cases(period, Cut())
    out.update(opened=cases.opened, resolved=cases.resolved)
    return out


def _shown(value: Any) -> str:
    return "—" if value is None else str(value)


def render(notification: Notification) -> str:
    p = notification.params
    lines = [
        _("Last week (%(start)s – %(end)s) in figures:") % {"start": p["start"], "end": p["end"]},
        _("NPS: %(value)s (n = %(n)s)") % {"value": _shown(p["nps"]), "n": p["nps_n"]},
        _("CSAT, share satisfied: %(value)s (n = %(n)s)")
        % {"value": _shown(p["csat"]), "n": p["csat_n"]},
        _("CES, share with low effort: %(value)s (n = %(n)s)")
        % {"value": _shown(p["ces"]), "n": p["ces_n"]},
        _("Cases opened: %(opened)s, resolved: %(resolved)s")
        % {"opened": p["opened"], "resolved": p["resolved"]},
    ]
    return "\n".join(lines)


def register() -> None:
    register_notification_kind(
        NotificationKind(
            key=KIND,
            label=gettext_lazy("Weekly metrics digest"),
            render=render,
            # Opt-in: nobody gets a weekly mail they did not ask for.
            default_email=False,
            default_in_app=False,
            permission=PERMISSION,
        )
    )


def send(*, today: dt.date | None = None) -> int:
    """Send last week's digest to everyone who opted in and has not had it; returns how many
    were sent. Safe to run any number of times (the hourly job does)."""
    period = last_week(today or timezone.localdate())
    opted = (
        NotificationPreference.objects.filter(kind=KIND)
        .filter(Q(email=True) | Q(in_app=True))
        .values_list("user_id", flat=True)
    )
    done = DigestSent.objects.filter(week=period.start).values_list("user_id", flat=True)
    people = get_user_model().objects.filter(pk__in=opted, is_active=True).exclude(pk__in=done)
    params: dict[str, Any] | None = None
    sent = 0
    for person in people:
        if not person.has_perm(PERMISSION):
            continue
        params = params or figures(period)
        try:
            with transaction.atomic():
                DigestSent.objects.create(user_id=person.pk, week=period.start)
                notify(
                    recipients=[person],
                    kind=KIND,
                    params=params,
                    target_url=reverse("metrics:dashboard")
                    + f"?start={period.start}&end={period.end}",
                )
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    return sent
