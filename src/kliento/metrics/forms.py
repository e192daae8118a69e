from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.core import dates
from kliento.core.channels import Channel
from kliento.core.forms import DateInput, StyledForm


class ParetoForm(StyledForm):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    basis = forms.ChoiceField(
        label=_("Rank by"),
        choices=[("revenue", _("Revenue")), ("margin", _("Margin (purchases with a cost)"))],
        required=False,
    )

    def clean_basis(self) -> str:
        return self.cleaned_data.get("basis") or "revenue"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period must start before it ends."))
        if data.get("currency"):
            data["currency"] = data["currency"].upper()
        return data


def a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class PeriodForm(StyledForm):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean_start(self) -> dt.date:
        return _plausible(self.cleaned_data["start"])

    def clean_end(self) -> dt.date:
        return _plausible(self.cleaned_data["end"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period must not end before it starts."))
        return data


def _plausible(day: dt.date) -> dt.date:
    try:
        return dates.check_day(day)
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages, code="date_out_of_range") from None


class SurveyMetricsForm(PeriodForm):
    """The period, and optionally a baseline period to compare it with."""

    baseline_start = forms.DateField(label=_("Baseline from"), required=False, widget=DateInput())
    baseline_end = forms.DateField(label=_("Baseline to"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("baseline_start"), data.get("baseline_end")
        if (first is None) != (last is None):
            self.add_error(
                "baseline_end" if first else "baseline_start",
                _("Give both days of the baseline, or neither."),
            )
        elif first and last and first > last:
            self.add_error("baseline_end", _("The period must not end before it starts."))
        return data


class DashboardForm(PeriodForm):
    """The dashboards' period, trend step and the slices every figure can be narrowed by."""

    step = forms.ChoiceField(
        label=_("Trend by"),
        choices=[("week", _("week")), ("month", _("month"))],
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", "—"), *Channel.choices], required=False
    )
    survey = forms.IntegerField(label=_("Survey"), required=False, min_value=1)


class MetricPageForm(PeriodForm):
    """The period, the slice (a kind and its id) and the trend's granularity of one metric."""

    slice_kind = forms.ChoiceField(label=_("Slice"), choices=())
    slice_id = forms.CharField(
        label=_("Id"),
        required=False,
        max_length=20,
        help_text=_("The unit's, person's, stage's … id; a channel's code."),
    )
    by = forms.ChoiceField(label=_("Trend"), choices=())

    def __init__(self, *args: Any, metric_key: str, **kwargs: Any) -> None:
        from kliento.metrics import registry, trends
        from kliento.metrics.slices import kind_choices

        super().__init__(*args, **kwargs)
        self.metric_key = metric_key
        kinds, by = self.fields["slice_kind"], self.fields["by"]
        assert isinstance(kinds, forms.ChoiceField) and isinstance(by, forms.ChoiceField)
        kinds.choices = kind_choices(registry.metric(metric_key).slices)
        by.choices = list(trends.GRANULARITIES.items())

    def clean(self) -> dict[str, Any]:
        from kliento.metrics import slicing

        data = super().clean()
        kind, raw = data.get("slice_kind"), (data.get("slice_id") or "").strip()
        if kind:
            text = kind if kind == "company" else f"{kind}:{raw}"
            if kind == "company" and raw:
                self.add_error("slice_id", _("The company slice takes no id."))
                return data
            try:
                data["slice"] = slicing.clean_slice(text, metric_key=self.metric_key)
            except ValidationError as exc:
                self.add_error("slice_id", exc.message_dict.get("slice", exc.messages))
        return data


class CohortForm(StyledForm):
    """Which acquisition cohorts to show: those acquired from `start` to `end`, by month or
    quarter."""

    start = forms.DateField(label=_("Acquired from"), widget=DateInput())
    end = forms.DateField(label=_("Acquired to"), widget=DateInput())
    grain = forms.ChoiceField(
        label=_("Cohorts by"),
        choices=[("month", _("Month")), ("quarter", _("Quarter"))],
        required=False,
    )

    def clean_end(self) -> dt.date:
        return _plausible(self.cleaned_data["end"])

    def clean_grain(self) -> str:
        return self.cleaned_data.get("grain") or "month"

    def clean_start(self) -> dt.date:
        from django.utils import timezone

        from kliento.metrics.cohorts import MAX_YEARS, earliest_start

        day = _plausible(self.cleaned_data["start"])
        if day < earliest_start(timezone.localdate()):
            raise forms.ValidationError(
                _("Cohorts go back at most %(years)d years.") % {"years": MAX_YEARS}
            )
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period must not end before it starts."))
        return data
