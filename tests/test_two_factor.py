"""Two-factor authentication: enrolment, the second login step, backup codes, and roles that
require it."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client as HttpClient
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kliento.core import roles, two_factor
from kliento.core.models import AuditEntry, RoleSecurityPolicy
from kliento.core.tokens import issue_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows (a step ahead: each step's code is accepted once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def password_login(username: str = "olena", next_url: str = "") -> HttpClient:
    http = HttpClient()
    url = "/login/" + (f"?next={next_url}" if next_url else "")
    response = http.post(url, {"username": username, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content
    return http


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.start_enrolment(user=user)
    codes = two_factor.confirm_enrolment(user=user, device=device, code=code_for(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def olena(db):
    return UserFactory(username="olena", role=roles.AGENT)


# --- enrolment ----------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_as_inline_svg_and_the_key(olena):
    http = HttpClient()
    http.force_login(olena)
    response = http.get("/account/two-factor/setup/")
    assert response.status_code == 200
    assert "<svg" in response.text and "<img" not in response.text
    device = TOTPDevice.objects.get(user=olena, confirmed=False)
    assert two_factor.secret_text(device) in response.text
    assert "otpauth://" in device.config_url and "issuer=Kliento" in device.config_url


def test_enrolment_with_the_right_code_turns_it_on_and_shows_backup_codes_once(olena):
    http = HttpClient()
    http.force_login(olena)
    http.get("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=olena, confirmed=False)

    response = http.post("/account/two-factor/setup/", {"code": code_for(device)})

    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    shown = re.findall(r'<li class="col">(\w+)</li>', response.text)
    assert len(shown) == two_factor.BACKUP_CODE_COUNT
    assert set(shown) == set(StaticToken.objects.values_list("token", flat=True))
    assert AuditEntry.objects.filter(action="two_factor.enabled", target_id=str(olena.pk)).exists()
    # The session that enrolled counts as verified: pages open without a second prompt.
    assert http.get("/").status_code == 200
    # Nothing more to enrol: the setup page goes to the overview.
    assert http.get("/account/two-factor/setup/")["Location"] == "/account/two-factor/"


def test_enrolment_with_a_wrong_code_changes_nothing(olena):
    http = HttpClient()
    http.force_login(olena)
    http.get("/account/two-factor/setup/")
    response = http.post("/account/two-factor/setup/", {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert not two_factor.is_enrolled(olena)
    assert not StaticToken.objects.exists()


# --- the second login step ----------------------------------------------------------------


def test_with_an_app_the_password_alone_opens_nothing(olena):
    enrolled(olena)
    http = password_login(next_url="/clients/")

    response = http.get("/clients/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/verify/?next=%2Fclients%2F"
    # Nor the admin, nor one's tokens, nor enrolling another app.
    for url in ("/admin/", "/account/tokens/", "/account/two-factor/setup/", "/"):
        assert http.get(url)["Location"].startswith("/account/two-factor/verify/"), url


def test_login_with_a_totp_code(olena):
    device, _codes = enrolled(olena)
    http = password_login(next_url="/clients/")

    response = http.post(
        "/account/two-factor/verify/", {"code": code_for(device, 1), "next": "/clients/"}
    )

    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert http.get("/clients/").status_code == 200


def test_a_wrong_or_reused_code_is_refused(olena):
    device, _codes = enrolled(olena)
    http = password_login()
    response = http.post("/account/two-factor/verify/", {"code": "123456"})
    assert response.status_code == 200 and "That code is not right" in response.text
    # The code used to enrol (this time step) cannot be replayed.
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = http.post("/account/two-factor/verify/", {"code": code_for(device)})
    assert response.status_code == 200
    assert http.get("/").status_code == 302


def test_login_with_a_backup_code_uses_it_up(olena):
    _device, codes = enrolled(olena)
    http = password_login()

    response = http.post("/account/two-factor/verify/", {"code": codes[0].upper()})

    assert response.status_code == 302 and response["Location"] == "/"
    assert http.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    second = password_login()
    assert second.post("/account/two-factor/verify/", {"code": codes[0]}).status_code == 200
    assert second.get("/").status_code == 302


def test_the_verify_step_is_not_an_open_redirect(olena):
    device, _codes = enrolled(olena)
    http = password_login()
    response = http.post(
        "/account/two-factor/verify/",
        {"code": code_for(device, 1), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_verifying_gives_the_session_a_new_key(olena):
    device, _codes = enrolled(olena)
    http = password_login()
    before = http.session.session_key
    http.post("/account/two-factor/verify/", {"code": code_for(device, 1)})
    assert http.session.session_key != before


def test_without_an_app_nothing_changes(olena):
    http = password_login()
    assert http.get("/").status_code == 200
    assert http.get("/account/two-factor/verify/")["Location"] == "/"


def test_new_backup_codes_replace_the_old_ones(olena):
    device, old = enrolled(olena)
    http = HttpClient()
    http.force_login(olena)
    http.post("/account/two-factor/verify/", {"code": code_for(device, 1)})
    response = http.post("/account/two-factor/backup-codes/")
    new = re.findall(r'<li class="col">(\w+)</li>', response.text)
    assert len(new) == two_factor.BACKUP_CODE_COUNT
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_turning_it_off(olena):
    device, _codes = enrolled(olena)
    http = HttpClient()
    http.force_login(olena)
    http.post("/account/two-factor/verify/", {"code": code_for(device, 1)})
    assert http.post("/account/two-factor/disable/").status_code == 302
    assert not two_factor.is_enrolled(olena) and not StaticToken.objects.exists()
    assert AuditEntry.objects.filter(action="two_factor.disabled").exists()


def test_api_tokens_keep_working_for_an_enrolled_user(olena):
    enrolled(olena)
    _token, raw = issue_token(actor=None, user=olena, name="script")
    response = HttpClient().get("/api/v1/clients", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200


# --- roles that require it ----------------------------------------------------------------


@pytest.fixture
def agents_must(db):
    return RoleSecurityPolicy.objects.create(role=roles.AGENT, require_two_factor=True)


def test_a_role_that_requires_it_sends_to_enrolment_after_the_password(olena, agents_must):
    http = password_login(next_url="/clients/")

    response = http.get("/clients/")

    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/setup/?next=%2Fclients%2F"
    for url in ("/", "/account/tokens/", "/admin/", "/account/two-factor/"):
        assert http.get(url)["Location"].startswith("/account/two-factor/setup/"), url
    page = http.get("/account/two-factor/setup/")
    assert page.status_code == 200
    assert "Your role requires two-factor authentication" in page.text


def test_after_enrolling_the_required_user_gets_in(olena, agents_must):
    http = password_login(next_url="/clients/")
    http.get("/account/two-factor/setup/?next=/clients/")
    device = TOTPDevice.objects.get(user=olena, confirmed=False)
    response = http.post(
        "/account/two-factor/setup/", {"code": code_for(device), "next": "/clients/"}
    )
    assert 'href="/clients/"' in response.text
    assert http.get("/clients/").status_code == 200


def test_a_required_user_cannot_turn_it_off(olena, agents_must):
    device, _codes = enrolled(olena)
    http = password_login()
    http.post("/account/two-factor/verify/", {"code": code_for(device, 1)})
    http.post("/account/two-factor/disable/")
    assert two_factor.is_enrolled(olena)


def test_other_roles_are_not_affected(agents_must):
    UserFactory(username="mgr", role=roles.MANAGER)
    http = password_login("mgr")
    assert http.get("/").status_code == 200


def test_an_administrator_sets_the_policy_in_the_admin_and_it_is_audited(olena):
    admin = UserFactory(username="boss", role=roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
    http = HttpClient()
    http.force_login(admin)
    response = http.post(
        "/admin/core/rolesecuritypolicy/add/", {"role": roles.AGENT, "require_two_factor": "on"}
    )
    assert response.status_code == 302
    assert two_factor.required_for(olena)
    (entry,) = AuditEntry.objects.filter(action="security_policy.changed")
    assert entry.actor == admin and entry.changes["require_two_factor"] is True


def test_an_administrator_resets_a_lost_phone(olena):
    enrolled(olena)
    admin = UserFactory(username="boss", role=roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
    http = HttpClient()
    http.force_login(admin)
    http.post("/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [olena.pk]})
    assert not two_factor.is_enrolled(olena)
    assert password_login().get("/").status_code == 200
