"""`Idempotency-Key` on the desk's creating POSTs: a retry answers the first result."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.utils import timezone

from kliento.core.tokens import issue_token
from kliento.desk import idempotency
from kliento.desk.models import Call, Case, IdempotencyRecord, Message
from tests.api_support import BASE
from tests.desk_support import new_case
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def _post(user, path, body, key=None):
    headers = {"Authorization": f"Bearer {issue_token(actor=user, user=user, name='t')[1]}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return HttpClient().post(
        BASE + path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_a_retry_with_the_same_key_answers_the_first_result(agent):
    client = ClientFactory()
    body = {"subject": "Lost parcel", "client_id": client.pk, "channel": "email"}
    first = _post(agent, "/cases", body, key="abc-1")
    second = _post(agent, "/cases", body, key="abc-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_without_a_key_each_post_creates(agent):
    client = ClientFactory()
    body = {"subject": "Lost parcel", "client_id": client.pk, "channel": "email"}
    _post(agent, "/cases", body)
    _post(agent, "/cases", body)
    assert Case.objects.count() == 2


def test_the_same_key_with_another_body_is_refused(agent):
    client = ClientFactory()
    body = {"subject": "Lost parcel", "client_id": client.pk, "channel": "email"}
    _post(agent, "/cases", body, key="k")
    other = _post(agent, "/cases", {**body, "subject": "Another"}, key="k")
    assert other.status_code == 422
    assert other.json()["detail"][0]["type"] == "idempotency_key_reused"
    assert other.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    # Another path with the same key is another request too.
    case = Case.objects.get()
    assert _post(agent, f"/cases/{case.pk}/messages", {"text": "x"}, key="k").status_code == 422
    assert Case.objects.count() == 1


def test_keys_belong_to_their_user(agent):
    other = UserFactory(username="other-agent", role="agent")
    client = ClientFactory()
    body = {"subject": "Lost parcel", "client_id": client.pk, "channel": "email"}
    _post(agent, "/cases", body, key="shared")
    assert _post(other, "/cases", body, key="shared").status_code == 201
    assert Case.objects.count() == 2


def test_a_failed_request_does_not_keep_the_key(agent):
    body = {"subject": "Lost parcel", "client_id": 999999, "channel": "email"}
    assert _post(agent, "/cases", body, key="retry-me").status_code == 422
    assert not IdempotencyRecord.objects.exists()
    body["client_id"] = ClientFactory().pk
    assert _post(agent, "/cases", body, key="retry-me").status_code == 201


def test_a_key_still_in_progress_is_a_409(agent):
    body = {"subject": "Lost parcel", "client_id": ClientFactory().pk, "channel": "email"}
    raw = json.dumps(body).encode()
    import hashlib

    IdempotencyRecord.objects.create(
        user=agent,
        key="busy",
        method="POST",
        path=f"{BASE}/cases",
        body_hash=hashlib.sha256(raw).hexdigest(),
        created_at=timezone.now(),
    )
    response = _post(agent, "/cases", body, key="busy")
    assert response.status_code == 409
    assert response.json()["detail"][0]["type"] == "in_progress"
    assert response["Retry-After"] == "1"
    assert not Case.objects.exists()


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "bad\tkey"])
def test_unusable_keys_are_422(agent, key):
    body = {"subject": "Lost parcel", "client_id": ClientFactory().pk, "channel": "email"}
    response = _post(agent, "/cases", body, key=key)
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_every_creating_post_honours_the_key(agent, manager):
    case = new_case()
    call = {"direction": "in", "number": "+48601234567", "outcome": "missed"}
    inbound = {
        "channel": "chat",
        "external_thread_id": "t",
        "external_message_id": "m",
        "text": "hi",
    }
    for path, body in (
        (f"/cases/{case.pk}/messages", {"text": "Reply"}),
        ("/calls", call),
        ("/inbound-messages", inbound),
    ):
        first = _post(agent, path, body, key=f"key-{path}")
        again = _post(agent, path, body, key=f"key-{path}")
        assert first.status_code in (200, 201) and again.json() == first.json(), path
    webhook = {"url": "http://127.0.0.1:9/x", "events": ["case.created"], "allow_private": True}
    first = _post(manager, "/webhooks", webhook, key="hook")
    assert _post(manager, "/webhooks", webhook, key="hook").json() == first.json()
    assert Call.objects.count() == 1
    assert Message.objects.filter(case=case, body_text="Reply").count() == 1


def test_records_older_than_a_day_are_pruned(agent):
    old = IdempotencyRecord.objects.create(
        user=agent,
        key="old",
        method="POST",
        path="/x",
        body_hash="0" * 64,
        created_at=timezone.now() - dt.timedelta(hours=25),
    )
    fresh = IdempotencyRecord.objects.create(
        user=agent,
        key="new",
        method="POST",
        path="/x",
        body_hash="0" * 64,
        created_at=timezone.now(),
    )
    assert idempotency.prune() == 1
    assert list(IdempotencyRecord.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert old.pk != fresh.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="races need two connections to a database with row locks (PostgreSQL)",
)
def test_two_concurrent_requests_with_one_key_create_once():
    from tests.test_concurrency import run_together

    agent = UserFactory(username="racer", role="agent")
    token = issue_token(actor=agent, user=agent, name="t")[1]
    client = ClientFactory()
    body = json.dumps({"subject": "Twice", "client_id": client.pk, "channel": "email"})
    answers: list[tuple[int, dict]] = []

    def send():
        response = HttpClient().post(
            f"{BASE}/cases",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "race"},
        )
        answers.append((response.status_code, response.json()))

    assert run_together(send, send) == []
    assert Case.objects.count() == 1
    statuses = sorted(status for status, _body in answers)
    assert statuses in ([201, 201], [201, 409]), answers
    created = [b for s, b in answers if s == 201]
    assert all(b["id"] == Case.objects.get().pk for b in created)
