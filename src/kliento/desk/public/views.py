"""The public contact page (/desk/contact/) and its thank-you page, in the visitor's language;
`?embed=1` makes them embeddable in another site's iframe."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from kliento.core.channels import Channel
from kliento.core.permissions import public
from kliento.desk import services
from kliento.desk.models import Message
from kliento.desk.public import guard
from kliento.desk.public.forms import ContactForm

# What each refused token tells the visitor (the form comes back with a fresh token).
REFUSALS = {
    guard.Verdict.TOO_FAST: gettext_lazy(
        "That was very fast. Please check your message and send it again."
    ),
    guard.Verdict.EXPIRED: gettext_lazy(
        "The page was open too long. Please send the message again."
    ),
    guard.Verdict.REPLAYED: gettext_lazy("This message was already sent."),
    guard.Verdict.FORGED: gettext_lazy(
        "The form could not be checked. Please send the message again."
    ),
}


def _embedded(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Let any site frame the page when it asks to be embedded (the form has no session to
    ride on: nothing to click-jack)."""
    if request.GET.get("embed") == "1":
        response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}  # type: ignore[attr-defined]
    else:
        response["X-Frame-Options"] = "DENY"
    return response


def _page(request: HttpRequest, form: ContactForm, status: int = 200) -> HttpResponse:
    if form.is_bound:
        # A fresh token with the form shown again: the one sent is spent or refused.
        data = form.data.copy()  # type: ignore[attr-defined]
        data["token"] = guard.issue()
        form.data = data
    else:
        form.initial["token"] = guard.issue()
    context: dict[str, Any] = {"form": form, "embed": request.GET.get("embed") == "1"}
    return _embedded(request, render(request, "desk/public/contact.html", context, status=status))


def _open_case(form: ContactForm) -> str:
    data = form.cleaned_data
    client = services.client_for(
        actor=None,
        kind="email",
        value=data["email"],
        name=data["name"],
        language=translation.get_language() or "",
    )
    case = services.open_case(
        actor=None,
        draft=services.CaseDraft(subject=data["subject"], client=client, channel=Channel.WEB_FORM),
        message=services.MessageDraft(
            direction=Message.Direction.INBOUND,
            body_text=data["message"],
            author_name=data["name"],
            author_address=data["email"],
        ),
    )
    return case.number or ""


def _thanks_url(request: HttpRequest, number: str) -> str:
    url = f"{reverse('desk:contact_thanks')}?c={guard.thanks_token(number)}"
    for name in ("embed", "lang"):
        if request.GET.get(name):
            url += f"&{name}={quote(request.GET[name][:10])}"
    return url


# No CSRF token: there is no session to ride on, the page is embedded where third-party
# cookies are blocked, and the signed one-time token stands in for it.
@public
@csrf_exempt
@never_cache
@xframe_options_exempt
def contact(request: HttpRequest) -> HttpResponse:
    with translation.override(_language(request)):
        return _contact(request)


def _language(request: HttpRequest) -> str:
    """The visitor's: `?lang=` (the embedding site's language), else what the browser asks."""
    codes = [code for code, _name in settings.LANGUAGES]
    wanted = request.GET.get("lang") or translation.get_language_from_request(request)
    return wanted if wanted in codes else (translation.get_language() or settings.LANGUAGE_CODE)


def _contact(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, ContactForm())
    form = ContactForm(request.POST)
    if guard.ip_over_limit(request):
        form.is_valid()
        form.add_error(None, _("Too many messages from your network. Please try again later."))
        return _page(request, form, status=429)
    if request.POST.get(guard.HONEYPOT):
        # A bot: it sees the usual thank-you page and nothing is stored.
        return redirect(_thanks_url(request, ""))
    if not form.is_valid():
        return _page(request, form, status=400)
    verdict = guard.check(request.POST.get("token", ""))
    if verdict is not guard.Verdict.OK:
        form.add_error(None, REFUSALS[verdict])
        return _page(request, form, status=400)
    if guard.email_over_limit(form.cleaned_data["email"]):
        form.add_error("email", _("Too many messages from this address. Please try again later."))
        return _page(request, form, status=429)
    return redirect(_thanks_url(request, _open_case(form)))


@public
@never_cache
@xframe_options_exempt
def thanks(request: HttpRequest) -> HttpResponse:
    number = guard.thanks_number(request.GET.get("c", ""))
    if number is None:
        return redirect("desk:contact")
    context = {"number": number, "embed": request.GET.get("embed") == "1"}
    with translation.override(_language(request)):
        return _embedded(request, render(request, "desk/public/thanks.html", context))
