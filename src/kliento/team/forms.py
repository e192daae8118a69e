"""Forms of the team pages; the rules live in the services, whose errors land beside fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.core.forms import DateInput, StyledForm
from kliento.core.roles import ROLE_LABELS
from kliento.team.models import (
    AssessedBy,
    Attendance,
    CheckpointKind,
    Course,
    Group,
    IdealProfile,
    OnboardingPlan,
    Stage,
)
from kliento.team.registry import signals


def apply[T](form: forms.Form, action: Callable[[], T]) -> T | None:
    """Run a service; its field errors go beside the form's fields (`mentor_id` → `mentor`)."""
    try:
        return action()
    except ValidationError as exc:
        errors = (
            exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
        )
        for field, messages in errors.items():
            name = field.removesuffix("_id") if field.removesuffix("_id") in form.fields else field
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return None


def staff() -> Any:
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "username")


class ProfileForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=list(ROLE_LABELS.items()))
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
    )


class CompetencyForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    group = forms.ChoiceField(label=_("Group"), choices=Group.choices)
    is_attitude = forms.BooleanField(label=_("Attitude or value"), required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
    )
    assessed_by = forms.ChoiceField(label=_("Assessed by"), choices=AssessedBy.choices)
    assessment = forms.CharField(
        label=_("How it is assessed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
        help_text=_("The interview question, the test task or what to observe."),
    )


class CandidateForm(StyledForm):
    profile = forms.ModelChoiceField(label=_("Role profile"), queryset=IdealProfile.objects.all())
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=50)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5_000
    )


class MoveForm(StyledForm):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)


class ScoreForm(StyledForm):
    competency = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    score = forms.IntegerField(label=_("Score (1-5)"), min_value=1, max_value=5)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 1})
    )


class PlanForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=list(ROLE_LABELS.items()))
    title = forms.CharField(label=_("Title"), max_length=200)


class PlanCheckpointForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CheckpointKind.choices)
    due_day = forms.IntegerField(label=_("Due on day"), min_value=0, max_value=365)
    description = forms.CharField(label=_("Description"), required=False, max_length=2_000)


class OnboardingForm(StyledForm):
    employee = forms.ModelChoiceField(
        label=_("New employee"), queryset=get_user_model().objects.none()
    )
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=get_user_model().objects.none())
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=OnboardingPlan.objects.all())
    started_on = forms.DateField(label=_("Starts on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("employee", "mentor"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = staff()


class SignOffForm(StyledForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=2_000)


class CourseForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Course.Kind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5_000,
    )
    materials = forms.CharField(
        label=_("Materials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text=_("Markdown: links to documents, videos and exercises."),
    )


class SessionForm(StyledForm):
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    trainer = forms.ModelChoiceField(
        label=_("Trainer"), required=False, queryset=get_user_model().objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trainer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff()


class AttendanceForm(StyledForm):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=get_user_model().objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=Attendance.Status.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff()


class RuleForm(StyledForm):
    signal = forms.ChoiceField(label=_("Signal"), choices=[])
    threshold = forms.FloatField(label=_("Threshold"), help_text=_("Below this value: a proposal."))
    drop = forms.FloatField(
        label=_("Drop"),
        min_value=0,
        help_text=_("A fall by this much against the previous period: a proposal."),
    )
    period_days = forms.IntegerField(
        label=_("Period (days)"), min_value=7, max_value=366, initial=30
    )
    min_n = forms.IntegerField(label=_("Minimum observations"), min_value=1, initial=5)
    course = forms.ModelChoiceField(
        label=_("Course to propose"), required=False, queryset=Course.objects.filter(is_active=True)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signal"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.key, s.label) for s in signals]


class TrainedForm(StyledForm):
    trained_on = forms.DateField(label=_("Trained on"), widget=DateInput())
