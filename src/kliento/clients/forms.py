from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.clients.models import (
    ChannelConsent,
    Client,
    ContactPoint,
    PortraitFact,
    Purchase,
    Segment,
    Tag,
)
from kliento.clients.selectors import SORTS, ClientFilters
from kliento.core.forms import DateInput, StyledForm, StyledModelForm


def staff_choices():
    return get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()


class ClientFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    segment = forms.ModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.all(),
        required=False,
        empty_label=_("All segments"),
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"), queryset=Tag.objects.all(), required=False, empty_label=_("All tags")
    )
    manager = forms.ModelChoiceField(
        label=_("Account manager"),
        queryset=staff_choices(),
        required=False,
        empty_label=_("All managers"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Client.Status.choices],
        required=False,
    )
    key_only = forms.BooleanField(label=_("Key clients only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("name", _("Name A–Z")),
            ("-name", _("Name Z–A")),
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
            ("-updated", _("Recently updated")),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = staff_choices()

    def to_filters(self) -> ClientFilters:
        """The list's filters; filters that did not validate are ignored (the list says so)."""
        if not self.is_bound or not self.is_valid():
            return ClientFilters()
        data = self.cleaned_data
        return ClientFilters(
            q=data["q"],
            segment=data["segment"].pk if data["segment"] else None,
            tag=data["tag"].pk if data["tag"] else None,
            manager=data["manager"].pk if data["manager"] else None,
            status=data["status"],
            key_only=data["key_only"],
            sort=data["sort"],
        )

    def clean_sort(self) -> str:
        value = self.cleaned_data.get("sort") or "name"
        return value if value in SORTS else "name"


class ClientForm(StyledModelForm):
    class Meta:
        model = Client
        fields = [
            "kind",
            "name",
            "company",
            "job_title",
            "language",
            "account_manager",
            "segment",
            "tags",
            "external_ref",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "tags": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        managers = staff_choices()
        if self.instance.account_manager_id:
            # Someone who has left stays choosable where they already are, so the card can be
            # saved without first reassigning the client.
            managers = get_user_model().objects.filter(
                Q(pk__in=managers.values("pk")) | Q(pk=self.instance.account_manager_id)
            )
        self.fields["account_manager"].queryset = managers
        companies = Client.objects.filter(kind=Client.Kind.COMPANY)
        if self.instance.pk:
            companies = companies.exclude(pk=self.instance.pk)
        self.fields["company"].queryset = companies


class NewClientForm(ClientForm):
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.CharField(label=_("Email"), required=False, max_length=254)


class ContactForm(StyledModelForm):
    class Meta:
        model = ContactPoint
        fields = ["kind", "value", "messenger", "label", "is_primary"]


class ConsentForm(StyledForm):
    channel = forms.ChoiceField(choices=ChannelConsent.Channel.choices)
    granted = forms.BooleanField(required=False)


class PortraitFactForm(StyledModelForm):
    class Meta:
        model = PortraitFact
        fields = ["category", "text", "source"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("Choose a category")),
            *PortraitFact.Category.choices,
        ]
        self.fields["source"].choices = [("", _("Where is it from?")), *PortraitFact.Source.choices]


class VerifyFactForm(StyledForm):
    text = forms.CharField(
        label=_("Fact"),
        required=False,
        max_length=PortraitFact._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PurchaseForm(StyledModelForm):
    class Meta:
        model = Purchase
        fields = ["occurred_on", "amount", "currency", "description", "channel", "external_ref"]
        widgets = {"occurred_on": DateInput()}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].initial = settings.KLIENTO_DEFAULT_CURRENCY
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        # Said here in words; otherwise the database constraint would only name itself.
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return amount


class LeftForm(StyledForm):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class ParetoForm(StyledForm):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period must start before it ends."))
        if data.get("currency"):
            data["currency"] = data["currency"].upper()
        return data
