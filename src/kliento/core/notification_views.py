"""The bell, the notifications page and the notification preferences page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kliento.core import notifications
from kliento.core.forms import style_widgets
from kliento.core.models import Notification
from kliento.core.permissions import login_only, public
from kliento.core.types import AuthenticatedHttpRequest

PAGE_SIZE = 30


@public  # answers 204 to a signed-out browser, see below
@never_cache
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The bell with its unread count, polled by the top bar.

    A signed-out browser gets 204 (htmx leaves the bell alone) rather than a redirect, which
    htmx would follow and paste the login page into the top bar.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    context = {"unread_notifications": notifications.unread_count(request.user)}
    return render(request, "core/notification_bell.html", context)


@never_cache
@require_GET
@login_only
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    me = request.user
    page = Paginator(notifications.inbox(me), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [{"n": n, "text": notifications.render_text(n)} for n in page]
    return render(
        request,
        "core/notifications.html",
        {
            "page": page,
            "entries": entries,
            "unread_notifications": notifications.unread_count(me),
        },
    )


def _own(request: AuthenticatedHttpRequest, pk: int) -> Notification:
    # Only one's own: another person's id is a 404, not a hint that it exists.
    return get_object_or_404(Notification, pk=pk, recipient=request.user, in_app=True)


@login_only
@require_GET
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link; following it reads it."""
    notification = notifications.mark_read(user=request.user, notification=_own(request, pk))
    if notification.target_url and notifications.is_local(notification.target_url):
        return redirect(notification.target_url)
    return redirect("notifications")


@require_POST
@login_only
def notification_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notifications.mark_read(user=request.user, notification=_own(request, pk))
    return _back(request)


@require_POST
@login_only
def notifications_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications.mark_all_read(user=request.user)
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    url = reverse("notifications")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


class PreferencesForm(forms.Form):
    """One pair of checkboxes (in Kliento, by e-mail) per kind, and the language of e-mails."""

    language = forms.ChoiceField(
        label=gettext_lazy("Language of e-mails"),
        required=False,
        help_text=gettext_lazy("E-mails are written by the server, away from your browser."),
    )

    def __init__(
        self, *args: Any, kinds: list[notifications.NotificationKind], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            ("", _("Site default (%(language)s)") % {"language": _language_name()}),
            *settings.LANGUAGES,
        ]
        for kind in kinds:
            self.fields[f"in_app:{kind.key}"] = forms.BooleanField(
                label=_("%(kind)s: in Kliento") % {"kind": kind.label}, required=False
            )
            self.fields[f"email:{kind.key}"] = forms.BooleanField(
                label=_("%(kind)s: by e-mail") % {"kind": kind.label}, required=False
            )
        style_widgets(self)

    def rows(self) -> list[dict]:
        return [
            {
                "kind": kind,
                "in_app": self[f"in_app:{kind.key}"],
                "email": self[f"email:{kind.key}"],
            }
            for kind in self.kinds
        ]

    def channels(self) -> dict[str, notifications.Channels]:
        data = self.cleaned_data
        return {
            kind.key: notifications.Channels(
                in_app=data[f"in_app:{kind.key}"], email=data[f"email:{kind.key}"]
            )
            for kind in self.kinds
        }


def _language_name() -> str:
    return dict(settings.LANGUAGES).get(settings.LANGUAGE_CODE, settings.LANGUAGE_CODE)


@never_cache
@login_only
def notification_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    me = request.user
    kinds = notifications.kinds_for(me)
    current = notifications.channels_of(me)
    initial: dict[str, object] = {"language": notifications.chosen_language(me)}
    for kind in kinds:
        initial[f"in_app:{kind.key}"] = current[kind.key].in_app
        initial[f"email:{kind.key}"] = current[kind.key].email
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, initial=initial, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        notifications.set_preferences(
            user=me, channels=form.channels(), language=form.cleaned_data["language"]
        )
        messages.success(request, _("Notification settings saved."))
        return redirect("notification_preferences")
    return render(
        request,
        "core/notification_preferences.html",
        {"form": form, "has_email": bool(me.email)},
    )
