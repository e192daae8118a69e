from __future__ import annotations

from django.urls import reverse


def test_forbidden_page_is_the_product_page_in_the_users_language(as_agent):
    response = as_agent.get(reverse("imports:list"), HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 403
    assert 'lang="pl"' in response.content.decode()
    assert "navbar" in response.content.decode()


def test_not_found_page(as_manager):
    response = as_manager.get("/clients/999999/")
    assert response.status_code == 404
    assert "navbar" in response.content.decode()  # the product's own page, not Django's bare one
