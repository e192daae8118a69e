"""Two-factor authentication: an authenticator app (TOTP) plus one-time backup codes.

A person enrols on Account → Two-factor authentication (scan a QR code, confirm with a code);
from then on, after the password, Kliento asks for a code from the app or a backup code before
any page opens. An administrator can require it per role (`RoleSecurityPolicy`): a member of
such a role without an app is sent to enrolment right after the password and can open no other
page until enrolled. `TwoFactorMiddleware` enforces both, for every page including the admin.

API tokens are separate credentials (created by a person who passed the second factor, or by
`kliento issue_token`): the JSON API does not ask for a code.
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import segno
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kliento.core import audit
from kliento.core.models import RoleSecurityPolicy
from kliento.core.permissions import access_of
from kliento.core.types import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "app"
BACKUP_DEVICE_NAME = "backup"


# ---------------------------------------------------------------------------------------------
# Reading


def app_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def required_for(user: User) -> bool:
    """Whether one of the user's roles requires two-factor authentication."""
    return RoleSecurityPolicy.objects.filter(
        require_two_factor=True, role__in=user.groups.values("name")
    ).exists()


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no network, no script)."""
    return str(
        segno.make(device.config_url, error="m").svg_inline(
            scale=5, dark="#000", light="#fff", omitsize=True
        )
    )


def secret_text(device: TOTPDevice) -> str:
    """The key as people type it into an app that cannot scan: base32 in groups of four."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


# ---------------------------------------------------------------------------------------------
# Writing


@transaction.atomic
def start_enrolment(*, user: User) -> TOTPDevice:
    """A new, unconfirmed app device for the user (any earlier unconfirmed one is replaced)."""
    if is_enrolled(user):
        raise ValueError("The user already has an authenticator app")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def pending_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def confirm_enrolment(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code it shows; returns fresh backup codes, or None when the code
    is wrong."""
    if device.user_id != user.pk or device.confirmed:
        raise ValueError("Not this user's pending device")
    if not device.verify_token(_clean(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(user)
    audit.record(actor=user, action="two_factor.enabled", target=user, target_repr=str(user))
    return codes


@transaction.atomic
def regenerate_backup_codes(*, user: User) -> list[str]:
    """Replace the user's backup codes (the old ones stop working)."""
    if not is_enrolled(user):
        raise ValueError("Backup codes need an authenticator app first")
    codes = _new_backup_codes(user)
    audit.record(actor=user, action="two_factor.backup_codes", target=user, target_repr=str(user))
    return codes


@transaction.atomic
def disable(*, actor: Actor, user: User) -> None:
    """Remove the user's app and backup codes (the user, or an administrator resetting it)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, action="two_factor.disabled", target=user, target_repr=str(user))


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _clean(code: str) -> str:
    return "".join(code.split()).lower()


def verify(request: HttpRequest, *, user: User, code: str) -> bool:
    """The second step of the login: a code from the app or an unused backup code. On success
    the session is marked verified (and gets a new key)."""
    code = _clean(code)
    if not code:
        return False
    candidates: list[TOTPDevice | StaticDevice] = []
    app = app_device(user)
    if app is not None and code.isdigit():
        candidates.append(app)
    candidates.extend(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in candidates:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            verify_session(request, device=verified)
            return True
    return False


def verify_session(request: HttpRequest, *, device: TOTPDevice | StaticDevice) -> None:
    """Mark the session as having passed the second step, under a new session key."""
    request.session.cycle_key()
    otp_login(request, device)


# ---------------------------------------------------------------------------------------------
# Enforcement

# Pages a signed-in person may open before the second step: the step itself, enrolment (only
# while not enrolled), logging out and the language switch. Public pages are open anyway.
VERIFY_URL_NAME = "two_factor_verify"
SETUP_URL_NAME = "two_factor_setup"
ALWAYS_OPEN = frozenset({VERIFY_URL_NAME, "logout", "set_language"})


class TwoFactorMiddleware:
    """Until the session has passed the second step, a person with an app is sent to the step,
    and a person whose role requires it and who has no app is sent to enrolment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return None
        match = request.resolver_match
        if match is None or match.namespace == "api" or match.url_name in ALWAYS_OPEN:
            return None
        access = access_of(view_func)
        if access is not None and not access.login:
            return None
        if is_enrolled(user):
            return _redirect(request, VERIFY_URL_NAME)
        if match.url_name == SETUP_URL_NAME:
            return None
        if required_for(user):
            return _redirect(request, SETUP_URL_NAME)
        return None


def _redirect(request: HttpRequest, url_name: str) -> HttpResponseBase:
    target = resolve_url(url_name)
    if request.method == "GET" and not getattr(request, "htmx", False):
        target += "?" + urlencode({"next": request.get_full_path()})
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(target)
    return HttpResponseRedirect(target)
