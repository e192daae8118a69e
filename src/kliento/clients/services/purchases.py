"""Purchases and their validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients.models import (
    Client,
    Purchase,
    TimelineEntry,
)
from kliento.clients.services import activity, timeline
from kliento.clients.services.common import lock_client, save_unique
from kliento.core import dates, money
from kliento.core.db import retry_on_conflict
from kliento.core.types import Actor


@retry_on_conflict
@transaction.atomic
def record_purchase(
    *,
    actor: Actor,
    client: Client,
    occurred_on: dt.date,
    amount: Decimal,
    currency: str,
    description: str = "",
    items: list[Any] | None = None,
    channel: str = Purchase.SalesChannel.STORE,
    external_ref: str | None = None,
    cost: Decimal | None = None,
) -> Purchase:
    """Record a purchase. The amount, the optional cost (in the purchase's currency) and the
    currency are checked by `kliento.core.money`, as in the card's form, the API and the import;
    amounts are stored quantised to cents."""
    purchase = Purchase(
        client=client,
        occurred_on=occurred_on,
        amount=amount,
        currency=(currency or "").strip().upper(),
        description=description,
        items=items or [],
        channel=channel,
        external_ref=external_ref or None,
        cost=cost,
    )
    validate_purchase(purchase)
    save_unique(purchase, field="external_ref", message=str(_duplicate_order().message))
    activity.refresh_purchase_totals(client_ids=[client.pk])
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
            **({"cost": str(purchase.cost)} if purchase.cost is not None else {}),
        },
    )
    return purchase


def validate_purchase(purchase: Purchase) -> None:
    """Check a purchase before it is saved, every problem at once; normalises the amount (to
    cents) and the currency (upper case) in place."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        purchase.currency = money.validate_currency(purchase.currency)
    except ValidationError as exc:
        errors["currency"] = exc.error_list
    if purchase.occurred_on and purchase.occurred_on > timezone.localdate():
        errors["occurred_on"] = [
            ValidationError(_("A purchase cannot be dated in the future."), code="future_date")
        ]
    elif purchase.occurred_on:
        try:
            dates.check_day(purchase.occurred_on)
        except ValidationError as exc:
            errors["occurred_on"] = exc.error_list
    try:
        # Said here in words; the database constraint would only name itself.
        purchase.amount = money.clean_amount(purchase.amount)
    except ValidationError as exc:
        errors["amount"] = exc.error_list
    if purchase.cost is not None:
        try:
            # The cost is money in the purchase's own currency: the amount's rule, no rates.
            purchase.cost = money.clean_amount(purchase.cost)
        except ValidationError as exc:
            errors["cost"] = exc.error_list
    purchase.external_ref = purchase.external_ref or None
    if (
        purchase.external_ref
        and Purchase.objects.filter(external_ref=purchase.external_ref)
        .exclude(pk=purchase.pk)
        .exists()
    ):
        errors["external_ref"] = [_duplicate_order()]
    try:
        # Fields already refused above are not checked again, so each gets one clear message.
        # The constraints are checked above in words (the order number, the amount's sign).
        purchase.full_clean(exclude=["client", *errors], validate_constraints=False)
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)


def _duplicate_order() -> ValidationError:
    return ValidationError(
        _("A purchase with this order number exists."), code="duplicate_order_number"
    )


@retry_on_conflict
@transaction.atomic
def remove_purchase(*, actor: Actor, purchase: Purchase) -> None:
    lock_client(purchase.client_id)
    locked = Purchase.objects.select_for_update().filter(pk=purchase.pk).first()
    if locked is None:  # removed meanwhile (a double click): one removal, one entry
        return
    timeline.record(
        client=locked.client_id,
        kind=TimelineEntry.Kind.PURCHASE_REMOVED,
        actor=actor,
        summary=f"{locked.amount} {locked.currency}",
        data={
            "amount": str(locked.amount),
            "currency": locked.currency,
            "occurred_on": locked.occurred_on.isoformat(),
        },
    )
    locked.delete()
    activity.refresh_purchase_totals(client_ids=[locked.client_id])
