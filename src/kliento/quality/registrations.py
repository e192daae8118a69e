"""What the quality app brings: roles, audit actions (and, as they land, pages, API, the menu,
home widgets, periodic jobs and demo data). Called once from `QualityConfig.ready()`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from kliento.core import audit, roles
from kliento.quality.services import checklists, evaluations

VIEW = ["quality.view_checklist", "quality.view_evaluation"]
# Quality staff (the auditor role) and managers: write checklists, perform controls.
QUALITY_STAFF = [
    "quality.manage_checklists",
    "quality.perform_evaluations",
    "quality.view_all_evaluations",
    "quality.mark_exemplary",
]


def register() -> None:
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*VIEW, *QUALITY_STAFF],
            roles.MANAGER: [*VIEW, *QUALITY_STAFF],
            roles.AUDITOR: [*VIEW, *QUALITY_STAFF],
            roles.STAGE_OWNER: [*VIEW, "quality.view_all_evaluations"],
            roles.AGENT: VIEW,
        }
    )
    for key, label in (
        (checklists.CHECKLIST_CREATED, gettext_lazy("Checklist created")),
        (checklists.CHECKLIST_CHANGED, gettext_lazy("Checklist changed")),
        (checklists.VERSION_DRAFTED, gettext_lazy("Checklist version drafted")),
        (checklists.VERSION_PUBLISHED, gettext_lazy("Checklist version published")),
        (evaluations.EVALUATION_COMPLETED, gettext_lazy("Evaluation completed")),
        (evaluations.EVALUATION_AMENDED, gettext_lazy("Evaluation amended")),
        (evaluations.EXEMPLARY_MARKED, gettext_lazy("Exemplary mark changed")),
    ):
        audit.register_action(key, label)
    from kliento.quality import registrations_reviews

    registrations_reviews.register()
