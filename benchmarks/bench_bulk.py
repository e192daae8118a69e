"""Bulk actions on 10,000 selected clients: assign an account manager, add/remove a tag.

  service  — `services.bulk_assign_manager` / `bulk_add_tag` / `bulk_remove_tag`, as the list's
             bulk action runs them: one transaction, rows locked in id order in chunks of 1,000,
             old values read, only changed clients updated, one timeline entry per changed
             client through `timeline.record_many` (COPY on PostgreSQL);
  baseline — the bare write in one transaction on the raw cursor: one UPDATE of the 10,000 rows
             (`id = ANY(...)`), or one INSERT / DELETE of the 10,000 tag links; no lock, no old
             values, no timeline. service / baseline is what locking and the history cost.

Every call changes all 10,000 clients: the manager flips between two members of staff, the tag
is added by one call and removed by the next (the service and the baseline take turns, sharing
that state). Runs are capped at 10 per case: each service run writes 10,000 timeline entries.
"""

from __future__ import annotations

import sys

import harness

SELECTED = 10_000
MAX_RUNS = 10


def main() -> None:
    args = harness.arguments("Bulk action benchmark")
    with harness.bench_database(args.scale, args.seed):
        sys.exit(run(args))


def run(args) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from kliento.clients import services
    from kliento.clients.demo.scale import account_managers
    from kliento.clients.models import Client, Tag, TimelineEntry

    staff = list(get_user_model().objects.filter(pk__in=account_managers()).order_by("pk")[:2])
    if len(staff) < 2:
        print("needs two members of staff (the demo company's)", file=sys.stderr)
        return 1
    ids = list(Client.objects.order_by("pk").values_list("pk", flat=True)[:SELECTED])
    tag, _created = Tag.objects.get_or_create(name="bench-bulk")
    repeat = min(args.repeat, MAX_RUNS)
    table = Client._meta.db_table
    links = Client.tags.through._meta.db_table
    postgres = connection.vendor == "postgresql"

    # Start from a known state: every selected client managed by staff[0], none tagged.
    with transaction.atomic():
        Client.objects.filter(pk__in=ids).update(account_manager=staff[0])
        Client.tags.through.objects.filter(tag=tag).delete()
    state = {"manager": 0, "tagged": False}

    def next_manager() -> int:
        state["manager"] = 1 - state["manager"]
        return state["manager"]

    def service_assign() -> None:
        services.bulk_assign_manager(actor=None, client_ids=ids, manager=staff[next_manager()])

    def bare_assign() -> None:
        manager_id = staff[next_manager()].pk
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                sql = f"UPDATE {table} SET account_manager_id = %s WHERE id = ANY(%s)"
                cursor.execute(sql, [manager_id, ids])
            else:
                for start in range(0, len(ids), 5000):
                    chunk = ids[start : start + 5000]
                    marks = ",".join("%s" for _ in chunk)
                    sql = f"UPDATE {table} SET account_manager_id = %s WHERE id IN ({marks})"
                    cursor.execute(sql, [manager_id, *chunk])

    def service_tag() -> None:
        if state["tagged"]:
            services.bulk_remove_tag(actor=None, client_ids=ids, tag=tag)
        else:
            services.bulk_add_tag(actor=None, client_ids=ids, tag=tag)
        state["tagged"] = not state["tagged"]

    def bare_tag() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if state["tagged"]:
                cursor.execute(f"DELETE FROM {links} WHERE tag_id = %s", [tag.pk])
            else:
                cursor.executemany(
                    f"INSERT INTO {links} (client_id, tag_id) VALUES (%s, %s)",
                    [(pk, tag.pk) for pk in ids],
                )
        state["tagged"] = not state["tagged"]

    entries_before = TimelineEntry.objects.count()
    selected = f"{len(ids):,} clients"
    timings = harness.compare(
        {"service": service_assign, "bare": bare_assign}, repeat=repeat, warmup=1
    )
    harness.report(
        bench="bulk",
        case=f"assign account manager, {selected}",
        value=timings["service"],
        baseline=timings["bare"],
        baseline_name="bare UPDATE",
        note="locks in id order, 1 timeline entry per client",
    )
    timings = harness.compare({"service": service_tag, "bare": bare_tag}, repeat=repeat, warmup=1)
    harness.report(
        bench="bulk",
        case=f"add/remove tag (alternating), {selected}",
        value=timings["service"],
        baseline=timings["bare"],
        baseline_name="bare INSERT/DELETE",
        note="locks in id order, 1 timeline entry per client",
    )
    written = TimelineEntry.objects.count() - entries_before
    # Every service call changed every selected client: one entry each, no more, no fewer.
    service_calls = 2 * (repeat + 1)
    expected = service_calls * len(ids)
    print(f"  timeline entries written: {written:,} (expected {expected:,})", flush=True)
    with transaction.atomic():
        Client.tags.through.objects.filter(tag=tag).delete()
    return 0 if written == expected else 1


if __name__ == "__main__":
    main()
