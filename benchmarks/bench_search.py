"""Client search at N clients: by name substring, by phone, by email.

Measured for each query:
  kliento  — `search_clients()` plus the first page exactly as the list view builds it
             (Paginator: COUNT(*) and the first 25 rows with segment, manager and company);
  view     — the whole list view over HTTP (Django test client, logged-in manager), template
             included;
  bare SQL — the same two statements (count + first page) written by hand and run on the raw
             database cursor: no ORM, no selector, no paginator. kliento / bare SQL is the cost
             of Kliento's layers; near 1 means the layers add little and the query plan is right.
  seq scan — (PostgreSQL only) the same bare SQL with index and bitmap scans disabled, i.e. what
             the search would cost without its indexes. seq scan / bare SQL is the speed-up the
             indexes (trigram on names, b-tree on contact values) give at this scale.
"""

from __future__ import annotations

import harness

PAGE = 25

CLIENT = "clients_client"
CONTACT = "clients_contactpoint"
SELECT_PAGE = (
    f"SELECT c.id, c.name, c.kind, c.status, c.left_on, c.is_key, c.created_at, "
    f"s.name, u.first_name, u.last_name, u.username, co.name FROM {CLIENT} c "
    f"LEFT JOIN clients_segment s ON s.id = c.segment_id "
    f"LEFT JOIN auth_user u ON u.id = c.account_manager_id "
    f"LEFT JOIN {CLIENT} co ON co.id = c.company_id "
)


def bare_name(cursor, q: str, vendor: str) -> None:
    # Written as Django writes icontains on each backend, so the same index can serve it.
    match = "UPPER(c.name::text) LIKE UPPER(%s)" if vendor == "postgresql" else "c.name LIKE %s"
    where = f"WHERE {match} OR c.external_ref = %s"
    params = [f"%{q}%", q]
    cursor.execute(f"SELECT COUNT(*) FROM {CLIENT} c {where}", params)
    cursor.fetchone()
    cursor.execute(f"{SELECT_PAGE} {where} ORDER BY c.name, c.id LIMIT {PAGE}", params)
    cursor.fetchall()


def bare_contact(cursor, kind: str, value: str) -> None:
    cursor.execute(f"SELECT client_id FROM {CONTACT} WHERE kind = %s AND value = %s", [kind, value])
    ids = [row[0] for row in cursor.fetchall()] or [0]
    marks = ", ".join(["%s"] * len(ids))
    where = f"WHERE c.id IN ({marks}) OR c.external_ref = %s"
    params = [*ids, value]
    cursor.execute(f"SELECT COUNT(*) FROM {CLIENT} c {where}", params)
    cursor.fetchone()
    cursor.execute(f"{SELECT_PAGE} {where} ORDER BY c.name, c.id LIMIT {PAGE}", params)
    cursor.fetchall()


def main() -> None:
    args = harness.arguments("Client search benchmark")
    with harness.bench_database(args.scale, args.seed):
        run(args)


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator
    from django.db import connection, transaction
    from django.test import Client as HttpClient

    from kliento.clients.contacts import format_phone
    from kliento.clients.demo import scale as scaled
    from kliento.clients.models import Client
    from kliento.clients.selectors import ClientFilters, search_clients

    total = Client.objects.count()
    spec = scaled.ScaleSpec.from_scale(args.scale, seed=args.seed)
    # Real clients of the generated set: a name part, a phone as staff type it, an email.
    rows = {c.number: c for c in scaled.client_rows(spec) if c.number in {1, spec.clients // 2}}
    sample = rows[max(rows)]
    first_name, last_name = sample.name.split(" ", 1)
    phone_typed = format_phone(scaled.phone_for(sample.number))  # "+48 69x xxx xxx"
    email = scaled.email_for(rows[1].name, 1).upper()  # case differs from the stored value
    cases = [
        ("name, common substring", last_name[1:6], None),
        ("name, rare full name", f"{first_name} {last_name}".lower(), None),
        ("phone, typed with spaces", phone_typed, ("phone", scaled.phone_for(sample.number))),
        ("email, other case", email, ("email", email.lower())),
    ]
    is_pg = connection.vendor == "postgresql"
    print(f"\nClient search at {total:,} clients on {harness.database_label()}")
    print(__doc__.split("\n\n", 1)[1].rstrip() + "\n")
    manager = get_user_model().objects.filter(groups__name="manager").first() or (
        get_user_model().objects.filter(groups__name="agent").first()
    )
    http = HttpClient()
    http.force_login(manager)

    def kliento(q: str):
        page = Paginator(search_clients(ClientFilters(q=q)), PAGE).get_page(1)
        found = list(page)
        return page.paginator.count, found

    for label, q, contact in cases:
        count, found = kliento(q)
        if contact:
            assert count >= 1 and found, f"{label}: {q!r} found nothing"
        print(f"{label}: q={q!r} → {count:,} matches")

        def bare(q=q, contact=contact) -> None:
            with connection.cursor() as cursor:
                if contact:
                    bare_contact(cursor.cursor, *contact)
                else:
                    bare_name(cursor.cursor, q, connection.vendor)

        def view(q=q) -> None:
            response = http.get("/clients/", {"q": q})
            assert response.status_code == 200, response.status_code

        timings = harness.compare(
            {"bare": bare, "kliento": lambda q=q: kliento(q), "view": view}, repeat=args.repeat
        )
        bare_t, kliento_t, view_t = timings["bare"], timings["kliento"], timings["view"]
        harness.report(
            bench="search",
            case=f"{label}: selector + first page",
            value=kliento_t,
            baseline=bare_t,
            baseline_name="bare SQL",
        )
        harness.report(
            bench="search",
            case=f"{label}: list view over HTTP",
            value=view_t,
            baseline=bare_t,
            baseline_name="bare SQL",
        )
        if is_pg:

            def seqscan(bare=bare) -> None:
                with transaction.atomic(), connection.cursor() as cursor:
                    for setting in ("bitmapscan", "indexscan", "indexonlyscan"):
                        cursor.execute(f"SET LOCAL enable_{setting} = off")
                    bare()

            pair = harness.compare(
                {"seq": seqscan, "bare": bare}, repeat=max(3, args.repeat // 6), warmup=1
            )
            seq_t = pair["seq"]
            harness.report(
                bench="search",
                case=f"{label}: bare SQL without indexes",
                value=seq_t,
                baseline=pair["bare"],
                baseline_name="bare SQL with indexes",
                note="ratio = speed-up the indexes give",
            )
        print()


if __name__ == "__main__":
    main()
