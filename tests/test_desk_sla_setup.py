"""SLA setup: the pages under /desk/setup/sla/ and the API (/sla-policies, /calendars) —
who may use them, errors beside fields and 422 details, audit entries; the demo loader and
the notification texts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kliento.core.demo import ordered_loaders
from kliento.core.models import AuditEntry, Notification
from kliento.core.notifications import render_text
from kliento.desk.models import BusinessCalendar, Holiday, SlaPolicy
from kliento.desk.sla import alerts, escalation, setup
from kliento.desk.sla.demo import load_demo_sla
from tests.api_support import api_as, error_locs
from tests.desk_sla_support import office, policy

pytestmark = pytest.mark.django_db

WEEK = {str(day): [["09:00", "18:00"]] for day in range(5)}


def _calendar_post(**overrides) -> dict[str, str]:
    data = {
        "name": "Kraków office",
        "time_zone": "Europe/Warsaw",
        "day_0": "08:00-12:00, 13:00-17:00",
        "day_1": "08:00-17:00",
        "day_2": "",
        "day_3": "",
        "day_4": "08:00-15:00",
        "day_5": "",
        "day_6": "",
        "holidays": "2026-12-24 Wigilia\n2026-12-25 Boże Narodzenie",
    }
    return data | overrides


# Pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"), [("as_manager", 200), ("as_agent", 403), ("as_auditor", 403)]
)
def test_only_managers_open_the_setup(who, expected, request):
    http = request.getfixturevalue(who)
    assert http.get(reverse("desk:sla_setup")).status_code == expected
    assert http.get(reverse("desk:sla_calendar_create")).status_code == expected


def test_manager_creates_and_edits_a_calendar(as_manager, manager):
    response = as_manager.post(reverse("desk:sla_calendar_create"), _calendar_post())
    assert response.status_code == 302
    calendar = BusinessCalendar.objects.get(name="Kraków office")
    assert calendar.hours == {
        "0": [["08:00", "12:00"], ["13:00", "17:00"]],
        "1": [["08:00", "17:00"]],
        "4": [["08:00", "15:00"]],
    }
    assert list(calendar.holidays.values_list("date", "name")) == [
        (dt.date(2026, 12, 24), "Wigilia"),
        (dt.date(2026, 12, 25), "Boże Narodzenie"),
    ]
    entry = AuditEntry.objects.get(action=setup.CALENDAR_SAVED)
    assert entry.actor == manager and entry.target_id == str(calendar.pk)
    page = as_manager.get(reverse("desk:sla_calendar_edit", args=[calendar.pk]))
    assert "08:00-12:00, 13:00-17:00" in page.content.decode()
    as_manager.post(
        reverse("desk:sla_calendar_edit", args=[calendar.pk]),
        _calendar_post(holidays="2026-11-11 Niepodległość"),
    )
    assert list(Holiday.objects.values_list("date", flat=True)) == [dt.date(2026, 11, 11)]
    overview = as_manager.get(reverse("desk:sla_setup")).content.decode()
    assert "Kraków office" in overview and "Europe/Warsaw" in overview


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"day_0": "09:00-13:00, 12:00-18:00"}, "day_0", "overlap"),
        ({"day_2": "18:00-09:00"}, "day_2", "ends before"),
        ({"day_3": "nine to five"}, "day_3", "Write periods"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
        ({"holidays": "25.12.2026 Christmas"}, "holidays", "Line 1"),
        ({"holidays": "2026-12-25 A\n2026-12-25 B"}, "holidays", "listed twice"),
        ({f"day_{d}": "" for d in range(7)}, "day_0", "at least one"),
    ],
)
def test_calendar_errors_are_shown_beside_their_field(as_manager, overrides, field, message):
    response = as_manager.post(reverse("desk:sla_calendar_create"), _calendar_post(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field]), form.errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not BusinessCalendar.objects.exists()


def test_a_duplicate_calendar_name_is_refused_beside_the_name(as_manager):
    office("Kraków office")
    response = as_manager.post(reverse("desk:sla_calendar_create"), _calendar_post())
    assert response.status_code == 400
    assert "Another calendar" in " ".join(response.context["form"].errors["name"])


def test_a_calendar_in_use_is_not_deleted(as_manager):
    calendar = office()
    policy(calendar)
    response = as_manager.post(reverse("desk:sla_calendar_delete", args=[calendar.pk]))
    assert response.status_code == 302
    assert BusinessCalendar.objects.filter(pk=calendar.pk).exists()
    assert not AuditEntry.objects.filter(action=setup.CALENDAR_DELETED).exists()
    SlaPolicy.objects.all().delete()
    as_manager.post(reverse("desk:sla_calendar_delete", args=[calendar.pk]))
    assert not BusinessCalendar.objects.exists()
    assert AuditEntry.objects.filter(action=setup.CALENDAR_DELETED).count() == 1


def test_manager_creates_edits_and_deletes_a_policy(as_manager):
    calendar = office()
    data = {
        "name": "Urgent",
        "position": "1",
        "is_active": "on",
        "priority": "urgent",
        "channel": "",
        "segment": "",
        "calendar": str(calendar.pk),
        "first_response_minutes": "30",
        "next_response_minutes": "",
        "resolution_minutes": "240",
        "warn_at_percent": "75",
    }
    assert as_manager.post(reverse("desk:sla_policy_create"), data).status_code == 302
    created = SlaPolicy.objects.get()
    assert (created.priority, created.calendar, created.first_response_minutes) == (
        "urgent",
        calendar,
        30,
    )
    assert created.next_response_minutes is None and created.warn_at_percent == 75
    edit = reverse("desk:sla_policy_edit", args=[created.pk])
    assert as_manager.get(edit).status_code == 200
    as_manager.post(edit, data | {"warn_at_percent": "90", "is_active": ""})
    created.refresh_from_db()
    assert created.warn_at_percent == 90 and not created.is_active
    as_manager.post(reverse("desk:sla_policy_delete", args=[created.pk]))
    assert not SlaPolicy.objects.exists()
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        setup.CALENDAR_SAVED,
        setup.POLICY_SAVED,
        setup.POLICY_SAVED,
        setup.POLICY_DELETED,
    ]


def test_a_policy_without_targets_is_refused_beside_the_first_target(as_manager):
    response = as_manager.post(
        reverse("desk:sla_policy_create"),
        {"name": "Empty", "position": "0", "warn_at_percent": "80"},
    )
    assert response.status_code == 400
    assert "at least one target" in " ".join(
        response.context["form"].errors["first_response_minutes"]
    )


def test_agents_cannot_post_setup_changes(as_agent):
    calendar = office()
    assert as_agent.post(reverse("desk:sla_calendar_delete", args=[calendar.pk])).status_code == 403
    assert BusinessCalendar.objects.exists()


# API -----------------------------------------------------------------------------------------


def test_api_calendar_round_trip(manager):
    api = api_as(manager)
    body = {
        "name": "Office",
        "time_zone": "Europe/Warsaw",
        "hours": WEEK,
        "holidays": [{"date": "2026-01-01", "name": "New Year"}],
    }
    created = api.post("/calendars", body)
    assert created.status_code == 201, created.content
    calendar_id = created.json()["id"]
    assert created.json()["holidays"] == [{"date": "2026-01-01", "name": "New Year"}]
    assert api.get(f"/calendars/{calendar_id}").json()["hours"] == WEEK
    listed = api.get("/calendars").json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "Office"
    replaced = api.put(f"/calendars/{calendar_id}", body | {"holidays": [], "name": "Main"})
    assert replaced.status_code == 200 and replaced.json()["holidays"] == []
    assert api.delete(f"/calendars/{calendar_id}").status_code == 204
    assert api.get(f"/calendars/{calendar_id}").status_code == 404


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        ({"hours": {"0": [["09:00", "13:00"], ["12:00", "18:00"]]}}, "hours", "overlap"),
        ({"hours": {"0": [["09:00", "25:00"]]}}, "hours", "not a time"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone", "not a known time zone"),
        (
            {"holidays": [{"date": "2026-01-01"}, {"date": "2026-01-01"}]},
            "holidays",
            "listed twice",
        ),
    ],
)
def test_api_bad_calendars_are_422_with_detail(manager, change, loc, message):
    body = {"name": "Office", "time_zone": "Europe/Warsaw", "hours": WEEK} | change
    response = api_as(manager).post("/calendars", body)
    assert error_locs(response) == [("body", "payload", loc)]
    assert message in response.json()["detail"][0]["msg"]


def test_api_policy_round_trip_and_errors(manager):
    api = api_as(manager)
    calendar = office()
    body = {
        "name": "High",
        "position": 2,
        "priority": "high",
        "calendar_id": calendar.pk,
        "first_response_minutes": 60,
        "resolution_minutes": 540,
    }
    created = api.post("/sla-policies", body)
    assert created.status_code == 201, created.content
    policy_id = created.json()["id"]
    assert created.json()["warn_at_percent"] == 80
    assert api.get("/sla-policies").json()["items"][0]["id"] == policy_id
    updated = api.put(f"/sla-policies/{policy_id}", body | {"warn_at_percent": 50})
    assert updated.json()["warn_at_percent"] == 50
    assert error_locs(api.post("/sla-policies", body | {"priority": "asap"})) == [
        ("body", "payload", "priority")
    ]
    assert error_locs(api.post("/sla-policies", body | {"calendar_id": 999_999})) == [
        ("body", "payload", "calendar_id")
    ]
    assert error_locs(api.post("/sla-policies", body | {"first_response_minutes": "60"})) == [
        ("body", "payload", "first_response_minutes")
    ]
    no_targets = body | {"first_response_minutes": None, "resolution_minutes": None}
    assert error_locs(api.post("/sla-policies", no_targets)) == [
        ("body", "payload", "first_response_minutes")
    ]
    # A calendar a policy uses is not deleted.
    assert api.delete(f"/calendars/{calendar.pk}").status_code == 422
    assert api.delete(f"/sla-policies/{policy_id}").status_code == 204
    assert api.get(f"/sla-policies/{policy_id}").status_code == 404


@pytest.mark.parametrize("who", ["agent", "auditor", "outsider"])
def test_api_is_for_managers_only(who, request):
    api = api_as(request.getfixturevalue(who))
    calendar = office()
    assert api.get("/calendars").status_code == 403
    assert api.get("/sla-policies").status_code == 403
    assert api.delete(f"/calendars/{calendar.pk}").status_code == 403
    assert BusinessCalendar.objects.exists()


# Demo and notification texts ------------------------------------------------------------------


def test_demo_loader_makes_a_calendar_and_four_policies_once():
    load_demo_sla(report=lambda _text: None)
    load_demo_sla(report=lambda _text: None)
    calendar = BusinessCalendar.objects.get()
    assert calendar.time_zone == "Europe/Warsaw"
    assert calendar.holidays.count() == 14
    assert sorted(SlaPolicy.objects.values_list("priority", flat=True)) == [
        "high",
        "low",
        "normal",
        "urgent",
    ]
    assert "desk.sla" in [loader.key for loader in ordered_loaders()]


def test_notification_texts_name_the_case_and_target(manager):
    for kind, words in (
        (alerts.WARNING, "is due at"),
        (alerts.BREACH, "is late"),
        (escalation.ESCALATED, "level 2"),
    ):
        notification = Notification.objects.create(
            recipient=manager,
            kind=kind,
            params={
                "number": "C-000007",
                "subject": "Refund",
                "target": "first_response",
                "due_at": "2026-03-02T10:00:00+00:00",
                "level": 2,
                "procedure": "Complaints",
            },
        )
        text = render_text(notification)
        assert "C-000007" in text and words in text, text
