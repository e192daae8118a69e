"""The public web form's fields (the honeypot is written into the template by hand, so no
form machinery labels it for people)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kliento.core.forms import StyledForm

MESSAGE_MAX = 10_000


class ContactForm(StyledForm):
    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=254,
        help_text=_("We reply to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)
