"""Forms of the quality pages. Validation that matters lives in the services; a form parses
what the browser sends and puts the services' errors beside the fields (`apply`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kliento.core.forms import DateInput, StyledForm
from kliento.core.models import OrgUnit
from kliento.quality.models import AreaKind, Evaluation, ShopAssignment
from kliento.quality.selectors import published_checklists
from kliento.standards import selectors as standards
from kliento.touchpoints import selectors as touchpoints


class Form(StyledForm):
    def apply(self, exc: ValidationError) -> None:
        """A service's errors, each beside its field (else above the form)."""
        for field, messages in exc.message_dict.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


def staff() -> QuerySet[Any]:
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "username")


def _label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _label(obj)


class StageChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return touchpoints.stage_label(obj)


class ChecklistForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    area_kind = forms.ChoiceField(label=_("What it controls"), choices=AreaKind.choices)
    owner = StaffChoice(label=_("Owner"), queryset=staff())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BuildForm(ChecklistForm):
    standards = forms.MultipleChoiceField(
        label=_("Standards to check"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One item per standard, prefilled with its rule; edit the draft afterwards."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standards"].choices = [  # type: ignore[attr-defined]
            (str(s.pk), s.title) for s in standards.book(published_only=True)
        ]


class ItemForm(Form):
    text = forms.CharField(
        label=_("What is checked"), max_length=1_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    standard = forms.TypedChoiceField(
        label=_("Standard it tests"), required=False, coerce=int, empty_value=None
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    critical = forms.BooleanField(label=_("Critical (not met → score 0)"), required=False)
    allows_na = forms.BooleanField(label=_("May be “not applicable”"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (s.pk, s.title) for s in standards.book(published_only=True)
        ]


class StartForm(Form):
    """What is evaluated: the checklist and the area (only the checklist's area is needed)."""

    checklist = forms.ModelChoiceField(label=_("Checklist"), queryset=published_checklists())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Evaluation.Kind.AUDIT, Evaluation.Kind.AUDIT.label),
            (Evaluation.Kind.MYSTERY_SHOP, Evaluation.Kind.MYSTERY_SHOP.label),
        ],
    )
    touchpoint = forms.ModelChoiceField(
        label=_("Touchpoint"), queryset=touchpoints.touchpoints(), required=False
    )
    stage = StageChoice(label=_("Journey stage"), queryset=touchpoints.stages(), required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM), required=False
    )
    employee = StaffChoice(label=_("Employee"), queryset=staff(), required=False)


class PlanForm(StartForm):
    next_due = forms.DateField(label=_("First audit"), widget=DateInput())
    every_months = forms.IntegerField(
        label=_("Repeat every (months)"), min_value=1, max_value=24, initial=3
    )
    auditor = StaffChoice(label=_("Auditor"), queryset=staff(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class AssignmentForm(Form):
    checklist = forms.ModelChoiceField(label=_("Checklist"), queryset=published_checklists())
    channel = forms.ChoiceField(label=_("Channel"), choices=ShopAssignment.Channel.choices)
    scenario = forms.CharField(
        label=_("Scenario"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    window_start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave both dates empty for the current quarter."),
    )
    window_end = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    touchpoint = forms.ModelChoiceField(
        label=_("Touchpoint"), queryset=touchpoints.touchpoints(), required=False
    )
    stage = StageChoice(label=_("Journey stage"), queryset=touchpoints.stages(), required=False)
    employee = StaffChoice(label=_("Employee"), queryset=staff(), required=False)
    shopper = StaffChoice(label=_("Internal shopper"), queryset=staff(), required=False)
    external_name = forms.CharField(label=_("External shopper"), max_length=200, required=False)
    external_email = forms.EmailField(label=_("External shopper's e-mail"), required=False)


class ActionForm(Form):
    description = forms.CharField(
        label=_("What will be done"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = StaffChoice(label=_("Owner"), queryset=staff())
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())


class CloseActionForm(Form):
    done = forms.TypedChoiceField(
        label=_("Outcome"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Done")), ("0", _("Cancelled"))],
    )
    note = forms.CharField(label=_("What was done"), max_length=1_000, required=False)


class ExemplaryForm(Form):
    exemplary = forms.BooleanField(label=_("Exemplary"), required=False)
    note = forms.CharField(label=_("Why it is exemplary"), max_length=500, required=False)


class PeriodForm(StyledForm):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())
    by = forms.ChoiceField(
        label=_("Break down by"),
        required=False,
        choices=[
            ("touchpoint", _("Touchpoint")),
            ("stage", _("Journey stage")),
            ("team", _("Team")),
            ("employee", _("Employee")),
            ("standard", _("Standard")),
        ],
    )
