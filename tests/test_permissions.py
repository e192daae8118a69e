"""What the client card's actions do for who may use them, and for who may not.

Whether each page answers 403, a login redirect or the page itself, for every role, is walked
from the URLconf in test_route_permissions. Here the actions are sent with real input: an
allowed one must change the data, a refused one must leave it exactly as it was. Who is
allowed is what the view declares (kliento.core.permissions) and the roles grant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import resolve, reverse
from django.utils import timezone

from kliento.clients.models import (
    ChannelConsent,
    Client,
    ContactPoint,
    PortraitFact,
    Purchase,
    TimelineEntry,
)
from kliento.core import roles
from kliento.core.permissions import access_of
from tests.factories import (
    ClientFactory,
    ContactFactory,
    PortraitFactFactory,
    PurchaseFactory,
    UserFactory,
)
from tests.route_walk import PERSONAS, persona_user

pytestmark = pytest.mark.django_db

M, A, AU = "manager", "agent", "auditor"


@dataclass(frozen=True)
class Action:
    name: str
    url: str  # URL name; the card's ids are filled in from the fixture
    args: tuple[str, ...]
    data: dict | None = None


def yesterday() -> str:
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


# Each sent as a POST with input that makes a change, when the user may make it.
ACTIONS = [
    Action("create", "clients:create", (), {"kind": "person", "name": "New"}),
    Action("edit", "clients:edit", ("client",), {"kind": "person", "name": "Renamed"}),
    Action("mark left", "clients:status", ("client",), {"left_on": "YESTERDAY"}),
    Action("flag key", "clients:key_flag", ("client",), {"is_key": "1"}),
    Action(
        "add contact",
        "clients:contact_add",
        ("client",),
        {"kind": "email", "value": "new@example.com"},
    ),
    Action("remove contact", "clients:contact_remove", ("client", "contact")),
    Action("consent", "clients:consent_set", ("client",), {"channel": "sms", "granted": "on"}),
    Action(
        "add fact",
        "clients:fact_add",
        ("client",),
        {"category": "family", "text": "Has a cat", "source": "survey"},
    ),
    Action("verify fact", "clients:fact_verify", ("client", "fact")),
    Action("remove fact", "clients:fact_remove", ("client", "fact")),
    Action(
        "add purchase",
        "clients:purchase_add",
        ("client",),
        {"occurred_on": "YESTERDAY", "amount": "10.00", "currency": "PLN", "channel": "store"},
    ),
    Action("remove purchase", "clients:purchase_remove", ("client", "purchase")),
    Action("flag key clients", "metrics:key_clients", ()),
]


@pytest.fixture
def card():
    client = ClientFactory(name="Anna Nowak")
    return {
        "client": client,
        "contact": ContactFactory(client=client),
        "fact": PortraitFactFactory(client=client),
        "purchase": PurchaseFactory(
            client=client,
            occurred_on=timezone.localdate() - dt.timedelta(days=5),
            amount=Decimal("100"),
        ),
    }


def http_for(persona: str) -> HttpClient:
    http = HttpClient()
    if persona == "anonymous":
        return http
    role = None if persona == "outsider" else getattr(roles, persona.upper())
    http.force_login(UserFactory(username=persona, role=role))
    return http


def snapshot() -> tuple:
    return (
        list(Client.objects.order_by("pk").values_list("name", "status", "is_key")),
        ContactPoint.objects.count(),
        ChannelConsent.objects.count(),
        list(PortraitFact.objects.values_list("verified_at", flat=True)),
        Purchase.objects.count(),
        TimelineEntry.objects.count(),
    )


@pytest.fixture(scope="module")
def http() -> HttpClient:
    """One test client for the module: each new one loads the middleware again."""
    return HttpClient()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_allowed_actions_change_the_data_and_refused_ones_do_not(http, card, persona, action):
    url = reverse(action.url, args=[card[a].pk for a in action.args])
    access = access_of(resolve(url).func)
    assert access is not None and access.login, url
    user = persona_user(persona)
    http.logout()
    if user is not None:
        http.force_login(user)
    data = {k: (yesterday() if v == "YESTERDAY" else v) for k, v in (action.data or {}).items()}
    before = snapshot()

    response = http.post(url, data)

    if user is not None and user.has_perms(access.perms_for("POST")):
        assert response.status_code == 302
        assert snapshot() != before, "an allowed action changed nothing"
    else:
        if user is None:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login") + "?next=")
        else:
            assert response.status_code == 403
        assert snapshot() == before, "a refused action changed the data"


@pytest.mark.parametrize("persona", [M, A, AU])
def test_home_is_the_my_work_page_with_the_widgets_of_the_role(persona):
    from kliento.clients import services

    services.create_client(actor=None, name="Anna")
    response = http_for(persona).get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="widget-clientsfigures"' in html
    assert 'id="widget-clientsrecent"' in html


def test_home_tells_an_outsider_they_have_no_role():
    response = http_for("outsider").get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your account has no role in Kliento yet." in html
    assert reverse("clients:list") not in html  # no navigation to what they cannot open


@pytest.mark.parametrize("url", ["clients:status", "clients:fact_add", "clients:purchase_add"])
def test_actions_refuse_get(as_manager, client_card, url):
    assert as_manager.get(reverse(url, args=[client_card.pk])).status_code == 405


def test_card_shows_only_the_buttons_the_user_may_use(card):
    url = reverse("clients:detail", args=[card["client"].pk])
    purchase_remove = reverse(
        "clients:purchase_remove", args=[card["client"].pk, card["purchase"].pk]
    )
    fact_remove = reverse("clients:fact_remove", args=[card["client"].pk, card["fact"].pk])
    fact_add = reverse("clients:fact_add", args=[card["client"].pk])
    edit = reverse("clients:edit", args=[card["client"].pk])

    manager_html = http_for(M).get(url).content.decode()
    agent_html = http_for(A).get(url).content.decode()
    auditor_html = http_for(AU).get(url).content.decode()

    assert all(u in manager_html for u in (purchase_remove, fact_remove, fact_add, edit))
    assert fact_add in agent_html and edit in agent_html
    assert purchase_remove not in agent_html and fact_remove not in agent_html
    assert not any(u in auditor_html for u in (purchase_remove, fact_remove, fact_add, edit))


def test_navigation_offers_key_clients_only_to_who_may_see_them(card):
    key_url = reverse("metrics:key_clients")
    list_url = reverse("clients:list")
    assert key_url in http_for(M).get(list_url).content.decode()
    assert key_url in http_for(AU).get(list_url).content.decode()
    assert key_url not in http_for(A).get(list_url).content.decode()


def test_every_role_has_exactly_its_permissions_on_a_fresh_database():
    """Roles are synced by migrate; the test database was just migrated from scratch."""
    from django.contrib.auth.models import Group

    assert "clients.delete_purchase" not in roles.role_permissions()[roles.AGENT]
    assert not any(
        p.startswith(("clients.add", "clients.change", "clients.delete"))
        for p in roles.role_permissions()[roles.AUDITOR]
    )
    for role, expected in roles.role_permissions().items():
        group = Group.objects.get(name=role)
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert granted == set(expected), role


@pytest.mark.django_db
def test_card_hides_purchases_and_portrait_from_a_role_without_their_view_permission():
    from django.contrib.auth.models import Group, Permission
    from django.test import Client as HttpClient

    from kliento.clients import services
    from tests.factories import UserFactory

    client = services.create_client(actor=None, name="Anna")
    # Through the services, so the timeline quotes them too.
    services.add_portrait_fact(
        actor=None, client=client, category="lifestyle", text="Secret hobby", source="survey"
    )
    services.record_purchase(
        actor=None,
        client=client,
        occurred_on=dt.date(2026, 1, 5),
        amount=Decimal("150.00"),
        currency="PLN",
        description="Private lesson",
    )
    reception = Group.objects.create(name="reception")
    reception.permissions.add(Permission.objects.get(codename="view_client"))
    user = UserFactory(username="receptionist")
    user.groups.add(reception)
    http = HttpClient()
    http.force_login(user)

    page = http.get(client.get_absolute_url()).content.decode()
    more_page = http.get(
        reverse("clients:timeline", args=[client.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Secret hobby" not in more_page and "Private lesson" not in more_page

    assert "Anna" in page
    assert "Client created" in page  # the rest of the timeline is there
    assert "Secret hobby" not in page
    assert "Private lesson" not in page
