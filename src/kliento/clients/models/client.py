from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.channels import ConsentChannel, ContactKind
from kliento.core.folding import FoldedTextField


class Segment(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Client(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        COMPANY = "company", _("Company")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    # `name` folded for search (kliento.core.folding): lower case, no accents, "ł" as "l".
    # Kept up to date on save() and bulk_create(); other bulk writers set it themselves.
    search_name = FoldedTextField(source="name")
    # The company a contact person works for; only people have one, and it must be a company
    # (kliento.clients.rules says so, with a message, for every entry path).
    company = models.ForeignKey(
        "self",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_persons",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_clients",
    )
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clients",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="clients")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # When the client became a client (churn cohorts start here). Not given, it is the first
    # purchase, else the day the record was created: kliento.clients.rules.settle_client_since
    # says so for every entry path. Null only between a bulk write and that settling.
    client_since = models.DateField(_("client since"), null=True, blank=True)
    is_key = models.BooleanField(_("key client"), default=False)
    # Identifier in the system the client came from; import matches on it.
    external_ref = models.CharField(_("external reference"), max_length=100, null=True, blank=True)  # noqa: DJ001 unique when set
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Kept by kliento.clients.services.activity (purchase service, purchase import, contact-type
    # timeline entries), so the list sorts and filters on them through an index at 1M clients.
    # Revenue: the sum of purchases in KLIENTO_DEFAULT_CURRENCY (other currencies not converted).
    revenue = models.DecimalField(
        _("revenue"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0.00"),
        db_default=Decimal("0.00"),  # bulk writers (COPY) leave it out
    )
    last_purchase_on = models.DateField(_("last purchase"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name", "id"]
        permissions = [
            ("import_data", _("Can import clients and purchases")),
            ("export_data", _("Can export clients and purchases")),
            ("view_key_clients", _("Can see the key-client analysis")),
            ("flag_key_clients", _("Can flag key clients")),
            ("merge_client", _("Can merge duplicate clients")),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="client_name_idx"),
            models.Index(fields=["status", "name"], name="client_status_name_idx"),
            models.Index(fields=["-created_at"], name="client_created_idx"),
            models.Index(fields=["revenue", "id"], name="client_revenue_idx"),
            # The journeys' incremental rule runs ask for the clients saved since a watermark.
            models.Index(fields=["updated_at"], name="client_updated_idx"),
            # The metrics count clients who became clients in a period.
            models.Index(fields=["client_since"], name="client_since_idx"),
            # last_purchase_on and last_contact_at have indexes NULLS FIRST (migration 0006, by
            # hand: SQLite cannot declare it and sorts NULLs first anyway).
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_ref"], name="client_unique_external_ref"),
            models.CheckConstraint(
                condition=models.Q(status="left") | models.Q(left_on__isnull=True),
                name="client_left_on_only_when_left",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("clients:detail", args=[self.pk])


class ContactPoint(models.Model):
    # The communication channels a contact can be (kliento.core.channels).
    Kind = ContactKind

    class Messenger(models.TextChoices):
        TELEGRAM = "telegram", "Telegram"
        WHATSAPP = "whatsapp", "WhatsApp"
        VIBER = "viber", "Viber"
        SIGNAL = "signal", "Signal"
        MESSENGER = "facebook", "Facebook Messenger"
        OTHER = "other", _("Other")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    messenger = models.CharField(
        _("messenger"), max_length=10, choices=Messenger.choices, blank=True
    )
    # E.164 for phones, lower-case for emails, the handle for messengers; search uses it.
    value = models.CharField(_("value"), max_length=254)
    label = models.CharField(_("label"), max_length=60, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["kind", "-is_primary", "id"]
        indexes = [models.Index(fields=["value"], name="contact_value_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind", "value"], name="contact_unique_per_client"
            )
        ]

    def __str__(self) -> str:
        return self.value


class ChannelConsent(models.Model):
    """Whether the client agreed to be contacted through a channel, and since when."""

    # The communication channels a client can agree to (kliento.core.channels).
    Channel = ConsentChannel

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["client", "channel"], name="consent_unique_channel")
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.granted}"
