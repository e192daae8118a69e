"""Races of the desk's API part on PostgreSQL: two messages of one new connector thread at
once, two workers sending one webhook delivery."""

from __future__ import annotations

import pytest
from django.conf import settings

from kliento.desk.models import Case, ConnectorThread, Message, WebhookDelivery
from kliento.desk.services import inbound
from kliento.desk.webhooks import delivery, services
from tests.desk_support import new_case
from tests.test_concurrency import run_together
from tests.test_desk_webhooks import Receiver

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="races need two connections to a database with row locks (PostgreSQL)",
    ),
]


def test_two_messages_of_one_new_thread_open_one_case():
    def receive(message_id: str):
        return lambda: inbound.receive(
            actor=None,
            item=inbound.Inbound(
                channel="messenger",
                thread_id="fb-thread-1",
                message_id=message_id,
                author_name="Ola",
                author_address="ola.handle",
                text=f"Message {message_id}",
            ),
        )

    assert run_together(receive("a"), receive("b")) == []
    assert Case.objects.count() == 1
    assert ConnectorThread.objects.get().case_id == Case.objects.get().pk
    assert sorted(Message.objects.values_list("external_id", flat=True)) == ["a", "b"]


def test_two_workers_send_a_delivery_once():
    with Receiver() as receiver:
        services.create_endpoint(
            actor=None, url=receiver.url, events=["case.created"], allow_private=True
        )
        new_case(body="")
        pk = WebhookDelivery.objects.get().pk
        results: list = []
        errors = run_together(
            lambda: results.append(delivery.deliver(pk)),
            lambda: results.append(delivery.deliver(pk)),
        )
        assert errors == []
        assert len(receiver.received) == 1
        assert sorted(r is None for r in results) == [False, True]
        assert WebhookDelivery.objects.get().attempts == 1
