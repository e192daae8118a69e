"""A busy touchpoint: 50,000 impressions over two years, its trend and its page.

One touchpoint gets 50,000 impressions spread evenly over the last 730 days (clients of the
scaled database, three sentiments), a second one 500.

  trend (month / week) — `selectors.trend()`: 12 periods and the 12 before them, counted per
                         local day in the database and summed into periods in Python;
  plain count          — baseline: one COUNT(*) … GROUP BY sentiment over the same two-year
                         window through the ORM, i.e. the cheapest query that touches the same
                         rows. trend / plain count is what the per-day grouping and the bucketing
                         cost on top of reading the rows at all;
  page                 — the touchpoint's page over HTTP (Django's test client, a logged-in
                         manager): trend, chart data, counts, first page of impressions, template;
                         against the same page of the touchpoint with 500 impressions, whose
                         ratio shows how the page grows with the number of impressions.
"""

from __future__ import annotations

import datetime as dt
import random

import harness

BUSY = 50_000
QUIET = 500


def build(name: str, count: int, owner, clients: list[int], rng: random.Random):
    from django.utils import timezone

    from kliento.touchpoints.models import Impression, Touchpoint

    touchpoint = Touchpoint.objects.create(
        name=name, kind="business", category="website", owner=owner
    )
    now = timezone.now()
    sentiments = ["positive", "positive", "neutral", "negative"]
    Impression.objects.bulk_create(
        (
            Impression(
                touchpoint=touchpoint,
                client_id=rng.choice(clients),
                sentiment=rng.choice(sentiments),
                occurred_at=now - dt.timedelta(days=730 * i / count),
            )
            for i in range(count)
        ),
        batch_size=5000,
    )
    return touchpoint


def main() -> None:
    args = harness.arguments("Touchpoint impressions benchmark")
    with harness.bench_database(args.scale, args.seed):
        run(args)


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count
    from django.test import Client as HttpClient
    from django.utils import timezone

    from kliento.clients.models import Client
    from kliento.touchpoints import selectors
    from kliento.touchpoints.models import Impression

    rng = random.Random(args.seed)
    users = get_user_model().objects
    manager = users.filter(groups__name="manager").first()
    if manager is None:
        manager = users.create_user(username="bench-manager", password=None)
        manager.groups.add(Group.objects.get(name="manager"))
    clients = list(Client.objects.values_list("pk", flat=True)[:5000])
    stamp = timezone.now().strftime("%H%M%S")
    busy = build(f"Bench busy {stamp}", BUSY, manager, clients, rng)
    quiet = build(f"Bench quiet {stamp}", QUIET, manager, clients, rng)
    since = timezone.now() - dt.timedelta(days=730)
    http = HttpClient()
    http.force_login(manager)

    def page(touchpoint) -> None:
        response = http.get(f"/touchpoints/{touchpoint.pk}/?period=month")
        assert response.status_code == 200, response.status_code

    def plain_count() -> None:
        list(
            Impression.objects.filter(touchpoint_id=busy.pk, occurred_at__gte=since)
            .values("sentiment")
            .annotate(n=Count("id"))
            .order_by()
        )

    print(f"\nTouchpoint impressions on {harness.database_label()}")
    print(__doc__.split("\n\n", 1)[1].rstrip() + "\n")
    timings = harness.compare(
        {
            "month": lambda: selectors.trend(busy.pk, period="month"),
            "week": lambda: selectors.trend(busy.pk, period="week"),
            "count": plain_count,
            "page busy": lambda: page(busy),
            "page quiet": lambda: page(quiet),
        },
        repeat=args.repeat,
    )
    for period in ("month", "week"):
        harness.report(
            bench="touchpoints",
            case=f"trend by {period}, {BUSY:,} impressions",
            value=timings[period],
            baseline=timings["count"],
            baseline_name="plain count",
        )
    harness.report(
        bench="touchpoints",
        case=f"touchpoint page, {BUSY:,} impressions",
        value=timings["page busy"],
        baseline=timings["page quiet"],
        baseline_name=f"page with {QUIET:,}",
    )


if __name__ == "__main__":
    main()
