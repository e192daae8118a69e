"""Who sees which statement (pages and API), the payroll export, the API's 422s."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kliento.motivation import sources
from kliento.motivation.services import schemes, statements
from tests.api_support import api_as, error_locs
from tests.motivation_support import MONTH, org, scheme

pytestmark = pytest.mark.django_db


def _client(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def people():
    found = org()
    made = scheme(found["head"])
    schemes.add_kpi(
        actor=found["head"],
        scheme=made,
        source=sources.CSAT,
        target=Decimal("4.6"),
        threshold=Decimal("4"),
    )
    found["statement"] = statements.generate(
        actor=found["head"], employee_id=found["agent"].pk, day=MONTH
    )
    return found


def test_an_agent_sees_their_own_statement_and_not_a_colleagues(people):
    url = reverse("motivation:statement", args=[people["statement"].pk])
    assert _client(people["agent"]).get(url).status_code == 200
    assert _client(people["peer"]).get(url).status_code == 404
    assert _client(people["stranger_boss"]).get(url).status_code == 404
    assert _client(people["head"]).get(url).status_code == 200
    assert _client(people["admin"]).get(url).status_code == 200


def test_the_home_page_shows_my_kpis(people):
    page = _client(people["agent"]).get(reverse("motivation:home"))
    assert page.status_code == 200
    assert "CSAT of own cases" in page.content.decode()


def test_an_agent_cannot_approve(people):
    url = reverse("motivation:act", args=[people["statement"].pk, "review"])
    assert _client(people["agent"]).post(url).status_code == 403


def test_a_manager_reviews_and_approves_on_the_page(people):
    http = _client(people["head"])
    pk = people["statement"].pk
    http.post(reverse("motivation:act", args=[pk, "review"]))
    http.post(reverse("motivation:act", args=[pk, "approve"]))
    people["statement"].refresh_from_db()
    assert people["statement"].is_frozen
    bad = http.post(reverse("motivation:adjust", args=[pk]), {"amount": "abc", "reason": "x"})
    assert bad.status_code == 400 and "amount" in bad.context["form"].errors


def test_payroll_export_is_for_the_allowed_roles_and_is_injection_safe(people):
    agent = people["agent"]
    agent.first_name = '=HYPERLINK("http://x")'
    agent.save()
    statement = people["statement"]
    statements.review(actor=people["head"], statement=statement)
    statements.approve(actor=people["head"], statement=statement)
    url = reverse("motivation:export") + f"?period={statement.period_end:%Y-%m}"
    assert _client(people["head"]).get(url).status_code == 403
    assert _client(people["agent"]).get(url).status_code == 403
    got = _client(people["admin"]).get(url)
    assert got.status_code == 200
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][2].startswith("'=")
    xlsx = _client(people["admin"]).get(url + "&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert (
        _client(people["admin"]).get(reverse("motivation:export") + "?period=x").status_code == 400
    )


def test_api_statements_are_narrowed_and_hidden(people):
    pk = people["statement"].pk
    assert api_as(people["agent"]).get(f"/motivation/statements/{pk}").status_code == 200
    assert api_as(people["peer"]).get(f"/motivation/statements/{pk}").status_code == 404
    listed = api_as(people["peer"]).get("/motivation/statements").json()
    assert listed == []
    assert (
        api_as(people["peer"])
        .get("/motivation/kpis", {"employee_id": people["agent"].pk})
        .status_code
        == 404
    )
    mine = api_as(people["agent"]).get("/motivation/kpis").json()
    assert mine["kpis"][0]["source"] == "csat"


def test_api_write_flow_and_422s(people):
    head = api_as(people["head"])
    pk = people["statement"].pk
    assert head.post(f"/motivation/statements/{pk}/approve").status_code == 422
    assert head.post(f"/motivation/statements/{pk}/review").status_code == 200
    approved = head.post(f"/motivation/statements/{pk}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    bad = head.post(f"/motivation/statements/{pk}/adjustments", {"amount": "5", "reason": ""})
    assert bad.status_code == 422 and ("body", "payload", "reason") in error_locs(bad)
    ok = head.post(f"/motivation/statements/{pk}/adjustments", {"amount": "5", "reason": "Bonus"})
    assert ok.status_code == 201 and ok.json()["total"] == "5.00"
    wrong = head.post(
        "/motivation/statements", {"employee_id": people["agent"].pk, "period": "2026"}
    )
    assert wrong.status_code == 422 and ("body", "payload", "period") in error_locs(wrong)
    agent = api_as(people["agent"])
    assert (
        agent.post(
            "/motivation/statements", {"employee_id": people["peer"].pk, "period": "2026-01"}
        ).status_code
        == 403
    )
    scheme_bad = head.post(
        "/motivation/schemes", {"name": "X", "period": "year", "base_bonus": "1", "currency": "ZZZ"}
    )
    assert scheme_bad.status_code == 422
    assert {
        ("body", "payload", "period"),
        ("body", "payload", "currency"),
        ("body", "payload", "role"),
    } <= set(error_locs(scheme_bad))
