"""The journeys app's forms. Their checks are the services' (one place); a service's
ValidationError lands beside the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.clients import selectors as clients
from kliento.core.forms import StyledForm
from kliento.journeys.models import Journey, MoveRule, Stage


def person_label(user: Any) -> str:
    return str(user.get_full_name() or user.username)


class OwnerField(forms.ModelChoiceField):
    default_error_messages = {
        "required": _("A stage has exactly one owner: choose one person."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=clients.staff().order_by("username"), **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class ServiceErrors:
    """Put a service's ValidationError beside the fields it names."""

    def apply(self, exc: ValidationError) -> None:
        form: Any = self
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)


class JourneyForm(ServiceErrors, StyledForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5_000, widget=forms.Textarea({"rows": 2})
    )
    main_stages = forms.CharField(
        label=_("Stages, in order"),
        help_text=_("One stage per line."),
        widget=forms.Textarea({"rows": 6}),
    )
    exit_stages = forms.CharField(
        label=_("Exit stages"),
        required=False,
        help_text=_(
            "Off the main path, reachable from any stage (at risk, churned). One per line."
        ),
        widget=forms.Textarea({"rows": 2}),
    )
    owner = OwnerField(label=_("Owner of every stage, to begin with"))

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class StageForm(ServiceErrors, StyledForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    owner = OwnerField(label=_("Owner"))
    goal = forms.CharField(
        label=_("Goal"), required=False, max_length=2_000, widget=forms.Textarea({"rows": 2})
    )
    rules = forms.CharField(
        label=_("Rules of the stage"),
        required=False,
        max_length=20_000,
        help_text=_("Markdown: **bold**, lists, links."),
        widget=forms.Textarea({"rows": 6}),
    )
    target_days = forms.IntegerField(
        label=_("Target duration (days)"), required=False, min_value=1, max_value=3650
    )
    entry_criteria = forms.CharField(
        label=_("Entry criteria"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea({"rows": 2}),
    )
    exit_criteria = forms.CharField(
        label=_("Exit criteria"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea({"rows": 2}),
    )
    is_exit = forms.BooleanField(label=_("Exit stage (off the main path)"), required=False)

    @classmethod
    def initial_of(cls, stage: Stage) -> dict[str, Any]:
        return {name: getattr(stage, name) for name in cls.base_fields if name != "owner"} | {
            "owner": stage.owner_id
        }


class MoveForm(ServiceErrors, StyledForm):
    to_stage = forms.TypedChoiceField(label=_("Move to"), coerce=int)
    force = forms.BooleanField(label=_("Force (not the next stage)"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args: Any, stages: list[Stage], current_id: int | None = None, **kw: Any):
        super().__init__(*args, **kw)
        field: Any = self.fields["to_stage"]
        field.choices = [(s.pk, s.name) for s in stages if s.pk != current_id]


class RuleForm(ServiceErrors, StyledForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    condition = forms.ChoiceField(label=_("Condition"), choices=MoveRule.Condition.choices)
    threshold = forms.IntegerField(
        label=_("N"),
        min_value=0,
        max_value=100_000,
        initial=1,
        help_text=_("Purchases, or days without a purchase."),
    )
    from_stages = forms.TypedMultipleChoiceField(
        label=_("From the stages"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    include_unplaced = forms.BooleanField(
        label=_("Also clients not yet on the journey"), required=False
    )
    to_stage = forms.TypedChoiceField(label=_("Move to"), coerce=int)
    position = forms.IntegerField(label=_("Order"), min_value=1, max_value=1000, initial=1)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, journey: Journey, **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = [(s.pk, s.name) for s in Stage.objects.filter(journey=journey)]
        from_field: Any = self.fields["from_stages"]
        to_field: Any = self.fields["to_stage"]
        from_field.choices = choices
        to_field.choices = choices

    @classmethod
    def initial_of(cls, rule: MoveRule) -> dict[str, Any]:
        return {
            "name": rule.name,
            "condition": rule.condition,
            "threshold": rule.threshold,
            "from_stages": list(rule.from_stages.values_list("pk", flat=True)),
            "include_unplaced": rule.include_unplaced,
            "to_stage": rule.to_stage_id,
            "position": rule.position,
            "is_active": rule.is_active,
        }


class BaselineForm(ServiceErrors, StyledForm):
    name = forms.CharField(label=_("Name of the baseline"), max_length=120)
