"""Switching the interface language (the text itself is translated separately)."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "uk", "pl", "en"])
def test_switching_language_renders_pages_in_it(as_agent, client_card, language):
    card = reverse("clients:detail", args=[client_card.pk])
    response = as_agent.post(reverse("set_language"), {"language": language, "next": card})
    assert response.status_code == 302
    assert response["Location"] == card

    for url in (card, reverse("clients:list")):
        html = as_agent.get(url).content.decode()
        assert f'<html lang="{language}">' in html
        assert f'<option value="{language}" selected>' in html


@pytest.mark.django_db
def test_anonymous_visitor_can_switch_the_login_page():
    http = HttpClient()
    http.post(reverse("set_language"), {"language": "uk", "next": reverse("login")})
    assert '<html lang="uk">' in http.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_unsupported_language_is_ignored(as_agent):
    as_agent.post(reverse("set_language"), {"language": "de"})
    assert '<html lang="en">' in as_agent.get(reverse("clients:list")).content.decode()


@pytest.mark.django_db
def test_browser_language_is_used_until_one_is_chosen(as_agent):
    html = as_agent.get(reverse("clients:list"), headers={"Accept-Language": "pl,en;q=0.5"})
    assert '<html lang="pl">' in html.content.decode()


@pytest.mark.django_db
def test_switch_does_not_redirect_to_another_site(as_agent):
    response = as_agent.post(
        reverse("set_language"), {"language": "ru", "next": "https://evil.example/"}
    )
    assert "evil.example" not in response.get("Location", "")


@pytest.mark.parametrize("language", ["en", "ru", "uk", "pl"])
def test_date_pickers_hold_iso_dates_and_accept_them_in_every_language(as_manager, language):
    """A browser's date field shows nothing unless its value is yyyy-mm-dd."""
    from kliento.clients.models import Purchase
    from tests.factories import ClientFactory

    client = ClientFactory()
    page = as_manager.get(
        reverse("metrics:key_clients"), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert re.search(r'type="date" name="start" value="\d{4}-\d{2}-\d{2}"', page)

    as_manager.post(
        reverse("clients:purchase_add", args=[client.pk]),
        {"occurred_on": "2026-01-15", "amount": "10.00", "currency": "PLN", "channel": "store"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert Purchase.objects.get(client=client).occurred_on.isoformat() == "2026-01-15"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "uk", "pl"])
def test_the_language_switch_names_each_language_in_itself(as_agent, language):
    as_agent.post(reverse("set_language"), {"language": language})
    html = as_agent.get(reverse("home")).content.decode()
    for own_name in ("English", "Русский", "Українська", "Polski"):
        assert f">{own_name}</option>" in html
