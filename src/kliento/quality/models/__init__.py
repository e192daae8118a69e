"""The quality app's models, one module per concept; import them from here."""

from kliento.quality.models.checklists import AreaKind, Checklist, ChecklistItem, ChecklistVersion
from kliento.quality.models.evaluations import Evaluation, Evidence, ItemResult, Outcome
from kliento.quality.models.programme import AuditPlan, CorrectiveAction, ShopAssignment

__all__ = [
    "AreaKind",
    "AuditPlan",
    "Checklist",
    "ChecklistItem",
    "ChecklistVersion",
    "CorrectiveAction",
    "Evaluation",
    "Evidence",
    "ItemResult",
    "Outcome",
    "ShopAssignment",
]
