"""An owner opens a negative review on a phone, finds the prepared reaction in the review's
language in the answer form, and answers before the deadline."""

from __future__ import annotations

import pytest

from kliento.core import roles
from kliento.mentions.models import Mention
from kliento.mentions.services import intake
from tests.factories import UserFactory
from tests.mentions_support import make_situation
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_answers_a_negative_review_in_time(live_server, browser):  # noqa: F811
    owner = UserFactory(username="olena", first_name="Olena", role=roles.AGENT)
    make_situation(owner, minutes=240)
    mention = intake.receive(
        actor=None,
        draft=intake.MentionDraft(
            source="reviews", text="Fatalna obsługa, nikt nie oddzwonił.", author="Tomasz", rating=1
        ),
        origin="api",
    ).mention
    assert mention.owner == owner and mention.language == "pl"

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/?next=/mentions/%3Fshow%3Dmine")
    page.fill("#id_username", "olena")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.locator("#mentions", has_text="Fatalna obsługa").wait_for()
    page.get_by_role("link", name="Fatalna obsługa").first.click()
    page.locator("#sentiment-reason", has_text="1").wait_for()
    box = page.locator("#id_answer")
    assert box.input_value() == "Tomasz, przykro nam."
    box.fill("Tomasz, przykro nam. Zadzwonimy dziś.")
    page.get_by_role("button", name="Save the answer").click()
    page.locator("#mention-answer", has_text="Zadzwonimy dziś").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
    done = Mention.objects.get()
    assert done.status == "answered" and done.answered_by == owner
    assert done.due_at is not None and done.answered_at is not None
    assert done.answered_at <= done.due_at
