"""Two agents on one case: the presence poll says who else is there and what they are doing,
and a reply is not sent over one written since the page was opened. Scripts fill the reply
box with placeholders filled on the server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kliento.desk import placeholders, services
from kliento.desk.models import CaseViewer, Message
from tests.desk_support import member, new_case, team
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _login(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def pair():
    support = team("Support")
    olena = member(support, "olena")
    olena.first_name, olena.last_name = "Olena", "Kowal"
    olena.save()
    return support, olena, member(support, "marek")


def test_the_poll_says_who_is_viewing_and_who_is_writing(pair):
    support, olena, marek = pair
    case = new_case(team=support)
    _login(olena).post(reverse("desk:presence", args=[case.pk]), {"seen": 0})
    answer = _login(marek).post(reverse("desk:presence", args=[case.pk]), {"seen": 0})
    assert "Olena Kowal is viewing this case" in answer.content.decode()
    _login(olena).post(reverse("desk:presence", args=[case.pk]), {"seen": 0, "composing": "1"})
    answer = _login(marek).post(reverse("desk:presence", args=[case.pk]), {"seen": 0})
    assert "Olena Kowal is writing a reply" in answer.content.decode()


def test_a_viewer_not_heard_from_for_a_while_has_left(pair):
    support, olena, marek = pair
    case = new_case(team=support)
    CaseViewer.objects.create(
        case=case, user=olena, seen_at=timezone.now() - dt.timedelta(minutes=5)
    )
    answer = _login(marek).post(reverse("desk:presence", args=[case.pk]), {"seen": 0})
    assert "Olena" not in answer.content.decode()


def test_the_poll_says_a_message_was_added_since_the_page_opened(pair):
    support, olena, marek = pair
    case = new_case(team=support)
    seen = case.messages.last().pk
    http = _login(marek)
    quiet = http.post(reverse("desk:presence", args=[case.pk]), {"seen": seen})
    assert "presence-newer" not in quiet.content.decode()
    services.add_message(
        actor=olena,
        case=case,
        draft=services.MessageDraft(direction=Message.Direction.OUTBOUND, body_text="On it"),
    )
    moved = http.post(reverse("desk:presence", args=[case.pk]), {"seen": seen})
    assert "presence-newer" in moved.content.decode()


def test_a_reply_over_a_newer_one_is_not_sent_until_confirmed(pair):
    support, olena, marek = pair
    case = new_case(team=support)
    seen = case.messages.last().pk
    services.add_message(
        actor=olena,
        case=case,
        draft=services.MessageDraft(direction=Message.Direction.OUTBOUND, body_text="Refunded"),
    )
    http = _login(marek)
    held = http.post(
        reverse("desk:reply", args=[case.pk]),
        {"body": "We will refund you", "after": "resolved", "seen": seen},
    )
    html = held.content.decode()
    assert held.status_code == 409
    assert "Refunded" in html and 'id="newer-replies"' in html
    assert "We will refund you" in html  # the draft is kept
    assert case.messages.filter(direction="out").count() == 1
    case.refresh_from_db()
    assert case.status == "open"
    newest = case.messages.order_by("-pk").first().pk
    assert f'name="seen" value="{newest}"' in html
    sent = http.post(
        reverse("desk:reply", args=[case.pk]), {"body": "We will refund you", "seen": newest}
    )
    assert sent.status_code == 302
    assert case.messages.filter(direction="out").count() == 2


def test_a_client_message_does_not_hold_a_reply(pair):
    support, _olena, marek = pair
    case = new_case(team=support)
    seen = case.messages.last().pk
    services.add_message(
        actor=None,
        case=case,
        draft=services.MessageDraft(direction=Message.Direction.INBOUND, body_text="Any news?"),
    )
    sent = _login(marek).post(reverse("desk:reply", args=[case.pk]), {"body": "Yes", "seen": seen})
    assert sent.status_code == 302


def test_placeholders_are_filled_from_the_client_case_and_agent(pair):
    support, olena, _ = pair
    case = new_case(team=support, client=ClientFactory(name="Anna Nowak"))
    text = placeholders.fill(
        "Dear {client_first_name} ({client_name}), about {case_number} “{case_subject}”: "
        "{agent_first_name} of {team_name}. {agent_name}. {order_id} {Client_name}",
        case=case,
        agent=olena,
    )
    assert text == (
        f"Dear Anna (Anna Nowak), about {case.number} “{case.subject}”: "
        "Olena of Support. Olena Kowal. {order_id} {Client_name}"
    )


def test_placeholders_with_no_team_or_agent_are_empty_not_broken():
    case = new_case(client=ClientFactory(name="Solo"))
    assert placeholders.fill("[{team_name}][{agent_name}]", case=case, agent=None) == "[][]"


def test_a_script_fills_the_reply_box(pair, manager):
    from tests.standards_support import published

    support, olena, _ = pair
    case = new_case(team=support, client=ClientFactory(name="Anna Nowak"))
    standard, version = published(by=manager, title="Greeting", body="Be kind.")
    script = version.scripts.create(title="Hello", text="Hello {client_name}, I am {agent_name}.")
    http = _login(olena)
    response = http.get(reverse("desk:script", args=[case.pk]), {"script": script.pk})
    assert response.status_code == 200
    assert "Hello Anna Nowak, I am Olena Kowal." in response.content.decode()
    assert http.get(reverse("desk:script", args=[case.pk]), {"script": 999_999}).status_code == 404
    assert standard.pk
