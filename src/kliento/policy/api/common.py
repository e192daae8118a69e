"""Helpers the policy API's endpoints share: visibility, lookups, payloads to service arguments."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from kliento.policy import selectors, services
from kliento.policy.api.schemas import (
    UNPUBLISHED,
    Draft,
    GoalIn,
    LevelIn,
    ProcedureIn,
)
from kliento.policy.models import (
    Policy,
    PolicyVersion,
    Procedure,
)


def policy_out(request: Any, policy: Policy) -> dict[str, Any]:
    published = selectors.published_version(policy)
    draft = selectors.draft_version(policy) if request.user.has_perm(UNPUBLISHED) else None
    return {
        "id": policy.pk,
        "title": policy.title,
        "owner_id": policy.owner_id,
        "review_every_months": policy.review_every_months,
        "reviewed_on": policy.reviewed_on,
        "review_due_on": policy.review_due_on,
        "review_overdue": policy.review_overdue(),
        "roles": list(policy.roles),
        "unit_ids": sorted(u.pk for u in policy.units.all()),
        "published_version_id": published.pk if published else None,
        "draft_version_id": draft.pk if draft else None,
    }


def visible_policy(request: Any, policy_id: int) -> Policy:
    policy = get_object_or_404(Policy, pk=policy_id)
    if not request.user.has_perm(UNPUBLISHED) and selectors.published_version(policy) is None:
        raise Http404
    return policy


def ensure_visible(request: Any, version: PolicyVersion) -> None:
    if version.status == Draft and not request.user.has_perm(UNPUBLISHED):
        raise Http404


def version_tree(version_id: int) -> PolicyVersion:
    version = selectors.version_tree(version_id)
    if version is None:
        raise Http404
    return version


def user_or_422(user_id: int, field: str) -> Any:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError({field: ["There is no such person."]})
    return user


def level_specs(levels: list[LevelIn]) -> list[services.LevelSpec]:
    return [
        services.LevelSpec(
            after_minutes=level.after_minutes,
            role=level.role or "",
            unit_id=level.team_id,
            user_id=level.person_id,
            notify=level.notify,
        )
        for level in levels
    ]


def procedure_or_404(procedure_id: int) -> Procedure:
    return get_object_or_404(
        Procedure.objects.select_related("goal__version").prefetch_related(
            "standards", "levels__user"
        ),
        pk=procedure_id,
    )


def goal_values(payload: GoalIn) -> dict[str, Any]:
    return {
        "kind": payload.kind,
        "title": payload.title,
        "mission_link": payload.mission_link,
        "owner": user_or_422(payload.owner_id, "owner_id"),
        "metric_name": payload.metric_name,
        "metric_target": payload.metric_target,
        "metric_unit": payload.metric_unit,
        "competitors": payload.competitors,
    }


def procedure_values(payload: ProcedureIn) -> dict[str, Any]:
    return {
        "title": payload.title,
        "description": payload.description,
        "channels": payload.channels,
        "standard_ids": payload.standard_ids,
        "levels": level_specs(payload.levels),
    }
