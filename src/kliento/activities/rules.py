"""The activity and task rules: one place the form, the API and the services ask.

Each check raises Django's ValidationError keyed by the field it concerns.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.activities.models import Activity, Task

SUBJECT_MAX = 200
BODY_MAX = 10_000
TITLE_MAX = 200
DURATION_MAX = 24 * 60  # minutes
# A clock a little ahead on the logger's device is not "the future".
FUTURE_TOLERANCE = dt.timedelta(minutes=5)

MANAGE_TASKS = "activities.manage_tasks"
# Who can be given a task: whoever may complete their own.
WORK_ON_TASKS = "activities.change_task"

# Control characters other than tab and line feed: never meant in a note, and some (NUL) are
# refused by the database or garble a terminal that prints an export.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Plain text as stored: Windows line ends normalised, control characters dropped,
    surrounding blanks trimmed. It is shown escaped, so markup stays visible text."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def check_activity(
    *,
    kind: str,
    direction: str,
    duration_minutes: int | None,
    subject: str,
    body: str,
    occurred_at: dt.datetime,
) -> None:
    errors: dict[str, Any] = {}
    if kind not in Activity.Kind.values:
        errors["kind"] = _("Choose a call, a meeting, a note or an e-mail.")
    elif kind in Activity.DIRECTED:
        if direction not in Activity.Direction.values:
            errors["direction"] = _("Say whether it was incoming or outgoing.")
    elif direction:
        errors["direction"] = _("Only calls and e-mails have a direction.")
    if duration_minutes is not None and kind in Activity.Kind.values:
        if kind not in Activity.TIMED:
            errors["duration_minutes"] = _("Only calls and meetings have a duration.")
        elif not 0 < duration_minutes <= DURATION_MAX:
            errors["duration_minutes"] = _("A duration is between 1 and %(max)d minutes.") % {
                "max": DURATION_MAX
            }
    if len(subject) > SUBJECT_MAX:
        errors["subject"] = _("A subject can be at most %(max)d characters long.") % {
            "max": SUBJECT_MAX
        }
    if len(body) > BODY_MAX:
        errors["body"] = _("The details can be at most %(max)d characters long.") % {
            "max": BODY_MAX
        }
    if not subject and not body:
        errors["subject"] = _("Write a subject or some details.")
    if occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = _(
            "An activity is logged once it has happened; plan a future one as a task."
        )
    if errors:
        raise ValidationError(errors)


def check_task(*, title: str, due_on: dt.date | None, assignee: Any) -> None:
    errors: dict[str, Any] = {}
    if not title:
        errors["title"] = _("Say what is to be done.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("A task can be at most %(max)d characters long.") % {"max": TITLE_MAX}
    if due_on is None:
        errors["due_on"] = _("Give a due date.")
    if assignee is None:
        errors["assignee"] = _("Choose who does it.")
    elif not assignee.is_active or not assignee.has_perm(WORK_ON_TASKS):
        errors["assignee"] = _("This person cannot work on tasks in Kliento.")
    if errors:
        raise ValidationError(errors)


def may_handle(user: Any, task: Task) -> bool:
    """Whether `user` may complete, reopen or reassign `task`: its assignee, or whoever manages
    tasks (a manager, an administrator). None is the system (a command, the demo loader)."""
    if user is None:
        return True
    return bool(user.pk == task.assignee_id or user.has_perm(MANAGE_TASKS))
