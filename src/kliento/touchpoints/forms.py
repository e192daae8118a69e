"""The registry's forms (managers), the owner's regulation and parameter forms, and the card's
"Record an impression" form. The services check everything again; these put the errors beside
their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.core.channels import Channel
from kliento.core.forms import StyledForm
from kliento.touchpoints import rules, selectors
from kliento.touchpoints.models import CATEGORIES_OF_KIND, Category, Impression, Kind, Touchpoint


def person_label(user: Any) -> str:
    return str(user.get_full_name() or user.username)


class ServiceErrors:
    """Show a service's ValidationError beside the fields it names."""

    def apply(self, exc: ValidationError) -> None:
        form: Any = self
        if not hasattr(exc, "error_dict"):
            form.add_error(None, exc.messages)
            return
        for key, messages in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, messages)


def _category_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    # Grouped by kind, so the list itself says which categories go with which kind.
    labels = dict(Category.choices)
    return [
        (str(Kind(kind).label), [(str(c), str(labels[c])) for c in categories])
        for kind, categories in CATEGORIES_OF_KIND.items()
    ]


class TouchpointForm(ServiceErrors, StyledForm):
    name = forms.CharField(label=_("Name"), max_length=rules.NAME_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("Category"))
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", "—"), *Channel.choices]
    )
    owner = forms.TypedChoiceField(
        label=_("Owner"),
        coerce=int,
        help_text=_("Exactly one person answers for this touchpoint."),
        error_messages={"required": _("Choose the one person who owns this touchpoint.")},
    )
    stages = forms.TypedMultipleChoiceField(
        label=_("Stages where it occurs"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": "6"}),
    )
    occurs_when = forms.CharField(
        label=_("When it occurs"), required=False, max_length=rules.OCCURS_MAX
    )
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        max_length=rules.PARTICIPANTS_MAX,
        help_text=_("Who takes part: positions or roles."),
    )
    kpi = forms.CharField(
        label=_("KPI in staff motivation"), required=False, max_length=rules.KPI_MAX
    )
    regulation = forms.CharField(
        label=_("Regulation"),
        required=False,
        max_length=rules.REGULATION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("How it must work. Markdown: **bold**, lists, tables, links."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {u.pk: u for u in selectors.eligible_owners()}
        current = self.initial.get("owner_obj")
        if current is not None:
            self.people.setdefault(current.pk, current)
        self._choices(
            "owner", [("", "—"), *((pk, person_label(u)) for pk, u in self.people.items())]
        )
        self._choices("category", [("", "—"), *_category_choices()])
        self._choices("stages", [(s.pk, selectors.stage_label(s)) for s in selectors.stages()])

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_owner(self) -> Any:
        # A <select> sends one value; two owners can only come from a crafted request, and
        # Django would silently keep the last: refuse it instead.
        if hasattr(self.data, "getlist") and len(self.data.getlist(self.add_prefix("owner"))) > 1:
            raise ValidationError(_("A touchpoint has exactly one owner: choose one person."))
        return self.cleaned_data["owner"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, category = data.get("kind"), data.get("category")
        if kind in CATEGORIES_OF_KIND and category and category not in CATEGORIES_OF_KIND[kind]:
            self.add_error(
                "category",
                _("Choose one of the categories of a %(kind)s touchpoint.")
                % {"kind": Kind(kind).label.lower()},
            )
        return data

    def owner_user(self) -> Any:
        return self.people.get(self.cleaned_data.get("owner"))

    @classmethod
    def initial_for(cls, touchpoint: Touchpoint) -> dict[str, Any]:
        return {
            "name": touchpoint.name,
            "kind": touchpoint.kind,
            "category": touchpoint.category,
            "channel": touchpoint.channel,
            "owner": touchpoint.owner_id,
            "owner_obj": touchpoint.owner,
            "stages": [s.pk for s in touchpoint.stages.all()],
            "occurs_when": touchpoint.occurs_when,
            "participants": touchpoint.participants,
            "kpi": touchpoint.kpi,
            "regulation": touchpoint.regulation,
            "is_active": touchpoint.is_active,
        }


class RegulationForm(ServiceErrors, StyledForm):
    regulation = forms.CharField(
        label=_("Regulation"),
        required=False,
        max_length=rules.REGULATION_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("How it must work. Markdown: **bold**, lists, tables, links."),
    )


class ParameterForm(ServiceErrors, StyledForm):
    name = forms.CharField(label=_("Parameter"), max_length=rules.PARAMETER_NAME_MAX)
    measurement = forms.CharField(label=_("How it is measured"), max_length=rules.MEASUREMENT_MAX)
    target = forms.CharField(label=_("Target"), max_length=rules.TARGET_MAX)


class ImpressionForm(ServiceErrors, StyledForm):
    touchpoint = forms.TypedChoiceField(label=_("Touchpoint"), coerce=int)
    sentiment = forms.ChoiceField(
        label=_("Impression"),
        choices=Impression.Sentiment.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What the client said or showed"),
        required=False,
        max_length=rules.IMPRESSION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=Impression.Source.choices,
        initial=Impression.Source.STAFF,
    )

    def __init__(self, *args: Any, client_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = selectors.for_client_card(client_id)
        at_stage = [(t.pk, t.name) for t in options if getattr(t, "at_stage", False)]
        others = [(t.pk, t.name) for t in options if not getattr(t, "at_stage", False)]
        choices: list[Any] = [("", "—")]
        if at_stage:
            choices.append((str(_("At the client's current stage")), at_stage))
            choices.append((str(_("Other touchpoints")), others))
        else:
            choices.extend(others)
        field = self.fields["touchpoint"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        self.has_touchpoints = bool(options)
