"""Forms of the baseline pages: saving one, and comparing a later period with it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.metrics import registry, slicing
from kliento.metrics.forms import PeriodForm
from kliento.metrics.slices import Slice


class BaselineForm(PeriodForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    metric_keys = forms.MultipleChoiceField(
        label=_("Metrics"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    slices = forms.CharField(
        label=_("Slices"),
        initial="company",
        max_length=1000,
        help_text=_("Separated by spaces: company, team:12, employee:5, segment:3, pilot:2 …"),
    )
    field_order = ["name", "start", "end", "metric_keys", "slices"]

    def __init__(self, *args: Any, keys: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["metric_keys"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(d.key, d.name) for d in registry.metrics() if d.key in keys]

    def clean_slices(self) -> list[Slice]:
        found: list[Slice] = []
        errors: list[str] = []
        for text in self.cleaned_data["slices"].replace(",", " ").split():
            try:
                found.append(slicing.clean_slice(text))
            except ValidationError as exc:
                errors.extend(f"{text}: {m}" for m in exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        if not found:
            raise forms.ValidationError(_("Choose at least one slice."))
        return found


class CompareForm(PeriodForm):
    """The later period; optionally another slice to compare with (the pilot's baseline against
    the rest), and a change to detect (for the sample size)."""

    against = forms.CharField(
        label=_("Compare with slice"),
        required=False,
        max_length=60,
        help_text=_("Empty: each figure's own slice. E.g. nonpilot:2 for the other clients."),
    )
    detect = forms.FloatField(
        label=_("Change to detect"),
        required=False,
        help_text=_("In points (NPS) or percentage points (shares), for the sample size."),
    )

    def clean_against(self) -> Slice | None:
        text = self.cleaned_data.get("against", "").strip()
        if not text:
            return None
        try:
            return slicing.clean_slice(text)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def clean_detect(self) -> float | None:
        value = self.cleaned_data.get("detect")
        if value is not None and (value == 0 or abs(value) > 200):
            raise forms.ValidationError(_("A change other than zero, at most 200."))
        return value
