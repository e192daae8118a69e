"""The top bar's search: the provider registry, the results page, the live dropdown."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from kliento.core import roles
from kliento.core.search import (
    SearchHit,
    SearchProvider,
    register_search_provider,
    search,
    search_providers,
)
from tests.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[1] / "src/kliento/core/static"


@pytest.fixture
def providers():
    """Register providers for one test; they are removed afterwards."""
    added: list[str] = []

    def add(key, *, hits=(), permission=None, order=100, fails=None, more_url=None):
        asked: list[tuple[str, int]] = []

        def answer(user, query, limit):
            asked.append((query, limit))
            if fails is not None:
                raise fails
            return [SearchHit(title=f"{key} {n}", url=f"/{key}/{n}/") for n in hits]

        register_search_provider(
            SearchProvider(
                key=key,
                label=key.title(),
                permission=permission,
                search=answer,
                order=order,
                more_url=more_url,
            )
        )
        added.append(key)
        return asked

    yield add
    for key in added:
        search_providers.unregister(key)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=roles.ADMINISTRATOR)


def test_only_providers_whose_permission_the_user_holds_are_asked(
    providers, agent, administrator, outsider
):
    everyone = providers("everyone", hits=[1])
    agents = providers("cards", hits=[1], permission="clients.view_client")
    admins = providers("units", hits=[1], permission="core.change_orgunit")

    agent_keys = [g.key for g in search(agent, "xy", limit=5).groups]
    assert "everyone" in agent_keys and "cards" in agent_keys and "units" not in agent_keys
    assert [g.key for g in search(outsider, "xy", limit=5).groups] == ["everyone"]
    assert "units" in [g.key for g in search(administrator, "xy", limit=5).groups]
    assert len(everyone) == 3 and len(agents) == 2 and len(admins) == 1


def test_a_failing_provider_is_logged_and_skipped_the_others_still_answer(
    providers, outsider, caplog
):
    providers("before", hits=[1], order=1)
    providers("broken", fails=RuntimeError("index is down"), order=2)
    providers("after", hits=[1], order=3)
    with caplog.at_level(logging.ERROR, logger="kliento.core.search"):
        results = search(outsider, "anna@example.com", limit=5)
    assert [g.key for g in results.groups] == ["before", "after"]
    assert results.failed == ["Broken"]
    assert "'broken' failed" in caplog.text
    assert "anna@example.com" not in caplog.text  # a query may be a client's contact


def test_a_provider_whose_query_fails_does_not_spoil_the_others_transaction(providers, outsider):
    def broken(user, query, limit):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        return []

    register_search_provider(
        SearchProvider(key="sql", label="SQL", permission=None, search=broken, order=1)
    )
    try:
        ClientFactory(name="Anna Nowak")

        def reads(user, query, limit):
            from kliento.clients.models import Client

            return [SearchHit(title=c.name, url="/") for c in Client.objects.all()[:limit]]

        register_search_provider(
            SearchProvider(key="reads", label="Reads", permission=None, search=reads, order=2)
        )
        results = search(outsider, "anna", limit=5)
    finally:
        search_providers.unregister("sql")
        search_providers.unregister("reads")
    assert [g.key for g in results.groups] == ["reads"]
    assert results.groups[0].hits[0].title == "Anna Nowak"


def test_hits_are_grouped_by_provider_in_order_and_capped_at_the_limit(providers, outsider):
    providers("second", hits=range(9), order=20)
    providers("first", hits=[1, 2], order=10)
    providers("silent", hits=[], order=15)
    results = search(outsider, "ab", limit=5)
    assert [(g.key, len(g.hits)) for g in results.groups] == [("first", 2), ("second", 5)]
    assert results.count == 7
    assert results.groups[0].label == "First"


def test_more_link_only_when_a_provider_may_have_more(providers, outsider):
    providers("full", hits=range(5), more_url=lambda q: f"/full/?q={q}")
    providers("short", hits=range(2), more_url=lambda q: f"/short/?q={q}")
    groups = {g.key: g for g in search(outsider, "ab", limit=5).groups}
    assert groups["full"].more_url == "/full/?q=ab"
    assert groups["short"].more_url is None


@pytest.mark.parametrize("query", ["", " ", "a", "  a  ", "\n"])
def test_an_empty_or_one_character_query_asks_nobody(providers, outsider, query):
    asked = providers("everyone", hits=[1])
    results = search(outsider, query, limit=5)
    assert not results.searched and results.groups == [] and asked == []


def test_query_is_trimmed_and_cut(providers, outsider):
    asked = providers("everyone", hits=[1])
    search(outsider, "  anna   nowak ", limit=5)
    search(outsider, "x" * 500, limit=5)
    assert asked[0] == ("anna nowak", 5)
    assert len(asked[1][0]) == 100


def test_anonymous_asks_nobody(providers):
    from django.contrib.auth.models import AnonymousUser

    asked = providers("everyone", hits=[1])
    assert not search(AnonymousUser(), "anna", limit=5).searched and asked == []


# --- The clients provider ---------------------------------------------------------------------


def test_clients_are_found_by_name_contact_and_reference(agent):
    anna = ClientFactory(name="Anna Nowak", external_ref="CRM-77")
    ContactFactory(client=anna, value="anna.n@example.com")
    ClientFactory(name="Piotr Mazur")

    def titles(q: str) -> list[str]:
        return [h.title for g in search(agent, q, limit=5).groups for h in g.hits]

    assert titles("nowak") == ["Anna Nowak"]
    assert titles("ANNA.N@example.com") == ["Anna Nowak"]
    assert titles("CRM-77") == ["Anna Nowak"]
    assert titles("nobody") == []
    hit = search(agent, "nowak", limit=5).groups[0].hits[0]
    assert hit.url == reverse("clients:detail", args=[anna.pk])
    assert "CRM-77" in hit.subtitle


def test_clients_results_are_limited_and_link_to_the_filtered_list(agent):
    for n in range(7):
        ClientFactory(name=f"Nowak {n}")
    group = search(agent, "nowak", limit=5).groups[0]
    assert len(group.hits) == 5
    assert group.more_url == reverse("clients:list") + "?q=nowak"


def test_a_left_or_key_client_carries_a_badge(agent):
    ClientFactory(name="Anna Key", is_key=True)
    ClientFactory(name="Anna Gone", status="left")
    badges = {h.title: h.badge for h in search(agent, "anna", limit=5).groups[0].hits}
    assert badges == {"Anna Key": "Key", "Anna Gone": "Left"}


def test_no_clients_for_a_user_without_a_role(outsider, client_card):
    assert search(outsider, "anna", limit=5).groups == []


# --- The page and the dropdown ----------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("search"), {"q": "anna"})
    assert response.status_code == 302 and "/login" in response.url


def test_results_page_groups_hits_by_kind(as_agent, client_card):
    response = as_agent.get(reverse("search"), {"q": "nowak"})
    assert response.status_code == 200
    html = response.text
    assert "<h2" in html and ">Clients <span" in html
    assert f'href="{reverse("clients:detail", args=[client_card.pk])}"' in html
    assert "1 result for “nowak”" in html


def test_results_page_without_a_query_or_with_one_letter(as_agent, client_card):
    assert "Type a name" in as_agent.get(reverse("search")).text
    page = as_agent.get(reverse("search"), {"q": "a"}).text
    assert "at least two characters" in page and "Anna Nowak" not in page


def test_results_page_says_so_when_nothing_is_found(as_agent, client_card):
    page = as_agent.get(reverse("search"), {"q": "nobody"}).text
    assert "0 results for “nobody”" in page


def test_results_page_warns_when_a_kind_failed(as_agent, client_card, providers):
    providers("broken", fails=RuntimeError("down"))
    page = as_agent.get(reverse("search"), {"q": "nowak"}).text
    assert "could not be searched just now: Broken" in page
    assert "Anna Nowak" in page


def test_results_page_shows_more_than_the_dropdown(as_agent):
    for n in range(7):
        ClientFactory(name=f"Nowak {n}")
    page = as_agent.get(reverse("search"), {"q": "nowak"}).text
    dropdown = as_agent.get(reverse("search"), {"q": "nowak"}, HTTP_HX_REQUEST="true").text
    assert page.count('class="list-group-item') == 7
    assert dropdown.count('class="search-hit"') == 5
    assert f'href="{reverse("clients:list")}?q=nowak"' not in page  # all 7 are on the page


def test_dropdown_is_a_fragment_with_the_hits_and_a_link_to_all(as_agent, client_card):
    response = as_agent.get(reverse("search"), {"q": "nowak"}, HTTP_HX_REQUEST="true")
    html = response.text
    assert response.status_code == 200
    assert "<html" not in html
    assert 'class="search-group-label"' in html and ">Clients<" in html
    assert "Anna Nowak" in html
    assert f'href="{reverse("search")}?q=nowak"' in html
    # The screen-reader status line is updated out of band.
    assert 'id="search-status" hx-swap-oob="innerHTML">1 result<' in html


def test_dropdown_for_a_short_query_is_empty(as_agent, client_card):
    html = as_agent.get(reverse("search"), {"q": "a"}, HTTP_HX_REQUEST="true").text
    assert "Anna" not in html and "search-hit" not in html
    assert 'hx-swap-oob="innerHTML"></span>' in html  # the status line is cleared


def test_dropdown_escapes_what_providers_return(as_agent, providers):
    providers("<b>kind</b>", hits=[1])
    html = as_agent.get(reverse("search"), {"q": "ab"}, HTTP_HX_REQUEST="true").text
    assert (
        "<b>" not in html.lower()
        and "&lt;B&gt;Kind" in html
        and "&lt;b&gt;kind&lt;/b&gt; 1" in html
    )


def test_outsider_searches_but_sees_no_clients(as_outsider, client_card):
    response = as_outsider.get(reverse("search"), {"q": "anna"})
    assert response.status_code == 200
    assert "Anna Nowak" not in response.text


# --- The box in the top bar -------------------------------------------------------------------


def test_top_bar_has_a_labelled_search_box_with_shortcuts(as_agent):
    html = as_agent.get(reverse("home")).text
    assert '<form class="site-search me-2" role="search" action="/search/" method="get">' in html
    assert '<label class="visually-hidden" for="site-search">Search</label>' in html
    assert 'id="site-search" name="q"' in html
    assert 'aria-keyshortcuts="Control+K Meta+K /"' in html
    assert 'hx-get="/search/" hx-trigger="input changed delay:250ms"' in html
    assert 'id="search-status" class="visually-hidden" role="status"' in html
    assert "/static/search.js" in html


def test_search_script_binds_ctrl_k_cmd_k_and_slash():
    script = (STATIC / "search.js").read_text()
    assert "event.ctrlKey || event.metaKey" in script and '=== "k"' in script
    assert 'event.key === "/"' in script
    assert '"Escape"' in script


def test_signed_out_pages_have_no_search_box(client):
    html = client.get(reverse("login")).text
    assert "site-search" not in html and "search.js" not in html
