"""EXPLAIN (ANALYZE) of the client list's sorts and activity filters at N clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        uv run python benchmarks/_explain_list.py --scale 1

Not a timed benchmark (run.py skips files starting with "_"): it prints, for each case, the
plan of the page query (25 rows) and of the paginator's COUNT, as the list view runs them, with
the time PostgreSQL reports. The figures are quoted in docs/client-list.md.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal

import harness

CASES = {
    "sort by revenue, highest first": {"sort": "-revenue"},
    "sort by last purchase, latest first": {"sort": "-last_purchase"},
    "sort by last purchase, longest ago first": {"sort": "last_purchase"},
    "sort by last contact, latest first": {"sort": "-last_contact"},
    "sort by created, newest first": {"sort": "-created"},
    "revenue >= 3000, by name": {"revenue_min": Decimal(3000)},
    "revenue 100..200, highest first": {
        "revenue_min": Decimal(100),
        "revenue_max": Decimal(200),
        "sort": "-revenue",
    },
    "no purchase for 365 days, by name": {"no_purchase_days": 365},
    "no purchase for 365 days, longest ago first": {
        "no_purchase_days": 365,
        "sort": "last_purchase",
    },
    "no contact for 30 days, by name": {"contact_older_days": 30},
    "contacted within 30 days, by name": {"contact_newer_days": 30},
}


def main() -> None:
    args = harness.arguments("EXPLAIN of the client list's sorts and filters")
    with harness.bench_database(args.scale, args.seed):
        sys.exit(run())


def _explain(sql: str, params: tuple) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def run() -> int:
    from django.db import connection

    from kliento.clients.selectors import ClientFilters, search_clients

    if connection.vendor != "postgresql":
        print("EXPLAIN figures are for PostgreSQL; set DATABASE_URL", file=sys.stderr)
        return 2
    with connection.cursor() as cursor:
        # The volume data has no contact-type entries: give a third of the clients a last
        # contact spread over the past year, as a service team's calls would.
        cursor.execute(
            "UPDATE clients_client SET last_contact_at = now() - (id % 365) * interval '1 day' "
            "WHERE id % 3 = 0 AND last_contact_at IS NULL"
        )
        cursor.execute("ANALYZE clients_client")
    for label, values in CASES.items():
        qs = search_clients(ClientFilters(**values))
        page_sql, page_params = qs[:25].query.sql_with_params()
        count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
        count_sql = f"SELECT COUNT(*) FROM ({count_sql}) AS matching"
        page_plan = _explain(page_sql, page_params)
        count_plan = _explain(count_sql, count_params)
        total = re.search(r"Execution Time: ([\d.]+)", "\n".join(page_plan))
        counted = re.search(r"Execution Time: ([\d.]+)", "\n".join(count_plan))
        print(
            f"\n### {label}: page {total[1] if total else '?'} ms, "
            f"count {counted[1] if counted else '?'} ms"
        )
        print("\n".join(f"    {line}" for line in page_plan[:8]))
        print("  count:")
        print("\n".join(f"    {line}" for line in count_plan[:5]))
    return 0


if __name__ == "__main__":
    main()
