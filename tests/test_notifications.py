"""Notifications: kinds, `notify` and preferences, e-mail in the recipient's language (once),
the bell, the notifications page and the preferences page."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from kliento.core import notifications, roles
from kliento.core.models import Notification, NotificationPreference, StaffProfile
from kliento.core.notifications import (
    Channels,
    NotificationKind,
    notification_kinds,
    notify,
    register_notification_kind,
)
from kliento.core.tasks import send_notification_email
from kliento.core.tokens import issue_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKENS = "api_token.issued"


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="admin", first_name="Ada", last_name="Admin", role=roles.ADMINISTRATOR
    )


@pytest.fixture
def olena(db):
    return UserFactory(username="olena", email="olena@example.com", role=roles.AGENT)


@pytest.fixture
def as_olena(olena) -> HttpClient:
    http = HttpClient()
    http.force_login(olena)
    return http


@pytest.fixture
def greeting():
    """A kind whose text is an already translated word, to see which language renders it."""
    register_notification_kind(
        NotificationKind(
            key="test.greeting",
            label=gettext_lazy("Clients"),
            render=lambda n: f"{_('Clients')}: {n.params['count']}",
            default_email=True,
        )
    )
    yield "test.greeting"
    notification_kinds.unregister("test.greeting")


def send(recipients, kind=TOKENS, **kwargs):
    kwargs.setdefault("params", {"name": "ci", "prefix": "kl_abcde"})
    with transaction.atomic():
        return notify(recipients=recipients, kind=kind, **kwargs)


def run_queued_tasks() -> list[str]:
    """Run what the commit enqueued, as the worker would."""
    outcomes = []
    for queued in DBTaskResult.objects.order_by("enqueued_at"):
        assert queued.task_path == "kliento.core.tasks.send_notification_email"
        args = queued.args_kwargs
        outcomes.append(send_notification_email.call(*args["args"], **args["kwargs"]))
    return outcomes


# --- notify -----------------------------------------------------------------------------------


def test_notify_writes_a_row_for_each_recipient(olena, agent, administrator):
    rows = send([olena, agent, olena], target_url="/account/tokens/", actor=administrator)
    assert len(rows) == 2  # one each, however often listed
    row = Notification.objects.get(recipient=olena)
    assert (row.kind, row.target_url, row.actor) == (TOKENS, "/account/tokens/", administrator)
    assert row.params == {"name": "ci", "prefix": "kl_abcde"}
    assert row.in_app and row.email and row.read_at is None and row.emailed_at is None
    # No e-mail address, no e-mail.
    assert Notification.objects.get(recipient=agent).email is False


def test_the_actor_and_inactive_users_are_not_notified(olena, agent):
    agent.is_active = False
    agent.save()
    assert send([olena, agent], actor=olena) == []
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_notify_must_run_inside_the_changes_transaction(olena):
    with pytest.raises(RuntimeError, match="transaction"):
        notify(recipients=[olena], kind=TOKENS, params={})
    assert not Notification.objects.exists()


def test_a_rolled_back_change_leaves_no_notification_and_sends_nothing(
    olena, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        notify(recipients=[olena], kind=TOKENS, params={})
        1 / 0  # noqa: B018
    assert callbacks == []
    assert not Notification.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"kind": "no.such.kind"}, LookupError),
        ({"target_url": "https://evil.example.com/"}, ValueError),
        ({"target_url": "//evil.example.com/"}, ValueError),
        ({"target_url": "javascript:alert(1)"}, ValueError),
        ({"params": {"when": object()}}, TypeError),
    ],
)
def test_notify_refuses_bad_input(olena, kwargs, error):
    with pytest.raises(error):
        send([olena], **kwargs)
    assert not Notification.objects.exists()


def test_preferences_choose_the_channels(olena, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=olena, kind=TOKENS, in_app=False, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = send([olena])
    assert (row.in_app, row.email) == (False, True)
    assert notifications.unread_count(olena) == 0  # not under the bell
    assert list(notifications.inbox(olena)) == []
    assert run_queued_tasks() == ["sent"]

    NotificationPreference.objects.filter(user=olena).update(in_app=True, email=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (row,) = send([olena])
    assert (row.in_app, row.email) == (True, False)
    assert callbacks == []  # nothing to mail, nothing queued

    NotificationPreference.objects.filter(user=olena).update(in_app=False, email=False)
    assert send([olena]) == []


def test_without_a_preference_the_kinds_defaults_apply(olena, greeting):
    assert notifications.channels_of(olena)[greeting] == Channels(in_app=True, email=True)
    register_notification_kind(
        NotificationKind(key="test.quiet", label="Quiet", render=lambda n: "quiet")
    )
    try:
        (row,) = send([olena], kind="test.quiet")
    finally:
        notification_kinds.unregister("test.quiet")
    assert (row.in_app, row.email) == (True, False)


# --- E-mail -----------------------------------------------------------------------------------


def test_email_leaves_only_after_commit_through_the_task(
    olena, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (row,) = send([olena], target_url="/account/tokens/", actor=administrator)
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1 and mail.outbox == []
    callbacks[0]()
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [row.pk]
    assert run_queued_tasks() == ["sent"]
    (message,) = mail.outbox
    assert message.to == ["olena@example.com"]
    assert message.subject == "Kliento: An API token was issued for you"
    assert message.body.startswith("The API token “ci” (kl_abcde…) that acts as you was issued.")
    assert "notification settings" in message.body
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_email_is_written_in_the_recipients_language(
    olena, agent, greeting, django_capture_on_commit_callbacks
):
    StaffProfile.objects.create(user=olena, language="ru")
    agent.email = "agent@example.com"
    agent.save()
    with django_capture_on_commit_callbacks(execute=True):
        send([olena, agent], kind=greeting, params={"count": 3})
    with translation.override("pl"):  # whatever language the worker happens to run in
        run_queued_tasks()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["olena@example.com"].subject == "Kliento: Клиенты"
    assert by_address["olena@example.com"].body.startswith("Клиенты: 3")
    assert by_address["agent@example.com"].subject == "Kliento: Clients"  # the site's default
    assert by_address["agent@example.com"].body.startswith("Clients: 3")


def test_email_links_back_only_when_the_sites_address_is_known(olena, settings):
    (row,) = send([olena], target_url="/account/tokens/")
    settings.KLIENTO_BASE_URL = ""
    assert send_notification_email.call(row.pk) == "sent"
    assert "http" not in mail.outbox[0].body
    Notification.objects.filter(pk=row.pk).update(emailed_at=None)
    settings.KLIENTO_BASE_URL = "https://kliento.example.com"
    send_notification_email.call(row.pk)
    body = mail.outbox[1].body
    assert "Open in Kliento: https://kliento.example.com/account/tokens/" in body
    assert "https://kliento.example.com/account/notifications/" in body


def test_a_retried_task_mails_exactly_once(olena):
    (row,) = send([olena])
    assert send_notification_email.call(row.pk) == "sent"
    assert send_notification_email.call(row.pk) == "already sent"
    assert send_notification_email.call(row.pk) == "already sent"
    assert len(mail.outbox) == 1


def test_a_failed_send_is_released_for_the_retry(olena):
    (row,) = send([olena])
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")),
        pytest.raises(OSError),
    ):
        send_notification_email.call(row.pk)
    row.refresh_from_db()
    assert row.emailed_at is None and mail.outbox == []
    assert send_notification_email.call(row.pk) == "sent"
    assert send_notification_email.call(row.pk) == "already sent"
    assert len(mail.outbox) == 1


def test_task_for_a_vanished_or_unmailable_notification_sends_nothing(olena):
    (row,) = send([olena])
    olena.is_active = False
    olena.save()
    assert send_notification_email.call(row.pk) == "not wanted"
    assert send_notification_email.call(row.pk + 1000) == "missing"
    assert mail.outbox == []


# --- The real kind: an API token issued for someone else ------------------------------------


def test_an_administrator_issuing_a_token_for_someone_notifies_them(
    olena, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        token, _raw = issue_token(actor=administrator, user=olena, name="shop sync")
    row = Notification.objects.get()
    assert (row.recipient, row.actor, row.kind) == (olena, administrator, TOKENS)
    assert row.target_url == reverse("api_tokens")
    assert notifications.render_text(row) == (
        f"Ada Admin issued the API token “shop sync” ({token.prefix}…) that acts as you. "
        "If you did not ask for it, revoke it on your API tokens page."
    )
    assert run_queued_tasks() == ["sent"]
    assert "shop sync" in mail.outbox[0].body


def test_a_token_issued_for_oneself_notifies_nobody(as_olena):
    response = as_olena.post(reverse("api_tokens"), {"name": "my script"})
    assert response.status_code == 200
    assert not Notification.objects.exists()


def test_a_token_issued_at_the_command_line_notifies_its_owner(olena):
    call_command("issue_token", "olena", "backup job", stdout=mock.Mock())
    row = Notification.objects.get(recipient=olena)
    assert row.actor is None
    assert notifications.render_text(row).startswith("The API token “backup job”")


def test_text_of_an_unknown_kind_still_reads(olena):
    row = Notification.objects.create(recipient=olena, kind="removed.app")
    assert notifications.render_text(row) == "Notification of an unknown kind (removed.app)."


# --- The bell ---------------------------------------------------------------------------------


def test_bell_counts_unread_notifications(as_olena, olena):
    assert 'aria-label="Notifications"' in as_olena.get(reverse("notification_bell")).text
    send([olena])
    send([olena])
    read = send([olena])[0]
    notifications.mark_read(user=olena, notification=read)
    bell = as_olena.get(reverse("notification_bell"), HTTP_HX_REQUEST="true")
    assert bell.status_code == 200 and "<html" not in bell.text
    assert 'aria-label="Notifications: 2 unread"' in bell.text
    assert '<span class="notification-count badge' in bell.text and ">2</span>" in bell.text
    # The same bell is in the top bar of every page.
    assert 'aria-label="Notifications: 2 unread"' in as_olena.get(reverse("home")).text


def test_bell_caps_a_large_count(as_olena, olena):
    Notification.objects.bulk_create(Notification(recipient=olena, kind=TOKENS) for _ in range(120))
    assert ">99+</span>" in as_olena.get(reverse("notification_bell")).text


def test_bell_counts_only_ones_own(as_agent, olena):
    send([olena])
    assert "unread" not in as_agent.get(reverse("notification_bell")).text


def test_bell_for_a_signed_out_browser_is_left_alone(client):
    # 204: htmx swaps nothing (a redirect would paste the login page into the top bar).
    assert client.get(reverse("notification_bell")).status_code == 204


# --- The notifications page -------------------------------------------------------------------

PAGES = ["notifications", "notification_preferences"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/login" in response.url


def test_anonymous_cannot_mark_anything(client, olena):
    (row,) = send([olena])
    for url in [
        reverse("notification_read", args=[row.pk]),
        reverse("notifications_read"),
    ]:
        response = client.post(url)
        assert response.status_code == 302 and "/login" in response.url
    response = client.get(reverse("notification_open", args=[row.pk]))
    assert response.status_code == 302 and "/login" in response.url
    row.refresh_from_db()
    assert row.read_at is None


@pytest.mark.parametrize("user", ["manager", "agent", "auditor", "outsider"])
def test_every_signed_in_person_has_their_own_notifications(request, user):
    person = request.getfixturevalue(user)
    http = HttpClient()
    http.force_login(person)
    assert http.get(reverse("notifications")).status_code == 200
    assert http.get(reverse("notification_preferences")).status_code == 200


def test_page_lists_ones_own_in_the_readers_language(as_olena, olena, agent, greeting):
    send([olena], kind=greeting, params={"count": 5}, target_url="/clients/")
    send([agent], kind=greeting, params={"count": 9})
    html = as_olena.get(reverse("notifications")).text
    assert "Clients: 5" in html and "Clients: 9" not in html
    assert "Mark all as read" in html
    row = Notification.objects.get(recipient=olena)
    assert f'href="{reverse("notification_open", args=[row.pk])}"' in html
    as_olena.post(reverse("set_language"), {"language": "pl", "next": "/"})
    assert "Klienci: 5" in as_olena.get(reverse("notifications")).text


def test_page_hides_what_preferences_kept_out_of_kliento(as_olena, olena):
    NotificationPreference.objects.create(user=olena, kind=TOKENS, in_app=False, email=True)
    (row,) = send([olena])
    html = as_olena.get(reverse("notifications")).text
    assert "No notifications yet" in html
    # Nor can it be opened or marked through the page's URLs.
    assert as_olena.get(reverse("notification_open", args=[row.pk])).status_code == 404


def test_mark_one_read(as_olena, olena):
    first, second = send([olena])[0], send([olena])[0]
    response = as_olena.post(reverse("notification_read", args=[first.pk]), {"page": "1"})
    assert response.status_code == 302 and response.url == reverse("notifications") + "?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    when = first.read_at
    as_olena.post(reverse("notification_read", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at == when  # reading twice keeps the first time


def test_nobody_marks_or_opens_anothers_notification(as_agent, olena):
    (row,) = send([olena], target_url="/account/tokens/")
    assert as_agent.post(reverse("notification_read", args=[row.pk])).status_code == 404
    assert as_agent.get(reverse("notification_open", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_marking_read_needs_a_post(as_olena, olena):
    (row,) = send([olena])
    assert as_olena.get(reverse("notification_read", args=[row.pk])).status_code == 405
    assert as_olena.get(reverse("notifications_read")).status_code == 405


def test_mark_all_read_touches_only_ones_own(as_olena, olena, agent):
    send([olena])
    send([olena])
    (others,) = send([agent])
    response = as_olena.post(reverse("notifications_read"))
    assert response.status_code == 302
    assert notifications.unread_count(olena) == 0
    others.refresh_from_db()
    assert others.read_at is None


def test_the_service_refuses_anothers_notification(olena, agent):
    (row,) = send([olena])
    with pytest.raises(PermissionError):
        notifications.mark_read(user=agent, notification=row)


def test_opening_a_notification_reads_it_and_follows_its_link(as_olena, olena):
    (row,) = send([olena], target_url="/account/tokens/")
    response = as_olena.get(reverse("notification_open", args=[row.pk]))
    assert response.status_code == 302 and response.url == "/account/tokens/"
    row.refresh_from_db()
    assert row.read_at is not None
    (plain,) = send([olena])
    response = as_olena.get(reverse("notification_open", args=[plain.pk]))
    assert response.url == reverse("notifications")


def test_a_stored_outside_link_is_never_followed(as_olena, olena):
    row = Notification.objects.create(recipient=olena, kind=TOKENS, target_url="//evil.example")
    response = as_olena.get(reverse("notification_open", args=[row.pk]))
    assert response.url == reverse("notifications")


# --- The preferences page ---------------------------------------------------------------------


def test_preferences_page_shows_each_kind_with_its_channels(as_olena):
    html = as_olena.get(reverse("notification_preferences")).text
    assert "An API token was issued for you" in html
    assert 'name="in_app:api_token.issued"' in html and 'name="email:api_token.issued"' in html
    # Both on by default for this kind.
    for channel in ("in_app", "email"):
        assert re.search(rf'name="{channel}:api_token\.issued"[^>]*checked', html)
    assert '<label class="visually-hidden" for="id_email:api_token.issued">' in html


def test_account_menu_links_to_the_preferences(as_olena):
    assert f'href="{reverse("notification_preferences")}"' in as_olena.get(reverse("home")).text


def test_saving_preferences_changes_what_comes(as_olena, olena):
    response = as_olena.post(
        reverse("notification_preferences"),
        {"in_app:api_token.issued": "on", "language": "uk"},
    )
    assert response.status_code == 302
    assert notifications.channels_of(olena)[TOKENS] == Channels(in_app=True, email=False)
    assert notifications.language_of(olena) == "uk"
    (row,) = send([olena])
    assert (row.in_app, row.email) == (True, False)

    as_olena.post(reverse("notification_preferences"), {"language": ""})
    assert notifications.channels_of(olena)[TOKENS] == Channels(in_app=False, email=False)
    assert notifications.language_of(olena) == "en"
    assert send([olena]) == []


def test_an_unknown_language_is_refused(as_olena, olena):
    response = as_olena.post(reverse("notification_preferences"), {"language": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not NotificationPreference.objects.exists()


def test_preferences_list_only_kinds_the_person_can_receive(as_agent, agent):
    register_notification_kind(
        NotificationKind(
            key="test.units",
            label="Units changed",
            render=lambda n: "",
            permission="core.change_orgunit",
        )
    )
    try:
        assert "Units changed" not in as_agent.get(reverse("notification_preferences")).text
        keys = [k.key for k in notifications.kinds_for(agent)]
        assert TOKENS in keys and "test.units" not in keys
    finally:
        notification_kinds.unregister("test.units")


def test_preferences_for_an_unknown_kind_are_refused(olena):
    with pytest.raises(LookupError):
        notifications.set_preferences(user=olena, channels={"nope": Channels(True, True)})
