"""The base layer's registries: one owner per key, dependency order, and guards on the rules
every app relies on (registered kinds and actions only, writes inside the change's transaction)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import RequestFactory

from kliento.clients.services import timeline
from kliento.core import audit, roles
from kliento.core.demo import DemoLoader, DemoOptions, demo_loaders, ordered_loaders
from kliento.core.navigation import MenuItem, menu, menu_for, register_menu_item
from kliento.core.registry import Registry
from tests.factories import ClientFactory, UserFactory


@dataclass(frozen=True)
class Item:
    key: str
    order: int = 100


def test_a_taken_key_cannot_be_claimed_by_another_item():
    registry: Registry[Item] = Registry("things")
    registry.register(Item("a"))
    registry.register(Item("a"))  # the same item again (a ready() run twice) is fine
    with pytest.raises(ImproperlyConfigured, match="'a' is already registered"):
        registry.register(Item("a", order=5))


def test_items_come_out_by_order_then_registration():
    registry: Registry[Item] = Registry("things")
    for item in [Item("late", 50), Item("early", 1), Item("also-late", 50)]:
        registry.register(item)
    assert [item.key for item in registry] == ["early", "late", "also-late"]


def test_unknown_key_lookup_names_the_registry():
    with pytest.raises(LookupError, match="things: nothing is registered as 'x'"):
        Registry[Item]("things")["x"]


@pytest.fixture
def scratch_demo_loaders():
    keys = []

    def add(loader: DemoLoader) -> None:
        demo_loaders.register(loader)
        keys.append(loader.key)

    yield add
    for key in keys:
        demo_loaders.unregister(key)


def test_demo_loaders_run_after_what_they_depend_on(scratch_demo_loaders):
    scratch_demo_loaders(DemoLoader("t.second", lambda o: None, depends_on=("t.first",)))
    scratch_demo_loaders(DemoLoader("t.first", lambda o: None, depends_on=("clients",)))
    keys = [loader.key for loader in ordered_loaders()]
    assert keys.index("core.organisation") < keys.index("clients") < keys.index("t.first")
    assert keys.index("t.first") < keys.index("t.second")


def test_demo_loader_cycle_and_unknown_dependency_are_refused(scratch_demo_loaders):
    scratch_demo_loaders(DemoLoader("t.a", lambda o: None, depends_on=("t.b",)))
    scratch_demo_loaders(DemoLoader("t.b", lambda o: None, depends_on=("t.a",)))
    with pytest.raises(ImproperlyConfigured, match="cycle"):
        ordered_loaders()
    demo_loaders.unregister("t.b")
    with pytest.raises(ImproperlyConfigured, match=r"unknown 't\.b'"):
        ordered_loaders()


def test_demo_options_default_to_the_small_demo():
    assert DemoOptions().clients == 300 and DemoOptions().scale is None


def test_grants_refuse_an_unknown_role_or_a_malformed_permission():
    with pytest.raises(ValueError, match="Unknown role 'janitor'"):
        roles.register_grants({"janitor": ["clients.view_client"]})
    with pytest.raises(ValueError, match=r"app_label\.codename"):
        roles.register_grants({roles.AGENT: ["view_client"]})


def test_menu_item_needs_a_known_group():
    with pytest.raises(ValueError, match="Unknown menu group"):
        register_menu_item(MenuItem("t.x", "X", "home", group="sidebar"))


@pytest.mark.django_db
def test_menu_groups_show_only_permitted_entries_and_mark_the_current_page():
    agent, auditor = UserFactory(role=roles.AGENT), UserFactory(role=roles.AUDITOR)
    request = RequestFactory().get("/clients/")
    from django.urls import resolve

    request.resolver_match = resolve("/clients/")

    def entries(user):
        request.user = user
        return {e["key"]: e for g in menu_for(request) for e in g["items"]}

    agent_menu, auditor_menu = entries(agent), entries(auditor)
    assert agent_menu["clients"]["active"] is True
    assert "metrics.key_clients" not in agent_menu
    assert "metrics.key_clients" in auditor_menu
    assert set(menu.keys()) >= {"clients", "core.organisation"}


@pytest.mark.django_db
def test_audit_refuses_unregistered_actions():
    client = ClientFactory()
    with pytest.raises(LookupError, match="not registered"), transaction.atomic():
        audit.record(actor=None, action="client.teleported", target=client)


@pytest.mark.django_db(transaction=True)
def test_audit_and_timeline_refuse_to_write_outside_a_transaction():
    client = ClientFactory()
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        audit.record(actor=None, action="client.deleted", target=client)
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        timeline.record_many([timeline.NewEntry(client_id=client.pk, kind="client.edited")])


@pytest.mark.django_db
def test_timeline_refuses_an_unregistered_kind_even_in_bulk():
    client = ClientFactory()
    with pytest.raises(LookupError, match="not registered"), transaction.atomic():
        timeline.record(client=client, kind="client.teleported")
    with pytest.raises(LookupError, match="not registered"), transaction.atomic():
        timeline.record_many([timeline.NewEntry(client_id=client.pk, kind="client.teleported")])


@pytest.mark.django_db
def test_record_many_writes_every_entry_in_one_call():
    clients = [ClientFactory() for _ in range(3)]
    with transaction.atomic():
        written = timeline.record_many(
            timeline.NewEntry(client_id=c.pk, kind="client.key_flagged") for c in clients
        )
    assert written == 3
    assert all(c.timeline.filter(kind="client.key_flagged").count() == 1 for c in clients)
