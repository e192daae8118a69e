"""Password reset by e-mail: the same answer for any address, mail in the person's language,
a link to the configured address, a rate limit, and the other sessions logged out."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client as HttpClient

from kliento.core import roles
from kliento.core.models import StaffProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def olena(db):
    return UserFactory(username="olena", email="olena@example.com", role=roles.AGENT)


def _ask(email: str, http: HttpClient | None = None, **extra):
    return (http or HttpClient()).post("/password/reset/", {"email": email}, **extra)


def test_the_login_page_links_to_the_reset():
    assert 'href="/password/reset/"' in HttpClient().get("/login/").text


def test_an_unknown_address_gets_the_same_answer_and_no_mail(olena):
    known = _ask("olena@example.com")
    mail.outbox.clear()
    unknown = _ask("nobody@example.com")

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == "/password/reset/sent/"
    assert mail.outbox == []
    page = HttpClient().get("/password/reset/sent/")
    assert "If an account uses the address you entered" in page.text


def test_a_known_address_gets_a_link_that_sets_a_new_password(olena, settings):
    settings.KLIENTO_BASE_URL = "https://kliento.example.com"
    _ask("OLENA@example.com")

    (message,) = mail.outbox
    assert message.to == ["olena@example.com"]
    assert "olena" in message.body
    (link,) = re.findall(r"https://kliento\.example\.com(/password/reset/\S+/)", message.body)

    http = HttpClient()
    form = http.get(link, follow=True)
    assert "Set a new password" in form.text
    response = http.post(
        form.redirect_chain[-1][0],
        {"new_password1": "A-much-better-pass-42", "new_password2": "A-much-better-pass-42"},
    )
    assert response["Location"] == "/password/reset/done/"
    olena.refresh_from_db()
    assert olena.check_password("A-much-better-pass-42")
    # The link works once.
    assert "This link is not valid" in HttpClient().get(link, follow=True).text


def test_without_a_base_url_the_link_uses_the_request_host(olena, settings):
    settings.KLIENTO_BASE_URL = ""
    _ask("olena@example.com")
    assert "http://testserver/password/reset/" in mail.outbox[0].body


def test_the_mail_is_in_the_persons_language(olena, monkeypatch):
    """Written in StaffProfile.language, whatever the language of the browser that asked."""
    from django.utils import translation

    from kliento.core import password_reset

    StaffProfile.objects.create(user=olena, language="uk")
    languages = []
    render = password_reset.render_to_string

    def spy(*args, **kwargs):
        languages.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr(password_reset, "render_to_string", spy)
    _ask("olena@example.com", headers={"accept-language": "pl"})

    (message,) = mail.outbox
    assert languages == ["uk", "uk"]
    with translation.override("uk"):
        assert message.subject == translation.gettext("Set a new Kliento password")


def test_an_inactive_account_gets_no_mail(olena):
    olena.is_active = False
    olena.save()
    assert _ask("olena@example.com").status_code == 302
    assert mail.outbox == []


def test_requests_are_rate_limited_the_same_for_known_and_unknown_addresses(olena, settings):
    settings.KLIENTO_PASSWORD_RESET_PER_HOUR = 2
    for email in ("olena@example.com", "nobody@example.com"):
        cache.clear()
        answers = [_ask(email).status_code for _ in range(3)]
        assert answers == [302, 302, 429], email
    assert len(mail.outbox) == 2


def test_the_rate_limit_counts_per_client_address(olena, settings):
    settings.KLIENTO_PASSWORD_RESET_PER_HOUR = 2
    codes = [_ask(f"someone{i}@example.com").status_code for i in range(3)]
    assert codes == [302, 302, 429]
    response = _ask("olena@example.com", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


def test_a_new_password_by_e_mail_lifts_a_lockout(olena, settings):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        HttpClient().post("/login/", {"username": "olena", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="olena").exists()
    _ask("olena@example.com")
    (link,) = re.findall(r"http://testserver(/password/reset/\S+/)", mail.outbox[0].body)
    http = HttpClient()
    form_url = http.get(link)["Location"]
    http.post(
        form_url,
        {"new_password1": "A-much-better-pass-42", "new_password2": "A-much-better-pass-42"},
    )
    assert not AccessAttempt.objects.filter(username="olena").exists()


def test_changing_the_password_logs_out_the_other_sessions(olena):
    mine, elsewhere = HttpClient(), HttpClient()
    mine.force_login(olena)
    elsewhere.force_login(olena)
    assert elsewhere.get("/").status_code == 200

    response = mine.post(
        "/password/",
        {
            "old_password": "secret-pass-123",
            "new_password1": "A-much-better-pass-42",
            "new_password2": "A-much-better-pass-42",
        },
    )

    assert response.status_code == 302
    assert mine.get("/").status_code == 200  # this session stays
    assert elsewhere.get("/")["Location"].startswith("/login/")
