"""The scheme pages: who may edit, errors beside the fields, the audit trail, and an approved
statement that editing its scheme never changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kliento.core.models import AuditEntry
from kliento.motivation import sources
from kliento.motivation.models import Kpi, Line, Rule, Scheme, Statement
from kliento.motivation.services import schemes, statements
from tests.motivation_support import MONTH, answer, at, org, scheme
from tests.motivation_support import survey as make_survey

pytestmark = pytest.mark.django_db


def _client(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def people():
    found = org()
    made = scheme(found["head"])
    kpi = schemes.add_kpi(
        actor=found["head"],
        scheme=made,
        source=sources.CSAT,
        target=Decimal("4.6"),
        threshold=Decimal("4"),
    )
    rule = schemes.add_rule(
        actor=found["head"],
        scheme=made,
        name="CSAT bonus",
        kind="percent",
        kpi_id=kpi.pk,
        comparison="gte",
        value=Decimal("4.6"),
        percent=Decimal("5"),
    )
    found.update(scheme=made, kpi=kpi, rule=rule)
    return found


def _pages(people) -> list[str]:
    made, kpi, rule = people["scheme"], people["kpi"], people["rule"]
    return [
        reverse("motivation:schemes"),
        reverse("motivation:scheme_new"),
        reverse("motivation:scheme", args=[made.pk]),
        reverse("motivation:kpi_new", args=[made.pk]),
        reverse("motivation:kpi", args=[kpi.pk]),
        reverse("motivation:rule_new", args=[made.pk]),
        reverse("motivation:rule", args=[rule.pk]),
    ]


def test_an_agent_can_neither_see_nor_edit_schemes(people):
    http = _client(people["agent"])
    for url in _pages(people):
        assert http.get(url).status_code == 403, url
    posted = http.post(
        reverse("motivation:kpi", args=[people["kpi"].pk]),
        {"source": sources.CSAT, "target": "1", "threshold": "0", "weight": "1"},
    )
    assert posted.status_code == 403
    assert http.post(reverse("motivation:rule_remove", args=[people["rule"].pk])).status_code == 403
    assert Kpi.objects.get(pk=people["kpi"].pk).target == Decimal("4.6")
    assert Rule.objects.filter(pk=people["rule"].pk).exists()
    # The agent's own home page offers no way there.
    assert (
        reverse("motivation:schemes") not in http.get(reverse("motivation:home")).content.decode()
    )


def test_a_manager_opens_every_page_and_finds_them_from_home(people):
    http = _client(people["head"])
    for url in _pages(people):
        assert http.get(url).status_code == 200, url
    assert reverse("motivation:schemes") in http.get(reverse("motivation:home")).content.decode()
    listed = http.get(reverse("motivation:schemes")).content.decode()
    assert "Agents" in listed


def test_a_manager_builds_a_scheme_with_kpis_and_rules_on_the_pages(people):
    http = _client(people["head"])
    made = http.post(
        reverse("motivation:scheme_new"),
        {
            "name": "Senior agents",
            "period": "quarter",
            "role": "",
            "employee_id": str(people["peer"].pk),
            "base_bonus": "1 500,00",
            "currency": "pln",
            "max_bonus": "600",
            "max_penalty": "",
            "is_active": "on",
        },
    )
    assert made.status_code == 302
    created = Scheme.objects.get(name="Senior agents")
    assert (created.employee_id, created.period, created.currency) == (
        people["peer"].pk,
        "quarter",
        "PLN",
    )
    assert created.base_bonus == Decimal("1500.00") and created.max_penalty is None
    added = http.post(
        reverse("motivation:kpi_new", args=[created.pk]),
        {"source": sources.CRITICAL_BREACHES, "target": "0", "threshold": "3", "weight": "2"},
    )
    assert added.status_code == 302
    kpi = created.kpis.get()
    rule = http.post(
        reverse("motivation:rule_new", args=[created.pk]),
        {"name": "Per breach", "kind": "per_breach", "amount": "-50", "cap": "200"},
    )
    assert rule.status_code == 302
    stored = created.rules.get()
    assert (stored.amount, stored.cap, stored.kpi_id) == (Decimal("-50.00"), Decimal("200"), None)
    edited = http.post(
        reverse("motivation:kpi", args=[kpi.pk]),
        {"source": sources.CRITICAL_BREACHES, "target": "0", "threshold": "5", "weight": "3"},
    )
    assert edited.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.threshold, kpi.weight) == (Decimal("5"), 3)
    page = http.get(reverse("motivation:scheme", args=[created.pk])).content.decode()
    assert "Per breach" in page and "cap 200" in page


def test_errors_are_shown_beside_their_fields(people):
    http = _client(people["head"])
    kpi_page = http.post(
        reverse("motivation:kpi_new", args=[people["scheme"].pk]),
        # CSAT is in the scheme already; a weight of 0 is out of range.
        {"source": sources.CSAT, "target": "5", "threshold": "4", "weight": "0"},
    )
    assert kpi_page.status_code == 400
    html = kpi_page.content.decode()
    assert 'id="id_source_error"' in html and "The scheme has this KPI already." in html
    assert 'id="id_weight_error"' in html and "Enter a weight from 1 to 100." in html
    rule_page = http.post(
        reverse("motivation:rule_new", args=[people["scheme"].pk]),
        {"name": "Half a rule", "kind": "percent", "comparison": "gte", "value": "4"},
    )
    assert rule_page.status_code == 400
    html = rule_page.content.decode()
    assert 'id="id_kpi_id_error"' in html and 'id="id_percent_error"' in html
    scheme_page = http.post(
        reverse("motivation:scheme", args=[people["scheme"].pk]),
        {"name": "", "period": "month", "role": "agent", "base_bonus": "abc", "currency": "ZZZ"},
    )
    assert scheme_page.status_code == 400
    html = scheme_page.content.decode()
    for field in ("name", "base_bonus"):
        assert f'id="id_{field}_error"' in html, field
    both = http.post(
        reverse("motivation:scheme", args=[people["scheme"].pk]),
        {
            "name": "Agents",
            "period": "month",
            "role": "agent",
            "employee_id": str(people["peer"].pk),
            "base_bonus": "10",
            "currency": "ZZZ",
        },
    )
    html = both.content.decode()
    assert both.status_code == 400
    assert 'id="id_role_error"' in html and 'id="id_currency_error"' in html
    assert Scheme.objects.get(pk=people["scheme"].pk).base_bonus == Decimal("1000.00")


def test_every_change_is_logged_with_what_changed(people):
    http = _client(people["head"])
    before = AuditEntry.objects.filter(action=schemes.SCHEME_SAVED).count()
    http.post(
        reverse("motivation:rule", args=[people["rule"].pk]),
        {
            "name": "CSAT bonus",
            "kind": "percent",
            "kpi_id": str(people["kpi"].pk),
            "comparison": "gte",
            "value": "4,5",
            "percent": "7",
            "cap": "",
        },
    )
    entry = AuditEntry.objects.filter(action=schemes.SCHEME_SAVED).first()
    assert entry is not None and entry.actor_id == people["head"].pk
    assert entry.changes["changed"]["percent"] == ["5.00", "7.00"]
    assert entry.changes["changed"]["value"] == ["4.60", "4.50"]
    http.post(reverse("motivation:kpi_remove", args=[people["kpi"].pk]))
    removed = AuditEntry.objects.filter(action=schemes.SCHEME_SAVED).first()
    assert removed.changes["kpi_removed"] == sources.CSAT
    assert removed.changes["rules_removed"] == ["CSAT bonus"]
    assert not Rule.objects.filter(pk=people["rule"].pk).exists()
    assert AuditEntry.objects.filter(action=schemes.SCHEME_SAVED).count() == before + 2
    # Saving what is already there changes nothing and logs nothing.
    http.post(
        reverse("motivation:scheme", args=[people["scheme"].pk]),
        {
            "name": "Agents",
            "period": "month",
            "role": "agent",
            "base_bonus": "1000",
            "currency": "EUR",
            "is_active": "on",
        },
    )
    assert AuditEntry.objects.filter(action=schemes.SCHEME_SAVED).count() == before + 2


def test_editing_the_scheme_never_changes_an_approved_statement(people):
    head, agent = people["head"], people["agent"]
    csat = make_survey("csat")
    for score in (5, 5, 4):
        answer(csat, score, at(15), agent=agent)
    statement = statements.generate(actor=head, employee_id=agent.pk, day=MONTH)
    statements.review(actor=head, statement=statement)
    statements.approve(actor=head, statement=statement)
    frozen = list(statement.lines.values_list("kind", "label", "value", "target", "amount"))
    assert Statement.objects.get(pk=statement.pk).total == Decimal("50.00")
    http = _client(head)
    http.post(
        reverse("motivation:kpi", args=[people["kpi"].pk]),
        {"source": sources.CSAT, "target": "4.9", "threshold": "4.5", "weight": "5"},
    )
    http.post(
        reverse("motivation:scheme", args=[people["scheme"].pk]),
        {
            "name": "Agents renamed",
            "period": "month",
            "role": "agent",
            "base_bonus": "9000",
            "currency": "PLN",
            "is_active": "on",
        },
    )
    http.post(reverse("motivation:rule_remove", args=[people["rule"].pk]))
    assert Kpi.objects.get(pk=people["kpi"].pk).target == Decimal("4.9")
    after = Statement.objects.get(pk=statement.pk)
    assert (after.total, after.base_bonus, after.currency, after.scheme_name) == (
        Decimal("50.00"),
        Decimal("1000.00"),
        "EUR",
        "Agents",
    )
    assert list(after.lines.values_list("kind", "label", "value", "target", "amount")) == frozen
    assert after.lines.filter(kind=Line.Kind.RULE).exists()
    # Nor can a redraft bring the new rules in.
    page = http.post(reverse("motivation:act", args=[statement.pk, "redraft"]), follow=True)
    assert "approved and frozen" in page.content.decode()
    assert Statement.objects.get(pk=statement.pk).total == Decimal("50.00")


def test_the_api_edits_through_the_same_rules(people):
    from tests.api_support import api_as, error_locs

    kpi_url = f"/motivation/kpis/{people['kpi'].pk}"
    body = {"source": sources.CSAT, "target": "4.8", "threshold": "4.1", "weight": 2}
    assert api_as(people["agent"]).put(kpi_url, body).status_code == 403
    manager = api_as(people["head"])
    assert manager.put(kpi_url, body).status_code == 200
    assert Kpi.objects.get(pk=people["kpi"].pk).target == Decimal("4.8")
    wrong = manager.put(
        f"/motivation/rules/{people['rule'].pk}",
        {"name": "CSAT bonus", "kind": "percent", "comparison": "gte", "value": "4"},
    )
    assert ("percent",) in [loc[-1:] for loc in error_locs(wrong)]
    renamed = manager.put(
        f"/motivation/schemes/{people['scheme'].pk}",
        {
            "name": "Agents",
            "period": "month",
            "base_bonus": "1200",
            "currency": "EUR",
            "role": "agent",
            "is_active": False,
        },
    )
    assert renamed.status_code == 200 and renamed.json()["base_bonus"] == "1200.00"
    assert manager.delete(f"/motivation/rules/{people['rule'].pk}").status_code == 204
    assert not Rule.objects.filter(pk=people["rule"].pk).exists()
    assert manager.delete(f"/motivation/rules/{people['rule'].pk}").status_code == 404
