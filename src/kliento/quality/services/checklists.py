"""Checklists and their versions: a draft is edited item by item, publishing freezes it.

A published version is never edited: `start_revision` copies it into a new draft, and
publishing that draft supersedes it. Evaluations keep pointing at the version they used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.types import Actor
from kliento.quality import rules
from kliento.quality.models import AreaKind, Checklist, ChecklistItem, ChecklistVersion
from kliento.standards import selectors as standards

Status = ChecklistVersion.Status

CHECKLIST_CREATED = "quality.checklist_created"
CHECKLIST_CHANGED = "quality.checklist_changed"
VERSION_DRAFTED = "quality.version_drafted"
VERSION_PUBLISHED = "quality.version_published"

MAX_ITEMS = 200
ITEM_TEXT_MAX = 1_000


def _check_checklist(
    *, name: str, area_kind: str, owner: Any, description: str, exclude_id: int | None = None
) -> None:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the checklist a name.")]
    else:
        rules.limit(errors, "name", name, 200)
        taken = Checklist.objects.filter(name__iexact=name)
        if exclude_id is not None:
            taken = taken.exclude(pk=exclude_id)
        if taken.exists():
            errors["name"] = [_("Another checklist already has this name.")]
    if area_kind not in AreaKind.values:
        errors["area_kind"] = [_("Choose what the checklist controls.")]
    if owner is None or not getattr(owner, "is_active", False):
        errors["owner"] = [_("Choose an active employee as the owner.")]
    rules.limit(errors, "description", description, 2_000)
    rules.raise_if(errors)


@transaction.atomic
def create_checklist(
    *, actor: Actor, name: str, area_kind: str, owner: Any, description: str = ""
) -> Checklist:
    """A new checklist with an empty draft version 1."""
    name, description = rules.clean_text(name), rules.clean_text(description)
    _check_checklist(name=name, area_kind=area_kind, owner=owner, description=description)
    checklist = Checklist.objects.create(
        name=name, area_kind=area_kind, owner=owner, description=description
    )
    ChecklistVersion.objects.create(checklist=checklist, number=1, created_by=actor)
    audit.record(actor=actor, action=CHECKLIST_CREATED, target=checklist)
    return checklist


@transaction.atomic
def update_checklist(
    *, actor: Actor, checklist: Checklist, name: str, area_kind: str, owner: Any, description: str
) -> Checklist:
    """Name, area, owner and description are not versioned: they do not change a score."""
    name, description = rules.clean_text(name), rules.clean_text(description)
    _check_checklist(
        name=name,
        area_kind=area_kind,
        owner=owner,
        description=description,
        exclude_id=checklist.pk,
    )
    before = {"name": checklist.name, "area_kind": checklist.area_kind}
    checklist.name, checklist.area_kind = name, area_kind
    checklist.owner, checklist.description = owner, description
    checklist.save()
    audit.record(
        actor=actor,
        action=CHECKLIST_CHANGED,
        target=checklist,
        data={"before": before, "after": {"name": name, "area_kind": area_kind}},
    )
    return checklist


def _draft(version: ChecklistVersion) -> ChecklistVersion:
    locked = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != Status.DRAFT:
        raise ValidationError(
            {"version": [_("Only a draft can be edited; start a new version to change it.")]}
        )
    return locked


def _standard_version_id(standard_id: int | None) -> int | None:
    if standard_id is None:
        return None
    found = standards.published_standards([standard_id])
    if not found:
        raise ValidationError(
            {"standard": [_("Choose a standard of the book that has a published version.")]}
        )
    return found[0].version_id


def _check_item(*, text: str, weight: int, errors: dict[str, list[str]]) -> None:
    if not text:
        errors["text"] = [_("Say what is checked.")]
    rules.limit(errors, "text", text, ITEM_TEXT_MAX)
    if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 100:
        errors["weight"] = [_("Give a whole-number weight from 1 to 100.")]


@transaction.atomic
def add_item(
    *,
    actor: Actor,
    version: ChecklistVersion,
    text: str,
    standard_id: int | None = None,
    weight: int = 1,
    critical: bool = False,
    allows_na: bool = False,
) -> ChecklistItem:
    """Append an item to a draft. An item citing a standard records the standard's published
    version, so a later revision of the standard shows which text the item was written for."""
    version = _draft(version)
    text = rules.clean_text(text)
    errors: dict[str, list[str]] = {}
    _check_item(text=text, weight=weight, errors=errors)
    if version.items.count() >= MAX_ITEMS:
        errors["text"] = [_("A checklist has at most %(max)s items.") % {"max": MAX_ITEMS}]
    rules.raise_if(errors)
    last = version.items.aggregate(last=Max("position"))["last"]
    return ChecklistItem.objects.create(
        version=version,
        position=(last or 0) + 1,
        text=text,
        standard_id=standard_id,
        standard_version_id=_standard_version_id(standard_id),
        weight=weight,
        critical=critical,
        allows_na=allows_na,
    )


@transaction.atomic
def update_item(
    *,
    actor: Actor,
    item: ChecklistItem,
    text: str,
    standard_id: int | None,
    weight: int,
    critical: bool,
    allows_na: bool,
    position: int | None = None,
) -> ChecklistItem:
    _draft(item.version)
    item = ChecklistItem.objects.get(pk=item.pk)
    text = rules.clean_text(text)
    errors: dict[str, list[str]] = {}
    _check_item(text=text, weight=weight, errors=errors)
    if position is not None and position < 0:
        errors["position"] = [_("Give a position of zero or more.")]
    rules.raise_if(errors)
    if standard_id != item.standard_id:
        item.standard_version_id = _standard_version_id(standard_id)
        item.standard_id = standard_id
    item.text, item.weight, item.critical, item.allows_na = text, weight, critical, allows_na
    if position is not None:
        item.position = position
    item.save()
    return item


@transaction.atomic
def remove_item(*, actor: Actor, item: ChecklistItem) -> None:
    _draft(item.version)
    ChecklistItem.objects.filter(pk=item.pk).delete()


@transaction.atomic
def start_revision(*, actor: Actor, checklist: Checklist) -> ChecklistVersion:
    """The checklist's draft: the open one if there is one, else a copy of the published
    version (items, standards and weights) numbered one higher."""
    Checklist.objects.select_for_update().get(pk=checklist.pk)
    draft = checklist.versions.filter(status=Status.DRAFT).first()
    if draft is not None:
        return draft
    source = checklist.versions.filter(status=Status.PUBLISHED).first()
    number = (checklist.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    draft = ChecklistVersion.objects.create(checklist=checklist, number=number, created_by=actor)
    if source is not None:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                version=draft,
                position=item.position,
                text=item.text,
                standard_id=item.standard_id,
                standard_version_id=item.standard_version_id,
                weight=item.weight,
                critical=item.critical,
                allows_na=item.allows_na,
            )
            for item in source.items.all()
        )
    audit.record(actor=actor, action=VERSION_DRAFTED, target=checklist, data={"number": number})
    return draft


@transaction.atomic
def publish_version(
    *, actor: Actor, version: ChecklistVersion, change_note: str = ""
) -> ChecklistVersion:
    """Freeze a draft for use; the version published before it is superseded (its past
    evaluations keep pointing at it)."""
    version = _draft(version)
    change_note = rules.clean_text(change_note)
    errors: dict[str, list[str]] = {}
    if not version.items.exists():
        errors["version"] = [_("Add at least one item before publishing.")]
    rules.limit(errors, "change_note", change_note, 300)
    rules.raise_if(errors)
    version.checklist.versions.filter(status=Status.PUBLISHED).update(status=Status.SUPERSEDED)
    version.status = Status.PUBLISHED
    version.published_at, version.published_by = timezone.now(), actor
    version.change_note = change_note
    version.save()
    audit.record(
        actor=actor,
        action=VERSION_PUBLISHED,
        target=version.checklist,
        data={"number": version.number, "items": version.items.count()},
    )
    return version


_MARKUP = re.compile(r"^[\s#>*\-+\d.)]+")


def rule_of(title: str, body: str) -> str:
    """An item's text from a standard: its title and the first line of its rule."""
    first = next((line for line in body.splitlines() if line.strip()), "")
    first = _MARKUP.sub("", first).replace("**", "").replace("__", "").strip()
    text = f"{title}: {first}" if first else title
    return Truncator(text).chars(ITEM_TEXT_MAX)


@transaction.atomic
def build_from_standards(
    *,
    actor: Actor,
    name: str,
    area_kind: str,
    owner: Any,
    standard_ids: Sequence[int],
    description: str = "",
    weight: int = 1,
) -> Checklist:
    """A checklist whose draft has one item per chosen published standard, in the order
    given, each prefilled with the standard's rule and citing its published version."""
    found = standards.published_standards(standard_ids)
    if not found:
        raise ValidationError({"standards": [_("Choose at least one published standard.")]})
    if len(found) > MAX_ITEMS:
        raise ValidationError(
            {"standards": [_("A checklist has at most %(max)s items.") % {"max": MAX_ITEMS}]}
        )
    checklist = create_checklist(
        actor=actor, name=name, area_kind=area_kind, owner=owner, description=description
    )
    draft = checklist.versions.get()
    order = {pk: i for i, pk in enumerate(standard_ids)}
    found.sort(key=lambda s: order.get(s.standard_id, len(order)))
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            version=draft,
            position=i + 1,
            text=rule_of(s.title, s.body),
            standard_id=s.standard_id,
            standard_version_id=s.version_id,
            weight=weight,
        )
        for i, s in enumerate(found)
    )
    return checklist
