"""Macros (set up by managers, applied by agents in one transaction), bulk actions on queue
lists, and saved views (each agent's own)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kliento.core.models import AuditEntry
from kliento.desk import services
from kliento.desk.models import Case, Macro, SavedCaseView
from tests.desk_support import member, new_case, team

pytestmark = pytest.mark.django_db


def _login(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def support():
    return team("Support")


@pytest.fixture
def olena(support):
    return member(support, "olena")


def test_a_manager_sets_up_a_macro_and_it_is_audited(manager, support):
    http = _login(manager)
    response = http.post(
        reverse("desk:macros"),
        {
            "name": "Refund done",
            "status": "resolved",
            "priority": "",
            "team": support.pk,
            "tags": "refund, done",
            "assign_to_me": "on",
            "reply_text": "Dear {client_name}, your refund is on its way. {agent_name}",
        },
    )
    assert response.status_code == 302
    macro = Macro.objects.get()
    assert macro.tag_names == ["refund", "done"] and macro.assign_to_me
    assert AuditEntry.objects.filter(action="desk.macro_created").count() == 1


def test_a_macro_name_must_be_unique_and_is_refused_beside_it(manager):
    Macro.objects.create(name="Close")
    response = _login(manager).post(reverse("desk:macros"), {"name": "close"})
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert Macro.objects.count() == 1


def test_agents_may_not_set_up_macros(olena):
    http = _login(olena)
    assert http.get(reverse("desk:macros")).status_code == 403
    assert http.post(reverse("desk:macros"), {"name": "Sneaky"}).status_code == 403
    assert not Macro.objects.exists()


def test_applying_a_macro_makes_every_change_with_the_reply_filled(olena, support):
    case = new_case(team=support)
    macro = Macro.objects.create(
        name="Refund done",
        status="resolved",
        priority="high",
        tags="refund",
        assign_to_me=True,
        reply_text="Dear {client_name}, case {case_number} is done.",
    )
    response = _login(olena).post(reverse("desk:macro", args=[case.pk]), {"macro": macro.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED and case.priority == "high"
    assert case.assignee == olena
    assert list(case.tags.values_list("name", flat=True)) == ["refund"]
    reply = case.messages.get(direction="out")
    assert reply.body_text == f"Dear {case.client.name}, case {case.number} is done."


def test_a_macro_that_fails_halfway_changes_nothing(olena, support):
    case = new_case(team=support)
    services.set_status(actor=None, case=case, status="closed")
    macro = Macro.objects.create(
        name="Reopen", priority="urgent", tags="again", status="open", reply_text="Hi"
    )
    events = case.events.count()
    response = _login(olena).post(reverse("desk:macro", args=[case.pk]), {"macro": macro.pk})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.priority == "normal" and not case.tags.exists()
    assert case.events.count() == events and not case.messages.filter(direction="out")


def test_a_macro_does_not_take_a_case_someone_else_holds(olena, support):
    case = new_case(team=support)
    services.take(actor=member(support, "maria"), case=case)
    macro = Macro.objects.create(name="Mine", assign_to_me=True, priority="high")
    response = _login(olena).post(
        reverse("desk:macro", args=[case.pk]), {"macro": macro.pk}, follow=True
    )
    assert "has already taken this case" in response.content.decode()
    case.refresh_from_db()
    assert case.priority == "normal"


def test_an_unknown_macro_is_an_error_not_a_change(olena, support):
    case = new_case(team=support)
    response = _login(olena).post(reverse("desk:macro", args=[case.pk]), {"macro": "999999"})
    assert response.status_code == 400
    assert case.events.count() == 2


def test_bulk_take_reports_what_changed_and_what_was_refused(olena, support):
    mine = [new_case(team=support, body="") for _ in range(2)]
    taken = new_case(team=support, body="")
    services.take(actor=member(support, "maria"), case=taken)
    hidden = new_case(team=team("Elsewhere"), body="")
    ids = [c.pk for c in [*mine, taken, hidden]]
    response = _login(olena).post(reverse("desk:bulk"), {"action": "take", "ids": ids}, follow=True)
    html = response.content.decode()
    assert "2 cases changed." in html
    assert taken.number in html and "has already taken this case" in html
    assert f"#{hidden.pk}" in html and hidden.number not in html
    assert Case.objects.filter(assignee=olena).count() == 2
    hidden.refresh_from_db()
    assert hidden.assignee_id is None


def test_bulk_status_priority_tag_and_assign(olena, support, manager):
    cases = [new_case(team=support, body="") for _ in range(2)]
    ids = [c.pk for c in cases]
    http = _login(olena)
    http.post(reverse("desk:bulk"), {"action": "priority", "priority": "urgent", "ids": ids})
    http.post(reverse("desk:bulk"), {"action": "tag", "tag": "VIP", "ids": ids})
    http.post(reverse("desk:bulk"), {"action": "status", "status": "on_hold", "ids": ids})
    http.post(reverse("desk:bulk"), {"action": "assign", "assignee": manager.pk, "ids": ids})
    for case in cases:
        case.refresh_from_db()
        assert case.priority == "urgent" and case.status == "on_hold"
        assert list(case.tags.values_list("name", flat=True)) == ["vip"]
        assert case.assignee == manager


def test_bulk_without_the_value_its_action_needs_changes_nothing(olena, support):
    case = new_case(team=support, body="")
    response = _login(olena).post(
        reverse("desk:bulk"), {"action": "status", "status": "", "ids": [case.pk]}, follow=True
    )
    assert "Choose what to set." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.NEW


def test_the_auditor_cannot_bulk_change(auditor, support):
    case = new_case(team=support, body="")
    response = _login(auditor).post(reverse("desk:bulk"), {"action": "take", "ids": [case.pk]})
    assert response.status_code == 403


def test_saved_views_are_their_owners_own(olena, support):
    other = member(support, "maria")
    http = _login(olena)
    response = http.post(
        reverse("desk:view_save"), {"name": "Urgent refunds", "query": "queue=team&priority=urgent"}
    )
    view = SavedCaseView.objects.get()
    assert response["Location"] == reverse("desk:view_open", args=[view.pk])
    opened = http.get(reverse("desk:view_open", args=[view.pk]))
    assert "priority=urgent" in opened["Location"]
    shown = http.get(opened["Location"]).content.decode()
    assert 'aria-current="page">Urgent refunds</a>' in shown
    assert "Urgent refunds" in http.get(reverse("desk:queue")).content.decode()
    http.post(reverse("desk:view_rename", args=[view.pk]), {"name": "Refunds"})
    view.refresh_from_db()
    assert view.name == "Refunds"

    intruder = _login(other)
    assert intruder.get(reverse("desk:view_open", args=[view.pk])).status_code == 404
    assert (
        intruder.post(reverse("desk:view_rename", args=[view.pk]), {"name": "X"}).status_code == 404
    )
    assert intruder.post(reverse("desk:view_delete", args=[view.pk])).status_code == 404
    assert "Refunds" not in intruder.get(reverse("desk:queue")).content.decode()

    http.post(reverse("desk:view_delete", args=[view.pk]))
    assert not SavedCaseView.objects.exists()


def test_a_view_without_a_name_is_not_saved(olena):
    http = _login(olena)
    http.post(reverse("desk:view_save"), {"name": "   ", "query": "queue=all"})
    http.post(reverse("desk:view_save"), {"name": "x" * 81, "query": "queue=all"})
    assert not SavedCaseView.objects.exists()


def test_the_assignee_list_holds_exactly_who_may_work_cases(olena, manager, auditor, outsider):
    from kliento.desk.selectors import workspace

    inactive = member(None, "gone")
    inactive.is_active = False
    inactive.save()
    names = {user.username for user in workspace.agents()}
    assert {"olena", "manager"} <= names
    assert not names & {"auditor", "outsider", "gone"}
