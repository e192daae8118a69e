"""The demo's standards book: loaded once, in the operator's language, published and partly
read, with the mission on the home page."""

from __future__ import annotations

import pytest

from kliento.core.demo import DemoOptions
from kliento.core.demo_organisation import load_organisation
from kliento.standards import selectors
from kliento.standards.demo import load_demo_standards
from kliento.standards.demo_texts import BOOK, MISSION
from kliento.standards.models import Acknowledgement, Kind, Standard

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "pl", "uk", "ru"])
def test_the_demo_book_is_written_in_the_operators_language(language):
    options = DemoOptions(language=language, report=lambda _line: None)
    load_organisation(options)
    load_demo_standards(options)
    load_demo_standards(options)  # again: reuses what is there
    assert Standard.objects.count() == len(BOOK)
    assert {s.kind for s in Standard.objects.all()} == set(Kind.values)
    mission = selectors.current_mission()
    assert mission is not None and mission.text == MISSION[language]
    assert Acknowledgement.objects.exists()
    assert selectors.overdue_reviews().count() == 1
    # Every entry has its text in each language (none falls back to English silently).
    for entry in BOOK:
        for field in ("title", "body"):
            assert set(entry[field]) == {"en", "pl", "uk", "ru"}
    # The glossary explains its terms in the other standards' text.
    terms = selectors.glossary_terms()
    assert len(terms) == 3
    # Without the touchpoints demo there is nothing to link to; with it, see below.
    assert not Standard.objects.filter(touchpoints__isnull=False).exists()
    if language == "en":
        phone = Standard.objects.get(title="Answering the phone")
        html = str(selectors.render_text(phone.versions.get(status="published").body))
        assert '<abbr class="glossary-term" title="A first class' in html


def test_the_demo_book_links_to_the_demo_touchpoints():
    from django.contrib.auth import get_user_model

    from kliento.touchpoints.demo import load_demo_touchpoints

    options = DemoOptions(language="en", report=lambda _line: None)
    load_organisation(options)
    users = {u.username: u for u in get_user_model().objects.all()}
    load_demo_touchpoints(language="en", users=users)
    load_demo_standards(options)
    phone = Standard.objects.get(title="Answering the phone")
    assert {t.channel for t in phone.touchpoints.all()} == {"phone"}
    dress = Standard.objects.get(kind="appearance")
    assert {t.category for t in dress.touchpoints.all()} == {"uniform"}
    touchpoint = phone.touchpoints.first()
    found = selectors.applicable(touchpoint_id=touchpoint.pk)
    assert "Answering the phone" in {item.title for item in found.standards}
