"""Helpers shared by the quality tests: a published checklist and a completed evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kliento.core.models import OrgUnit, StaffProfile
from kliento.quality import services
from kliento.quality.models import Checklist, ChecklistVersion, Evaluation
from tests.standards_support import published


def team_member(user: Any, team_name: str = "Front office") -> OrgUnit:
    team, _ = OrgUnit.objects.get_or_create(name=team_name, kind=OrgUnit.Kind.TEAM, parent=None)
    StaffProfile.objects.update_or_create(user=user, defaults={"unit": team})
    return team


def checklist(
    *,
    by: Any,
    name: str = "Employee check",
    area_kind: str = "employee",
    items: Sequence[tuple[int, bool, bool]] = (
        (2, False, False),
        (1, True, False),
        (1, False, True),
    ),
    standard_titles: Sequence[str] | None = None,
) -> tuple[Checklist, ChecklistVersion]:
    """A published checklist whose items are (weight, critical, allows_na); each cites a fresh
    published standard."""
    made = services.create_checklist(actor=by, name=name, area_kind=area_kind, owner=by)
    draft = made.versions.get()
    for i, (weight, critical, allows_na) in enumerate(items):
        title = standard_titles[i] if standard_titles else f"{name} rule {i + 1}"
        standard, _version = published(by=by, title=title)
        services.add_item(
            actor=by,
            version=draft,
            text=f"Item {i + 1}",
            standard_id=standard.pk,
            weight=weight,
            critical=critical,
            allows_na=allows_na,
        )
    services.publish_version(actor=by, version=draft)
    draft.refresh_from_db()
    return made, draft


def evaluate(
    *,
    by: Any,
    version: ChecklistVersion,
    outcomes: Sequence[str],
    kind: str = "audit",
    did_not_work: Sequence[bool] = (),
    **subjects: Any,
) -> Evaluation:
    evaluation = services.start_evaluation(actor=by, version=version, kind=kind, **subjects)
    items = list(version.items.all())
    services.record_results(
        actor=by,
        evaluation=evaluation,
        answers=[
            services.Answer(
                item.pk,
                outcome,
                standard_did_not_work=bool(did_not_work[i]) if i < len(did_not_work) else False,
            )
            for i, (item, outcome) in enumerate(zip(items, outcomes, strict=True))
        ],
    )
    return services.complete_evaluation(actor=by, evaluation=evaluation)
