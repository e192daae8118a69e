"""Clients import, second half: write the checked rows with bulk queries, in the transaction
the import machinery opens around the writer.

Choices made here: segments and tags named in the file are created when missing (matching
existing ones case-insensitively), because they are free labels a user adds by typing; account
managers and companies must already exist (in Kliento or, for companies, in the same file).
Updating an existing client only touches the columns the file fills: an empty cell keeps the
stored value, contacts and tags are added, never removed.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kliento.clients import rules, selectors
from kliento.clients.importing.client_rows import ClientRow
from kliento.clients.models import Client, ContactPoint, Segment, Tag, TimelineEntry
from kliento.clients.services import timeline
from kliento.clients.services.timeline import describe_value
from kliento.core.folding import fold
from kliento.imports.registry import WRITING, ImportOutcome, Progress, chunked

# The card's editable fields that a cell holds as a value (references are resolved apart),
# plus the lifecycle fields only an import sets directly.
PLAIN_FIELDS = (*(f.name for f in rules.FIELDS if not f.reference), "status", "left_on")


def _labels[Label: (Segment, Tag)](
    model: type[Label], names: set[str]
) -> tuple[dict[str, int], list[str]]:
    """Ids of the named segments/tags by lower-cased name, creating the missing ones."""
    ids = {name.lower(): pk for pk, name in model.objects.values_list("pk", "name")}
    missing = {name.lower(): name for name in names if name.lower() not in ids}
    if missing:
        model.objects.bulk_create([model(name=name) for name in missing.values()])
        for pk, name in model.objects.filter(name__in=list(missing.values())).values_list(
            "pk", "name"
        ):
            ids[name.lower()] = pk
    return ids, sorted(missing.values())


def _apply(row: ClientRow, client: Client, segments: dict[str, int]) -> dict[str, list]:
    """Set the row's values on the client; return what changed as {field: [old, new]}."""
    changes: dict[str, list] = {}
    wanted = {key: row.data[key] for key in PLAIN_FIELDS if key in row.data}
    if wanted.get("status") == Client.Status.ACTIVE:
        wanted["left_on"] = None
    if "segment" in row.data:
        wanted["segment_id"] = segments[row.data["segment"].lower()]
    if row.manager_id:
        wanted["account_manager_id"] = row.manager_id
    company_id = row.company_row.client.pk if row.company_row else row.company_id
    if company_id:
        wanted["company_id"] = company_id
    for attr, new in wanted.items():
        old = getattr(client, attr)
        if old != new:
            changes[attr.removesuffix("_id")] = [describe_value(old), describe_value(new)]
            setattr(client, attr, new)
    return changes


def write_clients(
    rows: list[ClientRow], /, *, actor: Any, filename: str, data: dict[str, Any], progress: Progress
) -> ImportOutcome:
    outcome = ImportOutcome(rows=len(rows))
    now = timezone.now()
    segments, new_segments = _labels(
        Segment, {r.data["segment"] for r in rows if "segment" in r.data}
    )
    tags, new_tags = _labels(Tag, {t for r in rows for t in r.tags})
    if new_segments:
        outcome.notes.append(_("New segments: %(names)s") % {"names": ", ".join(new_segments)})
    if new_tags:
        outcome.notes.append(_("New tags: %(names)s") % {"names": ", ".join(new_tags)})
    changes: dict[int, dict[str, list]] = {}
    # Companies first, so that people in the same file can point at them.
    new_rows = [r for r in rows if r.existing is None]
    for group in (
        [r for r in new_rows if r.kind == Client.Kind.COMPANY],
        [r for r in new_rows if r.kind != Client.Kind.COMPANY],
    ):
        for row in group:
            row.existing = Client(created_at=now)
            changes[id(row)] = _apply(row, row.client, segments)
        for created in chunked(group, 500):
            Client.objects.bulk_create([r.client for r in created])
    progress(WRITING, len(new_rows))
    updated_fields: set[str] = set()
    to_update: list[Client] = []
    for row in rows:
        if id(row) not in changes:
            changes[id(row)] = diff = _apply(row, row.client, segments)
            if diff:
                to_update.append(row.client)
                updated_fields.update(
                    f + "_id" if f in ("segment", "company", "account_manager") else f for f in diff
                )
    if "name" in updated_fields:
        # bulk_update() writes attributes as they are: the folded name is not derived here.
        updated_fields.add("search_name")
    for updated in chunked(to_update, 500):
        for changed in updated:
            changed.updated_at = now
            changed.search_name = fold(changed.name)
        Client.objects.bulk_update(updated, [*sorted(updated_fields), "updated_at"])
    _contacts(rows, changes)
    _tags(rows, tags, changes)
    # "Client since" not in the file, or after a recorded purchase: the rules' date.
    rules.settle_client_since(client_ids=[row.client.pk for row in rows])
    created_ids = {row.client.pk for row in new_rows}
    entries = []
    for row in rows:
        diff = changes[id(row)]
        client = row.client
        if client.pk in created_ids:
            outcome.created += 1
            summary = _("Created by import from %(file)s") % {"file": filename}
        elif diff:
            outcome.updated += 1
            summary = _("Updated by import from %(file)s: %(fields)s") % {
                "file": filename,
                "fields": ", ".join(sorted(diff)),
            }
        else:
            outcome.unchanged += 1
            continue
        entries.append(
            timeline.NewEntry(
                client_id=client.pk,
                kind=TimelineEntry.Kind.IMPORTED,
                actor_id=getattr(actor, "pk", None),
                occurred_at=now,
                summary=summary,
                data={
                    **data,
                    "file": filename,
                    "created": client.pk in created_ids,
                    "changes": diff,
                },
            )
        )
    timeline.record_many(entries)
    outcome.clients = len(entries)
    _report_duplicates(rows, changes, outcome)
    progress(WRITING, len(rows))
    return outcome


def _contacts(rows: list[ClientRow], changes: dict[int, dict[str, list]]) -> None:
    wanted = [(row, kind) for row in rows for kind in ("phone", "email") if kind in row.data]
    if not wanted:
        return
    ids = {row.client.pk for row, _kind in wanted}
    known: set[tuple[int, str, str]] = set()
    primary: set[tuple[int, str]] = set()
    for batch in chunked(ids):
        for client_id, kind, value, is_primary in ContactPoint.objects.filter(
            client_id__in=batch
        ).values_list("client_id", "kind", "value", "is_primary"):
            known.add((client_id, kind, value))
            if is_primary:
                primary.add((client_id, kind))
    new = []
    for row, kind in wanted:
        key = (row.client.pk, kind, row.data[kind])
        if key in known:
            continue
        known.add(key)
        new.append(
            ContactPoint(
                client_id=key[0], kind=kind, value=key[2], is_primary=(key[0], kind) not in primary
            )
        )
        primary.add((key[0], kind))
        changes[id(row)][kind] = [None, key[2]]
    for contacts in chunked(new, 1000):
        ContactPoint.objects.bulk_create(contacts)


def _tags(rows: list[ClientRow], tags: dict[str, int], changes: dict[int, dict[str, list]]) -> None:
    tagged = [row for row in rows if row.tags]
    if not tagged:
        return
    through = Client.tags.through
    known: set[tuple[int, int]] = set()
    for batch in chunked({row.client.pk for row in tagged}):
        known.update(through.objects.filter(client_id__in=batch).values_list("client_id", "tag_id"))
    links = []
    for row in tagged:
        added = []
        for name in row.tags:
            key = (row.client.pk, tags[name.lower()])
            if key not in known:
                known.add(key)
                links.append(through(client_id=key[0], tag_id=key[1]))
                added.append(name)
        if added:
            changes[id(row)]["tags"] = [None, added]
    for linked in chunked(links, 1000):
        through.objects.bulk_create(linked)


def _report_duplicates(
    rows: list[ClientRow], changes: dict[int, dict[str, list]], outcome: ImportOutcome
) -> None:
    """Say how many clients that got a phone or an e-mail from the file now share it with
    another client (the rule of `selectors.possible_duplicates`): they are to be merged."""
    touched = [row.client.pk for row in rows if {"phone", "email"} & changes[id(row)].keys()]
    shared = selectors.clients_with_duplicates(touched)
    if shared:
        outcome.notes.append(
            ngettext(
                "%(count)d client of this file shares a phone or an e-mail with another client; "
                "see Possible duplicates in the client list.",
                "%(count)d clients of this file share a phone or an e-mail with another client; "
                "see Possible duplicates in the client list.",
                len(shared),
            )
            % {"count": len(shared)}
        )
