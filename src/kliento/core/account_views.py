"""Own-account security pages: two-factor authentication (enrol, the second login step,
backup codes, turning it off) and password reset by e-mail."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kliento.core import two_factor
from kliento.core.forms import StyledForm
from kliento.core.password_reset import (
    QueuedPasswordResetForm,
    StyledPasswordChangeForm,
    StyledSetPasswordForm,
    allow_request,
)
from kliento.core.permissions import login_only
from kliento.core.types import AuthenticatedHttpRequest


class CodeForm(StyledForm):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_only
def two_factor_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "core/two_factor.html",
        {
            "enrolled": two_factor.is_enrolled(user),
            "required": two_factor.required_for(user),
            "codes_left": two_factor.backup_codes_left(user),
        },
    )


@never_cache
@sensitive_post_parameters("code")
@login_only
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Scan the QR code, confirm with a code from the app; the backup codes are shown once."""
    user = request.user
    if two_factor.is_enrolled(user):
        return redirect("two_factor")
    device = two_factor.pending_device(user) if request.method == "POST" else None
    if device is None:
        device = two_factor.start_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(
            user=user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            two_factor.verify_session(request, device=device)
            messages.success(request, _("Two-factor authentication is on."))
            return render(
                request,
                "core/two_factor_backup_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", _("That code is not right. Check the app and try again."))
    return render(
        request,
        "core/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "required": two_factor.required_for(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@never_cache
@sensitive_post_parameters("code")
@login_only
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The second step of the login: a code from the app, or one of the backup codes."""
    user = request.user
    if not two_factor.is_enrolled(user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, user=user, code=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _("That code is not right, or was used already. Wait for a new one and try again."),
        )
    return render(
        request,
        "core/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@never_cache
@require_POST
@login_only
def two_factor_backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New backup codes, shown once; the old ones stop working."""
    if not two_factor.is_enrolled(request.user):
        return redirect("two_factor")
    codes = two_factor.regenerate_backup_codes(user=request.user)
    return render(
        request,
        "core/two_factor_backup_codes.html",
        {"codes": codes, "next": resolve_url("two_factor")},
    )


@require_POST
@login_only
def two_factor_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn two-factor authentication off, unless one's role requires it."""
    user = request.user
    if two_factor.required_for(user):
        messages.error(request, _("Your role requires two-factor authentication."))
    elif two_factor.is_enrolled(user):
        two_factor.disable(actor=user, user=user)
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("two_factor")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: the new password ends the person's other sessions, this one stays."""

    form_class = StyledPasswordChangeForm
    template_name = "core/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view (same answer for any address), with the e-mail queued and a rate limit."""

    form_class = QueuedPasswordResetForm
    template_name = "core/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        email = request.POST.get("email", "")
        client_ip = get_client_ip_address(request) or "unknown"
        if not allow_request(client_ip=client_ip, email=email):
            form.is_valid()
            form.add_error(None, _("Too many requests. Please wait an hour and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password also lifts a failed-login lockout of the account."""

    form_class = StyledSetPasswordForm
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        AxesProxyHandler.reset_attempts(username=form.user.get_username())
        return response
