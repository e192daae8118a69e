"""On a phone, a reviewer scores a case beside its conversation with a critical failure (score
0); the agent opens the review from the menu and disputes it."""

from __future__ import annotations

import pytest

from kliento.quality.models import Dispute, Evaluation
from kliento.quality.services import reviews
from tests.quality_reviews_support import case_checklist, people, resolved_case
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)
from tests.test_browser_praise import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_fails_a_critical_item_and_the_agent_disputes(live_server, browser):  # noqa: F811
    p = people()
    _checklist, version = case_checklist(p["ewa"])
    case = resolved_case(p["olena"], subject="Lost parcel", body="My parcel never came")
    assignment = reviews.queue_case(actor=p["ewa"], case_id=case.pk)
    items = list(version.items.order_by("position"))

    context, page = login(browser, live_server, "ewa", "/quality/reviews/")
    page.get_by_role("link", name="Lost parcel").click()
    page.get_by_text("My parcel never came").wait_for()
    page.get_by_role("button", name="Start the review").click()
    for item, outcome in zip(items, ["pass", "fail", "na"], strict=True):
        page.locator(f"input[name='item-{item.pk}-outcome'][value='{outcome}']").check()
    page.fill(f"input[name='item-{items[1].pk}-note']", "Promised a refund we do not give")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Complete the review").click()
    page.get_by_text("Review completed.").wait_for()
    assert page.locator("#review-score").inner_text().strip() == "0.00%"
    context.close()
    review = Evaluation.objects.get(review_assignment=assignment)
    assert review.score == 0 and review.critical_failed

    context, page = login(browser, live_server, "olena", "/quality/reviews/mine/")
    page.get_by_role("link", name="Lost parcel").click()
    page.get_by_text("Promised a refund we do not give").wait_for()
    page.get_by_role("button", name="Send the dispute").click()
    page.get_by_text("This field is required.").wait_for()
    page.fill("textarea[name='reason']", "The refund is in our policy, section 4")
    page.get_by_role("button", name="Send the dispute").click()
    page.get_by_text("Dispute sent; a second reviewer will decide it.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    dispute = Dispute.objects.get()
    assert dispute.evaluation == review and dispute.status == "open"
