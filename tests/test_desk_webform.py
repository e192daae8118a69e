"""The public web form: a case from a visitor, with spam protection and rate limits."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient

from kliento.clients.models import Client
from kliento.desk.models import Case
from kliento.desk.public import guard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _form(**over) -> dict[str, str]:
    return {
        "name": "Ola Nowak",
        "email": "Ola@Example.com",
        "subject": "Broken zipper",
        "message": "The zipper of my new jacket broke.",
        # Issued ten seconds ago: a person's pace.
        "token": guard.issue(now=time.time() - 10),
    } | over


def test_the_page_is_public_accessible_and_carries_a_token(client):
    page = client.get("/desk/contact/")
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("name", "email", "subject", "message"):
        assert f'<label class="form-label" for="id_{field}"' in html
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token and guard.check(token.group(1), now=time.time() + 5) is guard.Verdict.OK
    assert 'name="viewport"' in html
    assert page["X-Frame-Options"] == "DENY"


def test_a_message_opens_a_case_for_the_client_and_thanks_with_the_number(client):
    response = client.post("/desk/contact/", _form())
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.subject) == ("web_form", "Broken zipper")
    message = case.messages.get()
    assert message.direction == "in" and message.author_address == "Ola@Example.com"
    assert case.client.contacts.filter(kind="email", value="ola@example.com").exists()
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and case.number.encode() in thanks.content
    # A second message from the same address: the same client.
    client.post("/desk/contact/", _form(subject="Another"))
    assert Client.objects.count() == 1 and Case.objects.count() == 2


def test_the_visitors_language_is_used(client):
    page = client.get("/desk/contact/", headers={"Accept-Language": "pl"})
    assert 'lang="pl"' in page.content.decode()
    client.post("/desk/contact/?lang=pl", _form())
    assert Case.objects.get().client.language == "pl"


def test_errors_stand_beside_their_fields(client):
    response = client.post("/desk/contact/", _form(email="not-an-address", message=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_email_error"' in html and 'id="id_message_error"' in html
    assert 'aria-invalid="true"' in html
    assert not Case.objects.exists()


def test_the_honeypot_pretends_and_stores_nothing(client):
    response = client.post("/desk/contact/", _form(website="http://spam.example"))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert not Case.objects.exists() and not Client.objects.exists()


@pytest.mark.parametrize(
    ("token", "words"),
    [
        (lambda: guard.issue(), "very fast"),
        (lambda: guard.issue(now=time.time() - 2 * 24 * 3600), "open too long"),
        (lambda: "forged-token", "could not be checked"),
        (lambda: "", "could not be checked"),
    ],
)
def test_bad_tokens_are_refused(client, token, words):
    response = client.post("/desk/contact/", _form(token=token()))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Case.objects.exists()


def test_a_replayed_form_is_refused(client):
    form = _form()
    assert client.post("/desk/contact/", form).status_code == 302
    again = client.post("/desk/contact/", form)
    assert again.status_code == 400 and "already sent" in again.content.decode()
    assert Case.objects.count() == 1


def test_rate_limit_per_address(client, settings):
    settings.KLIENTO_DESK_CONTACT_PER_EMAIL = 2
    statuses = [client.post("/desk/contact/", _form()).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Case.objects.count() == 2
    # Another address from the same network is still fine.
    assert client.post("/desk/contact/", _form(email="other@example.com")).status_code == 302


def test_rate_limit_per_ip(settings):
    settings.KLIENTO_DESK_CONTACT_PER_IP = 2
    http = HttpClient(REMOTE_ADDR="203.0.113.7")
    statuses = [
        http.post("/desk/contact/", _form(email=f"p{i}@example.com")).status_code for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    other = HttpClient(REMOTE_ADDR="203.0.113.8")
    assert other.post("/desk/contact/", _form(email="q@example.com")).status_code == 302


def test_the_embedded_form_may_be_framed_and_keeps_embedding(client):
    page = client.get("/desk/contact/?embed=1")
    assert "X-Frame-Options" not in page
    assert "frame-ancestors *" in page["Content-Security-Policy"]
    response = client.post("/desk/contact/?embed=1", _form())
    assert "embed=1" in response["Location"]
    thanks = client.get(response["Location"])
    assert "frame-ancestors *" in thanks["Content-Security-Policy"]


def test_a_thanks_link_without_a_valid_token_goes_back_to_the_form(client):
    assert client.get("/desk/contact/thanks/?c=C-000001")["Location"] == "/desk/contact/"


def test_the_embed_script_is_served(client):
    from django.contrib.staticfiles import finders

    assert finders.find("desk/contact-embed.js")
