"""The mailbox form of the setup page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kliento.core.forms import StyledModelForm
from kliento.core.models import OrgUnit
from kliento.desk.models import Mailbox


class MailboxForm(StyledModelForm):
    # Never shown again once saved; left empty, the stored one stays.
    password = forms.CharField(
        label=_("Password"),
        required=False,
        max_length=255,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the saved password."),
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "address",
            "host",
            "port",
            "use_ssl",
            "username",
            "folder",
            "team",
            "active",
        ]

    field_order = [
        "name", "address", "host", "port", "use_ssl", "username", "password", "folder", "team",
        "active",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = OrgUnit.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["port"].widget.attrs.update({"min": 1, "max": 65535})
        self.fields["address"].help_text = _(
            "The address clients write to. Mail for it that arrives through the SMTP endpoint "
            "goes to this mailbox's team too."
        )
        self.fields["team"].help_text = _("New cases from this mailbox go to this team.")

    def clean_port(self) -> int:
        port = int(self.cleaned_data["port"])
        if not 1 <= port <= 65535:
            raise forms.ValidationError(_("Give a port between 1 and 65535."))
        return port
