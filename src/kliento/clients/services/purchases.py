"""Purchases and their validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients.currencies import is_currency
from kliento.clients.models import (
    Client,
    Purchase,
    TimelineEntry,
)
from kliento.clients.services import timeline
from kliento.clients.services.common import save_unique


@transaction.atomic
def record_purchase(
    *,
    actor,
    client: Client,
    occurred_on: dt.date,
    amount: Decimal,
    currency: str,
    description: str = "",
    items: list[Any] | None = None,
    channel: str = Purchase.Channel.STORE,
    external_ref: str | None = None,
) -> Purchase:
    purchase = Purchase(
        client=client,
        occurred_on=occurred_on,
        amount=amount,
        currency=(currency or "").upper(),
        description=description,
        items=items or [],
        channel=channel,
        external_ref=external_ref or None,
    )
    validate_purchase(purchase)
    save_unique(
        purchase, field="external_ref", message=_("A purchase with this order number exists.")
    )
    timeline.record(
        client=client,
        kind=TimelineEntry.Kind.PURCHASE,
        actor=actor,
        summary=f"{purchase.amount} {purchase.currency} {description}".strip(),
        data={
            "purchase_id": purchase.pk,
            "amount": str(purchase.amount),
            "currency": purchase.currency,
            "occurred_on": occurred_on.isoformat(),
        },
    )
    return purchase


def validate_purchase(purchase: Purchase) -> None:
    errors: dict[str, list[str]] = {}
    if not is_currency(purchase.currency):
        errors["currency"] = [_("Use a three-letter ISO 4217 currency code, such as EUR.")]
    if purchase.occurred_on and purchase.occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("A purchase cannot be dated in the future.")]
    if isinstance(purchase.amount, Decimal | int) and purchase.amount < 0:
        # Said here in words; the database constraint would only name itself.
        errors["amount"] = [_("The amount cannot be negative.")]
    try:
        # Fields already refused above are not checked again, so each gets one clear message.
        purchase.full_clean(exclude=["client", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def remove_purchase(*, actor, purchase: Purchase) -> None:
    locked = Purchase.objects.select_for_update().filter(pk=purchase.pk).first()
    if locked is None:  # removed meanwhile (a double click): one removal, one entry
        return
    timeline.record(
        client=locked.client_id,
        kind=TimelineEntry.Kind.PURCHASE_REMOVED,
        actor=actor,
        summary=f"{locked.amount} {locked.currency}",
        data={"occurred_on": locked.occurred_on.isoformat()},
    )
    locked.delete()
