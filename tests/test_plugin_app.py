"""A throw-away app (tests/plugin_app) plugs into every registry of the base layer.

It is installed through KLIENTO_EXTRA_APPS (tests/settings.py) and touches no other file of
Kliento: its menu entry, home widget, role grants, pages, API, timeline kind, audit action,
search provider, import target, notification kind and demo data all come from its
AppConfig.ready().
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from kliento.clients.models import TimelineEntry
from kliento.core import roles
from kliento.core.models import AuditEntry
from tests.api_support import api_as
from tests.factories import ClientFactory
from tests.plugin_app.models import Visit
from tests.plugin_app.services import log_visit

pytestmark = pytest.mark.django_db


def test_its_menu_entry_shows_to_roles_granted_its_permission(as_agent, as_auditor):
    assert "Showroom visits" in as_agent.get(reverse("home")).content.decode()
    assert "Showroom visits" not in as_auditor.get(reverse("home")).content.decode()


def test_its_page_is_mounted_and_checks_its_permission(as_agent, as_auditor, manager):
    Visit.objects.create(client=ClientFactory(), room="lobby")
    assert as_agent.get("/visits/").content.decode() == "Visits: lobby"
    assert as_auditor.get("/visits/").status_code == 403


def test_its_home_widget_appears_for_who_may_see_it(as_agent, as_auditor):
    assert 'id="plugin-widget"' in as_agent.get(reverse("home")).content.decode()
    assert 'id="plugin-widget"' not in as_auditor.get(reverse("home")).content.decode()


def test_its_role_grants_are_synced_to_the_groups():
    granted = set(
        Group.objects.get(name=roles.MANAGER).permissions.values_list("codename", flat=True)
    )
    assert {"view_visit", "log_visit"} <= granted
    auditor = Group.objects.get(name=roles.AUDITOR).permissions.values_list("codename", flat=True)
    assert "view_visit" not in set(auditor)


def test_its_timeline_entries_render_and_are_hidden_without_its_permission(
    manager, as_agent, as_auditor
):
    client = ClientFactory()
    log_visit(actor=manager, client_id=client.pk, room="garden")
    card = reverse("clients:detail", args=[client.pk])
    assert "Visited the garden" in as_agent.get(card).content.decode()
    assert "Visited the garden" not in as_auditor.get(card).content.decode()
    assert TimelineEntry.objects.get(client=client).kind == "plugin.visit"


def test_its_audit_action_is_recorded_with_the_change(manager):
    visit = log_visit(actor=manager, client_id=ClientFactory().pk, room="hall")
    entry = AuditEntry.objects.get(action="plugin.visit_logged")
    assert entry.target_id == str(visit.pk)
    assert entry.target_type == "plugin_app.visit"


def test_its_api_router_is_mounted_with_token_auth(agent, auditor):
    Visit.objects.create(client=ClientFactory(), room="studio")
    assert api_as(agent).get("/visits").json() == ["studio"]
    assert api_as(auditor).get("/visits").status_code == 403


def test_its_demo_loader_runs_after_the_clients_it_depends_on(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, clients=5)
    assert Visit.objects.get().room == "demo showroom"


def test_its_search_provider_answers_the_global_search(as_agent, as_auditor):
    Visit.objects.create(client=ClientFactory(), room="Mirror hall")
    assert "Mirror hall" in as_agent.get("/search/", {"q": "mirror"}).content.decode()
    assert "Mirror hall" not in as_auditor.get("/search/", {"q": "mirror"}).content.decode()


def test_its_import_target_goes_through_the_import_command(tmp_path):
    client = ClientFactory()
    path = tmp_path / "visits.csv"
    path.write_text(f"Client id,Room\n{client.pk},Ballroom\n")
    call_command("import", "visits", str(path), no_progress=True)
    assert Visit.objects.get().room == "Ballroom"
    assert TimelineEntry.objects.filter(client=client, kind="plugin.visit").exists()


def test_its_notification_kind_reaches_the_clients_manager(manager, agent):
    from kliento.core.models import Notification

    client = ClientFactory(account_manager=agent)
    log_visit(actor=manager, client_id=client.pk, room="studio B")
    notice = Notification.objects.get(recipient=agent)
    assert notice.kind == "plugin.visit_logged"
    assert "studio B" in as_text(notice)


def as_text(notice) -> str:
    from kliento.core.notifications import render_text

    return render_text(notice)
