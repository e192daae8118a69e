"""The public web form in a real browser on a phone (390 px): it fits the screen, the
honeypot is invisible, errors stand beside their fields, and a message ends on the
thank-you page with the case number."""

from __future__ import annotations

import pytest

from kliento.desk.models import Case
from kliento.desk.public import guard
from tests.test_browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


@pytest.mark.parametrize("language", ["en-GB", "pl-PL"])
def test_a_visitor_writes_on_a_phone(live_server, browser, monkeypatch, language):  # noqa: F811
    # A person takes more than three seconds; the robot filling this form does not.
    monkeypatch.setattr(guard, "MIN_AGE", 0)
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, locale=language)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{live_server.url}/desk/contact/")
        assert page.evaluate("document.documentElement.scrollWidth") == WIDTH
        # The honeypot is off-screen (its stylesheet loaded under the CSP).
        assert (
            page.evaluate("document.getElementById('id_website').getBoundingClientRect().right")
            <= 0
        )
        page.fill("#id_name", "Ola Nowak")
        page.fill("#id_email", "not an address")
        page.fill("#id_subject", "Broken zipper")
        page.fill("#id_message", "The zipper broke on the first day.")
        page.click("button.btn-primary")
        page.wait_for_load_state()
        assert page.is_visible("#id_email_error")
        assert page.get_attribute("#id_email", "aria-invalid") == "true"
        assert page.evaluate("document.documentElement.scrollWidth") == WIDTH
        page.fill("#id_email", "ola@example.com")
        page.click("button.btn-primary")
        page.wait_for_url(f"{live_server.url}/desk/contact/thanks/**")
        case = Case.objects.get()
        assert case.number in page.text_content("main")
        # Nothing refused by the Content-Security-Policy (the 400 of the invalid form is logged
        # as a failed load, by design).
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()
