"""The quality app's models, one module per concept; import them from here."""

from kliento.quality.models.checklists import AreaKind, Checklist, ChecklistItem, ChecklistVersion
from kliento.quality.models.evaluations import Evaluation, Evidence, ItemResult, Outcome

__all__ = [
    "AreaKind",
    "Checklist",
    "ChecklistItem",
    "ChecklistVersion",
    "Evaluation",
    "Evidence",
    "ItemResult",
    "Outcome",
]
