from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kliento.core.forms import StyledForm, StyledModelForm
from kliento.mentions.models import Feed, MatchRule, Sentiment, Situation


def _staff() -> Any:
    return get_user_model().objects.filter(is_active=True).order_by("username")


class SituationForm(StyledModelForm):
    class Meta:
        model = Situation
        fields = [
            "name",
            "kind",
            "description",
            "owner",
            "approver",
            "deadline_minutes",
            "steps",
            "reaction_en",
            "reaction_ru",
            "reaction_uk",
            "reaction_pl",
            "active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "steps": forms.Textarea(attrs={"rows": 4}),
            **{
                f"reaction_{code}": forms.Textarea(attrs={"rows": 3})
                for code in ("en", "ru", "uk", "pl")
            },
        }
        help_texts = {
            "reaction_en": _("{author} and {source} are filled in from the mention."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()  # type: ignore[attr-defined]
        self.fields["approver"].queryset = _staff()  # type: ignore[attr-defined]


class RuleForm(StyledModelForm):
    class Meta:
        model = MatchRule
        fields = ["position", "source", "sentiment", "rating_at_most", "keywords"]


class FeedForm(StyledModelForm):
    class Meta:
        model = Feed
        fields = [
            "name",
            "url",
            "source",
            "language",
            "interval_minutes",
            "allow_private",
            "active",
        ]


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))


class FilterForm(StyledForm):
    source = forms.CharField(label=_("Source"), required=False, max_length=60)
    sentiment = forms.ChoiceField(
        label=_("Sentiment"),
        required=False,
        choices=[("", _("Any sentiment")), *Sentiment.choices],
    )
