from kliento.motivation.models.recognition import THANKS_MAX, Emoji, ItemKind, Reaction, Thanks
from kliento.motivation.models.schemes import Comparison, Kpi, Period, Rule, RuleKind, Scheme
from kliento.motivation.models.statements import Line, Statement

__all__ = [
    "THANKS_MAX",
    "Comparison",
    "Emoji",
    "ItemKind",
    "Kpi",
    "Line",
    "Period",
    "Reaction",
    "Rule",
    "RuleKind",
    "Scheme",
    "Statement",
    "Thanks",
]
