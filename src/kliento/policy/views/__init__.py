"""Pages of the service policy (see the modules); urls.py reads them from here."""

from __future__ import annotations

from kliento.policy.views.content import (
    goal_create,
    goal_delete,
    goal_edit,
    procedure_create,
    procedure_delete,
    procedure_edit,
)
from kliento.policy.views.manage import (
    acknowledgements,
    attention,
    remind,
)
from kliento.policy.views.pilots import (
    feedback,
    pilot_create,
    pilot_finish,
    pilot_join,
    pilot_start,
)
from kliento.policy.views.policies import (
    acknowledge,
    create,
    detail,
    edit,
    edit_draft,
    policy_list,
    publish,
    reviewed,
    revise,
    version_detail,
)

__all__ = [
    "acknowledge",
    "acknowledgements",
    "attention",
    "create",
    "detail",
    "edit",
    "edit_draft",
    "feedback",
    "goal_create",
    "goal_delete",
    "goal_edit",
    "pilot_create",
    "pilot_finish",
    "pilot_join",
    "pilot_start",
    "policy_list",
    "procedure_create",
    "procedure_delete",
    "procedure_edit",
    "publish",
    "remind",
    "reviewed",
    "revise",
    "version_detail",
]
