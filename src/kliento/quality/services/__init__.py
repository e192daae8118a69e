"""Every write of quality control: keyword-only, typed, one transaction each, audited.

For other apps and modules (stable, documented):
- checklists: `create_checklist`, `build_from_standards`, `add_item`, `update_item`,
  `remove_item`, `start_revision`, `publish_version`.
- evaluations: `start_evaluation`, `record_result` / `record_results`, `add_evidence`,
  `complete_evaluation`, `amend_results` (a completed one, with a reason: disputes),
  `mark_exemplary`, `raise_revision_requests`.
"""

from kliento.quality.services.checklists import (
    add_item,
    build_from_standards,
    create_checklist,
    publish_version,
    remove_item,
    start_revision,
    update_checklist,
    update_item,
)
from kliento.quality.services.evaluations import (
    Answer,
    add_evidence,
    amend_results,
    complete_evaluation,
    mark_exemplary,
    raise_revision_requests,
    record_result,
    record_results,
    start_evaluation,
)

__all__ = [
    "Answer",
    "add_evidence",
    "add_item",
    "amend_results",
    "build_from_standards",
    "complete_evaluation",
    "create_checklist",
    "mark_exemplary",
    "publish_version",
    "raise_revision_requests",
    "record_result",
    "record_results",
    "remove_item",
    "start_evaluation",
    "start_revision",
    "update_checklist",
    "update_item",
]
