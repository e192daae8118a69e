"""One action on many cases from a queue list. Each case goes through the same service as on
its own page, in its own transaction: one refused case (someone else took it, a status it
cannot take, a case the agent may not see) does not undo the others, and is reported."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kliento.desk import access
from kliento.desk.models import Case
from kliento.desk.services.assignment import CaseTaken, assign, take
from kliento.desk.services.cases import set_status, update_case

ACTIONS = ("take", "assign", "status", "priority", "tag")
# More than a page of the queue is a mistake (or a script), not an agent's selection.
MAX_CASES = 200


@dataclass
class BulkResult:
    changed: int = 0
    # (case number or id, why it was refused)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _apply(actor: Any, case: Case, action: str, value: Any) -> None:
    if action == "take":
        take(actor=actor, case=case)
    elif action == "assign":
        assign(actor=actor, case=case, assignee=value)
    elif action == "status":
        set_status(actor=actor, case=case, status=value)
    elif action == "priority":
        update_case(actor=actor, case=case, changes={"priority": value})
    elif action == "tag":
        names = [*case.tags.values_list("name", flat=True), value]
        update_case(actor=actor, case=case, changes={}, tags=names)
    else:
        raise ValidationError({"action": _("Choose one of the listed values.")})


def bulk_apply(
    *, actor: Any, case_ids: Iterable[int], action: str, value: Any = None
) -> BulkResult:
    """Apply `action` to each case the actor may work; the others are refused, by number."""
    if action not in ACTIONS:
        raise ValidationError({"action": _("Choose one of the listed values.")})
    ids = list(dict.fromkeys(case_ids))
    if len(ids) > MAX_CASES:
        raise ValidationError(
            {"ids": _("Choose at most %(max)d cases at once.") % {"max": MAX_CASES}}
        )
    visible = {case.pk: case for case in access.visible_cases(actor).filter(pk__in=ids)}
    result = BulkResult()
    for pk in ids:
        case = visible.get(pk)
        if case is None:
            result.refused.append((f"#{pk}", _("not found")))
            continue
        if not access.can_work(actor, case):
            result.refused.append((case.number or f"#{pk}", _("you may not change it")))
            continue
        try:
            _apply(actor, case, action, value)
        except CaseTaken as exc:
            result.refused.append((case.number or f"#{pk}", str(exc)))
        except ValidationError as exc:
            result.refused.append((case.number or f"#{pk}", " ".join(exc.messages)))
        else:
            result.changed += 1
    return result
