"""Forms of the processes pages: a definition with its steps, starting a run, completing a
step, signing off a control point. Checks are the services' (kliento.processes.rules); a
service's errors come back beside the fields they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.core.forms import StyledForm
from kliento.processes import rules
from kliento.processes.models import ROLE_CHOICES, ProcessDefinition, ProcessVersion
from kliento.processes.services import ACCEPT, RETURN


class DefinitionForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=rules.NAME_MAX)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the process is for and when to start it."),
    )


class StepForm(StyledForm):
    title = forms.CharField(label=_("Step"), max_length=rules.TEXT_MAX)
    result = forms.CharField(
        label=_("Concrete result"),
        max_length=rules.TEXT_MAX,
        help_text=_("What exists when the step is done, e.g. “contract signed”."),
    )
    # An empty first choice: an untouched extra row must post nothing, or it would count as typed.
    role = forms.ChoiceField(label=_("Responsible role"), choices=[("", "—"), *ROLE_CHOICES])
    duration_days = forms.IntegerField(
        label=_("Expected duration (days)"), min_value=1, max_value=rules.MAX_DURATION_DAYS
    )
    control_point = forms.BooleanField(label=_("Control point (a manager checks)"), required=False)
    review_days = forms.IntegerField(
        label=_("Sign-off within (days)"),
        min_value=1,
        max_value=rules.MAX_DURATION_DAYS,
        required=False,
        help_text=_("For a control point; 1 if left empty."),
    )

    def spec(self) -> rules.StepSpec:
        data = self.cleaned_data
        return rules.StepSpec(
            title=data["title"],
            result=data["result"],
            role=data["role"],
            duration_days=data["duration_days"],
            control_point=data["control_point"],
            review_days=data["review_days"] or 1,
        )


class BaseStepFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.specs():
            raise ValidationError(_("A process needs at least one step."))

    def filled(self) -> list[StepForm]:
        """The rows that make steps, in order: filled in and not marked for removal."""
        initial = self.initial_form_count()
        return [
            form
            for index, form in enumerate(self.forms)
            # A step shown filled in counts even untouched; an extra row only once typed in.
            if (index < initial or form.has_changed())
            and not (getattr(form, "cleaned_data", None) or {}).get("DELETE", False)
        ]

    def specs(self) -> list[rules.StepSpec]:
        return [form.spec() for form in self.filled()]

    def add_non_form_error(self, message: str) -> None:
        self._non_form_errors = self.error_class(
            [*self.non_form_errors(), message], error_class="nonform"
        )


def step_formset(*args: Any, **kwargs: Any) -> BaseStepFormSet:
    formset = _StepFormSet(*args, **kwargs)
    assert isinstance(formset, BaseStepFormSet)
    return formset


_StepFormSet = forms.formset_factory(
    StepForm,
    formset=BaseStepFormSet,
    extra=2,
    can_delete=True,
    max_num=rules.MAX_STEPS,
    validate_max=True,
)


def initial_steps(version: ProcessVersion) -> list[dict[str, Any]]:
    return [
        {
            "title": s.title,
            "result": s.result,
            "role": s.role,
            "duration_days": s.duration_days,
            "control_point": s.control_point,
            "review_days": s.review_days,
        }
        for s in version.steps.all()
    ]


class StartRunForm(StyledForm):
    process = forms.ModelChoiceField(label=_("Process"), queryset=ProcessDefinition.objects.none())
    subject = forms.CharField(
        label=_("Deal or project"),
        required=False,
        max_length=rules.TEXT_MAX,
        help_text=_("Optional: what this run is about, e.g. “Spring corporate event”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["process"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ProcessDefinition.objects.filter(current__isnull=False)


class CompleteStepForm(StyledForm):
    result = forms.CharField(
        label=_("Result"),
        required=False,
        max_length=rules.RESULT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("A document or a picture, optional."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        empty = not (data.get("result") or "").strip() and not data.get("attachment")
        if empty and not self.errors:
            self.add_error("result", _("Record the step's result: write it or attach a file."))
        return data


class SignOffForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Send back"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=rules.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when sending the step back."),
    )
