"""The card's forms. They read and present input; the rules (kliento.clients.rules,
kliento.core.money) are the services', whose errors the views show beside these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kliento.clients import rules
from kliento.clients.contacts import phone_region, phone_regions
from kliento.clients.models import (
    ChannelConsent,
    Client,
    ContactPoint,
    PortraitFact,
    Purchase,
    Segment,
    Tag,
)
from kliento.clients.selectors import SORTS, ClientFilters, staff
from kliento.core.forms import AmountField, CurrencyField, DateInput, StyledForm, StyledModelForm


class _Offered(ModelChoiceIterator):
    """The choices a select shows, when the field accepts more than it offers."""

    def __init__(self, field: forms.ModelChoiceField, offered: QuerySet[Any]) -> None:
        super().__init__(field)
        self.queryset = offered


SORT_CHOICES = [
    ("name", _("Name A–Z")),
    ("-name", _("Name Z–A")),
    ("-created", _("Newest first")),
    ("created", _("Oldest first")),
    ("-updated", _("Recently updated")),
    ("-revenue", _("Highest revenue")),
    ("revenue", _("Lowest revenue")),
    ("-last_purchase", _("Latest purchase first")),
    ("last_purchase", _("Longest without a purchase")),
    ("-last_contact", _("Latest contact first")),
    ("last_contact", _("Longest without contact")),
]
MAX_SELECTION = 1000
MAX_IDS_TEXT = MAX_SELECTION * 21


def parse_ids(text: str) -> tuple[int, ...]:
    """ "12,15,40" as ids; raises ValueError on anything else (or more than MAX_SELECTION)."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > MAX_SELECTION or not all(p.isdecimal() and len(p) < 19 for p in parts):
        raise ValueError(text)
    return tuple(sorted({int(p) for p in parts}))


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
        queryset=staff(),
        required=False,
        empty_label=_("All managers"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Client.Status.choices],
        required=False,
    )
    key_only = forms.BooleanField(label=_("Key clients only"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)
    # Whole amounts in the default currency: unambiguous in every language and in a saved view.
    revenue_min = forms.IntegerField(
        label=_("Revenue from"), required=False, min_value=0, max_value=10**13
    )
    revenue_max = forms.IntegerField(
        label=_("Revenue up to"), required=False, min_value=0, max_value=10**13
    )
    no_purchase_days = forms.IntegerField(
        label=_("No purchase for (days)"), required=False, min_value=0, max_value=36500
    )
    contact_older_days = forms.IntegerField(
        label=_("No contact for (days)"), required=False, min_value=0, max_value=36500
    )
    contact_newer_days = forms.IntegerField(
        label=_("Contacted within (days)"), required=False, min_value=0, max_value=36500
    )
    # A selection of rows ("12,15,40"): the export of selected clients.
    ids = forms.CharField(required=False, widget=forms.HiddenInput, max_length=MAX_IDS_TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["manager"]).queryset = staff()

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
            revenue_min=None if data["revenue_min"] is None else Decimal(data["revenue_min"]),
            revenue_max=None if data["revenue_max"] is None else Decimal(data["revenue_max"]),
            no_purchase_days=data["no_purchase_days"],
            contact_older_days=data["contact_older_days"],
            contact_newer_days=data["contact_newer_days"],
            ids=data["ids"],
        )

    def clean_ids(self) -> tuple[int, ...] | None:
        text = self.cleaned_data.get("ids") or ""
        if not text:
            return None
        try:
            return parse_ids(text)
        except ValueError:
            raise forms.ValidationError(_("Not a list of clients."), code="invalid") from None

    def clean_sort(self) -> str:
        value = self.cleaned_data.get("sort") or "name"
        return value if value in SORTS else "name"


class ClientForm(StyledModelForm):
    # Offers the companies but takes any client: whether the chosen one may be this client's
    # company is for the rules to say, in their words, not "Select a valid choice".
    company = forms.ModelChoiceField(
        label=_("Company"), queryset=Client.objects.all(), required=False
    )

    class Meta:
        model = Client
        fields = list(rules.FORM_FIELDS)
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "tags": forms.CheckboxSelectMultiple,
            "client_since": DateInput(),
        }
        help_texts = {
            "client_since": _(
                "Left empty: the first purchase, else today. Never after the first purchase."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managers = staff()
        if self.instance.account_manager_id:
            # Someone who has left stays choosable where they already are, so the card can be
            # saved without first reassigning the client.
            managers = get_user_model().objects.filter(
                Q(pk__in=managers.values("pk")) | Q(pk=self.instance.account_manager_id)
            )
        cast(forms.ModelChoiceField, self.fields["account_manager"]).queryset = managers
        companies = Client.objects.filter(kind=Client.Kind.COMPANY)
        if self.instance.pk:
            companies = companies.exclude(pk=self.instance.pk)
        company = cast(forms.ModelChoiceField, self.fields["company"])
        company.widget.choices = _Offered(company, companies)

    def validate_unique(self) -> None:
        """The service checks the reference, with the message every entry path gives."""

    def validate_constraints(self) -> None:
        """The same: the service says it in the rules' words."""

    def changes(self) -> dict[str, Any]:
        """The edited fields, for `services.update_client(changes=...)`."""
        return {f: self.cleaned_data[f] for f in rules.EDITABLE_FIELDS if f in self.cleaned_data}


class NewClientForm(ClientForm):
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.CharField(label=_("Email"), required=False, max_length=254)


# The country a client's phone numbers most likely belong to, by the client's language.
REGION_BY_LANGUAGE = {"pl": "PL", "uk": "UA"}


def likely_phone_region(client: Client | None) -> str:
    """Where the client's last phone number is from; else their language's country; else
    KLIENTO_DEFAULT_REGION."""
    if client is not None and client.pk:
        last = (
            ContactPoint.objects.filter(client=client, kind=ContactPoint.Kind.PHONE)
            .order_by("-id")
            .values_list("value", flat=True)
            .first()
        )
        if last and (region := phone_region(last)):
            return region
        if client.language in REGION_BY_LANGUAGE:
            return REGION_BY_LANGUAGE[client.language]
    return str(settings.KLIENTO_DEFAULT_REGION).upper()


class ContactForm(StyledModelForm):
    # Read only for phones written without their country code ("067 123 45 67").
    region = forms.ChoiceField(
        label=_("Country of the phone number"),
        required=False,
        help_text=_("For a phone number written without its country code."),
    )

    class Meta:
        model = ContactPoint
        fields = ["kind", "value", "region", "messenger", "label", "is_primary"]

    field_order = ["kind", "value", "region", "messenger", "label", "is_primary"]

    def __init__(self, *args: Any, client: Client | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = cast(forms.ChoiceField, self.fields["region"])
        region.choices = phone_regions()
        region.initial = likely_phone_region(client)
        self.fields["region"].widget.attrs["autocomplete"] = "off"

    def clean_region(self) -> str | None:
        return self.cleaned_data.get("region") or None


class KeyFlagForm(forms.Form):
    """What the card's key-client button asks for; explicit, so a repeated submit (a double
    click, a second tab) asks for the same thing again instead of flipping the flag back."""

    is_key = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )


class ConsentForm(StyledForm):
    channel = forms.ChoiceField(choices=ChannelConsent.Channel.choices)
    granted = forms.BooleanField(required=False)


class PortraitFactForm(StyledModelForm):
    class Meta:
        model = PortraitFact
        fields = ["category", "text", "source"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Choose a category")),
            *PortraitFact.Category.choices,
        ]
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            ("", _("Where is it from?")),
            *PortraitFact.Source.choices,
        ]


class VerifyFactForm(StyledForm):
    text = forms.CharField(
        label=_("Fact"),
        required=False,
        max_length=PortraitFact._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PurchaseForm(StyledModelForm):
    # Typed as people write amounts in their language; read by kliento.core.money.
    amount = AmountField(label=_("Amount"))
    currency = CurrencyField(label=_("Currency"))
    cost = AmountField(
        label=_("Cost"),
        required=False,
        help_text=_("What the sale cost the company, in the same currency; for margin figures."),
    )

    class Meta:
        model = Purchase
        fields = [
            "occurred_on",
            "amount",
            "cost",
            "currency",
            "description",
            "channel",
            "external_ref",
        ]
        widgets = {"occurred_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].initial = settings.KLIENTO_DEFAULT_CURRENCY
        self.fields["occurred_on"].initial = timezone.localdate()

    def validate_unique(self) -> None:
        """The service checks the order number, with the message every entry path gives."""

    def validate_constraints(self) -> None:
        """The same (the order number, the amount's sign): in kliento.core.money's words."""


class LeftForm(StyledForm):
    left_on = forms.DateField(
        label=_("Left on"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date the client left."),
            "invalid": _("Enter the date the client left."),
        },
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


def merge_value(client: Client, field: str) -> str:
    """A client's value of a field as the merge page shows it."""
    if field == "kind":
        return str(client.get_kind_display())
    if field == "language":
        return str(client.get_language_display()) if client.language else "—"
    value = getattr(client, field)
    if value is None or value == "":
        return "—"
    if field == "account_manager":
        return value.get_full_name() or value.username
    return str(value)


class MergeForm(StyledForm):
    """Which client to keep and, for each field where the clients differ, whose value it takes
    (empty: the kept client's own)."""

    def __init__(self, clients: list[Client], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clients = clients
        self.fields["survivor"] = forms.TypedChoiceField(
            label=_("Keep this card"),
            choices=[(c.pk, f"{c.name} (#{c.pk})") for c in clients],
            coerce=int,
            initial=clients[0].pk if clients else None,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        )
        self.differing: list[str] = []
        for field in rules.EDITABLE_FIELDS:
            shown = {c.pk: merge_value(c, field) for c in clients}
            if len(set(shown.values())) < 2:
                continue
            self.differing.append(field)
            self.fields[f"take_{field}"] = forms.TypedChoiceField(
                label=capfirst(str(getattr(Client._meta.get_field(field), "verbose_name", field))),
                choices=[
                    ("", _("The value of the card kept")),
                    *[(c.pk, f"{shown[c.pk]} ({c.name}, #{c.pk})") for c in clients],
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def field_choices(self) -> dict[str, int]:
        return {
            field: self.cleaned_data[f"take_{field}"]
            for field in self.differing
            if self.cleaned_data.get(f"take_{field}") is not None
        }

    def duplicates(self) -> list[int]:
        survivor = self.cleaned_data["survivor"]
        return [c.pk for c in self.clients if c.pk != survivor]


class SavedViewForm(StyledForm):
    name = forms.CharField(label=_("View name"), max_length=80)
    shared = forms.BooleanField(label=_("Share with everyone"), required=False)


class BulkSelectionForm(forms.Form):
    """What a bulk action applies to: the rows ticked, or every client the filters match."""

    action = forms.CharField(max_length=30)
    all = forms.BooleanField(required=False)
    # The list's filters as a query string ("q=…&segment=3"), for "all N matching".
    query = forms.CharField(required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The ticked rows, as many "ids" values (checkboxes) or one "12,15" (the confirm page).
        raw = ",".join(self.data.getlist("ids")) if hasattr(self.data, "getlist") else ""
        try:
            data["ids"] = parse_ids(raw)
        except ValueError:
            raise forms.ValidationError(_("Not a list of clients."), code="invalid") from None
        if not data.get("all") and not data["ids"]:
            raise forms.ValidationError(_("Select some clients first."), code="empty")
        return data


class BulkManagerForm(StyledForm):
    manager = forms.ModelChoiceField(
        label=_("Account manager"),
        queryset=staff(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["manager"]).queryset = staff()


class BulkTagForm(StyledForm):
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=Tag.objects.all())


class BulkSegmentForm(StyledForm):
    segment = forms.ModelChoiceField(
        label=_("Segment"), queryset=Segment.objects.all(), required=False, empty_label=_("None")
    )


class BulkLeftForm(StyledForm):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()


class BulkExportForm(forms.Form):
    """Export takes no value: the confirm page offers the files."""
