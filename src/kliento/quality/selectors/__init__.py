"""Reads of quality control that pages and other apps rely on.

For other apps (stable, documented; periods are inclusive local dates):
- `compliance(start=…, end=…, employee_id=…, team_id=…, touchpoint_id=…, stage_id=…,
  standard_id=…, kinds=…) -> Compliance`: completed evaluations in the period and the share of
  applicable items met.
- `compliance_trend(...) -> list[MonthCompliance]`: the same, month by month.
- `critical_breaches(employee_id=…, start=…, end=…) -> list[Finding]`: critical items not met,
  except findings protected by "the standard did not work".
- `protected_findings(employee_id=…, start=…, end=…) -> list[Finding]`: findings marked "the
  standard did not work" (a revision request instead of a penalty).
- `critical_breaches_by` / `protected_findings_by(employee_ids=…, start=…, end=…)`: the same for
  many employees in one query, as {employee id: findings}; `critical_breach_counts(...)` only
  their numbers.
- `evaluations_for_employee(employee_id=…, start=…, end=…, kinds=…)`: their completed results.
- `last_control_date(employee_id=… | team_id=… | touchpoint_id=… | stage_id=…)`.
- `visible_evaluations(user)`: what a person may see (everything, or only their own).
"""

from kliento.quality.selectors.access import may_see_evaluation, visible_evaluations
from kliento.quality.selectors.checklists import (
    checklists,
    draft_version,
    published_checklists,
    published_version,
)
from kliento.quality.selectors.compliance import (
    Compliance,
    Finding,
    MonthCompliance,
    completed,
    compliance,
    compliance_by,
    compliance_trend,
    critical_breach_counts,
    critical_breaches,
    critical_breaches_by,
    evaluations_for_employee,
    last_control_date,
    last_controls,
    protected_findings,
    protected_findings_by,
)
from kliento.quality.selectors.programme import (
    CalendarDay,
    ExemplaryItem,
    Uncontrolled,
    actions_for,
    assignments_for,
    calendar,
    exemplary_feed,
    no_control_months,
    plans,
    uncontrolled_areas,
)

__all__ = [
    "CalendarDay",
    "Compliance",
    "ExemplaryItem",
    "Finding",
    "MonthCompliance",
    "Uncontrolled",
    "actions_for",
    "assignments_for",
    "calendar",
    "checklists",
    "completed",
    "compliance",
    "compliance_by",
    "compliance_trend",
    "critical_breach_counts",
    "critical_breaches",
    "critical_breaches_by",
    "draft_version",
    "evaluations_for_employee",
    "exemplary_feed",
    "last_control_date",
    "last_controls",
    "may_see_evaluation",
    "no_control_months",
    "plans",
    "protected_findings",
    "protected_findings_by",
    "published_checklists",
    "published_version",
    "uncontrolled_areas",
    "visible_evaluations",
]
