"""Forms of the standards pages. Validation that matters lives in the services; a form parses
what the browser sends and puts the services' errors beside the fields (`apply`)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.core.channels import Channel
from kliento.core.forms import DateInput, StyledForm
from kliento.core.models import OrgUnit
from kliento.core.roles import ROLE_LABELS
from kliento.standards.models import Kind, Standard

_SCRIPT_HEADING = re.compile(r"^###\s+(.+?)\s*$")


def parse_scripts(raw: str) -> list[tuple[str, str]]:
    """Scripts typed as blocks, each starting with a `### Title` line, its text below."""
    scripts: list[tuple[str, list[str]]] = []
    for line in (raw or "").splitlines():
        heading = _SCRIPT_HEADING.match(line)
        if heading:
            scripts.append((heading.group(1), []))
        elif scripts:
            scripts[-1][1].append(line)
        elif line.strip():
            raise ValidationError(_("Start each script with a line “### Title”."))
    return [(title, "\n".join(lines).strip()) for title, lines in scripts]


def format_scripts(scripts: Any) -> str:
    return "\n\n".join(f"### {s.title}\n{s.text}" for s in scripts)


class _Form(StyledForm):
    def apply(self, exc: ValidationError) -> None:
        """A service's errors, each beside its field (else above the form)."""
        for field, messages in exc.message_dict.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


def _related(field: str) -> Any:
    model = Standard._meta.get_field(field).related_model
    assert model is not None and not isinstance(model, str)
    return model._default_manager.all()


class StandardForm(_Form):
    kind = forms.ChoiceField(label=_("Section"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For a term: the term."))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=get_user_model().objects.none())
    review_on = forms.DateField(label=_("Review date"), widget=DateInput())
    position = forms.IntegerField(label=_("Order in the section"), min_value=0, initial=0)
    roles = forms.MultipleChoiceField(
        label=_("Applies to roles"),
        choices=list(ROLE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every role."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Applies to teams"),
        queryset=OrgUnit.objects.all(),
        required=False,
        help_text=_("None chosen: the whole company. A unit includes its sub-units."),
    )
    stages = forms.ModelMultipleChoiceField(
        label=_("Journey stages"), queryset=OrgUnit.objects.none(), required=False
    )
    touchpoints = forms.ModelMultipleChoiceField(
        label=_("Touchpoints"), queryset=OrgUnit.objects.none(), required=False
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, with_text: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        for name in ("stages", "touchpoints"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = _related(name)
        if with_text:
            self.fields["body"] = forms.CharField(
                label=_("Text"),
                widget=forms.Textarea(attrs={"rows": 12, "class": "form-control"}),
                max_length=30_000,
                help_text=_("Markdown: **bold**, lists, tables, links."),
            )
            self.fields["scripts"] = scripts_field()
        else:
            del self.fields["kind"]


class ScriptsField(forms.CharField):
    """Scripts typed as `### Title` blocks; cleans to a list of (title, text)."""

    def clean(self, value: Any) -> Any:
        return parse_scripts(super().clean(value))


def scripts_field() -> forms.CharField:
    return ScriptsField(
        label=_("Speech scripts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
        help_text=_("One block per script: a line “### Title”, then the words to say."),
    )


class DraftForm(_Form):
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=30_000,
        help_text=_("Markdown: **bold**, lists, tables, links."),
    )
    scripts = scripts_field()
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class RevisionRequestForm(_Form):
    reason = forms.CharField(
        label=_("Why should it change?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2_000
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        required=False,
        help_text=_("What happened: cases, complaints, figures."),
    )


class MissionForm(_Form):
    text = forms.CharField(
        label=_("Agreed text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
        required=False,
    )
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
        required=False,
        help_text=_("What a good definition must meet."),
    )


class ContributionForm(_Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("comment", _("Comment")), ("proposal", _("Proposal"))],
        widget=forms.RadioSelect,
        initial="comment",
    )
    text = forms.CharField(
        label=_("Your words"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2_000
    )
