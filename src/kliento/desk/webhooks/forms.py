"""The setup page's endpoint form. The service checks the URL (SSRF) and the events; the form
puts its errors beside the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.core.forms import StyledForm
from kliento.desk.models import WebhookEvent


class EndpointForm(StyledForm):
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("Where Kliento posts the events (https:// recommended)."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(WebhookEvent.values),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    allow_private = forms.BooleanField(
        label=_("Allow a private, loopback or link-local address (a receiver inside your network)"),
        required=False,
    )

    def apply(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
