"""The client list: export of what is shown, activity sorts and filters, columns, saved views."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kliento.clients import selectors, services
from kliento.clients.models import Client, SavedView
from kliento.clients.selectors import ClientFilters, search_clients
from kliento.clients.services import activity, timeline
from kliento.core import roles
from tests.factories import ClientFactory, PurchaseFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = "/clients/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _names(filters: ClientFilters) -> list[str]:
    return list(search_clients(filters).values_list("name", flat=True))


def _buy(client: Client, amount: str, *, days_ago: int = 0, currency: str = "PLN") -> None:
    services.record_purchase(
        actor=None,
        client=client,
        occurred_on=timezone.localdate() - dt.timedelta(days=days_ago),
        amount=Decimal(amount),
        currency=currency,
    )


def _export_names(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]


# --- the defect: "Export CSV" ignored a live search -------------------------------------------


def test_live_search_refreshes_the_export_links_with_the_results(as_manager):
    for name in ("Anna Nowak", "Adam Nowak", "Piotr Mazur", "Ewa Lis"):
        ClientFactory(name=name)
    fragment = as_manager.get(LIST, {"q": "nowak"}, **HTMX)
    html = fragment.content.decode()
    assert "<html" not in html  # the swapped fragment only …
    export = reverse("imports:export", args=["clients"])
    assert f'href="{export}?format=csv&amp;q=nowak"' in html  # … carries the export links
    assert f'href="{export}?format=xlsx&amp;q=nowak"' in html

    exported = as_manager.get(export, {"format": "csv", "q": "nowak"})
    assert sorted(_export_names(exported)) == ["Adam Nowak", "Anna Nowak"]


def test_export_links_follow_every_filter_but_not_the_page(as_manager):
    ClientFactory(name="Anna Nowak")
    html = as_manager.get(LIST, {"q": "anna", "sort": "-revenue", "page": "2"}).content.decode()
    export = reverse("imports:export", args=["clients"])
    links = re.findall(rf'href="{export}\?([^"]*)"', html)
    assert links == [
        "format=csv&amp;q=anna&amp;sort=-revenue",
        "format=xlsx&amp;q=anna&amp;sort=-revenue",
    ]


def test_export_of_selected_rows(as_manager):
    a, _b, c = ClientFactory(name="A one"), ClientFactory(name="B two"), ClientFactory(name="C 3")
    export = reverse("imports:export", args=["clients"])
    exported = as_manager.get(export, {"format": "csv", "ids": f"{a.pk},{c.pk}"})
    assert _export_names(exported) == ["A one", "C 3"]


# --- activity figures kept on the client --------------------------------------------------------


def test_revenue_and_last_purchase_follow_the_purchase_service(settings):
    settings.KLIENTO_DEFAULT_CURRENCY = "PLN"
    client = ClientFactory()
    _buy(client, "100.50", days_ago=10)
    _buy(client, "20", days_ago=3)
    _buy(client, "999", days_ago=1, currency="EUR")  # not converted: not in the revenue
    client.refresh_from_db()
    assert client.revenue == Decimal("120.50")
    assert client.last_purchase_on == timezone.localdate() - dt.timedelta(days=1)

    latest = client.purchases.get(currency="EUR")
    services.remove_purchase(actor=None, purchase=latest)
    client.refresh_from_db()
    assert client.last_purchase_on == timezone.localdate() - dt.timedelta(days=3)
    for purchase in list(client.purchases.all()):
        services.remove_purchase(actor=None, purchase=purchase)
    client.refresh_from_db()
    assert (client.revenue, client.last_purchase_on) == (Decimal("0"), None)


def test_a_full_refresh_recomputes_every_client(settings):
    settings.KLIENTO_DEFAULT_CURRENCY = "PLN"
    buyer, idle = ClientFactory(), ClientFactory()
    PurchaseFactory(client=buyer, amount=Decimal("70"), currency="PLN")  # written around it
    Client.objects.filter(pk=idle.pk).update(revenue=Decimal("5"))  # stale
    activity.refresh_purchase_totals()
    buyer.refresh_from_db()
    idle.refresh_from_db()
    assert buyer.revenue == Decimal("70.00") and buyer.last_purchase_on is not None
    assert idle.revenue == Decimal("0")


def test_a_contact_kind_moves_last_contact_forward_and_other_kinds_do_not():
    client = ClientFactory()
    earlier = timezone.now() - dt.timedelta(days=30)
    with transaction.atomic():
        timeline.record(client=client, kind="client.edited")  # not a contact
    client.refresh_from_db()
    assert client.last_contact_at is None
    with transaction.atomic():
        timeline.record(client=client, kind="plugin.visit", data={"room": "A"})
    client.refresh_from_db()
    latest = client.last_contact_at
    assert latest is not None
    with transaction.atomic():  # an older visit recorded later does not move it back
        timeline.record_many(
            [timeline.NewEntry(client_id=client.pk, kind="plugin.visit", occurred_at=earlier)]
        )
    client.refresh_from_db()
    assert client.last_contact_at == latest


# --- filters and sorts ------------------------------------------------------------------------


@pytest.fixture
def shop(settings):
    settings.KLIENTO_DEFAULT_CURRENCY = "PLN"
    big, mid, small, never = (
        ClientFactory(name="Big"),
        ClientFactory(name="Mid"),
        ClientFactory(name="Small"),
        ClientFactory(name="Never"),
    )
    _buy(big, "5000", days_ago=200)
    _buy(mid, "800", days_ago=40)
    _buy(small, "50", days_ago=2)
    now = timezone.now()
    with transaction.atomic():
        timeline.record_many(
            [
                timeline.NewEntry(big.pk, "plugin.visit", occurred_at=now - dt.timedelta(days=3)),
                timeline.NewEntry(mid.pk, "plugin.visit", occurred_at=now - dt.timedelta(days=60)),
            ]
        )
    return {"big": big, "mid": mid, "small": small, "never": never}


def test_sorts_by_revenue_last_purchase_and_last_contact(shop):
    assert _names(ClientFilters(sort="-revenue")) == ["Big", "Mid", "Small", "Never"]
    assert _names(ClientFilters(sort="revenue")) == ["Never", "Small", "Mid", "Big"]
    # Latest purchase first, never bought last; the other way "never" is the longest ago.
    assert _names(ClientFilters(sort="-last_purchase")) == ["Small", "Mid", "Big", "Never"]
    assert _names(ClientFilters(sort="last_purchase")) == ["Never", "Big", "Mid", "Small"]
    assert _names(ClientFilters(sort="-last_contact"))[:2] == ["Big", "Mid"]
    assert _names(ClientFilters(sort="last_contact"))[-2:] == ["Mid", "Big"]


def test_filters_on_revenue_recency_and_last_contact(shop):
    assert _names(ClientFilters(revenue_min=Decimal(800))) == ["Big", "Mid"]
    assert _names(ClientFilters(revenue_max=Decimal(800))) == ["Mid", "Never", "Small"]
    assert _names(ClientFilters(revenue_min=Decimal(100), revenue_max=Decimal(1000))) == ["Mid"]
    # No purchase for 30 days: bought 200 and 40 days ago, or never.
    assert _names(ClientFilters(no_purchase_days=30)) == ["Big", "Mid", "Never"]
    # No contact for 30 days (or never), contacted within 30 days.
    assert _names(ClientFilters(contact_older_days=30)) == ["Mid", "Never", "Small"]
    assert _names(ClientFilters(contact_newer_days=30)) == ["Big"]


def test_the_list_page_reads_the_filters_and_sorts(as_manager, shop):
    response = as_manager.get(LIST, {"revenue_min": "100", "sort": "-revenue", "cols": "revenue"})
    names = [c.name for c in response.context["page"]]
    assert names == ["Big", "Mid"]
    html = response.content.decode()
    assert "5,000.00" in html and "800.00" in html
    # The header sorts the other way next; the other filters stay.
    assert "revenue_min=100&amp;cols=revenue&amp;sort=revenue" in html


def test_unreadable_activity_filters_are_ignored_with_a_notice(as_manager, shop):
    response = as_manager.get(LIST, {"revenue_min": "lots", "no_purchase_days": "-1"})
    assert len(response.context["page"]) == 4
    assert "Some filters were not understood" in response.content.decode()


# --- columns ----------------------------------------------------------------------------------


def test_columns_are_stored_per_user(as_manager, as_agent, manager):
    ClientFactory(name="Anna Nowak")
    response = as_manager.post(
        reverse("clients:columns"),
        {"columns": ["revenue", "recency", "bogus"], "query": "q=anna&page=3"},
    )
    assert response.status_code == 302 and response["Location"] == "/clients/?q=anna"
    assert selectors.list_columns(manager) == ["revenue", "recency"]
    keys = [c.key for c in as_manager.get(LIST).context["columns"]]
    assert keys == ["revenue", "recency"]
    # Another user keeps the default columns.
    keys = [c.key for c in as_agent.get(LIST).context["columns"]]
    assert keys == list(selectors.DEFAULT_COLUMNS)


# --- saved views ------------------------------------------------------------------------------


def _save(http, name: str, *, shared: bool = False, query: str = "sort=-revenue"):
    data = {"name": name, "query": query, "columns": "revenue,segment"}
    if shared:
        data["shared"] = "on"
    return http.post(reverse("clients:saved_view_save"), data)


def test_a_saved_view_applies_its_filters_sort_and_columns(as_agent, agent):
    response = _save(as_agent, "Big spenders", query="revenue_min=1000&sort=-revenue&page=4")
    view = SavedView.objects.get(owner=agent)
    assert response["Location"] == reverse("clients:saved_view", args=[view.pk])
    assert (view.query, view.columns, view.shared) == (
        "revenue_min=1000&sort=-revenue",
        ["segment", "revenue"],
        False,
    )
    opened = as_agent.get(reverse("clients:saved_view", args=[view.pk]))
    assert opened["Location"] == (
        f"/clients/?revenue_min=1000&sort=-revenue&cols=segment%2Crevenue&view={view.pk}"
    )
    page = as_agent.get(opened["Location"])
    assert [c.key for c in page.context["columns"]] == ["segment", "revenue"]
    assert page.context["form"].cleaned_data["revenue_min"] == 1000
    assert "Big spenders" in page.content.decode()


def test_personal_views_are_private_and_shared_ones_seen_by_all(as_manager, as_agent, manager):
    _save(as_manager, "Mine only")
    _save(as_manager, "For the team", shared=True)
    personal = SavedView.objects.get(name="Mine only")
    shared = SavedView.objects.get(name="For the team")
    assert shared.shared
    seen = [v.name for v in as_agent.get(LIST).context["saved_views"]]
    assert seen == ["For the team"]
    assert as_agent.get(reverse("clients:saved_view", args=[personal.pk])).status_code == 404
    assert as_agent.get(reverse("clients:saved_view", args=[shared.pk])).status_code == 302


def test_sharing_needs_the_share_permission(as_agent, as_auditor, agent):
    assert not agent.has_perm("clients.share_savedview")
    assert _save(as_agent, "Team", shared=True).status_code == 403
    assert not SavedView.objects.exists()
    # A personal view needs only view_client: the auditor may save one.
    assert _save(as_auditor, "Audit sample").status_code == 302
    assert SavedView.objects.filter(name="Audit sample", shared=False).exists()


@pytest.mark.parametrize("role", [roles.MANAGER, roles.ADMINISTRATOR])
def test_managers_and_administrators_may_share(role):
    user = UserFactory(username=f"sharer-{role}", role=role)
    assert user.has_perm("clients.share_savedview")


def test_only_the_owner_renames_or_deletes_a_view(as_manager, as_agent):
    _save(as_manager, "Team", shared=True)
    view = SavedView.objects.get()
    rename = reverse("clients:saved_view_rename", args=[view.pk])
    delete = reverse("clients:saved_view_delete", args=[view.pk])
    assert as_agent.post(rename, {"name": "Hijacked"}).status_code == 404
    assert as_agent.post(delete).status_code == 404
    assert as_manager.post(rename, {"name": "  Team   VIP "}).status_code == 302
    view.refresh_from_db()
    assert view.name == "Team VIP"
    assert as_manager.post(delete).status_code == 302
    assert not SavedView.objects.exists()


def test_view_names_are_required_and_unique_per_owner(as_manager, as_agent):
    _save(as_manager, "Team")
    response = _save(as_manager, "Team")
    assert response.status_code == 302
    assert SavedView.objects.count() == 1
    assert "already have a view" in as_manager.get(response["Location"]).content.decode()
    _save(as_agent, "Team")  # another owner may use the name
    assert SavedView.objects.count() == 2
    _save(as_manager, "   ")
    assert SavedView.objects.count() == 2


def test_saved_view_pages_refuse_users_without_a_role_and_anonymous(as_outsider, client):
    assert _save(as_outsider, "Nope").status_code == 403
    assert _save(client, "Nope").status_code == 302  # to the login page
    assert not SavedView.objects.exists()


def test_the_refresh_command_recomputes_every_client(settings):
    from django.core.management import call_command

    settings.KLIENTO_DEFAULT_CURRENCY = "EUR"
    client = ClientFactory()
    PurchaseFactory(client=client, amount=Decimal("12.00"), currency="EUR")
    out = io.StringIO()
    call_command("refresh_client_activity", stdout=out)
    client.refresh_from_db()
    assert client.revenue == Decimal("12.00")
    assert "EUR" in out.getvalue()
