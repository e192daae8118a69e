"""Account → API tokens: create a named token (shown once), list and revoke one's own tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kliento.core.forms import StyledForm
from kliento.core.models import ApiToken
from kliento.core.permissions import login_only
from kliento.core.tokens import NAME_MAX, issue_token, revoke_token
from kliento.core.types import AuthenticatedHttpRequest


class TokenForm(StyledForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=NAME_MAX,
        help_text=gettext_lazy("What will use the token, e.g. “shop integration”."),
    )


@never_cache
@login_only
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = issue_token(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            form.add_error("name", exc.messages)
        else:
            # Rendered, not redirected: the raw value exists only in this response.
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    return render(request, "core/api_tokens.html", {"form": form, "tokens": tokens, "raw": raw})


@require_POST
@login_only
def api_token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Only one's own tokens: another user's id is a 404, not a hint that it exists.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_token(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens")
