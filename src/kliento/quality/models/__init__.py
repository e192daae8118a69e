"""The quality app's models, one module per concept; import them from here."""

from kliento.quality.models.checklists import AreaKind, Checklist, ChecklistItem, ChecklistVersion
from kliento.quality.models.evaluations import Evaluation, Evidence, ItemResult, Outcome
from kliento.quality.models.programme import AuditPlan, CorrectiveAction, ShopAssignment
from kliento.quality.models.reviews import (
    CalibrationSeat,
    CalibrationSession,
    Dispute,
    ReviewAssignment,
)

__all__ = [
    "AreaKind",
    "AuditPlan",
    "CalibrationSeat",
    "CalibrationSession",
    "Checklist",
    "ChecklistItem",
    "ChecklistVersion",
    "CorrectiveAction",
    "Dispute",
    "Evaluation",
    "Evidence",
    "ItemResult",
    "Outcome",
    "ReviewAssignment",
    "ShopAssignment",
]
