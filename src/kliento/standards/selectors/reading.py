"""Who must read what: a standard's audience (by role and team), each person's unread list, the
share acknowledged per version and the unread count per team.

The manager's view answers for every person and every published version at once, so it reads
the staff, their roles and units, the published versions and their acknowledgements in a fixed
number of queries and works out the rest in memory (see benchmarks/bench_standards.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from kliento.core.models import OrgUnit
from kliento.core.roles import ROLE_LABELS
from kliento.standards.models import Acknowledgement, Standard, StandardVersion

Status = StandardVersion.Status


class _Tree:
    """The organisation tree, read once: each unit's parent and children."""

    def __init__(self) -> None:
        self.parent: dict[int, int | None] = {}
        self.children: dict[int | None, list[int]] = defaultdict(list)
        self.units: dict[int, OrgUnit] = {}
        for unit in OrgUnit.objects.all():
            self.units[unit.pk] = unit
            self.parent[unit.pk] = unit.parent_id
            self.children[unit.parent_id].append(unit.pk)

    def descendants(self, unit_ids: Iterable[int]) -> set[int]:
        found: set[int] = set()
        todo = list(unit_ids)
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.add(pk)
                todo.extend(self.children[pk])
        return found

    def chain(self, unit_id: int | None) -> frozenset[int]:
        """The unit and every unit above it."""
        found: set[int] = set()
        while unit_id is not None and unit_id not in found:
            found.add(unit_id)
            unit_id = self.parent.get(unit_id)
        return frozenset(found)


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
        people = people.filter(staff_profile__unit__in=_Tree().descendants(unit_ids))
    return people.distinct()


@dataclass(frozen=True)
class _Person:
    roles: frozenset[str]
    units: frozenset[int]  # the person's unit and every unit above it


def _applies(roles: list[str], units: set[int], person: _Person) -> bool:
    if not person.roles:
        return False
    if roles and not person.roles & set(roles):
        return False
    return not units or bool(person.units & units)


def _person(user: Any, tree: _Tree | None = None) -> _Person:
    names = frozenset(user.groups.filter(name__in=list(ROLE_LABELS)).values_list("name", flat=True))
    unit_id = OrgUnit.objects.filter(members__user=user).values_list("pk", flat=True).first()
    return _Person(names, (tree or _Tree()).chain(unit_id) if unit_id else frozenset())


def applies_to(standard: Standard, user: Any) -> bool:
    if not user.is_active:
        return False
    units = {u.pk for u in standard.units.all()}
    return _applies(list(standard.roles), units, _person(user))


def _published() -> list[tuple[StandardVersion, set[int]]]:
    versions = (
        StandardVersion.objects.filter(status=Status.PUBLISHED)
        .select_related("standard")
        .prefetch_related("standard__units")
        .order_by("standard__kind", "standard__position", "standard__title")
    )
    return [(v, {u.pk for u in v.standard.units.all()}) for v in versions]


def unread_for(user: Any) -> list[StandardVersion]:
    """The published versions that apply to `user` and that they have not acknowledged yet."""
    if not user.is_active:
        return []
    person = _person(user)
    read = set(Acknowledgement.objects.filter(user=user).values_list("version_id", flat=True))
    return [
        version
        for version, units in _published()
        if version.pk not in read and _applies(list(version.standard.roles), units, person)
    ]


def acknowledged(version: StandardVersion, user: Any) -> bool:
    return Acknowledgement.objects.filter(version=version, user=user).exists()


# ---------------------------------------------------------------------------------------------
# The manager's view: everyone at once


@dataclass(frozen=True)
class Share:
    version: StandardVersion
    required: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.required) if self.required else 100


@dataclass(frozen=True)
class PersonRow:
    user: Any
    unit: OrgUnit | None
    unread: list[StandardVersion] = field(default_factory=list)


@dataclass(frozen=True)
class TeamRow:
    unit: OrgUnit
    people: int
    with_unread: int
    unread: int


@dataclass(frozen=True)
class Reading:
    """Every published version against every member of staff."""

    shares: list[Share]
    people: list[PersonRow]
    tree: _Tree

    def people_of(self, unit_id: int) -> list[PersonRow]:
        inside = self.tree.descendants([unit_id])
        return [row for row in self.people if row.unit is not None and row.unit.pk in inside]

    def teams(self) -> list[TeamRow]:
        rows = []
        for unit in sorted(self.tree.units.values(), key=lambda u: u.name):
            found = self.people_of(unit.pk)
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


def reading() -> Reading:
    """Who has read what, for every published version and every member of staff."""
    tree = _Tree()
    people = list(
        staff()
        .select_related("staff_profile")
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "username")
    )
    persons = {}
    for user in people:
        profile = getattr(user, "staff_profile", None)
        unit_id = profile.unit_id if profile is not None else None
        roles = frozenset(g.name for g in user.groups.all() if g.name in ROLE_LABELS)
        persons[user.pk] = _Person(roles, tree.chain(unit_id))
    published = _published()
    read: set[tuple[int, int]] = set(
        Acknowledgement.objects.filter(version__status=Status.PUBLISHED).values_list(
            "version_id", "user_id"
        )
    )
    unread: dict[int, list[StandardVersion]] = defaultdict(list)
    shares = []
    for version, units in published:
        required = done = 0
        wanted = list(version.standard.roles)
        for user in people:
            if not _applies(wanted, units, persons[user.pk]):
                continue
            required += 1
            if (version.pk, user.pk) in read:
                done += 1
            else:
                unread[user.pk].append(version)
        shares.append(Share(version, required, done))
    rows = []
    for user in people:
        profile = getattr(user, "staff_profile", None)
        unit = tree.units.get(profile.unit_id) if profile and profile.unit_id else None
        rows.append(PersonRow(user, unit, unread[user.pk]))
    return Reading(shares, rows, tree)


def acknowledgement_shares() -> list[Share]:
    """For each published version: how many must read it, and how many of them have."""
    return reading().shares


def people_unread(unit_id: int | None = None) -> list[PersonRow]:
    """Each employee (of a unit and its sub-units, or everyone) with what they have not read."""
    found = reading()
    return found.people if unit_id is None else found.people_of(unit_id)


def teams_unread() -> list[TeamRow]:
    """Per unit (with its sub-units): how many people, how many have something unread."""
    return reading().teams()
