"""Password reset by e-mail, without telling anyone whether an account exists.

The form answers every address the same way (Django's view always goes on to the "check your
inbox" page); the e-mail itself leaves from a background task, so a known address does not
make the answer slower either. The message is written in the person's language
(`StaffProfile.language`) and links to KLIENTO_BASE_URL, or to the host the request came to.
Requests are limited per client address and per e-mail address
(KLIENTO_PASSWORD_RESET_PER_HOUR), counted the same whether or not the address is known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kliento.core.forms import style_widgets
from kliento.core.notifications import language_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User

WINDOW_SECONDS = 3600


def base_url(request: HttpRequest) -> str:
    return settings.KLIENTO_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def allow_request(*, client_ip: str, email: str) -> bool:
    """Count one reset request; False once either the client or the address is over the limit.

    Kept in Django's cache: per process unless CACHES names a shared cache.
    """
    limit = settings.KLIENTO_PASSWORD_RESET_PER_HOUR
    allowed = True
    for key in (f"pwreset:ip:{client_ip}", f"pwreset:email:{email.strip().lower()}"):
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
            count = 1
        allowed = allowed and count <= limit
    return allowed


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, styled, handing the sending to a background task."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
        self.fields["email"].widget.attrs["autofocus"] = True

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        from kliento.core.tasks import send_password_reset_email

        assert request is not None
        link_base = base_url(request)
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset_email.enqueue(user.pk, link_base)


class StyledSetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class StyledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


def send_reset_email(user_id: int, link_base: str) -> str:
    """Mail the user a link to set a new password, in their language."""
    user: User | None = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return "not sent"
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": link_base + path, "base_url": link_base}
    with translation.override(language_of(user)):
        subject = render_to_string("core/password_reset_subject.txt", context)
        body = render_to_string("core/password_reset_email.txt", context)
    EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email]).send()
    return "sent"
