"""Demo SLA: a Warsaw office calendar with the Polish public holidays of 2026, and one policy
per priority. Runs before the other desk demo data (they depend on `desk.sla`), so demo cases
get due times; loading twice reuses what is there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from kliento.desk.models import BusinessCalendar, Case, SlaPolicy
from kliento.desk.sla import setup

DEMO_CALENDAR = "Warsaw office"

# Public holidays in Poland, 2026 (Easter Sunday is 5 April; Christmas Eve is a holiday from
# 2025 on).
POLISH_HOLIDAYS_2026 = [
    (dt.date(2026, 1, 1), "Nowy Rok"),
    (dt.date(2026, 1, 6), "Trzech Króli"),
    (dt.date(2026, 4, 5), "Wielkanoc"),
    (dt.date(2026, 4, 6), "Poniedziałek Wielkanocny"),
    (dt.date(2026, 5, 1), "Święto Pracy"),
    (dt.date(2026, 5, 3), "Święto Konstytucji 3 Maja"),
    (dt.date(2026, 5, 24), "Zielone Świątki"),
    (dt.date(2026, 6, 4), "Boże Ciało"),
    (dt.date(2026, 8, 15), "Wniebowzięcie NMP"),
    (dt.date(2026, 11, 1), "Wszystkich Świętych"),
    (dt.date(2026, 11, 11), "Święto Niepodległości"),
    (dt.date(2026, 12, 24), "Wigilia"),
    (dt.date(2026, 12, 25), "Boże Narodzenie"),
    (dt.date(2026, 12, 26), "Drugi dzień Bożego Narodzenia"),
]

# priority → (first response, next response, resolution) in business minutes.
TARGETS = {
    Case.Priority.URGENT: (30, 60, 4 * 60),
    Case.Priority.HIGH: (60, 2 * 60, 9 * 60),
    Case.Priority.NORMAL: (4 * 60, 8 * 60, 3 * 9 * 60),
    Case.Priority.LOW: (9 * 60, 2 * 9 * 60, 5 * 9 * 60),
}


@transaction.atomic
def load_demo_sla(report: Callable[[str], None] = print) -> None:
    if BusinessCalendar.objects.filter(name=DEMO_CALENDAR).exists():
        return
    calendar = setup.save_calendar(
        actor=None,
        spec=setup.CalendarSpec(
            name=DEMO_CALENDAR,
            time_zone="Europe/Warsaw",
            hours={str(day): [["09:00", "18:00"]] for day in range(5)},
            holidays=POLISH_HOLIDAYS_2026,
        ),
    )
    for position, (priority, (first, following, resolution)) in enumerate(TARGETS.items()):
        if SlaPolicy.objects.filter(priority=priority).exists():
            continue
        setup.save_policy(
            actor=None,
            spec=setup.PolicySpec(
                name=_("%(priority)s cases") % {"priority": Case.Priority(priority).label},
                position=(position + 1) * 10,
                priority=priority,
                calendar_id=calendar.pk,
                first_response_minutes=first,
                next_response_minutes=following,
                resolution_minutes=resolution,
                warn_at_percent=80,
            ),
        )
    report(_("SLA: a business calendar and %(n)d policies.") % {"n": len(TARGETS)})
