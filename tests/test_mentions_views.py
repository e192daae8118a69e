"""The pages: inbox filters, the answer form prefilled from the template, personas, report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from kliento.core import roles
from kliento.mentions.models import Feed, Mention, Situation
from kliento.mentions.services import intake
from tests.factories import UserFactory
from tests.mentions_support import make_situation

pytestmark = pytest.mark.django_db


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _mention(**kw) -> Mention:
    values = {"source": "reviews", "text": "Terrible and rude", "author": "Jo"} | kw
    return intake.receive(actor=None, draft=intake.MentionDraft(**values), origin="api").mention


def test_inbox_filters_new_mine_overdue_source_sentiment():
    situation = make_situation(minutes=60)
    mine = _mention()
    Mention.objects.filter(pk=mine.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    happy = _mention(source="forum", text="Great, thank you")
    owner = _as(situation.owner)
    ids = lambda r: {m.pk for m in r.context["page"].object_list}  # noqa: E731
    assert ids(owner.get("/mentions/?show=mine")) == {mine.pk}
    assert ids(owner.get("/mentions/?show=overdue")) == {mine.pk}
    assert ids(owner.get("/mentions/?show=new&source=forum")) == {happy.pk}
    assert ids(owner.get("/mentions/?show=all&sentiment=negative")) == {mine.pk}
    assert ids(owner.get("/mentions/?show=all&q=thank")) == {happy.pk}
    assert owner.get("/mentions/?show=bogus&sentiment=bogus").status_code == 200


def test_the_owner_sees_the_prepared_reaction_and_answers():
    situation = make_situation()
    mention = _mention(text="Ужасно", author="Ира")
    owner = _as(situation.owner)
    page = owner.get(f"/mentions/{mention.pk}/")
    assert page.context["form"].initial["answer"] == "Ира, нам жаль."
    assert "Answer" in page.content.decode() or page.context["may_answer"]
    empty = owner.post(f"/mentions/{mention.pk}/answer/", {"answer": "  "})
    assert empty.status_code == 400 and Mention.objects.get(pk=mention.pk).status == "new"
    done = owner.post(f"/mentions/{mention.pk}/answer/", {"answer": "Ира, нам жаль."})
    assert done.status_code == 302 and Mention.objects.get(pk=mention.pk).status == "answered"


def test_another_agent_sees_but_cannot_answer_and_outsiders_are_refused():
    make_situation()
    mention = _mention()
    agent = _as(UserFactory(role=roles.AGENT))
    page = agent.get(f"/mentions/{mention.pk}/")
    assert page.status_code == 200 and not page.context["may_answer"]
    assert agent.post(f"/mentions/{mention.pk}/answer/", {"answer": "x"}).status_code == 403
    assert agent.post(f"/mentions/{mention.pk}/dismiss/").status_code == 403
    auditor = _as(UserFactory(role=roles.AUDITOR))
    assert auditor.post(f"/mentions/{mention.pk}/answer/", {"answer": "x"}).status_code == 403
    outsider = _as(UserFactory())
    assert outsider.get("/mentions/").status_code == 403
    assert outsider.get(f"/mentions/{mention.pk}/").status_code == 403
    assert agent.get("/mentions/999999/").status_code == 404
    assert Mention.objects.get(pk=mention.pk).status == "new"


def test_managers_keep_the_catalogue_and_feeds_agents_only_read():
    manager = UserFactory(role=roles.MANAGER)
    http = _as(manager)
    bad = http.post("/mentions/situations/new/", {"name": "", "kind": "outage"})
    assert bad.status_code == 400 and Situation.objects.count() == 0
    made = http.post(
        "/mentions/situations/new/",
        {
            "name": "Outage",
            "kind": "outage",
            "owner": manager.pk,
            "deadline_minutes": 30,
            "reaction_en": "We are on it",
        },
    )
    assert made.status_code == 302
    situation = Situation.objects.get()
    http.post(
        f"/mentions/situations/{situation.pk}/rules/new/", {"position": 1, "keywords": "down"}
    )
    assert situation.rules.get().keyword_list() == ["down"]
    refused = http.post(
        "/mentions/feeds/new/",
        {
            "name": "F",
            "url": "http://127.0.0.1/f",
            "source": "x",
            "interval_minutes": 30,
            "active": "on",
        },
    )
    assert refused.status_code == 400 and Feed.objects.count() == 0
    agent = _as(UserFactory(role=roles.AGENT))
    assert agent.get("/mentions/situations/").status_code == 200
    assert agent.get("/mentions/situations/new/").status_code == 403
    assert agent.get("/mentions/feeds/").status_code == 403


def test_report_shows_volume_and_reaction_times(as_manager):
    situation = make_situation(minutes=60)
    mention = _mention()
    Mention.objects.filter(pk=mention.pk).update(
        status="answered", answered_at=mention.received_at + dt.timedelta(minutes=30)
    )
    page = as_manager.get("/mentions/report/")
    row = next(r for r in page.context["reactions"] if r.situation == situation)
    assert (row.handled, row.in_time, row.late, row.median_minutes) == (1, 1, 0, 30.0)
    assert page.context["days"][0].negative == 1


def test_home_widget_and_search_find_my_mentions():
    situation = make_situation()
    mention = _mention(text="Terrible parking")
    owner = _as(situation.owner)
    home = owner.get("/")
    assert f"/mentions/{mention.pk}/" in home.content.decode()
    found = owner.get("/search/?q=parking")
    assert f"/mentions/{mention.pk}/" in found.content.decode()
