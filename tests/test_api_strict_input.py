"""The API's answers to odd bodies are JSON and documented; types are strict; days plausible.

One rule for days (`kliento.core.dates`: 1900-01-01 to 2100-12-31) serves the API, the card's
forms and the import alike.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kliento.clients.models import Client, Purchase
from kliento.core import dates
from kliento.imports.common import ImportRejected
from tests.api_support import api_as, error_locs
from tests.factories import ClientFactory, SegmentFactory
from tests.imports_helpers import do_import, write_csv

pytestmark = pytest.mark.django_db


def _purchase(**change):
    return {"occurred_on": "2025-03-14", "amount": "10.00", "currency": "PLN", **change}


def test_a_body_over_the_limit_is_a_json_413(manager, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as(manager).post("/clients", {"name": "x" * 2000})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "too large" in response.json()["detail"]
    assert not Client.objects.exists()


@pytest.mark.parametrize("raw", ["{bad json", b"\xff\xfe{}", "name=Anna"])
def test_a_body_that_is_not_json_is_a_documented_400(manager, raw):
    response = api_as(manager).post("/clients", raw=raw)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "not valid JSON" in response.json()["detail"]


def test_the_400_speaks_the_callers_language(manager):
    api = api_as(manager)
    response = api.http.post(
        "/api/v1/clients",
        data="{bad",
        content_type="application/json",
        headers={**api._headers(), "Accept-Language": "pl"},
    )
    assert response.status_code == 400
    assert response.json()["detail"]  # translated by the final catalog pass; never empty


@pytest.mark.parametrize(
    ("payload", "loc"),
    [
        ({"segment_id": True}, ("body", "payload", "segment_id")),
        ({"segment_id": "1"}, ("body", "payload", "segment_id")),
        ({"segment_id": 1.0}, ("body", "payload", "segment_id")),
        ({"tag_ids": [True]}, ("body", "payload", "tag_ids", 0)),
        ({"account_manager_id": False}, ("body", "payload", "account_manager_id")),
    ],
)
def test_ids_must_be_json_integers(manager, payload, loc):
    SegmentFactory()  # segment 1 exists: `true` must not become it
    client = ClientFactory()
    response = api_as(manager).patch(f"/clients/{client.pk}", payload)
    assert error_locs(response) == [loc]
    client.refresh_from_db()
    assert client.segment_id is None


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("contacts", {"kind": "email", "value": "a@b.pl", "is_primary": "yes"}, "is_primary"),
        ("contacts", {"kind": "email", "value": "a@b.pl", "is_primary": 1}, "is_primary"),
        ("consents/email", {"granted": 1}, "granted"),
        ("purchases", _purchase(items=[{"name": "Pass", "quantity": True}]), "items"),
    ],
)
def test_booleans_and_counts_are_strict(manager, client_card, path, payload, field):
    api = api_as(manager)
    method = api.put if path.startswith("consents") else api.post
    response = method(f"/clients/{client_card.pk}/{path}", payload)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][2] == field


@pytest.mark.parametrize("day", [0, 1700000000, 20250314, True, "14.03.2025", "2025-3-14", ""])
def test_a_day_is_text_in_iso_form(manager, client_card, day):
    response = api_as(manager).post(
        f"/clients/{client_card.pk}/purchases", _purchase(occurred_on=day)
    )
    assert error_locs(response) == [("body", "payload", "occurred_on")]
    assert not Purchase.objects.exists()


def test_a_day_that_does_not_exist_is_refused(manager, client_card):
    response = api_as(manager).post(
        f"/clients/{client_card.pk}/purchases", _purchase(occurred_on="2025-02-30")
    )
    assert error_locs(response) == [("body", "payload", "occurred_on")]


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31"])
def test_implausible_days_are_refused_by_the_api(manager, client_card, day):
    api = api_as(manager)
    response = api.post(f"/clients/{client_card.pk}/purchases", _purchase(occurred_on=day))
    assert error_locs(response) == [("body", "payload", "occurred_on")]
    assert response.json()["detail"][0]["type"] == "date_out_of_range"
    response = api.post(f"/clients/{client_card.pk}/left", {"left_on": day})
    assert error_locs(response) == [("body", "payload", "left_on")]
    assert not Purchase.objects.exists()
    client_card.refresh_from_db()
    assert client_card.status == Client.Status.ACTIVE


def test_the_first_plausible_day_is_accepted(manager, client_card):
    response = api_as(manager).post(
        f"/clients/{client_card.pk}/purchases", _purchase(occurred_on="1900-01-01")
    )
    assert response.status_code == 201
    assert response.json()["occurred_on"] == "1900-01-01"


def test_a_future_day_keeps_its_own_message(manager, client_card):
    response = api_as(manager).post(
        f"/clients/{client_card.pk}/purchases", _purchase(occurred_on="2999-01-01")
    )
    assert "future" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("since", ["0", "yesterday", "2025-13-01"])
def test_filter_days_are_iso_too(manager, client_card, since):
    response = api_as(manager).get(f"/clients/{client_card.pk}/purchases", {"since": since})
    assert response.status_code == 422


def test_the_card_form_refuses_an_implausible_day_beside_the_field(as_manager, client_card):
    response = as_manager.post(
        reverse("clients:purchase_add", args=[client_card.pk]),
        {"occurred_on": "0001-01-01", "amount": "10", "currency": "PLN", "channel": "store"},
    )
    assert response.status_code == 200
    form = response.context["purchase_form"]
    assert "not a plausible date" in " ".join(form.errors["occurred_on"])
    assert not Purchase.objects.exists()


def test_the_left_form_refuses_an_implausible_day(as_manager, client_card):
    as_manager.post(reverse("clients:status", args=[client_card.pk]), {"left_on": "1850-06-01"})
    client_card.refresh_from_db()
    assert client_card.status == Client.Status.ACTIVE


@pytest.mark.parametrize("day", ["0001-01-01", "31.12.1899"])
def test_an_import_refuses_an_implausible_day(tmp_path, day):
    ClientFactory(external_ref="C-1")
    header = ["client", "date", "amount", "currency", "description", "channel", "order"]
    path = write_csv(tmp_path, [header, ["C-1", day, "1", "", "", "", ""]])
    outcome, errors = do_import(path, "purchases")
    assert isinstance(outcome, ImportRejected)
    assert errors[0][1] == "date"
    assert "1900" in errors[0][2] or "plausible" in errors[0][2]
    assert not Purchase.objects.exists()


def test_one_rule_for_days():
    assert dates.check_day(dates.EARLIEST) == dates.EARLIEST
    assert dates.check_day(dates.LATEST) == dates.LATEST
    for day in (dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(2101, 1, 1)):
        with pytest.raises(Exception) as caught:
            dates.check_day(day)
        assert caught.value.code == "date_out_of_range"


def test_ids_in_every_apps_bodies_are_strict(manager, client_card):
    """Apps take their body ids from core.api_types: `true` is never id 1, anywhere."""
    api = api_as(manager)
    started = api.post(f"/clients/{client_card.pk}/process-runs", {"process_id": True})
    assert error_locs(started) == [("body", "payload", "process_id")]
    task = api.post(
        f"/clients/{client_card.pk}/tasks",
        {"title": "Call", "due_on": "2030-01-01", "assignee_id": True},
    )
    assert error_locs(task) == [("body", "payload", "assignee_id")]
    touchpoint = api.post(
        "/touchpoints", {"name": "Desk", "kind": "business", "category": "office", "owner_id": "1"}
    )
    assert ("body", "payload", "owner_id") in error_locs(touchpoint)


def test_journey_moves_take_strict_stage_ids(manager, client_card):
    from tests.journeys_helpers import make_journey

    _journey, stages = make_journey()
    moved = api_as(manager).post(
        f"/clients/{client_card.pk}/journey-moves", {"to_stage_id": str(stages["Awareness"].pk)}
    )
    assert ("body", "payload", "to_stage_id") in error_locs(moved)
