"""Outbound webhooks: Standard Webhooks signatures, delivery to a real local HTTP server,
retries with backoff, exactly-once claims, the SSRF guard, and the setup page and API."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kliento.desk import services as desk_services
from kliento.desk.models import Message, WebhookDelivery, WebhookEndpoint
from kliento.desk.webhooks import addresses, delivery, services, signing
from tests.api_support import api_as, error_locs
from tests.desk_support import new_case

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it receives and answers `statuses`
    in turn (the last one from then on)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.statuses = [200]
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append(
                    {"path": self.path, "headers": dict(self.headers.items()), "body": body}
                )
                status = outer.statuses.pop(0) if len(outer.statuses) > 1 else outer.statuses[0]
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"received" if status < 300 else b"server trouble")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks?src=kliento"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def endpoint_for(receiver: Receiver, events=None) -> WebhookEndpoint:
    return services.create_endpoint(
        actor=None,
        url=receiver.url,
        events=events or ["case.created", "case.updated", "case.resolved", "message.added"],
        allow_private=True,
    )


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """The receiver's check, written from the Standard Webhooks specification."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        part.split(",", 1)[1] == expected
        for part in headers["webhook-signature"].split()
        if part.startswith("v1,")
    )


# Signing


def test_the_signature_matches_the_specifications_example():
    # The example of the Standard Webhooks reference libraries.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    got = signing.signature(
        secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}'
    )
    assert got == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_new_secrets_are_whsec_base64_of_32_random_bytes():
    first, second = signing.new_secret(), signing.new_secret()
    assert first.startswith("whsec_") and first != second
    assert len(base64.b64decode(first.removeprefix("whsec_"))) == 32


# Delivery to a real server


def test_a_new_case_is_delivered_signed(
    receiver, immediate_tasks, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case(subject="Lost parcel")
    events = [json.loads(r["body"])["type"] for r in receiver.received]
    assert events == ["case.created", "message.added"]
    first = receiver.received[0]
    headers = {k.lower(): v for k, v in first["headers"].items()}
    assert verify(endpoint.secret, headers, first["body"])
    assert not verify(signing.new_secret(), headers, first["body"])
    assert first["path"] == "/hooks?src=kliento"
    payload = json.loads(first["body"])
    assert payload["data"]["case"]["number"] == case.number
    assert payload["data"]["case"]["subject"] == "Lost parcel"
    stored = WebhookDelivery.objects.get(event="case.created")
    assert headers["webhook-id"] == stored.event_id
    assert (stored.status, stored.attempts, stored.last_status_code) == ("delivered", 1, 200)
    assert stored.last_response == "received" and stored.last_duration_ms is not None


def test_events_follow_subscriptions_and_resolution(
    receiver, immediate_tasks, django_capture_on_commit_callbacks, agent
):
    endpoint_for(receiver, events=["case.resolved"])
    case = new_case()
    with django_capture_on_commit_callbacks(execute=True):
        desk_services.add_message(
            actor=agent,
            case=case,
            draft=desk_services.MessageDraft(direction="note", body_text="x"),
        )
        desk_services.set_status(actor=agent, case=case, status="resolved")
    assert [json.loads(r["body"])["type"] for r in receiver.received] == ["case.resolved"]


def test_internal_notes_are_never_sent(receiver):
    endpoint_for(receiver)
    case = new_case(body="")
    WebhookDelivery.objects.all().delete()
    desk_services.add_message(
        actor=None,
        case=case,
        draft=desk_services.MessageDraft(direction="note", body_text="secret"),
    )
    assert not WebhookDelivery.objects.exists()


def test_a_rolled_back_change_queues_nothing(receiver):
    endpoint_for(receiver)
    with pytest.raises(RuntimeError), transaction.atomic():
        new_case()
        raise RuntimeError
    assert not WebhookDelivery.objects.exists()


def test_a_failing_receiver_is_retried_with_backoff_then_failed(receiver):
    receiver.statuses = [500]
    endpoint_for(receiver, events=["case.created"])
    new_case(body="")
    pending = WebhookDelivery.objects.get()
    now = timezone.now()
    waits = []
    for _attempt in range(7):
        done = delivery.deliver(pending.pk, now=now)
        assert done is not None
        if done.next_attempt_at is not None:
            waits.append(done.next_attempt_at - now)
            # Not due before its time: nothing is sent.
            assert delivery.deliver(pending.pk, now=now) is None
            now = done.next_attempt_at
    assert waits == delivery.BACKOFF
    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == ("failed", 7)
    assert pending.last_status_code == 500 and pending.last_response == "server trouble"
    assert len(receiver.received) == 7
    # Every attempt carries the same webhook-id, so the receiver can drop repeats.
    assert len({r["headers"]["webhook-id"] for r in receiver.received}) == 1


def test_a_receiver_that_recovers_gets_it_on_the_retry(receiver):
    receiver.statuses = [503, 200]
    endpoint_for(receiver, events=["case.created"])
    new_case(body="")
    pending = WebhookDelivery.objects.get()
    first = delivery.deliver(pending.pk)
    assert first is not None and first.status == "pending"
    second = delivery.deliver(pending.pk, now=first.next_attempt_at)
    assert second is not None and (second.status, second.attempts) == ("delivered", 2)


def test_an_unreachable_receiver_is_a_failed_attempt(db):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    services.create_endpoint(
        actor=None, url=f"http://127.0.0.1:{port}/", events=["case.created"], allow_private=True
    )
    new_case(body="")
    done = delivery.deliver(WebhookDelivery.objects.get().pk)
    assert done is not None and done.status == "pending" and done.last_error
    assert done.last_status_code is None


def test_one_delivery_is_claimed_once(receiver):
    endpoint_for(receiver, events=["case.created"])
    new_case(body="")
    pending = WebhookDelivery.objects.get()
    now = timezone.now()
    assert delivery.claim(pending.pk, now) is not None
    assert delivery.claim(pending.pk, now) is None
    assert delivery.deliver(pending.pk, now=now) is None
    assert receiver.received == []


def test_a_delivery_left_sending_by_a_dead_worker_is_sent_again(receiver):
    endpoint_for(receiver, events=["case.created"])
    new_case(body="")
    pending = WebhookDelivery.objects.get()
    now = timezone.now()
    delivery.claim(pending.pk, now)
    assert delivery.release_stuck(now + dt.timedelta(minutes=1)) == 0
    assert delivery.release_stuck(now + delivery.STUCK_AFTER + dt.timedelta(seconds=1)) == 1
    assert delivery.due(now + delivery.STUCK_AFTER + dt.timedelta(seconds=1)) == [pending.pk]


def test_the_periodic_pass_sends_due_retries(receiver, immediate_tasks):
    from kliento.desk.webhooks.tasks import send_due_webhooks

    endpoint_for(receiver, events=["case.created"])
    new_case(body="")
    assert send_due_webhooks.enqueue().return_value == 1
    assert WebhookDelivery.objects.get().status == "delivered"
    assert len(receiver.received) == 1


def test_a_switched_off_endpoint_sends_nothing(receiver):
    endpoint = endpoint_for(receiver, events=["case.created"])
    new_case(body="")
    services.update_endpoint(actor=None, endpoint=endpoint, changes={"active": False})
    done = delivery.deliver(WebhookDelivery.objects.get().pk)
    assert done is not None and done.status == "failed"
    assert receiver.received == []
    new_case(body="")
    assert WebhookDelivery.objects.count() == 1


# Connector replies


def test_a_reply_on_a_chat_case_goes_out_with_the_thread_id(receiver, agent):
    endpoint_for(receiver, events=["message.added"])
    inbound = {
        "channel": "chat",
        "external_thread_id": "widget-77",
        "external_message_id": "m1",
        "author": {"name": "Ola", "address": "ola@example.com"},
        "text": "Hello?",
    }
    api = api_as(agent)
    case_id = api.post("/inbound-messages", inbound).json()["case_id"]
    reply = api.post(f"/cases/{case_id}/messages", {"text": "We are open 9-17."}).json()
    out = WebhookDelivery.objects.filter(event="message.added").order_by("id").last()
    assert out is not None
    data = out.payload["data"]
    assert (data["direction"], data["external_thread_id"], data["text"]) == (
        "out",
        "widget-77",
        "We are open 9-17.",
    )
    assert Message.objects.get(pk=reply["id"]).delivery == "pending"
    delivery.deliver(out.pk)
    assert Message.objects.get(pk=reply["id"]).delivery == "sent"


# SSRF


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://localhost:8000/hook",
    ],
)
def test_private_targets_are_refused_unless_allowed(url):
    with pytest.raises(ValidationError) as refused:
        addresses.check(url, allow_private=False)
    assert "private" in str(refused.value)
    assert addresses.check(url, allow_private=True).address


@pytest.mark.parametrize(
    "url", ["ftp://example.com/", "http:///nohost", "http://user:pw@93.184.216.34/", "not a url"]
)
def test_malformed_targets_are_refused(url):
    with pytest.raises(ValidationError):
        addresses.check(url, allow_private=True)


def test_a_public_address_is_accepted():
    target = addresses.check("https://93.184.216.34:8443/in?x=1", allow_private=False)
    assert (target.scheme, target.port, target.path, target.address) == (
        "https",
        8443,
        "/in?x=1",
        "93.184.216.34",
    )


def test_a_name_that_resolves_to_loopback_is_refused(monkeypatch):
    fake = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: fake)
    with pytest.raises(ValidationError, match="private"):
        addresses.check("http://hooks.example.com/", allow_private=False)


def test_dns_rebinding_is_caught_at_delivery_time(monkeypatch, receiver):
    answers = {"ip": "93.184.216.34"}

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers["ip"], port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    services.create_endpoint(actor=None, url="http://hooks.example.com/", events=["case.created"])
    new_case(body="")
    answers["ip"] = "127.0.0.1"  # the name now points inside
    done = delivery.deliver(WebhookDelivery.objects.get().pk)
    assert done is not None and "private" in done.last_error
    assert done.last_status_code is None and receiver.received == []


def test_the_api_refuses_private_targets_and_allows_them_explicitly(manager):
    api = api_as(manager)
    refused = api.post("/webhooks", {"url": "http://10.0.0.5/x", "events": ["case.created"]})
    assert error_locs(refused) == [("body", "payload", "url")]
    allowed = api.post(
        "/webhooks", {"url": "http://10.0.0.5/x", "events": ["case.created"], "allow_private": True}
    )
    assert allowed.status_code == 201 and allowed.json()["secret"].startswith("whsec_")
    pk = allowed.json()["id"]
    # Turning the permission off re-checks the URL it would leave behind.
    assert error_locs(api.patch(f"/webhooks/{pk}", {"allow_private": False})) == [
        ("body", "payload", "url")
    ]
    assert WebhookEndpoint.objects.get(pk=pk).allow_private is True


# API and setup page


def test_the_webhooks_api(manager, receiver):
    api = api_as(manager)
    created = api.post(
        "/webhooks", {"url": receiver.url, "events": ["case.created"], "allow_private": True}
    ).json()
    pk = created["id"]
    assert [e["id"] for e in api.get("/webhooks").json()] == [pk]
    changed = api.patch(f"/webhooks/{pk}", {"events": ["message.added"], "new_secret": True}).json()
    assert changed["events"] == ["message.added"] and changed["secret"] != created["secret"]
    assert api.patch(f"/webhooks/{pk}", {"events": ["nope"]}).status_code == 422
    assert api.patch(f"/webhooks/{pk}", {"events": []}).status_code == 422
    new_case()
    deliveries = api.get(f"/webhooks/{pk}/deliveries").json()
    assert [d["event"] for d in deliveries["items"]] == ["message.added"]
    sent = delivery.deliver(deliveries["items"][0]["id"])
    assert sent is not None
    again = api.post(f"/webhook-deliveries/{sent.pk}/send-again").json()
    assert (again["status"], again["attempts"]) == ("pending", 0)
    assert api.delete(f"/webhooks/{pk}").status_code == 204
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("persona", ["agent", "auditor", "outsider"])
def test_only_managers_set_up_webhooks(persona, request):
    user = request.getfixturevalue(persona)
    api = api_as(user)
    assert api.get("/webhooks").status_code == 403
    body = {"url": "http://10.0.0.5/x", "events": ["case.created"], "allow_private": True}
    assert api.post("/webhooks", body).status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_the_setup_page(as_manager, receiver):
    page = as_manager.get("/desk/setup/webhooks/")
    assert page.status_code == 200
    assert b"/desk/contact/" in page.content and b"contact-embed.js" in page.content
    refused = as_manager.post(
        "/desk/setup/webhooks/", {"url": "http://127.0.0.1:1/x", "events": ["case.created"]}
    )
    assert refused.status_code == 400
    assert b'id="id_url_error"' in refused.content
    added = as_manager.post(
        "/desk/setup/webhooks/",
        {"url": receiver.url, "events": ["case.created"], "active": "on", "allow_private": "on"},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert added.status_code == 302 and added["Location"] == f"/desk/setup/webhooks/{endpoint.pk}/"
    new_case(body="")
    sent = delivery.deliver(WebhookDelivery.objects.get().pk)
    assert sent is not None
    detail = as_manager.get(added["Location"])
    assert endpoint.secret.encode() in detail.content
    assert b"received" in detail.content and b"200" in detail.content
    again = as_manager.post(f"/desk/setup/webhooks/deliveries/{sent.pk}/send-again/")
    assert again.status_code == 302
    assert WebhookDelivery.objects.get().status == "pending"
    assert as_manager.post(f"/desk/setup/webhooks/{endpoint.pk}/delete/").status_code == 302
    assert not WebhookEndpoint.objects.exists()


def test_agents_do_not_see_the_setup_page(as_agent):
    assert as_agent.get("/desk/setup/webhooks/").status_code == 403


def test_managers_hear_of_a_delivery_that_gave_up(receiver, manager, agent):
    from kliento.core.models import Notification
    from kliento.core.notifications import render_text

    receiver.statuses = [500]
    endpoint_for(receiver, events=["case.created"])
    new_case(body="")
    pending = WebhookDelivery.objects.get()
    now = timezone.now()
    for _attempt in range(len(delivery.BACKOFF)):
        done = delivery.deliver(pending.pk, now=now)
        assert done is not None and done.next_attempt_at is not None
        now = done.next_attempt_at
        assert not Notification.objects.exists()
    delivery.deliver(pending.pk, now=now)
    told = Notification.objects.get()
    assert told.recipient == manager and told.kind == "desk.webhook_failed"
    assert receiver.url[:40] in render_text(told)
