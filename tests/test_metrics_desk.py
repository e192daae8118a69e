"""Service desk metrics on a hand-computed fixture: each value and its inputs, an empty period,
`kliento report … --format json` equal to the API, and who may see the page and the API.

The fixture (March 2025; times local):
  A email  opened 03-03 09:00, replied 09:10 (due 09:30), resolved 13:00, one reply (+ a note)
  B email  opened 03-05 10:00, replied 10:30 (due 10:15), resolved 03-06 10:00, two replies,
           reopened once
  C phone  opened 03-10 08:00, replied 09:00 (no due time), still open
  D chat   opened 03-20 12:00, never replied (due 13:00, overdue), still open
  E email  opened 02-27 00:00 (before March), resolved 03-01 00:00, one reply
  G email  opened 03-25 10:00, replied 10:20, resolved 04-05 (after March)
  H email  opened 04-02 (after March), open
First replies in March: 10, 20, 30, 60 min → median 25, p90 30 + 0.7 x 30 = 51.
Resolved in March: A 4 h, B 24 h, E 48 h → median 24, p90 24 + 0.8 x 24 = 43.2; B reopened
(1/3), A and E with one reply (2/3). SLA: A in time, B late, D overdue → 1/3. Backlog on
03-31: C, D, G. Channels: email A B G, phone C, chat D.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kliento.core.channels import Channel
from kliento.desk import services
from kliento.desk.models import Case, EscalationRecord, Message, SlaBreach
from kliento.metrics import desk_metrics
from kliento.metrics.registry import DESK, Period, compute, metrics
from tests.api_support import api_as
from tests.desk_support import new_case

pytestmark = pytest.mark.django_db

MARCH = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2025, month, day, hour, minute))


def reply(case: Case, agent, direction: str = Message.Direction.OUTBOUND) -> None:
    services.add_message(
        actor=agent, case=case, draft=services.MessageDraft(direction=direction, body_text="Hi")
    )


def make_case(agent, channel: str, opened, *, replies: int = 0, note: bool = False, **fields):
    case = new_case(channel=channel)
    for _ in range(replies):
        reply(case, agent)
    if note:  # a note is no reply to the client
        reply(case, agent, Message.Direction.NOTE)
    # The services stamp "now"; the fixture's times are set afterwards, exactly.
    Case.objects.filter(pk=case.pk).update(created_at=opened, **fields)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def desk(agent):
    resolved = Case.Status.RESOLVED
    a = make_case(
        agent,
        Channel.EMAIL,
        at(3, 3, 9),
        replies=1,
        note=True,
        first_response_at=at(3, 3, 9, 10),
        first_response_due_at=at(3, 3, 9, 30),
        resolved_at=at(3, 3, 13),
        status=resolved,
    )
    b = make_case(
        agent,
        Channel.EMAIL,
        at(3, 5, 10),
        replies=2,
        first_response_at=at(3, 5, 10, 30),
        first_response_due_at=at(3, 5, 10, 15),
        resolved_at=at(3, 6, 10),
        status=resolved,
        reopened_count=1,
    )
    make_case(agent, Channel.PHONE, at(3, 10, 8), first_response_at=at(3, 10, 9))
    d = make_case(agent, Channel.CHAT, at(3, 20, 12), first_response_due_at=at(3, 20, 13))
    make_case(
        agent,
        Channel.EMAIL,
        at(2, 27),
        replies=1,
        first_response_at=at(2, 27, 1),
        resolved_at=at(3, 1),
        status=resolved,
    )
    make_case(
        agent,
        Channel.EMAIL,
        at(3, 25, 10),
        replies=1,
        first_response_at=at(3, 25, 10, 20),
        resolved_at=at(4, 5),
        status=resolved,
    )
    make_case(agent, Channel.EMAIL, at(4, 2))
    for case, target, when in (
        (b, "first_response", at(3, 5, 10, 15)),
        (b, "resolution", at(3, 6, 9)),
        (d, "first_response", at(3, 20, 13)),
        (d, "resolution", at(4, 1, 9)),  # after March
    ):
        SlaBreach.objects.create(case=case, target=target, due_at=when, breached_at=when)
    for case, level, when in (
        (b, 1, at(3, 5, 11)),
        (d, 1, at(3, 20, 14)),
        (d, 2, at(3, 21, 9)),
        (a, 1, at(2, 28, 9)),  # before March
    ):
        EscalationRecord.objects.create(case=case, level=level, escalated_at=when)


def report(key: str, start: str = "2025-03-01", end: str = "2025-03-31") -> dict:
    out = StringIO()
    call_command("report", key, "--from", start, "--to", end, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_percentile_interpolates_between_neighbours():
    assert desk_metrics.percentile([], 0.5) is None
    assert desk_metrics.percentile([7.0], 0.9) == 7.0
    assert desk_metrics.percentile([10.0, 20.0, 30.0, 60.0], 0.5) == 25.0
    assert desk_metrics.percentile([10.0, 20.0, 30.0, 60.0], 0.9) == pytest.approx(51.0)


def test_each_metric_on_the_fixture(desk):
    got = {d.key: compute(d.key, MARCH) for d in metrics(DESK)}
    frt = got["first_response_time"]
    assert (frt.value, frt.extra["p90"], frt.inputs["n"]) == (25.0, 51.0, 4)
    res = got["resolution_time"]
    assert (res.value, res.extra["p90"], res.inputs["n"]) == (24.0, 43.2, 3)
    sla = got["first_response_sla"]
    assert sla.value == 33.33 and sla.inputs == {"within": 1, "n": 3}
    breaches = got["sla_breaches"]
    assert breaches.value == 3
    assert breaches.inputs["by_target"] == {"first_response": 2, "resolution": 1}
    esc = got["escalations"]
    assert esc.value == 3 and esc.inputs["by_level"] == {"1": 2, "2": 1}
    assert got["backlog"].value == 3 and got["backlog"].inputs == {"at": "2025-03-31"}
    reopen = got["reopen_rate"]
    assert reopen.value == 33.33 and reopen.inputs == {"reopened": 1, "resolved": 3}
    fcr = got["first_contact_resolution"]
    assert fcr.value == 66.67 and fcr.inputs == {"one_reply": 2, "resolved": 3}
    volume = got["volume_by_channel"]
    assert volume.value == 5
    assert volume.inputs["by_channel"] == {"chat": 1, "email": 3, "phone": 1}


def test_backlog_moves_with_the_end_of_the_period(desk):
    # On 03-05 only A (resolved 03-03) and B (opened that morning, resolved on the 6th) exist.
    assert compute("backlog", Period(dt.date(2025, 3, 1), dt.date(2025, 3, 5))).value == 1
    # E (opened 02-27) was still open at the end of February.
    assert compute("backlog", Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))).value == 1


def test_an_empty_period_has_no_value_and_no_error(desk):
    empty = Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    for key in (
        "first_response_time",
        "resolution_time",
        "first_response_sla",
        "reopen_rate",
        "first_contact_resolution",
    ):
        assert compute(key, empty).value is None, key
    assert report("first_response_time", "2024-01-01", "2024-01-31")["p90"] is None
    # Counts of nothing are zero, not unknown.
    for key in ("sla_breaches", "escalations", "backlog", "volume_by_channel"):
        assert compute(key, empty).value == 0, key


def test_report_json_equals_the_api(desk, manager):
    got = report("first_response_time")
    assert got["metric"] == "first_response_time" and got["value"] == 25.0
    assert got["inputs"] == {"n": 4} and got["p90"] == 51.0
    listed = api_as(manager).get("/metrics/desk", {"from": "2025-03-01", "to": "2025-03-31"})
    assert listed.status_code == 200, listed.content
    by_key = {item["metric"]: item for item in listed.json()}
    assert set(by_key) == {d.key for d in metrics(DESK)} and len(by_key) == 9
    for key in ("first_response_time", "sla_breaches", "escalations", "reopen_rate"):
        reported = report(key)
        assert {k: by_key[key][k] for k in reported} == reported
    one = api_as(manager).get("/metrics/desk/backlog", {"from": "2025-03-01", "to": "2025-03-31"})
    assert one.status_code == 200 and one.json()["value"] == 3
    assert one.json()["formula"] and one.json()["unit"]


def test_the_api_refuses_unknown_metrics_bad_periods_and_the_unauthorised(manager, agent):
    period = {"from": "2025-03-01", "to": "2025-03-31"}
    assert api_as(manager).get("/metrics/desk/nps", period).status_code == 404
    assert api_as(manager).get("/metrics/clients/backlog", period).status_code == 404
    reversed_period = {"from": "2025-03-31", "to": "2025-03-01"}
    assert api_as(manager).get("/metrics/desk", reversed_period).status_code == 422
    assert api_as(agent).get("/metrics/desk", period).status_code == 403


def test_the_page_shows_the_figures_to_managers_only(desk, as_manager, as_auditor, as_outsider):
    url = reverse("metrics:desk_metrics")
    page = as_manager.get(url, {"start": "2025-03-01", "end": "2025-03-31"})
    assert page.status_code == 200
    rows = {row["result"].metric: row for row in page.context["rows"]}
    assert rows["first_response_time"]["result"].value == report("first_response_time")["value"]
    assert ("by_level", "1: 2, 2: 1") in [(k, v) for k, _label, v in rows["escalations"]["inputs"]]
    assert 'id="metric-reopen_rate"' in page.text
    bad = as_manager.get(url, {"start": "2025-03-31", "end": "2025-03-01"})
    assert bad.context["rows"] == []
    assert as_auditor.get(url).status_code == 200
    assert as_outsider.get(url).status_code in (302, 403)


def test_the_menu_lists_the_page_for_managers(as_manager, as_agent):
    url = reverse("metrics:desk_metrics")
    assert url in as_manager.get(reverse("home")).text
    assert url not in as_agent.get(reverse("home")).text


def test_table_and_csv_print_the_figures(desk):
    args = ("reopen_rate", "--from", "2025-03-01", "--to", "2025-03-31")
    table = StringIO()
    call_command("report", *args, stdout=table)
    lines = dict(line.split(None, 1) for line in table.getvalue().splitlines())
    assert lines["value"].strip() == "33.33" and lines["resolved"].strip() == "3"
    csv_out = StringIO()
    call_command("report", *args, "--format", "csv", stdout=csv_out)
    header, row = csv_out.getvalue().splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert (cells["value"], cells["input_reopened"], cells["input_resolved"]) == ("33.33", "1", "3")
