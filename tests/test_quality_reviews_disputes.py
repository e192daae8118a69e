"""Reviewing a case, the agent's view of their reviews, and the dispute a second reviewer
decides: pages, services and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kliento.core.models import AuditEntry, Notification
from kliento.quality.models import Dispute, Evaluation, ReviewAssignment
from kliento.quality.services import Answer, reviews
from tests.api_support import api_as
from tests.quality_reviews_support import case_checklist, people, resolved_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return people()


@pytest.fixture
def version(p):
    return case_checklist(p["ewa"])[1]


def review(p, version, outcomes=("pass", "fail", "pass"), agent="olena", by="ewa") -> Evaluation:
    case = resolved_case(p[agent])
    assignment = reviews.queue_case(actor=p[by], case_id=case.pk)
    reviews.start_review(actor=p[by], assignment=assignment, version=version)
    items = list(version.items.order_by("position"))
    return reviews.submit_review(
        actor=p[by],
        assignment=assignment,
        answers=[Answer(i.pk, o) for i, o in zip(items, outcomes, strict=True)],
        summary="Missed the key step.",
    )


def test_a_completed_review_scores_a_critical_failure_zero_and_tells_the_agent(p, version):
    done = review(p, version)
    assert done.status == "completed" and done.score == 0 and done.critical_failed
    assert done.employee == p["olena"] and done.kind == "review"
    assert ReviewAssignment.objects.get(evaluation=done).status == "done"
    note = Notification.objects.get(recipient=p["olena"], kind=reviews.REVIEW_COMPLETED)
    assert note.target_url == reverse("qareviews:review", args=[done.pk])


def test_nobody_reviews_their_own_case(p, version):
    case = resolved_case(p["marta"])
    assignment = reviews.queue_case(actor=p["marta"], case_id=case.pk)
    with pytest.raises(ValidationError) as error:
        reviews.start_review(actor=p["marta"], assignment=assignment, version=version)
    assert "reviewer" in error.value.message_dict


def test_an_agent_sees_their_reviews_and_not_anothers(client, p, version):
    mine = review(p, version, outcomes=("pass", "pass", "pass"))
    theirs = review(p, version, agent="jakub")
    client.force_login(p["olena"])
    page = client.get(reverse("qareviews:review", args=[mine.pk]))
    assert page.status_code == 200 and "100" in page.content.decode()
    assert client.get(reverse("qareviews:review", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("qareviews:mine")).content.decode()
    assert reverse("qareviews:review", args=[mine.pk]) in listing
    assert reverse("qareviews:review", args=[theirs.pk]) not in listing
    api = api_as(p["olena"])
    assert [r["id"] for r in api.get("/quality/reviews").json()] == [mine.pk]
    assert api.get(f"/quality/reviews/{theirs.pk}").status_code == 404
    assert api.post(f"/quality/reviews/{theirs.pk}/dispute", {"reason": "x"}).status_code == 404


def test_a_draft_review_is_hidden_from_the_agent(client, p, version):
    case = resolved_case(p["olena"])
    assignment = reviews.queue_case(actor=p["ewa"], case_id=case.pk)
    draft = reviews.start_review(actor=p["ewa"], assignment=assignment, version=version)
    client.force_login(p["olena"])
    assert client.get(reverse("qareviews:review", args=[draft.pk])).status_code == 404


def test_the_dispute_flow_a_second_reviewer_amends_and_the_agent_is_told(client, p, version):
    done = review(p, version)
    client.force_login(p["olena"])
    answer = client.post(reverse("qareviews:open_dispute", args=[done.pk]), {"reason": ""})
    assert answer.status_code == 200 and not Dispute.objects.exists()  # error beside the field
    client.post(reverse("qareviews:open_dispute", args=[done.pk]), {"reason": "It was said"})
    dispute = Dispute.objects.get()
    assert dispute.score_before == 0 and dispute.raised_by == p["olena"]
    told = set(
        Notification.objects.filter(kind=reviews.DISPUTE_OPENED).values_list(
            "recipient__username", flat=True
        )
    )
    assert "ewa" not in told and {"anna", "marta"} <= told

    critical = version.items.get(critical=True)
    for who in ("ewa", "olena"):  # the original reviewer and the agent may not decide
        with pytest.raises(ValidationError):
            reviews.decide_dispute(
                actor=p[who],
                dispute=dispute,
                decision="amended",
                note="ok",
                answers=[Answer(critical.pk, "pass")],
            )
    with pytest.raises(ValidationError) as error:
        reviews.decide_dispute(actor=p["anna"], dispute=dispute, decision="amended", note="ok")
    assert "decision" in error.value.message_dict  # amending changes at least one answer

    client.force_login(p["anna"])
    page = client.post(
        reverse("qareviews:dispute", args=[dispute.pk]),
        {
            "decision": "amended",
            "note": "The call log shows it.",
            f"item-{critical.pk}-outcome": "pass",
        },
    )
    assert page.status_code == 302
    dispute.refresh_from_db()
    done.refresh_from_db()
    assert dispute.status == "amended" and dispute.decided_by == p["anna"]
    # 2 of the 3 applicable weight met (weights 2, 1, 1; the second item fails no more).
    assert done.score == dispute.score_after and not done.critical_failed
    assert done.score is not None and done.score > 0
    assert AuditEntry.objects.filter(action="quality.evaluation_amended").exists()
    note = Notification.objects.get(recipient=p["olena"], kind=reviews.DISPUTE_DECIDED)
    assert note.params["decision"] == "amended"
    with pytest.raises(ValidationError):  # decided once
        reviews.decide_dispute(actor=p["marta"], dispute=dispute, decision="upheld", note="no")


def test_a_dispute_is_refused_after_the_window_twice_or_by_another(p, version, settings):
    done = review(p, version)
    with pytest.raises(ValidationError):
        reviews.open_dispute(actor=p["jakub"], evaluation=done, reason="not mine")
    Evaluation.objects.filter(pk=done.pk).update(
        completed_at=timezone.now() - dt.timedelta(days=settings.KLIENTO_QA_DISPUTE_DAYS + 1)
        if hasattr(settings, "KLIENTO_QA_DISPUTE_DAYS")
        else timezone.now() - dt.timedelta(days=8)
    )
    with pytest.raises(ValidationError) as error:
        reviews.open_dispute(actor=p["olena"], evaluation=done, reason="late")
    assert "evaluation" in error.value.message_dict
    fresh = review(p, version)
    reviews.open_dispute(actor=p["olena"], evaluation=fresh, reason="first")
    with pytest.raises(ValidationError):
        reviews.open_dispute(actor=p["olena"], evaluation=fresh, reason="second")


def test_the_api_dispute_and_decision_with_422s(p, version):
    done = review(p, version)
    agent = api_as(p["olena"])
    assert agent.post(f"/quality/reviews/{done.pk}/dispute", {"reason": ""}).status_code == 422
    made = agent.post(f"/quality/reviews/{done.pk}/dispute", {"reason": "It was said"})
    assert made.status_code == 201
    dispute_id = made.json()["id"]
    assert agent.post(f"/quality/disputes/{dispute_id}/decision", {}).status_code in (403, 422)
    original = api_as(p["ewa"]).post(
        f"/quality/disputes/{dispute_id}/decision", {"decision": "upheld", "note": "stands"}
    )
    assert original.status_code == 422
    assert api_as(p["jakub"]).get(f"/quality/disputes/{dispute_id}").status_code == 404
    second = api_as(p["anna"]).post(
        f"/quality/disputes/{dispute_id}/decision", {"decision": "upheld", "note": "stands"}
    )
    assert second.status_code == 200 and second.json()["status"] == "upheld"
    assert second.json()["score_after"] == "0.00"


def test_the_reviewer_scores_beside_the_conversation(client, p, version):
    case = resolved_case(p["olena"], body="My parcel is lost, please help")
    assignment = reviews.queue_case(actor=p["ewa"], case_id=case.pk)
    client.force_login(p["ewa"])
    url = reverse("qareviews:score", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert "My parcel is lost" in page and 'name="version"' in page
    client.post(url, {"version": version.pk})
    items = list(version.items.order_by("position"))
    bad = client.post(url, {f"item-{items[0].pk}-outcome": "pass"})
    assert bad.status_code == 200 and "My parcel is lost" in bad.content.decode()
    data = {f"item-{i.pk}-outcome": "pass" for i in items}
    assert client.post(url, data).status_code == 302
    # The agent of the case has no access to the queue; another reviewer cannot take it over.
    client.force_login(p["olena"])
    assert client.get(url).status_code == 403


def test_a_reviewer_marks_a_review_exemplary(client, p, version):
    done = review(p, version, outcomes=("pass", "pass", "pass"))
    client.force_login(p["ewa"])
    client.post(reverse("qareviews:exemplary", args=[done.pk]), {"exemplary": "1", "note": "Model"})
    done.refresh_from_db()
    assert done.exemplary and done.exemplary_note == "Model"
