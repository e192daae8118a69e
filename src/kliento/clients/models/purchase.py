from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core import money


class Purchase(models.Model):
    class SalesChannel(models.TextChoices):
        """Where the sale was made; not a communication channel (see kliento.core.channels)."""

        STORE = "store", _("Store / office")
        ONLINE = "online", _("Online")
        PHONE = "phone", _("Phone")
        PARTNER = "partner", _("Partner")
        OTHER = "other", _("Other")

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="purchases")
    occurred_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount"), max_digits=money.MAX_DIGITS, decimal_places=money.DECIMAL_PLACES
    )
    currency = models.CharField(_("currency"), max_length=3)
    # What the sale cost the company, in the purchase's currency; unknown (None) for most
    # imported history, so margin figures say which purchases lacked it.
    cost = models.DecimalField(
        _("cost"),
        max_digits=money.MAX_DIGITS,
        decimal_places=money.DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    items = models.JSONField(_("items"), default=list, blank=True)
    channel = models.CharField(
        _("sales channel"), max_length=10, choices=SalesChannel.choices, default=SalesChannel.STORE
    )
    # Order number in the source system; a second import of the same order is refused.
    external_ref = models.CharField(_("order number"), max_length=100, null=True, blank=True)  # noqa: DJ001 unique when set
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["client", "occurred_on"], name="purchase_client_date_idx"),
            models.Index(fields=["occurred_on"], name="purchase_date_idx"),
            # The journeys' incremental rule runs ask for the purchases recorded since a
            # watermark (client_id in the index: answered without visiting the table).
            models.Index(fields=["created_at", "client"], name="purchase_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_ref"], name="purchase_unique_external_ref"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="purchase_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(cost__isnull=True) | models.Q(cost__gte=0),
                name="purchase_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.amount} {self.currency}"
