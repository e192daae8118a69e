"""Who may see which evaluation: quality staff and managers see all; everyone else only the
evaluations of their own work."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kliento.quality.models import Evaluation

VIEW_ALL = "quality.view_all_evaluations"


def visible_evaluations(user: Any) -> QuerySet[Evaluation]:
    found = Evaluation.objects.select_related(
        "version__checklist", "employee", "team", "touchpoint", "stage", "performed_by"
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return found.none()
    if user.has_perm(VIEW_ALL):
        return found
    return found.filter(employee=user, status=Evaluation.Status.COMPLETED)


def may_see_evaluation(user: Any, evaluation: Evaluation) -> bool:
    return visible_evaluations(user).filter(pk=evaluation.pk).exists()
