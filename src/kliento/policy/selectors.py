"""Reads of the service policy that pages and other apps rely on.

For other apps (stable, documented):
- `escalation_list(procedure_id)`: a procedure's escalation list as an `EscalationList` (the
  service desk executes it; `escalation_document` is the same as the JSON other systems read).
- `procedures_for(channel=…, goal=…, client_id=…)`: the procedures in force, as
  `ProcedureItem`s — for a client in a running pilot, the piloted version's procedures.
- `procedure_standards(procedure_id)`: the published standards (and scripts) a procedure applies.
- `in_pilot(client_id)`: whether a client is in a running pilot (communications tell them so).
- `invalid_escalation_lists()`: procedures whose list names a deleted team or an inactive person.
- `overdue_reviews()`, `unread_for(user)`, `audience(policy)`, `acknowledgement_shares()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from kliento.core.models import OrgUnit
from kliento.core.roles import ROLE_LABELS
from kliento.policy import rules
from kliento.policy.models import (
    EscalationLevel,
    Feedback,
    Goal,
    Pilot,
    PilotClient,
    Policy,
    PolicyAcknowledgement,
    PolicyVersion,
    Procedure,
)
from kliento.standards import selectors as standards

Status = PolicyVersion.Status
ESCALATION_FORMAT = "kliento.escalation-list/1"


# ---------------------------------------------------------------------------------------------
# Policies and versions


def policies() -> QuerySet[Policy]:
    return Policy.objects.select_related("owner").prefetch_related(
        Prefetch(
            "versions",
            queryset=PolicyVersion.objects.filter(status__in=[Status.PUBLISHED, Status.DRAFT]),
            to_attr="current_versions",
        )
    )


def published_version(policy: Policy) -> PolicyVersion | None:
    return policy.versions.filter(status=Status.PUBLISHED).first()


def draft_version(policy: Policy) -> PolicyVersion | None:
    return policy.versions.filter(status=Status.DRAFT).first()


def version_tree(version_id: int) -> PolicyVersion | None:
    """A version with its goals, their procedures, standards and escalation levels loaded."""
    return (
        PolicyVersion.objects.filter(pk=version_id)
        .select_related("policy__owner", "published_by")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.select_related("owner", "mission").prefetch_related(
                    Prefetch(
                        "procedures",
                        queryset=Procedure.objects.prefetch_related(
                            "standards",
                            Prefetch(
                                "levels",
                                queryset=EscalationLevel.objects.select_related("unit", "user"),
                            ),
                        ),
                    )
                ),
            )
        )
        .first()
    )


def overdue_reviews(today: dt.date | None = None, *, owner: Any = None) -> QuerySet[Policy]:
    found = Policy.objects.filter(review_due_on__lt=today or timezone.localdate())
    if owner is not None:
        found = found.filter(owner=owner)
    return found.select_related("owner").order_by("review_due_on", "id")


def feedback(policy: Policy) -> QuerySet[Feedback]:
    return policy.feedback.select_related("recorded_by", "client", "pilot")


# ---------------------------------------------------------------------------------------------
# Escalation lists


@dataclass(frozen=True)
class EscalationStep:
    """One level. `after_minutes`: minutes since the matter was opened after which, still
    unresolved, it reaches this level (level 1 usually 0: it starts there). Exactly one of
    `role`, `unit_id`, `user_id` names who takes over; `notify` how they are told (in_app,
    email, phone). `problem` is set when the level can no longer be used."""

    level: int
    after_minutes: int
    role: str | None
    unit_id: int | None
    user_id: int | None
    notify: list[str]
    problem: str | None = None


@dataclass(frozen=True)
class EscalationList:
    procedure_id: int
    procedure_title: str
    policy_id: int
    version_id: int
    version_status: str
    channels: list[str]
    levels: list[EscalationStep]

    @property
    def valid(self) -> bool:
        return bool(self.levels) and not any(step.problem for step in self.levels)

    def step_at(self, minutes: float) -> EscalationStep | None:
        """The level a matter open for `minutes` has reached (None before the first)."""
        reached = [s for s in self.levels if s.after_minutes <= minutes]
        return reached[-1] if reached else None


def _step(level: EscalationLevel) -> EscalationStep:
    return EscalationStep(
        level=level.number,
        after_minutes=level.after_minutes,
        role=level.role or None,
        unit_id=level.unit_id,
        user_id=level.user_id,
        notify=list(level.notify),
        problem=rules.level_problem(level),
    )


def _list(procedure: Procedure) -> EscalationList:
    version = procedure.goal.version
    return EscalationList(
        procedure_id=procedure.pk,
        procedure_title=procedure.title,
        policy_id=version.policy_id,
        version_id=version.pk,
        version_status=version.status,
        channels=list(procedure.channels),
        levels=[_step(level) for level in procedure.levels.all()],
    )


def _procedures() -> QuerySet[Procedure]:
    return Procedure.objects.select_related("goal__version").prefetch_related(
        Prefetch("levels", queryset=EscalationLevel.objects.select_related("user"))
    )


def escalation_list(procedure_id: int) -> EscalationList | None:
    """A procedure's escalation list (of any version; `version_status` says which), or None
    for an unknown procedure."""
    procedure = _procedures().filter(pk=procedure_id).first()
    return _list(procedure) if procedure is not None else None


def escalation_document(found: EscalationList) -> dict[str, Any]:
    """The escalation list as the JSON document other systems read (docs/api.md)."""
    return {
        "format": ESCALATION_FORMAT,
        "procedure": {"id": found.procedure_id, "title": found.procedure_title},
        "policy_id": found.policy_id,
        "version": {"id": found.version_id, "status": found.version_status},
        "channels": found.channels,
        "valid": found.valid,
        "levels": [
            {
                "level": s.level,
                "after_minutes": s.after_minutes,
                "who": {
                    "kind": "role" if s.role else "team" if s.unit_id else "person",
                    "role": s.role,
                    "team_id": s.unit_id,
                    "person_id": s.user_id,
                },
                "notify": s.notify,
                "problem": s.problem,
            }
            for s in found.levels
        ],
    }


# A level whose team was deleted, whose person was removed or deactivated, or whose role is
# gone (the same cases as rules.level_problem, as a query).
_BROKEN = (
    Q(kind=EscalationLevel.Kind.TEAM, unit__isnull=True)
    | Q(kind=EscalationLevel.Kind.PERSON, user__isnull=True)
    | Q(kind=EscalationLevel.Kind.PERSON, user__is_active=False)
    | (Q(kind=EscalationLevel.Kind.ROLE) & ~Q(role__in=list(ROLE_LABELS)))
)


def invalid_escalation_lists(*, policy: Policy | None = None) -> list[EscalationList]:
    """Lists of drafts and published versions that became unusable after they were saved: a
    team deleted, a person deactivated or removed. A published one needs a new version."""
    broken_levels = EscalationLevel.objects.filter(
        procedure__goal__version__status__in=[Status.DRAFT, Status.PUBLISHED]
    ).filter(_BROKEN)
    if policy is not None:
        broken_levels = broken_levels.filter(procedure__goal__version__policy=policy)
    ids = set(broken_levels.values_list("procedure_id", flat=True))
    found = [_list(p) for p in _procedures().filter(pk__in=ids).order_by("pk")]
    return [item for item in found if not item.valid]


# ---------------------------------------------------------------------------------------------
# Procedures in force


@dataclass(frozen=True)
class ProcedureItem:
    id: int
    policy_id: int
    version_id: int
    goal_id: int
    goal_kind: str
    title: str
    description: str  # Markdown
    channels: list[str]
    standard_ids: list[int]
    in_pilot: bool  # from a piloted draft, for a client in the pilot


def running_pilot_versions(client_id: int) -> dict[int, int]:
    """policy id → the version piloted for this client, for each running pilot they are in."""
    return dict(
        PilotClient.objects.filter(
            client_id=client_id, pilot__status=Pilot.Status.RUNNING
        ).values_list("pilot__version__policy_id", "pilot__version_id")
    )


def procedures_for(
    *,
    channel: str | None = None,
    goal: str | None = None,
    goal_id: int | None = None,
    client_id: int | None = None,
) -> list[ProcedureItem]:
    """The procedures in force, optionally for one channel and one goal (its kind, such as
    "retention", or its id). Normally from each policy's published version; for a client in a
    running pilot, that policy's procedures come from the piloted draft instead."""
    piloted = running_pilot_versions(client_id) if client_id is not None else {}
    versions = dict(
        PolicyVersion.objects.filter(status=Status.PUBLISHED).values_list("policy_id", "pk")
    )
    versions.update(piloted)
    found = (
        Procedure.objects.filter(goal__version__in=versions.values())
        .select_related("goal__version")
        .prefetch_related("standards")
        .order_by("goal__version__policy_id", "goal__position", "position", "pk")
    )
    if goal:
        found = found.filter(goal__kind=goal)
    if goal_id is not None:
        found = found.filter(goal_id=goal_id)
    items = []
    for p in found:
        if channel and channel not in p.channels:
            continue
        items.append(
            ProcedureItem(
                id=p.pk,
                policy_id=p.goal.version.policy_id,
                version_id=p.goal.version_id,
                goal_id=p.goal_id,
                goal_kind=p.goal.kind,
                title=p.title,
                description=p.description,
                channels=list(p.channels),
                standard_ids=sorted(s.pk for s in p.standards.all()),
                in_pilot=p.goal.version_id in piloted.values(),
            )
        )
    return items


def procedure_standards(procedure_id: int) -> list[Any]:
    """The published text of the standards a procedure applies (unpublished ones left out),
    as `standards.selectors.ApplicableStandard`s with their scripts."""
    ids = Procedure.standards.through.objects.filter(procedure_id=procedure_id).values_list(
        "standard_id", flat=True
    )
    return standards.published_standards(list(ids))


# ---------------------------------------------------------------------------------------------
# Pilots


def in_pilot(client_id: int) -> bool:
    """Whether the client is in a running pilot: communications tell them it is a trial."""
    return PilotClient.objects.filter(
        client_id=client_id, pilot__status=Pilot.Status.RUNNING
    ).exists()


def client_pilots(client_id: int) -> list[Pilot]:
    """The running pilots a client is in, with their policy."""
    return list(
        Pilot.objects.filter(status=Pilot.Status.RUNNING, clients__client_id=client_id)
        .select_related("version__policy")
        .order_by("ends_on")
    )


def joinable_pilots(client_id: int) -> list[Pilot]:
    """Planned or running pilots the client is not in yet."""
    return list(
        Pilot.objects.filter(status__in=[Pilot.Status.PLANNED, Pilot.Status.RUNNING])
        .exclude(clients__client_id=client_id)
        .select_related("version__policy")
        .order_by("starts_on", "id")
    )


def pilots(policy: Policy) -> QuerySet[Pilot]:
    return (
        Pilot.objects.filter(version__policy=policy)
        .select_related("version")
        .prefetch_related("staff")
        .order_by("-created_at", "-id")
    )


def feedback_pilots(policy: Policy, user: Any, *, all_pilots: bool = False) -> list[Pilot]:
    """The started pilots of a policy someone may give feedback in: those they take part in
    (`all_pilots`: every one, for a manager recording what a pilot client said)."""
    found = pilots(policy).exclude(status=Pilot.Status.PLANNED)
    if not all_pilots:
        found = found.filter(staff=user)
    return list(found)


@dataclass(frozen=True)
class PilotSummary:
    pilot: Pilot
    clients: int
    staff_feedback: int
    client_feedback: int


def pilot_summary(pilot: Pilot) -> PilotSummary:
    counts = {s: 0 for s in Feedback.Source.values}
    for source in pilot.feedback.values_list("source", flat=True):
        counts[source] += 1
    return PilotSummary(
        pilot, pilot.clients.count(), counts[Feedback.Source.STAFF], counts[Feedback.Source.CLIENT]
    )


# ---------------------------------------------------------------------------------------------
# Audience and acknowledgements


def _descendants(unit_ids: Iterable[int]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in OrgUnit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found: set[int] = set()
    todo = list(unit_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def audience(policy: Policy) -> QuerySet[Any]:
    """Who must acknowledge the policy: staff with one of its roles (any, if none listed) in
    one of its teams or their sub-units (anywhere, if none listed)."""
    people = standards.staff()
    if policy.roles:
        people = people.filter(groups__name__in=policy.roles)
    unit_ids = [u.pk for u in policy.units.all()]
    if unit_ids:
        people = people.filter(staff_profile__unit__in=_descendants(unit_ids))
    return people.distinct()


def applies_to(policy: Policy, user: Any) -> bool:
    return bool(user.is_active) and audience(policy).filter(pk=user.pk).exists()


def acknowledged(version: PolicyVersion, user: Any) -> bool:
    return PolicyAcknowledgement.objects.filter(version=version, user=user).exists()


def unread_for(user: Any) -> list[PolicyVersion]:
    """The published policy versions that apply to `user` and they have not acknowledged."""
    if not user.is_active:
        return []
    versions = (
        PolicyVersion.objects.filter(status=Status.PUBLISHED)
        .exclude(acknowledgements__user=user)
        .select_related("policy")
        .prefetch_related("policy__units")
        .order_by("-published_at", "id")
    )
    return [v for v in versions if applies_to(v.policy, user)]


@dataclass(frozen=True)
class Share:
    version: PolicyVersion
    required: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.required) if self.required else 100


def acknowledgement_shares() -> list[Share]:
    """For each published version: how many must read it, and how many of them have."""
    shares = []
    versions = (
        PolicyVersion.objects.filter(status=Status.PUBLISHED)
        .select_related("policy")
        .prefetch_related("policy__units")
        .order_by("policy__title")
    )
    for version in versions:
        people = audience(version.policy)
        done = people.filter(policy_acknowledgements__version=version).count()
        shares.append(Share(version, people.count(), done))
    return shares


@dataclass(frozen=True)
class PersonRow:
    user: Any
    unit: OrgUnit | None
    unread: list[PolicyVersion]


def people_unread(unit_id: int | None = None) -> list[PersonRow]:
    """Each employee (of a unit and its sub-units, or everyone) with the published policy
    versions they have not acknowledged. Each version's audience is read once, not per person."""
    people = (
        standards.staff().select_related("staff_profile__unit").order_by("last_name", "username")
    )
    if unit_id is not None:
        people = people.filter(staff_profile__unit__in=_descendants([unit_id]))
    versions = list(
        PolicyVersion.objects.filter(status=Status.PUBLISHED)
        .select_related("policy")
        .prefetch_related("policy__units")
        .order_by("-published_at", "id")
    )
    pending = {
        v.pk: set(
            audience(v.policy)
            .exclude(policy_acknowledgements__version=v)
            .values_list("pk", flat=True)
        )
        for v in versions
    }
    rows = []
    for user in people:
        profile = getattr(user, "staff_profile", None)
        unread = [v for v in versions if user.pk in pending[v.pk]]
        rows.append(PersonRow(user, profile.unit if profile else None, unread))
    return rows


# ---------------------------------------------------------------------------------------------
# For the metric layer: a pilot's clients and its dates


def pilot_by_id(pilot_id: int) -> Pilot | None:
    return Pilot.objects.filter(pk=pilot_id).select_related("version__policy").first()


def pilot_client_ids(pilot_id: int) -> QuerySet[Any]:
    """The pilot's clients, as a subquery of one column (client_id)."""
    return PilotClient.objects.filter(pilot_id=pilot_id).order_by().values("client_id")
