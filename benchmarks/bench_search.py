"""Client search at N clients: names (any order, no accents, first letters), phones (whole or
part), e-mails (whole or start), references (start).

Measured for each query:
  kliento  — `search_clients()` plus the first page exactly as the list view builds it
             (Paginator: COUNT(*) and the first 25 rows with segment, manager and company);
  view     — the whole list view over HTTP (Django test client, logged-in manager), template
             included;
  bare SQL — the same statements (contact lookup, count, first page) written by hand and run on
             the raw database cursor: no ORM, no selector, no paginator. kliento / bare SQL is
             the cost of Kliento's layers; near 1 means the layers add little and the query plan
             is right.
  seq scan — (PostgreSQL only) the same bare SQL with index and bitmap scans disabled, i.e. what
             the search would cost without its indexes. seq scan / bare SQL is the speed-up the
             indexes (trigram on folded names and phones, pattern b-trees on references and
             e-mails) give at this scale.
  plan     — (PostgreSQL only) EXPLAIN of every statement the selector runs: the scans it uses;
             a sequential scan of clients or contacts is flagged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import harness

PAGE = 25
CONTACT_LIMIT = 1000  # search.MAX_CONTACT_MATCHES

CLIENT = "clients_client"
CONTACT = "clients_contactpoint"
SELECT_PAGE = (
    f"SELECT c.id, c.name, c.kind, c.status, c.left_on, c.is_key, c.created_at, "
    f"s.name, u.first_name, u.last_name, u.username, co.name FROM {CLIENT} c "
    f"LEFT JOIN clients_segment s ON s.id = c.segment_id "
    f"LEFT JOIN auth_user u ON u.id = c.account_manager_id "
    f"LEFT JOIN {CLIENT} co ON co.id = c.company_id "
)


@dataclass
class Case:
    label: str
    q: str
    # What the hand-written SQL looks for, worked out once outside the timing.
    words: list[str] = field(default_factory=list)
    phone_digits: str = ""
    email_prefix: str = ""


def bare_search(cursor, case: Case, vendor: str) -> None:
    """Contact ids first, then count and first page over name words OR reference OR ids —
    the statements written as Django writes them on each backend, so the same indexes serve
    them."""
    ids: list[int] = []
    if case.phone_digits:
        cursor.execute(
            f"SELECT client_id FROM {CONTACT} WHERE kind = 'phone' AND value LIKE %s LIMIT %s",
            [f"%{case.phone_digits}%", CONTACT_LIMIT],
        )
        ids = sorted({row[0] for row in cursor.fetchall()})
    elif case.email_prefix:
        cursor.execute(
            f"SELECT client_id FROM {CONTACT} WHERE kind = 'email' AND value LIKE %s LIMIT %s",
            [f"{case.email_prefix}%", CONTACT_LIMIT],
        )
        ids = sorted({row[0] for row in cursor.fetchall()})
    terms, params = [], []
    for word in case.words:
        if len(word) >= 3:
            terms.append("c.search_name LIKE %s")
            params.append(f"%{word}%")
        else:
            terms.append("(c.search_name LIKE %s OR c.search_name LIKE %s)")
            params += [f"{word}%", f"% {word}%"]
    ref = (
        "UPPER(c.external_ref::text) LIKE UPPER(%s)"
        if vendor == "postgresql"
        else "c.external_ref LIKE %s"
    )
    where = f"WHERE {ref}"
    params = [f"{case.q}%", *params]
    if terms:
        where += f" OR ({' AND '.join(terms)})"
    if ids:
        where += f" OR c.id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    cursor.execute(f"SELECT COUNT(*) FROM {CLIENT} c {where}", params)
    cursor.fetchone()
    # Sorted by `name || ''`, as the selector does: the same order, but PostgreSQL sorts the
    # matches instead of walking the name index (see search._sort).
    cursor.execute(f"{SELECT_PAGE} {where} ORDER BY c.name || '', c.id LIMIT {PAGE}", params)
    cursor.fetchall()


def _scans(plan: dict) -> list[str]:
    found = []
    kind = plan.get("Node Type", "")
    if "Scan" in kind:
        target = plan.get("Index Name") or plan.get("Relation Name") or ""
        found.append(f"{kind} {target}".strip())
    for child in plan.get("Plans", []):
        found += _scans(child)
    return found


def explain(statements: list[str]) -> tuple[list[str], bool]:
    """The scans of each statement, and whether any reads clients or contacts sequentially."""
    from django.db import connection

    lines, seq = [], False
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            scans = _scans(plan)
            seq = seq or any(s in (f"Seq Scan {CLIENT}", f"Seq Scan {CONTACT}") for s in scans)
            head = sql.split(" FROM ", 1)[0][:30]
            lines.append(f"{head} …: {', '.join(dict.fromkeys(scans))}")
    return lines, seq


def main() -> None:
    args = harness.arguments("Client search benchmark")
    with harness.bench_database(args.scale, args.seed):
        run(args)


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator
    from django.db import connection, transaction
    from django.test import Client as HttpClient
    from django.test.utils import CaptureQueriesContext

    from kliento.clients.contacts import format_phone
    from kliento.clients.demo import scale as scaled
    from kliento.clients.models import Client
    from kliento.clients.selectors import ClientFilters, search_clients
    from kliento.core.folding import fold, fold_words

    total = Client.objects.count()
    spec = scaled.ScaleSpec.from_scale(args.scale, seed=args.seed)
    # Real clients of the generated set: the middle one whose name has a letter with an accent
    # (so that typing it without shows the folding), and the first one.
    middle = spec.clients // 2
    sample = next(
        c
        for c in scaled.client_rows(spec)
        if (c.number >= middle or c.number == spec.clients) and not c.name.isascii()
    )
    first_row = next(scaled.client_rows(spec))
    first_name, last_name = sample.name.split(" ", 1)
    phone = scaled.phone_for(sample.number)  # +4869xxxxxxx
    phone_typed = format_phone(phone)  # "+48 69x xxx xxx"
    national = phone_typed.split(" ", 1)[1]  # "69x xxx xxx"
    email = scaled.email_for(first_row.name, 1)
    slug_first, slug_last = email.split("@")[0].split(".")[:2]
    reference = scaled.client_ref(args.seed, sample.number)
    cases = [
        # A word of three characters or more without spaces may also start an e-mail address:
        # the selector looks there too, and so does the bare SQL.
        Case("name, common substring", common := fold(last_name)[1:6], email_prefix=common),
        Case(
            "name, full, words swapped, no accents, upper case",
            f"{fold(last_name)} {fold(first_name)}".upper(),
        ),
        Case("name, first two letters", first_name[:2].lower()),
        Case("phone, whole, typed with spaces", phone_typed, phone_digits=phone[1:]),
        Case("phone, part: 6 digits", national[:7], phone_digits=national[:7].replace(" ", "")),
        Case("email, whole, other case", email.upper(), email_prefix=email),
        Case(
            "email, start",
            f"{slug_first}.{slug_last[:1]}",
            email_prefix=f"{slug_first}.{slug_last[:1]}",
        ),
        Case("reference, start", reference[:-2], email_prefix=reference[:-2].lower()),
    ]
    for case in cases:
        case.words = fold_words(case.q)
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

    for case in cases:
        q = case.q
        count, found = kliento(q)
        assert count >= 1 and found, f"{case.label}: {q!r} found nothing"
        print(f"{case.label}: q={q!r} → {count:,} matches")
        if is_pg:
            with CaptureQueriesContext(connection) as captured:
                kliento(q)
            plan, seq = explain([query["sql"] for query in captured.captured_queries])
            for line in plan:
                print(f"    plan: {line}")
            if seq:
                print("    !! a sequential scan of clients or contacts")

        def bare(case=case) -> None:
            with connection.cursor() as cursor:
                bare_search(cursor.cursor, case, connection.vendor)

        def view(q=q) -> None:
            response = http.get("/clients/", {"q": q})
            assert response.status_code == 200, response.status_code

        timings = harness.compare(
            {"bare": bare, "kliento": lambda q=q: kliento(q), "view": view}, repeat=args.repeat
        )
        bare_t, kliento_t, view_t = timings["bare"], timings["kliento"], timings["view"]
        title = f"{case.label} `{q}` ({count:,} matches)"
        harness.report(
            bench="search",
            case=f"{title}: selector + first page",
            value=kliento_t,
            baseline=bare_t,
            baseline_name="bare SQL",
        )
        harness.report(
            bench="search",
            case=f"{case.label}: list view over HTTP",
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
            harness.report(
                bench="search",
                case=f"{case.label}: bare SQL without indexes",
                value=pair["seq"],
                baseline=pair["bare"],
                baseline_name="bare SQL with indexes",
                note="ratio = speed-up the indexes give",
            )
        print()


if __name__ == "__main__":
    main()
