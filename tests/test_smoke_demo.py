from __future__ import annotations

import pytest
from django.core.management import call_command

from kliento.clients.models import Client, Purchase, TimelineEntry
from kliento.core.models import OrgUnit
from kliento.journeys import demo as journey_demo


@pytest.mark.django_db
def test_demo_loads_once_and_reuses_existing_data(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, clients=40)
    counts = (Client.objects.count(), Purchase.objects.count(), TimelineEntry.objects.count())
    # 40 people + 8 companies, and the demo journey's prospects and first-time buyers.
    assert counts[0] == 48 + journey_demo.PROSPECTS + journey_demo.NEW_BUYERS
    assert counts[1] > 0
    assert (tmp_path / "demo-admin.txt").exists()

    call_command("demo", no_serve=True, clients=40)

    assert (Client.objects.count(), Purchase.objects.count(), TimelineEntry.objects.count()) == (
        counts
    )
    assert OrgUnit.objects.filter(parent=None).count() == 1


@pytest.mark.django_db
def test_demo_speaks_the_operators_and_each_clients_language(tmp_path, settings):
    """Units, segments and tags in the operator's language; each client's facts and purchases
    in the client's own."""
    from kliento.clients.demo import texts
    from kliento.clients.models import PortraitFact, Segment, Tag

    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, clients=60, language="pl")
    assert OrgUnit.objects.get(parent=None).name == "Szkoła Tańca Rytm"
    assert set(OrgUnit.objects.values_list("name", flat=True)) >= {"Obsługa klienta", "Recepcja"}
    assert list(Segment.objects.order_by("id").values_list("name", flat=True)) == [
        "Dorośli",
        "Dzieci",
        "Wesela",
        "Firmy",
    ]
    assert "z polecenia" in set(Tag.objects.values_list("name", flat=True))

    facts_by_language = {
        language: {t[language] for group in texts.FACTS.values() for t in group}
        for language in texts.LANGUAGES
    }
    products_by_language = {
        language: {t[language] for t, _price in texts.PRODUCTS} for language in texts.LANGUAGES
    }
    seen = set()
    for fact in PortraitFact.objects.select_related("client"):
        language = fact.client.language or "pl"
        assert fact.text in facts_by_language[language], (language, fact.text)
        seen.add(language)
    for purchase in Purchase.objects.select_related("client"):
        language = purchase.client.language or "pl"
        assert purchase.description in products_by_language[language]
    assert {"pl", "uk", "ru", "en"} <= seen

    # Loading again, in another language, finds the demo there and adds nothing.
    counts = (Client.objects.count(), Segment.objects.count(), OrgUnit.objects.count())
    call_command("demo", no_serve=True, clients=60, language="uk")
    assert (Client.objects.count(), Segment.objects.count(), OrgUnit.objects.count()) == counts


def test_demo_language_is_checked():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="invalid choice"):
        call_command("demo", "--no-serve", "--language=xx")
