"""The mentions API: create with Idempotency-Key, 422s, permissions, answers and cases."""

from __future__ import annotations

import json

import pytest

from kliento.core import roles
from kliento.mentions.models import Feed, Mention, Situation
from tests.api_support import BASE, api_as
from tests.factories import UserFactory
from tests.mentions_support import make_situation

pytestmark = pytest.mark.django_db

BODY = {"source": "reviews", "text": "Terrible, rude", "external_id": "r-1", "rating": 1}


def _post(api, body, key=None):
    headers = {"Authorization": f"Bearer {api.token}"}
    if key:
        headers["Idempotency-Key"] = key
    return api.http.post(
        BASE + "/mentions", data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_a_connector_posts_a_mention_and_a_retry_replays_it():
    api = api_as(UserFactory(role=roles.MANAGER))
    first = _post(api, BODY, key="k1")
    again = _post(api, BODY, key="k1")
    assert first.status_code == 201 and again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["sentiment"] == "negative"
    assert first.json()["sentiment_reason"]["rule"] == "rating"
    assert Mention.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422_and_no_key_dedupes_by_external_id():
    api = api_as(UserFactory(role=roles.MANAGER))
    assert _post(api, BODY, key="k2").status_code == 201
    assert _post(api, {**BODY, "text": "other"}, key="k2").status_code == 422
    same_item = _post(api, {**BODY, "text": "changed"})
    assert same_item.status_code == 200 and Mention.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"source": "reviews"},
        {**BODY, "rating": 7},
        {**BODY, "language": "de"},
        {**BODY, "text": "a\x00b"},
        {**BODY, "url": "javascript:alert(1)"},
        {**BODY, "source": "   "},
    ],
)
def test_bad_mentions_are_422_and_write_nothing(body):
    api = api_as(UserFactory(role=roles.MANAGER))
    response = _post(api, body, key="bad")
    assert response.status_code == 422, response.content
    assert Mention.objects.count() == 0


@pytest.mark.parametrize("role", [roles.AGENT, roles.AUDITOR, None])
def test_only_who_may_add_posts_mentions(role):
    api = api_as(UserFactory(role=role))
    assert _post(api, BODY).status_code == 403
    assert Mention.objects.count() == 0


def test_reading_mentions_and_situations_by_role():
    situation = make_situation()
    api_as(UserFactory(role=roles.MANAGER)).post("/mentions", BODY)
    auditor = api_as(UserFactory(role=roles.AUDITOR))
    listed = auditor.get("/mentions")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert auditor.get("/mentions/situations").json()[0]["id"] == situation.pk
    assert auditor.get("/mentions/feeds").status_code == 403
    assert api_as(UserFactory()).get("/mentions").status_code == 403
    assert auditor.get("/mentions/999999").status_code == 404


def test_the_owner_answers_another_agent_may_not():
    situation = make_situation()
    created = api_as(UserFactory(role=roles.MANAGER)).post("/mentions", BODY).json()
    assert created["owner_id"] == situation.owner_id
    other = api_as(UserFactory(role=roles.AGENT))
    assert other.post(f"/mentions/{created['id']}/answer", {"text": "Hi"}).status_code == 403
    owner = api_as(situation.owner)
    assert owner.post(f"/mentions/{created['id']}/answer", {"text": ""}).status_code == 422
    done = owner.post(f"/mentions/{created['id']}/answer", {"text": "Sorry"})
    assert done.status_code == 200 and done.json()["status"] == "answered"
    assert owner.post(f"/mentions/{created['id']}/answer", {"text": "Again"}).status_code == 422


def test_a_case_is_opened_from_a_mention_through_the_api():
    manager = api_as(UserFactory(role=roles.MANAGER))
    created = manager.post("/mentions", {**BODY, "author_contact": "x@example.com"}).json()
    first = manager.post(f"/mentions/{created['id']}/case")
    second = manager.post(f"/mentions/{created['id']}/case")
    assert first.status_code == 200 and first.json()["case_id"] == second.json()["case_id"]


def test_managers_add_situations_and_feeds_with_field_errors():
    manager = UserFactory(role=roles.MANAGER)
    api = api_as(manager)
    made = api.post(
        "/mentions/situations",
        {
            "name": "Outage",
            "kind": "outage",
            "owner_id": manager.pk,
            "deadline_minutes": 30,
            "steps": ["Check", "Post"],
            "reactions": {"en": "We are on it", "pl": "Naprawiamy"},
        },
    )
    assert made.status_code == 201 and made.json()["steps"] == ["Check", "Post"]
    assert Situation.objects.get().reaction_pl == "Naprawiamy"
    assert (
        api.post("/mentions/situations", {"name": "Outage", "owner_id": manager.pk}).status_code
        == 422
    )
    assert api.post("/mentions/situations", {"name": "X", "owner_id": 999999}).status_code == 422
    private = api.post(
        "/mentions/feeds", {"name": "F", "url": "http://127.0.0.1/feed", "source": "x"}
    )
    assert private.status_code == 422 and "url" in private.json()["detail"][0]["loc"]
    allowed = api.post(
        "/mentions/feeds",
        {"name": "F", "url": "http://127.0.0.1/feed", "source": "x", "allow_private": True},
    )
    assert allowed.status_code == 201 and Feed.objects.count() == 1
    agent = api_as(UserFactory(role=roles.AGENT))
    assert (
        agent.post("/mentions/situations", {"name": "Y", "owner_id": manager.pk}).status_code == 403
    )
