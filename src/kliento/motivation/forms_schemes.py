"""Forms of the scheme pages. They only read what was typed; every rule about a scheme, a KPI
or a bonus rule is checked by kliento.motivation.services.schemes (as for the API), whose
errors are put beside these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kliento.core import roles
from kliento.core.forms import AmountField, StyledForm
from kliento.motivation.models import Comparison, Kpi, Period, Rule, RuleKind, Scheme
from kliento.motivation.registry import kpi_sources


class SignedAmountField(AmountField):
    """An amount that may be negative (a penalty, a KPI below zero), read as AmountField reads
    the figure after the sign."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = (value or "").strip() if isinstance(value, str) else value
        if isinstance(text, str) and text[:1] in ("-", "\u2212"):
            found = super().to_python(text[1:])
            return -found if found is not None else None
        return super().to_python(text)


def _amount(label: Any, required: bool = False, help_text: Any = "") -> AmountField:
    return AmountField(label=label, required=required, help_text=help_text)


def _signed(label: Any, required: bool = False, help_text: Any = "") -> SignedAmountField:
    return SignedAmountField(label=label, required=required, help_text=help_text)


class SchemeForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        help_text=_("Every employee with this role; or leave it empty and choose one employee."),
    )
    employee_id = forms.TypedChoiceField(
        label=_("One employee"), coerce=int, required=False, empty_value=None
    )
    base_bonus = _amount(_("Base bonus"), required=True)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="PLN")
    max_bonus = _amount(_("Most bonus per period"), help_text=_("Empty: no cap."))
    max_penalty = _amount(_("Most penalty per period"), help_text=_("Empty: no cap."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—"), *roles.ROLE_LABELS.items()]  # type: ignore[attr-defined]
        people = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
        self.fields["employee_id"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((p.pk, p.get_full_name() or p.get_username()) for p in people),
        ]

    @classmethod
    def initial_for(cls, scheme: Scheme) -> dict[str, Any]:
        fields = ("name", "period", "role", "employee_id", "base_bonus", "currency")
        extra = ("max_bonus", "max_penalty", "is_active")
        return {f: getattr(scheme, f) for f in (*fields, *extra)}


class KpiForm(StyledForm):
    source = forms.ChoiceField(label=_("Metric"))
    target = _signed(_("Target"), required=True, help_text=_("Full attainment at this value."))
    threshold = _signed(
        _("Threshold"), required=True, help_text=_("The least value still counted at all.")
    )
    weight = forms.IntegerField(label=_("Weight"), initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [  # type: ignore[attr-defined]
            (s.key, f"{s.label} ({s.unit})" if s.unit else str(s.label)) for s in kpi_sources
        ]

    @classmethod
    def initial_for(cls, kpi: Kpi) -> dict[str, Any]:
        return {f: getattr(kpi, f) for f in ("source", "target", "threshold", "weight")}


class RuleForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=RuleKind.choices)
    kpi_id = forms.TypedChoiceField(label=_("KPI"), coerce=int, required=False, empty_value=None)
    comparison = forms.ChoiceField(
        label=_("Condition"), choices=[("", "—"), *Comparison.choices], required=False
    )
    value = _signed(_("Compared with"))
    percent = _signed(_("Percent of the base bonus"), help_text=_("Negative for a penalty."))
    amount = _signed(_("Amount"), help_text=_("Negative for a penalty."))
    cap = _amount(_("Cap"), help_text=_("The most this rule pays or takes; empty: no cap."))

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi_id"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *(
                (k.pk, str(s.label) if (s := kpi_sources.get(k.source)) else k.source)
                for k in scheme.kpis.all()
            ),
        ]

    @classmethod
    def initial_for(cls, rule: Rule) -> dict[str, Any]:
        fields = ("name", "kind", "kpi_id", "comparison", "value", "percent", "amount", "cap")
        return {f: getattr(rule, f) for f in fields}
