"""The rules of processes in one place: what a definition must hold, which files a step's
result may carry, and who may complete a step or sign off a control point. Services, forms and
the API all check through here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kliento.core import roles

MAX_STEPS = 50
MAX_DURATION_DAYS = 365
NAME_MAX = 200
TEXT_MAX = 200
RESULT_MAX = 10_000
COMMENT_MAX = 2000
# Documents and pictures a step's result is usually made of. Not HTML, SVG or programs: an
# attachment is handed back to other staff, and must not run anything in their browser or PC.
ATTACHMENT_EXTENSIONS = frozenset(
    {
        ".pdf",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".txt",
        ".csv",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".odt",
        ".ods",
        ".eml",
        ".msg",
    }
)

COMPLETE_ANY = "processes.complete_any_step"
SIGN_OFF = "processes.sign_off"
WORK = "processes.change_runstep"


@dataclass(frozen=True)
class StepSpec:
    """A step as someone writes it, before it is published."""

    title: str
    result: str
    role: str
    duration_days: int | None
    control_point: bool = False
    review_days: int | None = 1


def clean_text(value: str) -> str:
    return (value or "").strip()


def check_definition(*, name: str, steps: list[StepSpec]) -> None:
    """Errors keyed by field: `name`, `steps` (the list as a whole), `steps.<i>.<field>`."""
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the process.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("At most %(n)d characters.") % {"n": NAME_MAX}]
    if not steps:
        errors["steps"] = [_("A process needs at least one step.")]
    elif len(steps) > MAX_STEPS:
        errors["steps"] = [_("A process has at most %(n)d steps.") % {"n": MAX_STEPS}]
    for index, step in enumerate(steps):
        for field, message in _step_errors(step):
            errors.setdefault(f"steps.{index}.{field}", []).append(message)
    if errors:
        raise ValidationError(errors)


def _step_errors(step: StepSpec) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not step.title:
        found.append(("title", _("Name the step.")))
    elif len(step.title) > TEXT_MAX:
        found.append(("title", _("At most %(n)d characters.") % {"n": TEXT_MAX}))
    if not step.result:
        found.append(("result", _("Say what the step must produce, e.g. “contract signed”.")))
    elif len(step.result) > TEXT_MAX:
        found.append(("result", _("At most %(n)d characters.") % {"n": TEXT_MAX}))
    if step.role not in roles.ROLE_LABELS:
        found.append(("role", _("Choose one of the roles.")))
    if step.duration_days is None or not 1 <= step.duration_days <= MAX_DURATION_DAYS:
        found.append(("duration_days", _("Between 1 and %(n)d days.") % {"n": MAX_DURATION_DAYS}))
    if step.control_point and (
        step.review_days is None or not 1 <= step.review_days <= MAX_DURATION_DAYS
    ):
        found.append(("review_days", _("Between 1 and %(n)d days.") % {"n": MAX_DURATION_DAYS}))
    return found


def max_attachment_bytes() -> int:
    return int(settings.KLIENTO_MAX_ATTACHMENT_BYTES)


def check_attachment(name: str, size: int | None) -> None:
    """A file of an allowed type and size, else a ValidationError on `attachment`."""
    limit = max_attachment_bytes()
    if (size or 0) > limit:
        raise ValidationError(
            {
                "attachment": _("The file is larger than the %(limit)s allowed.")
                % {"limit": filesizeformat(limit)}
            }
        )
    if Path(name or "").suffix.lower() not in ATTACHMENT_EXTENSIONS:
        allowed = ", ".join(sorted(ATTACHMENT_EXTENSIONS))
        raise ValidationError(
            {"attachment": _("Attach a document or a picture (%(types)s).") % {"types": allowed}}
        )


def may_complete(user: Any, role: str) -> bool:
    """People of the step's role complete it; a manager (or whoever may complete any step)
    completes any."""
    if not user.has_perm(WORK):
        return False
    if user.has_perm(COMPLETE_ANY):
        return True
    return role in roles_of(user)


def roles_of(user: Any) -> set[str]:
    cached = getattr(user, "_kliento_roles", None)
    if cached is None:
        cached = set(roles.roles_of(user))
        user._kliento_roles = cached
    return cached


def may_sign_off(user: Any) -> bool:
    return bool(user.has_perm(SIGN_OFF))
