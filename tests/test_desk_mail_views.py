"""The e-mail channel's manager pages: mailboxes (saving, the password never shown, the
connection test, deleting) and stored raw messages (download, read again), and who may use
them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kliento.core.models import AuditEntry
from kliento.desk.mail import intake, selectors
from kliento.desk.models import Case, InboundMail, Mailbox, Message
from tests import desk_mail_corpus as corpus
from tests.desk_mail_dovecot import PASSWORD, USER
from tests.desk_support import member, team

pytestmark = pytest.mark.django_db


def test_only_desk_managers_open_the_setup_page(as_manager, as_agent, as_auditor, as_outsider):
    url = reverse("desk:mailboxes")
    assert as_manager.get(url).status_code == 200
    for http in (as_agent, as_auditor, as_outsider):
        assert http.get(url).status_code == 403


def test_a_manager_adds_a_mailbox_and_the_password_is_never_shown(as_manager, dovecot):
    support = team("Support")
    data = {
        "name": "Support inbox",
        "address": "support@desk.example",
        "host": "127.0.0.1",
        "port": dovecot.port,
        "username": USER,
        "password": PASSWORD,
        "folder": "INBOX",
        "team": support.pk,
        "active": "on",
    }
    response = as_manager.post(reverse("desk:mailbox_create"), data)
    assert response.status_code == 302
    box = Mailbox.objects.get()
    assert box.password == PASSWORD and box.team == support and not box.use_ssl
    entry = AuditEntry.objects.get(action="desk.mailbox_saved")
    assert PASSWORD not in str(entry.changes) and entry.changes["password"] == "changed"
    page = as_manager.get(reverse("desk:mailbox_edit", args=[box.pk])).content.decode()
    assert PASSWORD not in page
    # Saved again without a password: the stored one stays.
    as_manager.post(
        reverse("desk:mailbox_edit", args=[box.pk]), {**data, "password": "", "name": "Renamed"}
    )
    box.refresh_from_db()
    assert box.name == "Renamed" and box.password == PASSWORD
    # The test button logs in for real.
    response = as_manager.post(reverse("desk:mailbox_test", args=[box.pk]), follow=True)
    assert "can be read" in response.content.decode()


def test_a_failing_mailbox_shows_its_error(as_manager):
    box = Mailbox.objects.create(name="Broken", host="127.0.0.1", port=1, username="u")
    response = as_manager.post(reverse("desk:mailbox_test", args=[box.pk]), follow=True)
    assert "Could not read" in response.content.decode()
    Mailbox.objects.filter(pk=box.pk).update(last_error="LOGIN failed: bad password")
    page = as_manager.get(reverse("desk:mailboxes")).content.decode()
    assert "LOGIN failed: bad password" in page


def test_bad_port_is_refused(as_manager):
    response = as_manager.post(
        reverse("desk:mailbox_create"),
        {"name": "X", "host": "h", "port": 70000, "username": "u", "folder": "INBOX"},
    )
    assert response.status_code == 200 and not Mailbox.objects.exists()


def test_deleting_a_mailbox(as_manager, as_agent):
    box = Mailbox.objects.create(name="Old", host="h", username="u")
    assert as_agent.post(reverse("desk:mailbox_delete", args=[box.pk])).status_code == 403
    assert as_manager.post(reverse("desk:mailbox_delete", args=[box.pk])).status_code == 302
    assert not Mailbox.objects.exists()
    assert AuditEntry.objects.filter(action="desk.mailbox_deleted").exists()


def test_raw_download_for_managers_only_and_within_the_visibility_rule(as_manager, as_agent):
    row = intake.receive(corpus.koi8r_8bit(), source=InboundMail.Source.SMTP)
    url = reverse("desk:mail_raw", args=[row.pk])
    response = as_manager.get(url)
    assert response.status_code == 200
    assert response.content == corpus.koi8r_8bit()
    assert response["Content-Type"] == "message/rfc822"
    assert "attachment" in response["Content-Disposition"]
    assert as_agent.get(url).status_code == 403
    assert as_manager.get(reverse("desk:mail_raw", args=[row.pk + 100])).status_code == 404


def test_a_desk_manager_outside_the_cases_team_gets_404(client):
    from django.contrib.auth.models import Permission

    other = team("Other")
    row = intake.receive(corpus.plain(), source=InboundMail.Source.SMTP)
    Case.objects.filter(pk=row.case_id).update(team=other)
    # Manages the desk's setup but sees only their own team's cases.
    lead = member(team("Mine"), "lead")
    lead.user_permissions.add(
        Permission.objects.get(codename="manage_desk", content_type__app_label="desk")
    )
    client.force_login(lead)
    assert client.get(reverse("desk:mail_raw", args=[row.pk])).status_code == 404


def test_read_again_from_the_setup_page(as_manager):
    row = InboundMail.objects.create(
        raw=corpus.plain(),
        received_at=timezone.now(),
        source=InboundMail.Source.SMTP,
        state=InboundMail.State.FAILED,
        error="RuntimeError: reader bug",
    )
    page = as_manager.get(reverse("desk:mailboxes")).content.decode()
    assert "RuntimeError: reader bug" in page
    response = as_manager.post(reverse("desk:mail_reprocess", args=[row.pk]), follow=True)
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.state == InboundMail.State.PROCESSED


def test_the_conversation_view_gets_the_new_part_and_the_quote():
    raw = corpus.plain(
        body="Thanks, it works.\n\nOn Mon, 1 Dec 2026, Support <s@desk.example> wrote:\n> Try again"
    )
    row = intake.receive(raw, source=InboundMail.Source.SMTP)
    parts = selectors.message_parts(row.message)
    assert parts.new == "Thanks, it works."
    assert parts.quoted.startswith("On Mon, 1 Dec 2026")
    assert selectors.raw_of(row.message) == row
    note = Message(direction=Message.Direction.OUTBOUND, body_text="> not a quote")
    assert selectors.message_parts(note).quoted == ""
