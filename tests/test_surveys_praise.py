"""The recognition feed: who may share which answer, what the feed shows of the client, the
audit entry and the notification, the home widget, and the refusals."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from kliento.core import roles
from kliento.core.models import AuditEntry, Notification, OrgUnit
from kliento.surveys.models import Praise, Response, Survey
from kliento.surveys.services import praising
from tests.factories import ClientFactory, UserFactory
from tests.test_surveys import make_survey

pytestmark = pytest.mark.django_db


def answer(survey: Survey, score: int, comment: str = "Olga was wonderful", **about) -> Response:
    client = about.pop("client", None) or ClientFactory(name="Maria Anna Kowalska")
    return Response.objects.create(
        survey=survey, client=client, channel="email", score=score, comment=comment, **about
    )


@pytest.fixture
def olga(db):
    return UserFactory(username="olga", first_name="Olga", last_name="Shevchenko", role=roles.AGENT)


def test_short_name_keeps_first_name_and_initial():
    assert praising.short_name("Maria Anna Kowalska") == "Maria K."
    assert praising.short_name("  anna  nowak ") == "anna N."
    assert praising.short_name("Cher") == "Cher"
    assert praising.short_name("") == ""


@pytest.mark.parametrize(
    ("kind", "options", "score", "shareable"),
    [
        ("nps", {}, 10, True),
        ("nps", {}, 9, True),
        ("nps", {}, 8, False),
        ("csat", {}, 4, True),
        ("csat", {}, 3, False),
        ("ces", {"scale": "1-7"}, 6, True),
        ("ces", {"scale": "1-7"}, 2, False),
        ("ces", {"scale": "1-5", "direction": "low_easy"}, 1, True),
        ("ces", {"scale": "1-5", "direction": "low_easy"}, 5, False),
    ],
)
def test_only_positive_answers_can_be_shared(kind, options, score, shareable):
    survey = make_survey(kind, **options)
    assert (praising.refusal(answer(survey, score)) is None) is shareable


def test_an_answer_without_a_comment_or_of_a_staff_survey_is_refused(manager, olga):
    survey = make_survey("nps")
    assert praising.refusal(answer(survey, 10, comment="  ")) is not None
    staff = make_survey("enps", audience="staff", anonymous=True)
    staff_answer = Response.objects.create(survey=staff, channel="web_form", score=10, comment="x")
    assert praising.refusal(staff_answer) == "Staff survey answers are never shared."
    with pytest.raises(ValidationError):
        praising.share_praise(actor=manager, response=staff_answer, employee=olga)
    assert not Praise.objects.exists()


def test_manager_shares_audited_notified_and_the_client_is_first_name_and_initial(
    manager, olga, as_manager
):
    team = OrgUnit.objects.create(name="Kyiv desk", kind=OrgUnit.Kind.TEAM)
    response = answer(make_survey("csat"), 5, agent=olga, team=team)
    page = as_manager.get(reverse("surveys:praise_share", args=[response.pk]))
    assert page.status_code == 200
    assert "Maria K." in page.content.decode() and 'name="employee"' in page.content.decode()
    posted = as_manager.post(
        reverse("surveys:praise_share", args=[response.pk]),
        {"employee": olga.pk, "team": team.pk},
    )
    assert posted.status_code == 302
    praise = Praise.objects.get()
    assert (praise.employee, praise.team, praise.client_label) == (olga, team, "Maria K.")
    assert praise.text == "Olga was wonderful" and praise.shared_by == manager
    entry = AuditEntry.objects.get(action=praising.PRAISE_SHARED)
    assert entry.actor == manager and entry.changes["employee"] == olga.pk
    assert entry.target_id == str(praise.pk)
    note = Notification.objects.get(kind=praising.PRAISE_SHARED)
    assert note.recipient == olga
    # The feed, for everyone: the page and the home widget; never the client's full name.
    for role in (roles.AGENT, roles.AUDITOR, roles.STAGE_OWNER):
        http = as_user(UserFactory(role=role))
        for url in (reverse("surveys:praise"), reverse("home")):
            body = http.get(url).content.decode()
            assert "Olga was wonderful" in body and "Maria K." in body, (role, url)
            assert "Kowalska" not in body
    # Once only.
    again = as_manager.post(reverse("surveys:praise_share", args=[response.pk]), {})
    assert again.status_code == 403
    assert Praise.objects.count() == 1


def as_user(user):
    from tests.conftest import _logged_in

    return _logged_in(user)


def test_the_agent_shares_praise_of_their_own_work_only(olga, agent):
    survey = make_survey("nps")
    own = answer(survey, 10, agent=olga)
    others = answer(survey, 10, agent=agent, comment="Great help")
    http = as_user(olga)
    assert praising.may_share(olga, own) and not praising.may_share(olga, others)
    # Another agent's answer: not even visible to her (404), and the service refuses too.
    refused = http.post(reverse("surveys:praise_share", args=[others.pk]), {})
    assert refused.status_code in (403, 404)
    with pytest.raises(ValidationError):
        praising.share_praise(actor=olga, response=others)
    assert http.post(reverse("surveys:praise_share", args=[own.pk]), {}).status_code == 302
    praise = Praise.objects.get()
    assert praise.response == own and praise.employee == olga  # the answer's agent by default
    # Nobody is told of what they did themselves.
    assert not Notification.objects.filter(kind=praising.PRAISE_SHARED).exists()
    detail = http.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert reverse("surveys:praise_share", args=[own.pk]) not in detail  # already shared


def test_the_auditor_reads_the_feed_but_cannot_share(auditor, as_auditor):
    survey = make_survey("nps")
    response = answer(survey, 10)
    url = reverse("surveys:praise_share", args=[response.pk])
    page = as_auditor.get(url)
    assert page.status_code == 200 and 'name="employee"' not in page.content.decode()
    assert as_auditor.post(url, {}).status_code == 403
    assert not praising.may_share(auditor, response)
    assert as_auditor.get(reverse("surveys:praise")).status_code == 200
    detail = as_auditor.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert url not in detail
    assert not Praise.objects.exists()


def test_praise_must_name_someone(manager, as_manager):
    response = answer(make_survey("nps"), 10)
    posted = as_manager.post(reverse("surveys:praise_share", args=[response.pk]), {})
    assert posted.status_code == 400
    assert "Name the employee or the team" in posted.content.decode()
    assert (
        not Praise.objects.exists()
        and not AuditEntry.objects.filter(action=praising.PRAISE_SHARED).exists()
    )


def test_a_negative_answer_shows_why_and_cannot_be_posted(manager, as_manager, olga):
    response = answer(make_survey("nps"), 3, agent=olga)
    url = reverse("surveys:praise_share", args=[response.pk])
    assert "Only positive answers" in as_manager.get(url).content.decode()
    assert as_manager.post(url, {"employee": olga.pk}).status_code == 403
    assert not Praise.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_managers_sharing_at_once_make_one_entry(olga):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    first, second = UserFactory(role=roles.MANAGER), UserFactory(role=roles.MANAGER)
    response = answer(make_survey("nps"), 10, agent=olga)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def share(actor) -> None:
        from django.db import connections

        try:
            barrier.wait()
            praising.share_praise(actor=actor, response=response)
            outcomes.append("shared")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=share, args=(u,)) for u in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "shared"]
    assert Praise.objects.count() == 1
    assert Notification.objects.filter(kind=praising.PRAISE_SHARED).count() == 1


# ---------------------------------------------------------------------------------------------
# Touchpoint impressions


def impression_at(touchpoint, sentiment: str = "positive", text: str = "The hall was spotless"):
    from kliento.touchpoints.models import Impression

    return Impression.objects.create(
        touchpoint=touchpoint,
        client=ClientFactory(name="Petro Ivanenko"),
        sentiment=sentiment,
        text=text,
    )


def touchpoint_of(owner, name: str = "Reception"):
    from kliento.touchpoints.models import Touchpoint

    return Touchpoint.objects.create(name=name, kind="business", category="website", owner=owner)


def test_the_touchpoint_owner_shares_a_positive_impression_at_their_touchpoint(olga, agent):
    own = impression_at(touchpoint_of(olga))
    foreign = impression_at(touchpoint_of(agent, "Phone line"), text="Quick answer")
    negative = impression_at(touchpoint_of(olga, "Parking"), sentiment="negative", text="Full")
    http = as_user(olga)
    feed = http.get(reverse("surveys:praise")).content.decode()
    own_url = reverse("surveys:praise_share_impression", args=[own.pk])
    foreign_url = reverse("surveys:praise_share_impression", args=[foreign.pk])
    assert own_url in feed and foreign_url not in feed  # offered only at her own touchpoints
    assert http.post(foreign_url, {}).status_code == 403
    assert (
        http.post(reverse("surveys:praise_share_impression", args=[negative.pk]), {}).status_code
        == 403
    )
    assert http.post(own_url, {"employee": olga.pk}).status_code == 302
    praise = Praise.objects.get()
    assert (praise.impression_id, praise.response_id) == (own.pk, None)
    assert praise.touchpoint == own.touchpoint and praise.client_label == "Petro I."
    assert AuditEntry.objects.filter(action=praising.PRAISE_SHARED).count() == 1
    assert own_url not in http.get(reverse("surveys:praise")).content.decode()  # shared once
    assert "already on the recognition feed" in http.get(own_url).content.decode()
    with pytest.raises(ValidationError):
        praising.share_impression(actor=olga, impression_id=own.pk)
    assert Praise.objects.count() == 1


def test_a_manager_shares_any_impression_and_the_employee_is_told(manager, olga, as_manager):
    impression = impression_at(touchpoint_of(olga))
    url = reverse("surveys:praise_share_impression", args=[impression.pk])
    assert url in as_manager.get(reverse("surveys:praise")).content.decode()
    assert as_manager.post(url, {"employee": olga.pk}).status_code == 302
    assert Notification.objects.get(kind=praising.PRAISE_SHARED).recipient == olga
    body = as_user(UserFactory(role=roles.AUDITOR)).get(reverse("surveys:praise")).content
    assert "The hall was spotless" in body.decode() and "Ivanenko" not in body.decode()


def test_the_auditor_cannot_share_an_impression(auditor, as_auditor, olga):
    impression = impression_at(touchpoint_of(olga))
    url = reverse("surveys:praise_share_impression", args=[impression.pk])
    assert url not in as_auditor.get(reverse("surveys:praise")).content.decode()
    assert as_auditor.post(url, {}).status_code == 403
    with pytest.raises(ValidationError):
        praising.share_impression(actor=auditor, impression_id=impression.pk)
    assert not Praise.objects.exists()
