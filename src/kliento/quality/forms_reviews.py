"""Forms of QA reviews: the scorecard (one outcome and note per checklist item, named so the
services' "item-<id>-<field>" errors land beside their item), disputes and calibration."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kliento.core.forms import StyledForm
from kliento.quality.models import ChecklistItem, ItemResult, Outcome
from kliento.quality.services import Answer


def outcome_field(item: ChecklistItem, required: bool = True) -> forms.ChoiceField:
    choices = [(v, label) for v, label in Outcome.choices if v != Outcome.NA or item.allows_na]
    if not required:
        choices = [("", _("Keep")), *choices]
    return forms.ChoiceField(
        label=item.text, choices=choices, widget=forms.RadioSelect, required=required
    )


class ScorecardForm(StyledForm):
    summary = forms.CharField(
        label=_("Summary for the agent"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5_000,
    )

    def __init__(
        self, *args: Any, items: Iterable[ChecklistItem], summary: bool = True, **kwargs: Any
    ) -> None:
        self.items = list(items)
        super().__init__(*args, **kwargs)
        if not summary:
            del self.fields["summary"]
        for item in self.items:
            self.fields[f"item-{item.pk}-outcome"] = outcome_field(item)
            self.fields[f"item-{item.pk}-note"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=2_000,
                widget=forms.TextInput(),
            )

    def rows(self) -> list[tuple[ChecklistItem, Any, Any]]:
        return [(i, self[f"item-{i.pk}-outcome"], self[f"item-{i.pk}-note"]) for i in self.items]

    def answers(self) -> list[Answer]:
        return [
            Answer(
                item.pk,
                self.cleaned_data[f"item-{item.pk}-outcome"],
                self.cleaned_data.get(f"item-{item.pk}-note", ""),
            )
            for item in self.items
        ]


class DisputeForm(StyledForm):
    reason = forms.CharField(
        label=_("What did the review get wrong?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
    )


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("upheld", _("Uphold the review")), ("amended", _("Amend the answers"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Explanation for the agent"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
    )

    def __init__(self, *args: Any, results: Iterable[ItemResult], **kwargs: Any) -> None:
        self.results = list(results)
        super().__init__(*args, **kwargs)
        for result in self.results:
            self.fields[f"item-{result.item_id}-outcome"] = outcome_field(result.item, False)

    def rows(self) -> list[tuple[ItemResult, Any]]:
        return [(r, self[f"item-{r.item_id}-outcome"]) for r in self.results]

    def answers(self) -> list[Answer]:
        """Only the items whose outcome changes."""
        changed = []
        for r in self.results:
            new = self.cleaned_data.get(f"item-{r.item_id}-outcome")
            if new and new != r.outcome:
                changed.append(Answer(r.item_id, new, r.note, r.standard_did_not_work))
        return changed


class SessionForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    case = forms.IntegerField(label=_("Case id"), min_value=1)
    version = forms.TypedChoiceField(label=_("Checklist"), coerce=int)
    reviewers = forms.TypedMultipleChoiceField(
        label=_("Reviewers"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, versions: Iterable[Any], people: Iterable[Any], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["version"].choices = [(v.pk, str(v.checklist)) for v in versions]  # type: ignore[attr-defined]
        self.fields["reviewers"].choices = [  # type: ignore[attr-defined]
            (p.pk, p.get_full_name() or p.get_username()) for p in people
        ]


class ReferenceNoteForm(StyledForm):
    note = forms.CharField(
        label=_("How the reference was agreed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
    )


def quality_staff() -> list[Any]:
    people = get_user_model().objects.filter(is_active=True).order_by("username")
    return [p for p in people if p.has_perm("quality.perform_evaluations")]
