"""Forms of the policy pages. Validation that matters lives in the services; a form parses
what the browser sends and puts the services' errors beside the fields (`apply`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.core.channels import Channel
from kliento.core.forms import DateInput, StyledForm
from kliento.core.models import OrgUnit
from kliento.core.roles import ROLE_LABELS
from kliento.policy.models import Aspect, EscalationLevel, GoalKind, NotifyBy, Procedure
from kliento.policy.rules import MAX_LEVELS, LevelSpec
from kliento.standards import selectors as standards


class _Form(StyledForm):
    def apply(self, exc: ValidationError) -> None:
        """A service's errors, each beside its field (else above the form)."""
        for field, messages in exc.message_dict.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


def _people() -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=list(ROLE_LABELS))
        .distinct()
        .order_by("last_name", "username")
    )


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class _PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class PolicyForm(_Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    owner = _PersonChoice(label=_("Owner"), queryset=get_user_model().objects.none())
    review_every_months = forms.IntegerField(
        label=_("Review every (months)"), min_value=1, max_value=60, initial=12
    )
    roles = forms.MultipleChoiceField(
        label=_("Staff who must acknowledge it: roles"),
        choices=list(ROLE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every role."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("… and teams"),
        queryset=OrgUnit.objects.all(),
        required=False,
        help_text=_("None chosen: the whole company. A unit includes its sub-units."),
    )

    def __init__(self, *args: Any, with_text: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = _people()
        if with_text:
            self.fields["summary"] = forms.CharField(
                label=_("Statement"),
                widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
                max_length=20_000,
                required=False,
                help_text=_("Markdown. What the policy promises clients, in a few sentences."),
            )


class DraftForm(_Form):
    summary = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        required=False,
        help_text=_("Markdown."),
    )
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class GoalForm(_Form):
    kind = forms.ChoiceField(label=_("Goal"), choices=GoalKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Required for “Other goal”; otherwise optional."),
    )
    mission_link = forms.CharField(
        label=_("How it serves the mission"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1_000,
    )
    owner = _PersonChoice(label=_("Owner"), queryset=get_user_model().objects.none())
    metric_name = forms.CharField(label=_("Target metric"), max_length=100)
    metric_target = forms.DecimalField(
        label=_("Target value"), max_digits=14, decimal_places=4, localize=True
    )
    metric_unit = forms.CharField(
        label=_("Unit"), max_length=30, required=False, help_text=_("%, days, clients …")
    )
    competitors = forms.CharField(
        label=_("How competitors handle it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        required=False,
        help_text=_("Markdown. Notes from comparing with the main competitors."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = _people()


def _standard_choices() -> list[tuple[int, str]]:
    return [(s.pk, s.title) for s in standards.book()]


class ProcedureForm(_Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_("Markdown. What is done, by whom, with what result."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    standards = forms.TypedMultipleChoiceField(
        label=_("Standards that apply"), choices=[], coerce=int, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["standards"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = _standard_choices()


_WHO = re.compile(r"^(role|team|person):(\w{1,40})$")


def who_choices() -> list[tuple[str, Any]]:
    return [
        ("", "—"),
        (str(_("Roles")), [(f"role:{k}", str(v)) for k, v in ROLE_LABELS.items()]),
        (str(_("Teams")), [(f"team:{u.pk}", u.name) for u in OrgUnit.objects.order_by("name")]),
        (
            str(_("People")),
            [(f"person:{u.pk}", u.get_full_name() or u.username) for u in _people()],
        ),
    ]


class LevelForm(StyledForm):
    who = forms.ChoiceField(label=_("Who"), choices=[], required=False)
    after_minutes = forms.IntegerField(label=_("After (minutes)"), min_value=0, required=False)
    notify = forms.MultipleChoiceField(
        label=_("Notify by"),
        choices=NotifyBy.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[NotifyBy.IN_APP],
    )

    def __init__(self, *args: Any, choices: Sequence[tuple[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["who"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(choices)

    def spec(self) -> LevelSpec:
        data = self.cleaned_data
        match = _WHO.match(data.get("who") or "")
        kind, value = (match.group(1), match.group(2)) if match else ("", "")
        return LevelSpec(
            after_minutes=data.get("after_minutes"),
            role=value if kind == "role" else "",
            unit_id=int(value) if kind == "team" and value.isdigit() else None,
            user_id=int(value) if kind == "person" and value.isdigit() else None,
            notify=list(data.get("notify") or []),
        )


LevelFormSet = forms.formset_factory(
    LevelForm, extra=3, max_num=MAX_LEVELS, validate_max=True, absolute_max=MAX_LEVELS + 5
)


def level_formset(data: Any = None, procedure: Procedure | None = None) -> Any:
    initial = []
    if procedure is not None:
        for level in procedure.levels.all():
            who = {
                EscalationLevel.Kind.ROLE: f"role:{level.role}",
                EscalationLevel.Kind.TEAM: f"team:{level.unit_id}" if level.unit_id else "",
                EscalationLevel.Kind.PERSON: f"person:{level.user_id}" if level.user_id else "",
            }[EscalationLevel.Kind(level.kind)]
            initial.append(
                {"who": who, "after_minutes": level.after_minutes, "notify": level.notify}
            )
    return LevelFormSet(
        data, initial=initial, prefix="levels", form_kwargs={"choices": who_choices()}
    )


def level_specs(formset: Any) -> list[LevelSpec]:
    """The rows someone filled in: a row left (or made) wholly blank is no level."""
    return [
        form.spec()
        for form in formset.forms
        if form.cleaned_data.get("who") or form.cleaned_data.get("after_minutes") is not None
    ]


class PilotForm(_Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    staff = _PeopleChoice(label=_("Staff in the pilot"), queryset=get_user_model().objects.none())
    clients = forms.CharField(
        label=_("Clients in the pilot"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Client numbers, separated by commas or spaces. More can join later from "
            "the client card."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = _people()

    def clean_clients(self) -> list[int]:
        raw = self.cleaned_data.get("clients") or ""
        parts = [p for p in re.split(r"[\s,;]+", raw) if p]
        if any(not p.isdigit() or len(p) > 18 for p in parts):
            raise ValidationError(_("Write client numbers only, e.g. 12, 57, 301."))
        return [int(p) for p in parts]


class FinishPilotForm(_Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("promote", _("Promote it company-wide (publish)")),
            ("revise", _("Revise the draft first")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Why"), max_length=500, required=False)


class FeedbackForm(_Form):
    aspect = forms.ChoiceField(label=_("About"), choices=Aspect.choices)
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2_000
    )
    client = forms.IntegerField(
        label=_("Client number"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("When you write down what a client said; empty for your own comment."),
    )
    pilot = forms.TypedChoiceField(
        label=_("Pilot"), choices=[], coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, pilots: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pilot"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Not about a pilot"))] + [
            (p.pk, _("Pilot of version %(n)s") % {"n": p.version.number}) for p in pilots
        ]
