"""Reads of the standards book that pages and other apps rely on.

For other apps (stable, documented):
- `applicable(client_id=…, touchpoint_id=…, channel=…)`: the published standards and scripts
  that apply where someone is working (the client card, later the service desk's reply box).
- `script(script_id)`: one script of a published standard (a reply template).
- `published_standards(ids)`: the published text of given standards (e.g. a policy's procedure).
- `current_mission()`: the published mission text.
- `unread_for(user)`, `audience(standard)`, `acknowledgement_shares()`: who must read what.
- `overdue_reviews()`: standards whose review date has passed.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from kliento.core.folding import fold
from kliento.core.models import AuditEntry, OrgUnit
from kliento.core.richtext import render_markdown
from kliento.core.roles import ROLE_LABELS
from kliento.journeys import selectors as journeys
from kliento.standards import glossary
from kliento.standards.models import (
    Acknowledgement,
    Kind,
    Mission,
    RevisionRequest,
    Script,
    Standard,
    StandardVersion,
)

Status = StandardVersion.Status
DEFINITION_LENGTH = 300


# ---------------------------------------------------------------------------------------------
# The book


def with_published() -> QuerySet[Standard]:
    """Standards with `published` (a one-item list, or empty) prefetched."""
    return Standard.objects.select_related("owner").prefetch_related(
        Prefetch(
            "versions",
            queryset=StandardVersion.objects.filter(status=Status.PUBLISHED).prefetch_related(
                "scripts"
            ),
            to_attr="published",
        )
    )


def published_version(standard: Standard) -> StandardVersion | None:
    found = getattr(standard, "published", None)
    if found is not None:
        return found[0] if found else None
    return standard.versions.filter(status=Status.PUBLISHED).first()


def open_version(standard: Standard) -> StandardVersion | None:
    """The draft or the version in review, if there is one."""
    return standard.versions.filter(status__in=StandardVersion.OPEN).first()


def book(*, query: str = "", kind: str = "", published_only: bool = False) -> list[Standard]:
    """The book in reading order, optionally searched (title or published text, accent- and
    case-insensitive) and limited to one section."""
    standards = with_published()
    if kind:
        standards = standards.filter(kind=kind)
    if published_only:
        standards = standards.filter(versions__status=Status.PUBLISHED)
    found = list(standards)
    words = fold(query).split()
    if words:

        def matches(s: Standard) -> bool:
            version = published_version(s)
            scripts = (
                " ".join(f"{x.title} {x.text}" for x in version.scripts.all()) if version else ""
            )
            hay = fold(f"{s.title} {version.body if version else ''} {scripts}")
            return all(w in hay for w in words)

        found = [s for s in found if matches(s)]
    return found


def search_hits(query: str, limit: int) -> list[Standard]:
    """Published standards for the global search: title matches first, then text matches."""
    found = book(query=query, published_only=True)
    words = fold(query).split()
    found.sort(key=lambda s: not all(w in fold(s.title) for w in words))
    return found[:limit]


def glossary_terms() -> dict[str, str]:
    """Every published glossary entry: term → its definition as plain text."""
    terms: dict[str, str] = {}
    versions = StandardVersion.objects.filter(
        status=Status.PUBLISHED, standard__kind=Kind.GLOSSARY
    ).select_related("standard")
    for version in versions:
        text = " ".join(unescape(strip_tags(render_markdown(version.body))).split())
        if len(text) > DEFINITION_LENGTH:
            text = text[: DEFINITION_LENGTH - 1].rstrip() + "…"
        terms[version.standard.title] = text
    return terms


def render_text(source: str, *, terms: dict[str, str] | None = None, skip: str = "") -> SafeString:
    """A standard's Markdown as sanitised HTML with the glossary's terms explained."""
    return glossary.render(source, glossary_terms() if terms is None else terms, skip=skip)


def overdue_reviews(today: dt.date | None = None) -> QuerySet[Standard]:
    return Standard.objects.filter(review_on__lt=today or timezone.localdate()).select_related(
        "owner"
    )


def history(standard: Standard) -> QuerySet[AuditEntry]:
    """Who changed what: the audit entries of the standard and of its versions."""
    version_ids = [str(pk) for pk in standard.versions.values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        Q(target_type="standards.standard", target_id=str(standard.pk))
        | Q(target_type="standards.standardversion", target_id__in=version_ids)
    ).select_related("actor")


def open_revision_requests(standard: Standard | None = None) -> QuerySet[RevisionRequest]:
    requests = RevisionRequest.objects.filter(status=RevisionRequest.Status.OPEN)
    if standard is not None:
        requests = requests.filter(standard=standard)
    return requests.select_related("standard", "raised_by")


# ---------------------------------------------------------------------------------------------
# Versions compared


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def _lines(version: StandardVersion) -> list[str]:
    lines = version.body.splitlines()
    for script in version.scripts.all():
        lines += ["", f"## {script.title}", *script.text.splitlines()]
    return lines


def diff(old: StandardVersion | None, new: StandardVersion) -> list[DiffLine]:
    """Line by line, what `new` removed from and added to `old` (its text and its scripts)."""
    before = _lines(old) if old is not None else []
    rows = []
    for line in difflib.ndiff(before, _lines(new)):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        rows.append(DiffLine({"  ": "same", "+ ": "added", "- ": "removed"}[code], text))
    return rows


# ---------------------------------------------------------------------------------------------
# Audience and acknowledgements


def _descendants(unit_ids: Iterable[int]) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in OrgUnit.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    found: set[int] = set()
    todo = list(unit_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children[pk])
    return found


def staff() -> QuerySet[Any]:
    """Active people holding a role: everyone a standard can apply to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=list(ROLE_LABELS))
        .distinct()
    )


def audience(standard: Standard) -> QuerySet[Any]:
    """Who must acknowledge the standard: staff with one of its roles (any, if none listed) in
    one of its teams or their sub-units (any, if none listed)."""
    people = staff()
    if standard.roles:
        people = people.filter(groups__name__in=standard.roles)
    unit_ids = [u.pk for u in standard.units.all()]
    if unit_ids:
        people = people.filter(staff_profile__unit__in=_descendants(unit_ids))
    return people.distinct()


@dataclass(frozen=True)
class _Person:
    roles: frozenset[str]
    units: frozenset[int]  # the person's unit and every unit above it


def _person(user: Any) -> _Person:
    names = frozenset(user.groups.filter(name__in=list(ROLE_LABELS)).values_list("name", flat=True))
    units: set[int] = set()
    unit = OrgUnit.objects.filter(members__user=user).first()
    if unit is not None:
        units = {unit.pk, *(u.pk for u in unit.ancestors())}
    return _Person(names, frozenset(units))


def _applies(standard: Standard, person: _Person) -> bool:
    if not person.roles:
        return False
    if standard.roles and not person.roles & set(standard.roles):
        return False
    wanted = {u.pk for u in standard.units.all()}
    return not wanted or bool(person.units & wanted)


def applies_to(standard: Standard, user: Any) -> bool:
    return bool(user.is_active) and _applies(standard, _person(user))


def unread_for(user: Any) -> list[StandardVersion]:
    """The published versions that apply to `user` and that they have not acknowledged yet."""
    if not user.is_active:
        return []
    person = _person(user)
    versions = (
        StandardVersion.objects.filter(status=Status.PUBLISHED)
        .exclude(acknowledgements__user=user)
        .select_related("standard")
        .prefetch_related("standard__units")
        .order_by("-published_at", "id")
    )
    return [v for v in versions if _applies(v.standard, person)]


def acknowledged(version: StandardVersion, user: Any) -> bool:
    return Acknowledgement.objects.filter(version=version, user=user).exists()


@dataclass(frozen=True)
class Share:
    version: StandardVersion
    required: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.required) if self.required else 100


def acknowledgement_shares() -> list[Share]:
    """For each published version: how many must read it, and how many of them have."""
    shares = []
    versions = (
        StandardVersion.objects.filter(status=Status.PUBLISHED)
        .select_related("standard")
        .prefetch_related("standard__units")
        .order_by("standard__kind", "standard__position", "standard__title")
    )
    for version in versions:
        people = audience(version.standard)
        done = people.filter(acknowledgements__version=version).count()
        shares.append(Share(version, people.count(), done))
    return shares


@dataclass(frozen=True)
class PersonRow:
    user: Any
    unit: OrgUnit | None
    unread: list[StandardVersion] = field(default_factory=list)


def people_unread(unit_id: int | None = None) -> list[PersonRow]:
    """Each employee (of a unit and its sub-units, or everyone) with what they have not read."""
    people = staff().select_related("staff_profile__unit").order_by("last_name", "username")
    if unit_id is not None:
        people = people.filter(staff_profile__unit__in=_descendants([unit_id]))
    rows = []
    for user in people:
        profile = getattr(user, "staff_profile", None)
        rows.append(PersonRow(user, profile.unit if profile else None, unread_for(user)))
    return rows


@dataclass(frozen=True)
class TeamRow:
    unit: OrgUnit
    people: int
    with_unread: int
    unread: int


def teams_unread() -> list[TeamRow]:
    """Per unit (with its sub-units): how many people, how many have something unread."""
    rows = []
    everyone = {row.user.pk: row for row in people_unread()}
    for unit in OrgUnit.objects.order_by("name"):
        members = staff().filter(staff_profile__unit__in=_descendants([unit.pk]))
        found = [everyone[pk] for pk in members.values_list("pk", flat=True) if pk in everyone]
        if found:
            rows.append(
                TeamRow(
                    unit,
                    len(found),
                    sum(1 for r in found if r.unread),
                    sum(len(r.unread) for r in found),
                )
            )
    return rows


# ---------------------------------------------------------------------------------------------
# Standards where work happens


@dataclass(frozen=True)
class ScriptItem:
    """A script as a reply template: its id stays valid while its version is published."""

    id: int
    standard_id: int
    standard_title: str
    title: str
    text: str


@dataclass(frozen=True)
class ApplicableStandard:
    standard_id: int
    version_id: int
    kind: str
    title: str
    body: str  # Markdown source; render with `render_text`
    stage_ids: list[int]
    touchpoint_ids: list[int]
    channels: list[str]
    scripts: list[ScriptItem]


@dataclass(frozen=True)
class Applicable:
    stage_ids: list[int]
    standards: list[ApplicableStandard]

    @property
    def scripts(self) -> list[ScriptItem]:
        return [s for standard in self.standards for s in standard.scripts]


def _item(standard: Standard, version: StandardVersion) -> ApplicableStandard:
    return ApplicableStandard(
        standard_id=standard.pk,
        version_id=version.pk,
        kind=standard.kind,
        title=standard.title,
        body=version.body,
        stage_ids=sorted(s.pk for s in standard.stages.all()),
        touchpoint_ids=sorted(t.pk for t in standard.touchpoints.all()),
        channels=list(standard.channels),
        scripts=[
            ScriptItem(s.pk, standard.pk, standard.title, s.title, s.text)
            for s in version.scripts.all()
        ],
    )


def applicable(
    *,
    client_id: int | None = None,
    stage_ids: Sequence[int] | None = None,
    touchpoint_id: int | None = None,
    channel: str | None = None,
) -> Applicable:
    """The published standards (and their scripts) that apply in a working context.

    The context has up to three dimensions: the stages (the client's current ones, through
    `journeys.selectors.current_stage_ids`, or `stage_ids` given directly), a touchpoint and a
    channel. A dimension left out (None) is "any". A standard applies when, for every given
    dimension, it is either not tied to that dimension or tied to the given value, and at least
    one given dimension names it explicitly; book-wide standards (tied to nothing) never
    appear here — they are in the book.

    So on the client card (stages only) every rule of the client's stages shows, whatever its
    touchpoint; in a reply box for e-mail, a stage rule tied to the phone channel does not.
    """
    stages: set[int] | None = None
    if client_id is not None:
        stages = set(journeys.current_stage_ids(client_id=client_id))
    if stage_ids is not None:
        stages = (stages or set()) | set(stage_ids)
    if stages is None and touchpoint_id is None and not channel:
        return Applicable([], [])
    hints = Q()
    if stages:
        hints |= Q(stages__in=stages)
    if touchpoint_id is not None:
        hints |= Q(touchpoints=touchpoint_id)
    candidates = (
        with_published()
        .filter(versions__status=Status.PUBLISHED)
        .prefetch_related("stages", "touchpoints")
        .distinct()
    )
    if not channel:
        if not hints:
            return Applicable(sorted(stages or ()), [])
        candidates = candidates.filter(hints)
    found = []
    for standard in candidates:
        linked_stages = {s.pk for s in standard.stages.all()}
        linked_touchpoints = {t.pk for t in standard.touchpoints.all()}
        linked_channels = set(standard.channels)
        ok, hit = True, False
        for given, linked in (
            (stages, linked_stages),
            ({touchpoint_id} if touchpoint_id is not None else None, linked_touchpoints),
            ({channel} if channel else None, linked_channels),
        ):
            if given is None or not linked:
                continue
            if given & linked:
                hit = True
            else:
                ok = False
        version = published_version(standard)
        if ok and hit and version is not None:
            found.append(_item(standard, version))
    return Applicable(sorted(stages or ()), found)


def script(script_id: int) -> ScriptItem | None:
    """One script of a published standard; None if unknown or its version is not published."""
    found = (
        Script.objects.filter(pk=script_id, version__status=Status.PUBLISHED)
        .select_related("version__standard")
        .first()
    )
    if found is None:
        return None
    standard = found.version.standard
    return ScriptItem(found.pk, standard.pk, standard.title, found.title, found.text)


def published_standards(ids: Iterable[int]) -> list[ApplicableStandard]:
    """The published text of the given standards (unpublished or unknown ids are left out)."""
    items = []
    standards = with_published().filter(pk__in=list(ids)).prefetch_related("stages", "touchpoints")
    for standard in standards:
        version = published_version(standard)
        if version is not None:
            items.append(_item(standard, version))
    return items


# ---------------------------------------------------------------------------------------------
# The mission


def current_mission() -> Mission | None:
    return Mission.objects.filter(status=Mission.Status.PUBLISHED).first()


def mission_draft() -> Mission | None:
    return (
        Mission.objects.filter(status=Mission.Status.DRAFT)
        .prefetch_related("contributions__author")
        .first()
    )
