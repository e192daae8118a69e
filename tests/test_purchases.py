"""Recording and removing purchases: validation and the timeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kliento.clients import services
from kliento.clients.models import Purchase, TimelineEntry
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def record(actor, client, **overrides):
    values = {
        "occurred_on": dt.date(2026, 1, 10),
        "amount": Decimal("149.90"),
        "currency": "PLN",
        "description": "Salsa course, 10 lessons",
    }
    values.update(overrides)
    return services.record_purchase(actor=actor, client=client, **values)


def test_purchase_is_recorded_with_a_timeline_entry(agent, client_card):
    purchase = record(agent, client_card, currency="eur", items=[{"sku": "S10", "qty": 1}])
    purchase.refresh_from_db()
    assert purchase.currency == "EUR"
    assert purchase.amount == Decimal("149.90")
    assert purchase.items == [{"sku": "S10", "qty": 1}]
    entry = client_card.timeline.get()
    assert entry.kind == TimelineEntry.Kind.PURCHASE
    assert entry.summary == "149.90 EUR Salsa course, 10 lessons"
    assert entry.data == {
        "purchase_id": purchase.pk,
        "amount": "149.90",
        "currency": "EUR",
        "occurred_on": "2026-01-10",
    }


def test_purchase_dated_today_is_accepted(agent, client_card):
    assert record(agent, client_card, occurred_on=TODAY()).occurred_on == TODAY()


def test_zero_amount_is_accepted(agent, client_card):
    # A free trial lesson is a purchase worth recording.
    assert record(agent, client_card, amount=Decimal("0")).amount == 0


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"currency": "ZZZ"},
            {"currency": ["Use a three-letter ISO 4217 currency code, such as EUR."]},
        ),
        (
            {"currency": ""},
            {"currency": ["Use a three-letter ISO 4217 currency code, such as EUR."]},
        ),
        (
            {"occurred_on": TODAY() + dt.timedelta(days=1)},
            {"occurred_on": ["A purchase cannot be dated in the future."]},
        ),
        ({"amount": Decimal("-0.01")}, {"amount": ["The amount cannot be negative."]}),
    ],
    ids=["unknown-currency", "no-currency", "future-date", "negative-amount"],
)
def test_bad_purchase_is_refused_with_a_precise_message(agent, client_card, overrides, errors):
    with pytest.raises(ValidationError) as exc:
        record(agent, client_card, **overrides)
    assert exc.value.message_dict == errors
    assert not Purchase.objects.exists()
    assert not TimelineEntry.objects.exists()


def test_every_problem_is_reported_at_once(agent, client_card):
    with pytest.raises(ValidationError) as exc:
        record(
            agent,
            client_card,
            currency="EURO",
            amount=Decimal("-5"),
            occurred_on=TODAY() + dt.timedelta(days=3),
        )
    assert set(exc.value.message_dict) == {"currency", "amount", "occurred_on"}


def test_unknown_channel_is_refused(agent, client_card):
    with pytest.raises(ValidationError) as exc:
        record(agent, client_card, channel="telepathy")
    assert "channel" in exc.value.message_dict


def test_order_number_is_unique(agent, client_card):
    record(agent, client_card, external_ref="ORD-1")
    with pytest.raises(ValidationError) as exc:
        record(agent, ClientFactory(), external_ref="ORD-1")
    assert "external_ref" in exc.value.message_dict
    assert Purchase.objects.count() == 1


def test_remove_purchase_leaves_a_trace_on_the_timeline(manager, client_card):
    purchase = record(manager, client_card)
    services.remove_purchase(actor=manager, purchase=purchase)
    assert not Purchase.objects.exists()
    removed = client_card.timeline.order_by("-id").first()
    assert removed.kind == TimelineEntry.Kind.PURCHASE_REMOVED
    assert removed.summary == "149.90 PLN"
    assert removed.data == {"occurred_on": "2026-01-10", "amount": "149.90", "currency": "PLN"}
