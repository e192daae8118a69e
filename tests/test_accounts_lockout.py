"""Failed-login lockout: counted per username, audited, lifted by an administrator."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client as HttpClient
from django.utils import translation

from kliento.core import roles
from kliento.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def _login(http: HttpClient, username: str, password: str, **extra):
    return http.post("/login/", {"username": username, "password": password}, **extra)


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def _fail(http: HttpClient, username: str, times: int) -> None:
    for _ in range(times):
        _login(http, username, "wrong-password")


def test_a_wrong_password_shows_the_form_again(limit):
    UserFactory(username="olena", role=roles.AGENT)
    response = _login(HttpClient(), "olena", "wrong-password")
    assert response.status_code == 200
    assert "didn&#x27;t match" in response.text or "didn't match" in response.text


def test_after_the_limit_even_the_right_password_is_refused_with_the_lockout_page(limit):
    UserFactory(username="olena", role=roles.AGENT)
    http = HttpClient()
    _fail(http, "olena", limit)

    response = _login(http, "olena", PASSWORD)

    assert response.status_code == 429
    assert "Login locked" in response.text
    assert "Try again in 15 minutes" in response.text
    assert "_auth_user_id" not in http.session
    # The page is in the app's style (the base template) and links to a reset by e-mail.
    assert 'href="/password/reset/"' in response.text
    assert "navbar" in response.text


def test_the_lockout_page_is_translated(limit):
    UserFactory(username="olena", role=roles.AGENT)
    http = HttpClient(headers={"accept-language": "uk"})
    _fail(http, "olena", limit)
    response = _login(http, "olena", PASSWORD)
    assert response.status_code == 429
    assert '<html lang="uk">' in response.text
    translation.activate("uk")
    assert translation.gettext("Login locked") in response.text


def test_below_the_limit_the_right_password_logs_in_and_resets_the_count(limit):
    UserFactory(username="olena", role=roles.AGENT)
    http = HttpClient()
    _fail(http, "olena", limit - 1)
    assert _login(http, "olena", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="olena").exists()


def test_a_lockout_does_not_touch_other_users(limit):
    UserFactory(username="olena", role=roles.AGENT)
    UserFactory(username="piotr", role=roles.AGENT)
    http = HttpClient()
    _fail(http, "olena", limit)

    # Same browser, same address: another person still logs in.
    response = _login(http, "piotr", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_lockout_is_audited_once(limit):
    olena = UserFactory(username="olena", role=roles.AGENT)
    http = HttpClient()
    _fail(http, "olena", limit + 2)  # attempts during the lockout add no rows
    _login(http, "olena", PASSWORD)

    (entry,) = AuditEntry.objects.filter(action="account.locked_out")
    assert entry.target_id == str(olena.pk)
    assert entry.changes["username"] == "olena"
    assert entry.changes["failures"] == limit
    assert entry.actor is None


def test_a_lockout_of_a_name_without_an_account_is_audited_too(limit):
    _fail(HttpClient(), "nobody-here", limit)
    (entry,) = AuditEntry.objects.filter(action="account.locked_out")
    assert entry.target_repr == "nobody-here"


def test_the_cool_off_ends_the_lockout(limit, settings):
    UserFactory(username="olena", role=roles.AGENT)
    http = HttpClient()
    _fail(http, "olena", limit)
    assert _login(http, "olena", PASSWORD).status_code == 429
    # The failures are older than the cool-off: they no longer count.
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")
    assert _login(http, "olena", PASSWORD).status_code == 302


@pytest.fixture
def admin_http(db):
    admin = UserFactory(username="boss", role=roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
    http = HttpClient()
    http.force_login(admin)
    return admin, http


def test_an_administrator_unlocks_from_the_admin(limit, admin_http):
    admin, http = admin_http
    olena = UserFactory(username="olena", role=roles.AGENT)
    _fail(HttpClient(), "olena", limit)

    response = http.post(
        "/admin/auth/user/",
        {"action": "unlock_login", "_selected_action": [olena.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 login unlocked." in response.text
    assert not AccessAttempt.objects.filter(username="olena").exists()
    assert _login(HttpClient(), "olena", PASSWORD).status_code == 302
    (entry,) = AuditEntry.objects.filter(action="account.unlocked")
    assert entry.actor == admin and entry.target_id == str(olena.pk)


def test_a_non_staff_user_cannot_unlock(limit):
    manager = UserFactory(username="mgr", role=roles.MANAGER)
    olena = UserFactory(username="olena", role=roles.AGENT)
    _fail(HttpClient(), "olena", limit)
    http = HttpClient()
    http.force_login(manager)
    response = http.post(
        "/admin/auth/user/", {"action": "unlock_login", "_selected_action": [olena.pk]}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert AccessAttempt.objects.filter(username="olena").exists()


def test_api_tokens_are_not_affected_by_a_lockout(limit):
    from kliento.core.tokens import issue_token

    olena = UserFactory(username="olena", role=roles.AGENT)
    _token, raw = issue_token(actor=None, user=olena, name="script")
    _fail(HttpClient(), "olena", limit)
    assert _login(HttpClient(), "olena", PASSWORD).status_code == 429

    response = HttpClient().get("/api/v1/clients", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    # And a wrong token is not a failed login: it counts nothing.
    before = AccessAttempt.objects.count()
    for _ in range(limit + 1):
        assert (
            HttpClient()
            .get("/api/v1/clients", headers={"authorization": "Bearer nope"})
            .status_code
            == 401
        )
    assert AccessAttempt.objects.count() == before


@pytest.mark.parametrize(("behind_proxy", "expected"), [(True, "8.8.8.8"), (False, "10.0.0.1")])
def test_the_client_address_behind_the_proxy_is_the_one_it_appended(
    settings, behind_proxy, expected
):
    from django.test import RequestFactory

    from kliento.core.lockout import client_ip

    settings.KLIENTO_BEHIND_PROXY = behind_proxy
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 8.8.8.8", REMOTE_ADDR="10.0.0.1"
    )
    assert client_ip(request) == expected
