"""Forms: the survey definition (with its questions, at most five), triggers, sends, the
follow-up's inner loop and the phone form on the client card."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.clients import selectors as clients
from kliento.core.channels import Channel
from kliento.core.forms import style_widgets
from kliento.core.models import OrgUnit
from kliento.standards import selectors as standards
from kliento.surveys.models import MAX_QUESTIONS, Question, Survey
from kliento.surveys.registry import trigger_sources
from kliento.surveys.services.definitions import QuestionSpec, SurveySpec

LANGUAGES = list(settings.LANGUAGES)


def _per_language(form: forms.BaseForm, stem: str, label: Any, *, textarea: bool = False) -> None:
    for code, name in LANGUAGES:
        widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()
        form.fields[f"{stem}_{code}"] = forms.CharField(
            label=f"{label} ({name})", required=False, max_length=2000, widget=widget
        )


def _texts(data: dict[str, Any], stem: str) -> dict[str, str]:
    return {code: data.get(f"{stem}_{code}") or "" for code, _name in LANGUAGES}


class SurveyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Survey.Kind.choices)
    scale = forms.ChoiceField(
        label=_("Scale"),
        choices=[("", _("The type's default")), *Survey.Scale.choices],
        required=False,
        help_text=_("CSAT 1-5 (or 0-5), CES 1-5 or 1-7, NPS 0-10."),
    )
    direction = forms.ChoiceField(
        label=_("CES: which end means easy"),
        choices=[("", "—"), *Survey.Direction.choices],
        required=False,
    )
    default_language = forms.ChoiceField(label=_("Default language"), choices=LANGUAGES)
    follow_up_max_score = forms.IntegerField(
        label=_("Ask the follow-up question when the score is at most"),
        required=False,
        min_value=0,
        max_value=10,
    )
    throttle_days = forms.IntegerField(
        label=_("Quiet period (days)"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_("Empty: 30 days. A client is not surveyed again within it, by any survey."),
    )
    follow_up_hours = forms.IntegerField(
        label=_("Follow-up deadline (hours)"), initial=48, min_value=1, max_value=720
    )
    link_days = forms.IntegerField(
        label=_("Personal link valid (days)"), initial=30, min_value=1, max_value=365
    )
    audience = forms.ChoiceField(
        label=_("Asked of"),
        choices=Survey.Audience.choices,
        initial=Survey.Audience.CLIENTS,
        help_text=_("eNPS and team climate are always asked of staff."),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous (staff surveys)"),
        required=False,
        help_text=_("Answers keep no link to the person; teams under five answers are hidden."),
    )
    public = forms.BooleanField(label=_("Open to anyone with the short link"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _per_language(self, "follow_up", _("Follow-up question"))
        style_widgets(self)

    def spec(self, questions: list[QuestionSpec]) -> SurveySpec:
        data = self.cleaned_data
        return SurveySpec(
            name=data["name"],
            kind=data["kind"],
            questions=questions,
            scale=data["scale"],
            direction=data["direction"],
            default_language=data["default_language"],
            follow_up_texts=_texts(data, "follow_up"),
            follow_up_max_score=data["follow_up_max_score"],
            throttle_days=data["throttle_days"],
            follow_up_hours=data["follow_up_hours"],
            link_days=data["link_days"],
            public=data["public"],
            is_active=data["is_active"],
            audience=data["audience"],
            anonymous=data["anonymous"],
        )

    @staticmethod
    def initial_of(survey: Survey) -> dict[str, Any]:
        initial: dict[str, Any] = {
            key: getattr(survey, key)
            for key in (
                "name",
                "kind",
                "scale",
                "direction",
                "default_language",
                "follow_up_max_score",
                "throttle_days",
                "follow_up_hours",
                "link_days",
                "public",
                "is_active",
                "audience",
                "anonymous",
            )
        }
        for code, _name in LANGUAGES:
            initial[f"follow_up_{code}"] = survey.follow_up_texts.get(code, "")
        return initial


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    area = forms.ChoiceField(
        label=_("Area of service"),
        choices=[("", "—"), *Question.Area.choices],
        required=False,
        help_text=_("Scale questions only: compared with staff's self-assessment."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _per_language(self, "text", _("Question"))
        _per_language(self, "low", _("Low end label"))
        _per_language(self, "high", _("High end label"))
        _per_language(self, "choices", _("Choices, one per line"), textarea=True)
        style_widgets(self)

    def spec(self) -> QuestionSpec | None:
        data = self.cleaned_data
        texts = _texts(data, "text")
        if not any(texts.values()):
            return None  # an empty slot
        lines = {code: (data.get(f"choices_{code}") or "").splitlines() for code, _n in LANGUAGES}
        count = max((len([x for x in v if x.strip()]) for v in lines.values()), default=0)
        choices = []
        for i in range(count):
            choice = {}
            for code, values in lines.items():
                kept = [x.strip() for x in values if x.strip()]
                if i < len(kept):
                    choice[code] = kept[i]
            choices.append(choice)
        return QuestionSpec(
            kind=data["kind"],
            texts=texts,
            low_labels=_texts(data, "low"),
            high_labels=_texts(data, "high"),
            choices=choices,
            required=data["required"],
            area=data.get("area") or "",
        )

    @staticmethod
    def initial_of(question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": question.kind,
            "required": question.required,
            "area": question.area,
        }
        for code, _name in LANGUAGES:
            initial[f"text_{code}"] = question.texts.get(code, "")
            initial[f"low_{code}"] = question.low_labels.get(code, "")
            initial[f"high_{code}"] = question.high_labels.get(code, "")
            initial[f"choices_{code}"] = "\n".join(c.get(code, "") for c in question.choices)
        return initial


# A sixth question is refused with the formset's own message ("at most 5").
QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=0, min_num=1, max_num=MAX_QUESTIONS, validate_max=True, validate_min=True
)


class TriggerForm(forms.Form):
    source = forms.ChoiceField(label=_("When"))
    target_id = forms.IntegerField(
        label=_("Only for (id of the stage or touchpoint)"), required=False, min_value=1
    )
    every_months = forms.IntegerField(
        label=_("Every (months), for a schedule"), required=False, min_value=1, max_value=36
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s.key, s.label) for s in trigger_sources]  # type: ignore[attr-defined]
        style_widgets(self)


class SegmentSendForm(forms.Form):
    segment: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Segment"), queryset=clients.segments()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = clients.segments()  # type: ignore[attr-defined]
        style_widgets(self)


class StaffSendForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Team or department"),
        queryset=OrgUnit.objects.all(),
        required=False,
        empty_label=_("Everyone"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ContactForm(forms.Form):
    contact_note = forms.CharField(
        label=_("Contact made: what was said"), max_length=5000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class RevisionForm(forms.Form):
    standard = forms.TypedChoiceField(label=_("Standard"), coerce=int)
    reason = forms.CharField(
        label=_("Why it should change"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [  # type: ignore[attr-defined]
            (s.pk, s.title) for s in standards.book()
        ]
        style_widgets(self)


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), max_length=5000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class PhoneAnswerForm(forms.Form):
    """A client's answers taken by phone: the survey, then its questions (built for it)."""

    survey = forms.ModelChoiceField(label=_("Survey"), queryset=Survey.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in (Channel.PHONE, Channel.IN_PERSON, Channel.MESSENGER)],
        initial=Channel.PHONE,
    )

    def __init__(self, *args: Any, surveys: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = surveys  # type: ignore[attr-defined]
        style_widgets(self)


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's errors beside the form's fields (the rest above the form)."""
    for key, messages in exc.message_dict.items():
        form.add_error(key if key in form.fields else None, messages)


class PraiseForm(forms.Form):
    """Whom the shared praise names; both start as the answer's agent and team."""

    employee = forms.ModelChoiceField(
        label=_("Employee"), queryset=get_user_model().objects.none(), required=False
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=OrgUnit.objects.all(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
        self.fields["employee"].queryset = staff  # type: ignore[attr-defined]
        style_widgets(self)
