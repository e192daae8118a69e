"""Every write of the service policy (see `versions` and `pilots`); other apps use this module.

For other apps (stable, documented):
- `acknowledge(actor=…, version=…)`: record that someone read a published policy version.
- `give_feedback(actor=…, policy=…, aspect=…, text=…, client_id=…, pilot=…)`: a comment on an
  aspect of the policy (delivery time, response speed, complaints …) from staff or a client.
- `add_pilot_clients(actor=…, pilot=…, client_ids=…)`: put clients in a pilot.
"""

from kliento.policy.rules import LevelSpec
from kliento.policy.services.content import (
    add_goal,
    add_procedure,
    delete_goal,
    delete_procedure,
    update_goal,
    update_procedure,
)
from kliento.policy.services.pilots import (
    FEEDBACK_GIVEN,
    JOINED_PILOT,
    PILOT_CLIENTS,
    PILOT_CREATED,
    PILOT_ENDED,
    PILOT_NOTICE,
    PILOT_STARTED,
    add_pilot_clients,
    create_pilot,
    finish_pilot,
    give_feedback,
    start_pilot,
)
from kliento.policy.services.versions import (
    CHANGED,
    CREATED,
    DRAFTED,
    EDITED,
    PUBLISHED,
    REMINDER,
    REVIEWED,
    TO_READ,
    PolicyNotFound,
    acknowledge,
    add_months,
    check_publishable,
    create_policy,
    edit_draft,
    mark_reviewed,
    publish,
    request_reminders,
    send_due_reminders,
    send_reminders,
    start_revision,
    update_policy,
)

__all__ = [
    "CHANGED",
    "CREATED",
    "DRAFTED",
    "EDITED",
    "FEEDBACK_GIVEN",
    "JOINED_PILOT",
    "PILOT_CLIENTS",
    "PILOT_CREATED",
    "PILOT_ENDED",
    "PILOT_NOTICE",
    "PILOT_STARTED",
    "PUBLISHED",
    "REMINDER",
    "REVIEWED",
    "TO_READ",
    "LevelSpec",
    "PolicyNotFound",
    "acknowledge",
    "add_goal",
    "add_months",
    "add_pilot_clients",
    "add_procedure",
    "check_publishable",
    "create_pilot",
    "create_policy",
    "delete_goal",
    "delete_procedure",
    "edit_draft",
    "finish_pilot",
    "give_feedback",
    "mark_reviewed",
    "publish",
    "request_reminders",
    "send_due_reminders",
    "send_reminders",
    "start_pilot",
    "start_revision",
    "update_goal",
    "update_policy",
    "update_procedure",
]
