"""Forms of the motivation pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.core.forms import StyledForm
from kliento.motivation.models import THANKS_MAX


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's errors beside the form's fields (the rest above the form)."""
    for key, messages in exc.message_dict.items():
        form.add_error(key if key in form.fields else None, messages)


class GenerateForm(StyledForm):
    employee_id = forms.TypedChoiceField(label=_("Employee"), coerce=int)
    period = forms.CharField(
        label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(p.pk, p.get_full_name() or p.get_username()) for p in people]
        self.fields["employee_id"].choices = choices  # type: ignore[attr-defined]


class AdjustForm(StyledForm):
    amount = forms.CharField(label=_("Amount"), max_length=20)
    reason = forms.CharField(
        label=_("Reason"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ThanksForm(StyledForm):
    recipient_id = forms.TypedChoiceField(label=_("Colleague"), coerce=int)
    message = forms.CharField(
        label=_("Message"), max_length=THANKS_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, sender: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
        if sender is not None:
            people = people.exclude(pk=sender.pk)
        self.fields["recipient_id"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((p.pk, p.get_full_name() or p.get_username()) for p in people),
        ]
