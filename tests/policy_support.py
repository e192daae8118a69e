"""Building service policies in tests: a published mission, a policy with a goal, a procedure
and its escalation list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kliento.core.models import OrgUnit, StaffProfile
from kliento.policy import services
from kliento.policy.services import LevelSpec
from kliento.standards import services as standards


def publish_mission(actor: Any) -> Any:
    draft = standards.start_mission_draft(actor=actor)
    standards.edit_mission(actor=actor, mission=draft, text="We know every client.", criteria="")
    return standards.publish_mission(actor=actor, mission=draft)


def levels(*specs: LevelSpec) -> list[LevelSpec]:
    return list(specs) or [
        LevelSpec(after_minutes=0, role="agent", notify=["in_app"]),
        LevelSpec(after_minutes=60, role="manager", notify=["in_app", "email"]),
    ]


def goal(actor: Any, version: Any, kind: str = "retention") -> Any:
    return services.add_goal(
        actor=actor,
        version=version,
        kind=kind,
        owner=actor,
        mission_link="Clients who stay are clients we know.",
        metric_name="Renewals",
        metric_target=Decimal("75"),
        metric_unit="%",
    )


def procedure(actor: Any, goal_: Any, *specs: LevelSpec, channels: list[str] | None = None) -> Any:
    return services.add_procedure(
        actor=actor,
        goal=goal_,
        title="Call after two missed classes",
        description="The front desk calls.",
        channels=channels or ["phone"],
        levels=levels(*specs),
    )


def draft_policy(actor: Any, title: str = "Service policy", **kw: Any) -> Any:
    """A policy whose draft has a goal with a procedure (publishable); returns the policy."""
    from kliento.standards import selectors as standards_selectors

    if standards_selectors.current_mission() is None:
        publish_mission(actor)
    policy = services.create_policy(
        actor=actor, title=title, owner=actor, review_every_months=6, **kw
    )
    version = policy.versions.get()
    procedure(actor, goal(actor, version))
    return policy


def published_policy(actor: Any, title: str = "Service policy", **kw: Any) -> Any:
    policy = draft_policy(actor, title, **kw)
    services.publish(actor=actor, version=policy.versions.get())
    return policy


def team(name: str = "Front desk", *members: Any) -> OrgUnit:
    unit = OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.TEAM)
    for user in members:
        StaffProfile.objects.update_or_create(user=user, defaults={"unit": unit})
    return unit
