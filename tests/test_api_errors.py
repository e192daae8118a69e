"""Bad input gets a 422 (or 400 for unparseable JSON) with field-level messages; never a 500."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import IntegrityError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kliento.clients import services
from kliento.clients.models import Client, Purchase, TimelineEntry
from tests.api_support import api_as, error_locs

pytestmark = pytest.mark.django_db


def _nothing_written() -> bool:
    return not Client.objects.exists() and not TimelineEntry.objects.exists()


def test_error_items_have_one_shape(manager):
    response = api_as(manager).post("/clients", {"contacts": [{"kind": "phone", "value": "12"}]})
    assert response.status_code == 422
    for item in response.json()["detail"]:
        assert set(item) >= {"loc", "msg", "type"}
        assert item["loc"][:2] == ["body", "payload"]


@pytest.mark.parametrize(
    ("contact", "error_type"),
    [
        ({"kind": "phone", "value": "12"}, "invalid_phone"),
        ({"kind": "phone", "value": "+48 123"}, "invalid_phone"),
        ({"kind": "email", "value": "anna@"}, "invalid_email"),
        ({"kind": "fax", "value": "123"}, "literal_error"),
    ],
)
def test_bad_contact_on_create_is_422_at_its_index(manager, contact, error_type):
    payload = {"name": "Anna", "contacts": [{"kind": "email", "value": "a@b.pl"}, contact]}
    response = api_as(manager).post("/clients", payload)
    detail = response.json()["detail"]
    assert response.status_code == 422
    assert detail[0]["loc"][:4] == ["body", "payload", "contacts", 1]
    assert detail[0]["type"] == error_type
    assert _nothing_written()


def test_missing_fields_are_listed(manager, client_card):
    api = api_as(manager)
    assert error_locs(api.post("/clients", {})) == [("body", "payload", "name")]
    assert api.post("/clients", {}).json()["detail"][0]["type"] == "missing"
    locs = error_locs(api.post(f"/clients/{client_card.pk}/purchases", {}))
    assert set(locs) == {
        ("body", "payload", "occurred_on"),
        ("body", "payload", "amount"),
        ("body", "payload", "currency"),
    }


@pytest.mark.parametrize(
    ("change", "loc", "message_part"),
    [
        ({"currency": "XYZ"}, "currency", "ISO 4217"),
        ({"currency": "EURO"}, "currency", "ISO 4217"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "future"),
        ({"amount": "-1"}, "amount", ""),
        ({"amount": "1.234"}, "amount", ""),
        ({"amount": "NaN"}, "amount", ""),
        ({"amount": "1e20"}, "amount", ""),
        ({"occurred_on": "31/12/2025"}, "occurred_on", ""),
        ({"channel": "carrier pigeon"}, "channel", ""),
    ],
)
def test_bad_purchase_is_422_on_its_field(manager, client_card, change, loc, message_part):
    payload = {"occurred_on": "2026-01-01", "amount": "10.00", "currency": "PLN"} | change
    response = api_as(manager).post(f"/clients/{client_card.pk}/purchases", payload)
    assert ("body", "payload", loc) in error_locs(response)
    assert message_part in " ".join(item["msg"] for item in response.json()["detail"])
    assert not Purchase.objects.exists()
    assert not client_card.timeline.exists()


def test_future_left_date_is_422(manager, client_card):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = api_as(manager).post(f"/clients/{client_card.pk}/left", {"left_on": tomorrow})
    assert error_locs(response) == [("body", "payload", "left_on")]


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "A\x00B"},
        {"name": "\ud800"},
        {"name": "x" * 201},
        {"name": "A", "language": "xx"},
        {"name": "A", "kind": "robot"},
        {"name": "A", "segment_id": 10**30},
        {"name": "A", "segment_id": 0},
        {"name": "A", "tag_ids": "vip"},
        {"name": "A", "segment_id": 424242},
        {"name": "A", "account_manager_id": 424242},
    ],
)
def test_bad_client_fields_are_422(manager, payload):
    field = next(k for k in payload if k != "name") if len(payload) > 1 else "name"
    locs = error_locs(api_as(manager).post("/clients", payload))
    # Text no database stores is refused by the API's parser at its place in the document
    # (["body", "name"]); every other error by the schema, under the body parameter's name.
    assert ("body", "payload", field) in [loc[:3] for loc in locs] or ("body", field) in locs
    assert _nothing_written()


def test_duplicate_external_ref_is_422(manager):
    Client.objects.create(name="First", external_ref="CRM-1")
    response = api_as(manager).post("/clients", {"name": "Second", "external_ref": "CRM-1"})
    assert error_locs(response) == [("body", "payload", "external_ref")]


def test_lost_unique_race_is_not_a_500(manager, monkeypatch):
    """Another request inserts the same reference between validation and insert."""
    Client.objects.create(name="First", external_ref="CRM-1")
    # Skip the pre-check so the insert itself meets the unique constraint, as in a race.
    monkeypatch.setattr(Client, "validate_constraints", lambda self, exclude=None: None)
    response = api_as(manager).post("/clients", {"name": "Second", "external_ref": "CRM-1"})
    assert response.status_code in (409, 422)
    assert response.json()["detail"][0]["loc"][:2] == ["body", "payload"]
    assert Client.objects.count() == 1
    assert not TimelineEntry.objects.exists()


def test_unexpected_integrity_error_is_409(manager, client_card, monkeypatch):
    def clash(**kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(services, "set_consent", clash)
    response = api_as(manager).put(f"/clients/{client_card.pk}/consents/sms", {"granted": True})
    assert response.status_code == 409
    assert response.json()["detail"][0]["type"] == "conflict"


@pytest.mark.parametrize("raw", ["{bad json", '{"name": ', b"\xff\xfe{}", "[" * 5000 + "]" * 5000])
def test_malformed_json_is_400(manager, raw):
    response = api_as(manager).post("/clients", raw=raw)
    assert response.status_code == 400
    assert "detail" in response.json()
    assert _nothing_written()


@pytest.mark.parametrize("raw", ["[]", "42", '"name"', "null", ""])
def test_json_that_is_not_an_object_is_422(manager, raw):
    response = api_as(manager).post("/clients", raw=raw)
    assert response.status_code == 422
    assert _nothing_written()


@pytest.mark.parametrize("path", ["/clients/abc", "/clients/0", f"/clients/{10**30}"])
def test_bad_path_ids_are_422(manager, path):
    response = api_as(manager).get(path)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "client_id"]


# ----------------------------------------------------------------------------- fuzz

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
client_fields = st.sampled_from(
    [
        "kind",
        "name",
        "company_id",
        "job_title",
        "language",
        "account_manager_id",
        "segment_id",
        "tag_ids",
        "external_ref",
        "notes",
        "contacts",
    ]
)
contact_like = st.fixed_dictionaries(
    {"kind": st.sampled_from(["phone", "email", "messenger", "x"]), "value": st.text(max_size=30)}
)
payloads = (
    st.dictionaries(client_fields, json_values | st.lists(contact_like, max_size=2), max_size=6)
    | st.fixed_dictionaries(
        {"name": st.text(max_size=40)},
        optional={
            "contacts": st.lists(contact_like, max_size=2),
            "external_ref": st.text(max_size=5),
            "language": st.text(max_size=3),
        },
    )
    | json_values
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=payloads)
def test_client_create_never_fails_with_a_server_error(manager, payload):
    before = Client.objects.count()
    # The test client re-raises a view's exception, so a 500 would fail here loudly.
    response = api_as(manager).post("/clients", raw=json.dumps(payload))
    assert response.status_code in (201, 422), response.content
    if response.status_code == 422:
        assert Client.objects.count() == before
        assert all(set(item) >= {"loc", "msg", "type"} for item in response.json()["detail"])


def test_messages_follow_accept_language(manager, client_card):
    api = api_as(manager)
    response = api.http.post(
        f"/api/v1/clients/{client_card.pk}/purchases",
        data={"occurred_on": "2026-01-01", "amount": "1", "currency": "XYZ"},
        content_type="application/json",
        headers=api._headers() | {"Accept-Language": "pl"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"].startswith("Użyj trzyliterowego kodu waluty")


def test_unknown_object_message(manager):
    response = api_as(manager).get("/clients/424242")
    assert response.json() == {"detail": "Not found."}


def test_a_method_a_path_does_not_take_is_a_json_405_with_allow(manager):
    api = api_as(manager)
    response = api.delete("/journeys")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "GET" in response["Allow"] and "POST" in response["Allow"]
    assert "DELETE" in response.json()["detail"]
