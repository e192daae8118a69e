"""Surveys: definitions and the five-question limit, signed links, answering and editing,
sending (throttling, consent, idempotence), the closed loop, who sees what, import/export."""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kliento.clients.models import ChannelConsent, TimelineEntry
from kliento.clients.services import record_purchase
from kliento.core import roles
from kliento.core.models import Notification
from kliento.journeys.models import Journey, Stage
from kliento.surveys import tokens
from kliento.surveys.models import FollowUp, Invitation, LastAsked, Response, Survey
from kliento.surveys.registry import Event, fire
from kliento.surveys.services import AboutIds, answering, definitions, inviting, loop
from kliento.surveys.tasks import send_invitations
from kliento.touchpoints.models import Touchpoint
from tests.api_support import api_as
from tests.factories import ClientFactory, ContactFactory, SegmentFactory, UserFactory
from tests.imports_helpers import do_import, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """The public pages count requests per address in the cache; each test starts afresh.
    Links in e-mails need the server's address."""
    cache.clear()
    settings.KLIENTO_BASE_URL = "https://kliento.example"


def scale(text: str = "How likely are you to recommend us?") -> definitions.QuestionSpec:
    return definitions.QuestionSpec(kind="scale", texts={"en": text, "pl": "Czy polecisz nas?"})


def make_survey(kind: str = "nps", actor=None, **options) -> Survey:
    questions = options.pop("questions", [scale()])
    return definitions.create_survey(
        actor=actor,
        spec=definitions.SurveySpec(
            name=f"{kind} survey", kind=kind, questions=questions, **options
        ),
    )


def client_with_email(email: str = "anna@example.com", **fields):
    client = ClientFactory(**fields)
    ContactFactory(client=client, kind="email", value=email, is_primary=True)
    return client


def invite(survey: Survey, client, **about) -> Invitation:
    with transaction.atomic():
        inviting.invite_clients(actor=None, survey=survey, client_ids=[client.pk])
    invitation = Invitation.objects.filter(survey=survey, client=client).latest("id")
    if about:
        Invitation.objects.filter(pk=invitation.pk).update(**about)
        invitation.refresh_from_db()
    return invitation


def token_of(invitation: Invitation) -> str:
    return tokens.invitation_token(invitation.pk)


def answer_url(invitation: Invitation) -> str:
    return reverse("surveys:answer", args=[token_of(invitation)])


# ---------------------------------------------------------------------------------------------
# Definitions


def test_a_survey_gets_its_default_scale_and_keeps_texts_per_language():
    survey = make_survey("csat")
    assert survey.scale == "1-5"
    question = survey.questions.get()
    assert question.text("pl") == "Czy polecisz nas?"
    assert question.text("uk") == "How likely are you to recommend us?"  # falls back to en
    assert question.required  # the score question of CSAT/CES/NPS


def test_scale_variants_are_checked_per_type():
    assert make_survey("csat", scale="0-5").scale == "0-5"
    ces = make_survey("ces", scale="1-7", direction="low_easy")
    assert (ces.scale, ces.direction) == ("1-7", "low_easy")
    assert make_survey("ces").direction == "high_easy"
    with pytest.raises(ValidationError) as caught:
        make_survey("nps", scale="1-5")
    assert "scale" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_survey("csat", scale="1-7")
    assert "scale" in caught.value.message_dict


def test_a_sixth_question_is_refused_by_the_service_and_nothing_is_saved():
    with pytest.raises(ValidationError) as caught:
        make_survey("custom", questions=[scale(f"Q{i}") for i in range(6)])
    assert "questions" in caught.value.message_dict
    assert not Survey.objects.exists()
    survey = make_survey("custom", questions=[scale(f"Q{i}") for i in range(5)])
    assert survey.questions.count() == 5


def test_the_score_question_of_nps_must_be_a_scale():
    with pytest.raises(ValidationError) as caught:
        make_survey("nps", questions=[definitions.QuestionSpec(kind="text", texts={"en": "Why?"})])
    assert "question_1_kind" in caught.value.message_dict


def test_choice_questions_need_choices_and_the_default_language():
    with pytest.raises(ValidationError) as caught:
        make_survey(
            "custom",
            questions=[
                definitions.QuestionSpec(
                    kind="single", texts={"en": "Which?"}, choices=[{"en": "A"}]
                ),
                definitions.QuestionSpec(kind="text", texts={"ru": "Почему?"}),
            ],
        )
    assert set(caught.value.message_dict) >= {"question_1_choices", "question_2_texts"}


def _form_data(count: int) -> dict[str, str]:
    data = {
        "name": "Form survey",
        "kind": "custom",
        "audience": "clients",
        "scale": "1-5",
        "default_language": "en",
        "follow_up_hours": "48",
        "link_days": "30",
        "is_active": "on",
        "q-TOTAL_FORMS": str(count),
        "q-INITIAL_FORMS": "0",
        "q-MIN_NUM_FORMS": "1",
        "q-MAX_NUM_FORMS": "5",
    }
    for i in range(count):
        data[f"q-{i}-kind"] = "scale"
        data[f"q-{i}-text_en"] = f"Question {i}"
    return data


def test_the_form_refuses_a_sixth_question(as_manager):
    response = as_manager.post(reverse("surveys:create"), _form_data(6))
    assert response.status_code == 400
    assert not Survey.objects.exists()
    response = as_manager.post(reverse("surveys:create"), _form_data(5))
    assert response.status_code == 302
    assert Survey.objects.get().questions.count() == 5


def test_the_api_refuses_a_sixth_question(manager):
    api = api_as(manager)
    body = {
        "name": "API survey",
        "kind": "nps",
        "questions": [{"kind": "scale", "texts": {"en": f"Q{i}"}} for i in range(6)],
    }
    response = api.post("/surveys", body)
    assert response.status_code == 422
    assert not Survey.objects.exists()
    body["questions"] = body["questions"][:5]
    response = api.post("/surveys", body)
    assert response.status_code == 201, response.content
    assert len(response.json()["questions"]) == 5


def test_type_and_scale_stay_once_answered(manager):
    survey = make_survey("csat", actor=manager)
    client = ClientFactory()
    with transaction.atomic():
        answering.record_answers(
            actor=manager,
            survey=survey,
            client_id=client.pk,
            answers={str(survey.questions.get().pk): 4},
        )
    spec = definitions.SurveySpec(name="x", kind="csat", scale="0-5", questions=[scale()])
    with pytest.raises(ValidationError) as caught:
        definitions.update_survey(actor=manager, survey=survey, spec=spec)
    assert "kind" in caught.value.message_dict
    reworded = definitions.SurveySpec(name="Renamed", kind="csat", questions=[scale("New words")])
    definitions.update_survey(actor=manager, survey=survey, spec=reworded)
    assert survey.questions.get().text("en") == "New words"
    assert Response.objects.get().answers  # the answer still points at its question


# ---------------------------------------------------------------------------------------------
# Links: signing, expiry, tampering


def test_a_token_reads_back_and_a_changed_one_is_refused():
    token = tokens.invitation_token(42)
    assert tokens.read_invitation_token(token, max_age_days=1) == 42
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(tokens.BadToken):
        tokens.read_invitation_token(tampered, max_age_days=1)
    # Signed for another purpose (another salt): refused.
    other = signing.dumps(42, salt="kliento.password-reset")
    with pytest.raises(tokens.BadToken):
        tokens.read_invitation_token(other, max_age_days=1)


def test_links_expire(monkeypatch, client):
    survey = make_survey(link_days=30)
    invitation = invite(survey, client_with_email())
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 31 * 86400)
    old = tokens.invitation_token(invitation.pk)
    monkeypatch.setattr(signing.time, "time", real)
    with pytest.raises(tokens.ExpiredToken):
        tokens.read_invitation_token(old, max_age_days=30)
    response = client.get(reverse("surveys:answer", args=[old]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_tampered_link_shows_a_refusal_page(client):
    invitation = invite(make_survey(), client_with_email())
    token = token_of(invitation)
    forged = signing.dumps(invitation.pk + 1, salt="wrong")
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        response = client.post(reverse("surveys:answer", args=[bad]), {"q1": "3"})
        assert response.status_code == 400
    assert not Response.objects.exists()


# ---------------------------------------------------------------------------------------------
# Answering


def test_an_emailed_score_link_preselects_and_the_page_saves(client, settings):
    settings.KLIENTO_BASE_URL = "https://kliento.example"
    survey = make_survey(follow_up_texts={"en": "What should we improve?"}, follow_up_max_score=8)
    person = client_with_email(language="pl")
    invitation = invite(survey, person)
    assert inviting.send_invitation(invitation.pk) == "sent"
    message = mail.outbox[0]
    assert message.to == ["anna@example.com"]
    html = message.alternatives[0][0]
    links = re.findall(r'href="(https://kliento\.example/s/t/[^"]+)"', html)
    assert len(links) == 12  # 0-10 and the page itself
    score_link = next(link for link in links if link.endswith("?score=3"))
    page = client.get(score_link.removeprefix("https://kliento.example"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'lang="pl"' in body
    assert "Czy polecisz nas?" in body
    question = survey.questions.get()
    assert re.search(r'value="3" checked', body)
    assert not Response.objects.exists()  # following a link records nothing by itself
    response = client.post(
        score_link.removeprefix("https://kliento.example").split("?")[0],
        {f"q{question.pk}": "3", "comment": "Nobody called back"},
    )
    assert response.status_code == 200
    saved = Response.objects.get()
    assert (saved.score, saved.comment, saved.client_id) == (3, "Nobody called back", person.pk)
    assert saved.invitation_id == invitation.pk
    assert TimelineEntry.objects.filter(client=person, kind=answering.ANSWERED).count() == 1


def test_a_second_submit_edits_and_never_duplicates(client):
    survey = make_survey()
    invitation = invite(survey, client_with_email())
    question = survey.questions.get()
    url = answer_url(invitation)
    assert client.post(url, {f"q{question.pk}": "9"}).status_code == 200
    assert (
        client.post(url, {f"q{question.pk}": "4", "comment": "Changed my mind"}).status_code == 200
    )
    saved = Response.objects.get()
    assert (saved.score, saved.comment) == (4, "Changed my mind")
    page = client.get(url)
    assert "You have answered already" in page.content.decode()


def test_bad_answers_are_shown_beside_their_question_and_nothing_is_saved(client):
    survey = make_survey()
    invitation = invite(survey, client_with_email())
    question = survey.questions.get()
    response = client.post(answer_url(invitation), {f"q{question.pk}": "11"})
    assert response.status_code == 400
    assert f'id="q{question.pk}-error"' in response.content.decode()
    response = client.post(answer_url(invitation), {})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_the_public_page_is_rate_limited(client, settings):
    settings.KLIENTO_SURVEYS_RATE_PER_MINUTE = 60  # one link: 20 a minute
    invitation = invite(make_survey(), client_with_email())
    url = answer_url(invitation)
    statuses = [client.get(url).status_code for _ in range(22)]
    assert statuses[:20] == [200] * 20
    assert statuses[-1] == 429


def test_the_short_link_takes_anonymous_answers_only_when_public(client):
    closed = make_survey(public=False)
    assert client.get(reverse("surveys:short", args=[closed.code])).status_code == 410
    survey = make_survey(public=True)
    question = survey.questions.get()
    url = reverse("surveys:short", args=[survey.code]) + "?channel=chat&lang=uk"
    assert client.post(url, {f"q{question.pk}": "10"}).status_code == 200
    saved = Response.objects.get()
    assert (saved.client_id, saved.channel, saved.language, saved.score) == (None, "chat", "uk", 10)


def test_an_agent_records_answers_from_the_client_card(as_agent, agent):
    survey = make_survey("csat")
    person = ClientFactory()
    question = survey.questions.get()
    card = as_agent.get(reverse("clients:detail", args=[person.pk]))
    assert reverse("surveys:record", args=[person.pk]) in card.content.decode()
    url = reverse("surveys:record", args=[person.pk])
    response = as_agent.post(url, {"survey": survey.pk, "channel": "phone", f"q{question.pk}": "5"})
    assert response.status_code == 302
    saved = Response.objects.get()
    assert (saved.channel, saved.agent_id, saved.recorded_by_id, saved.client_id) == (
        "phone",
        agent.pk,
        agent.pk,
        person.pk,
    )


def test_the_bot_api_posts_answers(manager):
    survey = make_survey("nps")
    question = survey.questions.get()
    api = api_as(manager)
    read = api.get(f"/surveys/{survey.pk}", {"language": "pl"})
    assert read.json()["questions"][0]["text"] == "Czy polecisz nas?"
    body = {"answers": {str(question.pk): 10}, "channel": "messenger"}
    response = api.post(f"/surveys/{survey.pk}/responses", body)
    assert response.status_code == 201, response.content
    for bad in (
        {"answers": {str(question.pk): "7"}},  # a number as text
        {"answers": {str(question.pk): True}},
        {"answers": {str(question.pk): 7}, "client_id": True},
    ):
        refused = api.post(f"/surveys/{survey.pk}/responses", {"channel": "chat", **bad})
        assert refused.status_code == 422, bad
    body = {"answers": {str(question.pk): 12}, "channel": "messenger"}
    response = api.post(f"/surveys/{survey.pk}/responses", body)
    assert response.status_code == 422
    assert Response.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Sending: idempotence, throttling, consent, reminders


def test_without_the_server_address_nothing_is_sent_and_the_retry_can(settings):
    settings.KLIENTO_BASE_URL = ""
    invitation = invite(make_survey(), client_with_email())
    with pytest.raises(inviting.NoAddress):
        inviting.send_invitation(invitation.pk)
    invitation.refresh_from_db()
    assert invitation.status == "pending" and not mail.outbox
    settings.KLIENTO_BASE_URL = "https://kliento.example"
    assert inviting.send_invitation(invitation.pk) == "sent"


def test_sending_twice_mails_once():
    invitation = invite(make_survey(), client_with_email())
    assert inviting.send_invitation(invitation.pk) == "sent"
    assert inviting.send_invitation(invitation.pk) == "taken"
    assert inviting.send_batch([invitation.pk, invitation.pk]) == {"taken": 2}
    assert len(mail.outbox) == 1


def test_a_failed_send_gives_its_claims_back_and_the_retry_sends_once(monkeypatch):
    person = client_with_email()
    invitation = invite(make_survey(), person)

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(inviting.EmailMultiAlternatives, "send", broken)
    with pytest.raises(ConnectionError):
        inviting.send_invitation(invitation.pk)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert LastAsked.objects.get(client=person).asked_at == inviting.EPOCH
    monkeypatch.undo()
    assert inviting.send_invitation(invitation.pk) == "sent"
    assert inviting.send_invitation(invitation.pk) == "taken"
    assert len(mail.outbox) == 1


def test_a_client_is_not_surveyed_again_within_the_quiet_period():
    person = client_with_email()
    first, second = make_survey("nps"), make_survey("csat")
    now = timezone.now()
    assert inviting.send_invitation(invite(first, person).pk, now=now) == "sent"
    blocked = invite(second, person)
    assert inviting.send_invitation(blocked.pk, now=now + dt.timedelta(days=29)) == "quiet period"
    blocked.refresh_from_db()
    assert (blocked.status, blocked.skip_reason) == ("skipped", "quiet period")
    later = invite(second, person)
    assert inviting.send_invitation(later.pk, now=now + dt.timedelta(days=30, minutes=1)) == "sent"
    assert len(mail.outbox) == 2


def test_a_survey_can_shorten_its_quiet_period():
    person = client_with_email()
    now = timezone.now()
    assert inviting.send_invitation(invite(make_survey("nps"), person).pk, now=now) == "sent"
    weekly = make_survey("csat", throttle_days=7)
    early = invite(weekly, person)
    assert inviting.send_invitation(early.pk, now=now + dt.timedelta(days=6)) == "quiet period"
    again = invite(weekly, person)
    assert inviting.send_invitation(again.pk, now=now + dt.timedelta(days=8)) == "sent"


def test_consent_per_channel_is_respected(settings):
    refused = client_with_email("no@example.com")
    ChannelConsent.objects.create(client=refused, channel="email", granted=False)
    silent = client_with_email("silent@example.com")
    granted = client_with_email("yes@example.com")
    ChannelConsent.objects.create(client=granted, channel="email", granted=True)
    survey = make_survey()
    assert inviting.send_invitation(invite(survey, refused).pk) == "no consent"
    settings.KLIENTO_SURVEYS_NEED_CONSENT = True
    assert inviting.send_invitation(invite(survey, silent).pk) == "no consent"
    assert inviting.send_invitation(invite(survey, granted).pk) == "sent"
    assert [m.to for m in mail.outbox] == [["yes@example.com"]]


def test_clients_without_email_or_who_left_are_skipped():
    survey = make_survey()
    assert inviting.send_invitation(invite(survey, ClientFactory()).pk) == "no email"
    gone = client_with_email(status="left", left_on=dt.date(2026, 1, 1))
    assert inviting.send_invitation(invite(survey, gone).pk) == "not a client"


def test_a_reminder_goes_once_and_not_after_an_answer():
    survey = make_survey()
    quiet, answered = client_with_email("a@example.com"), client_with_email("b@example.com")
    now = timezone.now()
    first = invite(survey, quiet)
    second = invite(survey, answered)
    inviting.send_invitation(first.pk, now=now - dt.timedelta(days=4))
    inviting.send_invitation(second.pk, now=now - dt.timedelta(days=4))
    with transaction.atomic():
        answering.submit_invitation(invitation=second, answers={str(survey.questions.get().pk): 9})
    mail.outbox.clear()
    assert inviting.send_reminders(now=now) == 1
    assert inviting.send_reminders(now=now + dt.timedelta(days=5)) == 0
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    assert mail.outbox[0].subject.startswith("Reminder:")


def test_the_same_trigger_event_invites_once_and_a_new_trigger_skips_history():
    person = client_with_email()
    old_purchase = record_purchase(
        actor=None,
        client=person,
        occurred_on=dt.date(2026, 1, 5),
        amount=Decimal("10"),
        currency="EUR",
    )
    survey = make_survey("csat")
    definitions.set_trigger(actor=None, survey=survey, source="purchase")
    assert inviting.poll_sources() == 0  # the purchase made before the trigger is history
    record_purchase(
        actor=None,
        client=person,
        occurred_on=dt.date(2026, 1, 6),
        amount=Decimal("20"),
        currency="EUR",
    )
    assert inviting.poll_sources() == 1
    assert inviting.poll_sources() == 0
    invitation = Invitation.objects.get()
    assert invitation.source == "purchase" and invitation.source_ref != str(old_purchase.pk)
    with transaction.atomic():
        assert fire("purchase", Event(id=int(invitation.source_ref), client_id=person.pk)) == 0


def test_entering_the_watched_journey_stage_invites_the_client_once(manager):
    from kliento.journeys import services as journeys
    from tests.journeys_helpers import make_journey

    _journey, stages = make_journey()
    person = client_with_email()
    other = client_with_email("other@example.com")
    journeys.move_client(actor=manager, client_id=person.pk, to_stage=stages["Awareness"])
    survey = make_survey("csat")
    definitions.set_trigger(
        actor=None, survey=survey, source="stage_entered", target_id=stages["Purchase"].pk
    )
    assert inviting.poll_sources() == 0  # moves made before the trigger are history
    journeys.move_client(actor=manager, client_id=person.pk, to_stage=stages["Purchase"])
    journeys.move_client(actor=manager, client_id=other.pk, to_stage=stages["Awareness"])
    assert inviting.poll_sources() == 1  # only the move into the watched stage
    assert inviting.poll_sources() == 0
    invitation = Invitation.objects.get()
    assert invitation.client_id == person.pk


def test_a_schedule_invites_each_active_client_once_per_period():
    survey = make_survey("nps")
    definitions.set_trigger(actor=None, survey=survey, source="schedule", every_months=6)
    a, b = ClientFactory(), ClientFactory()
    ClientFactory(status="left", left_on=dt.date(2026, 1, 1))
    january = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
    assert inviting.run_schedules(now=january) == 2
    assert inviting.run_schedules(now=january + dt.timedelta(days=40)) == 0  # same half-year
    assert inviting.run_schedules(now=dt.datetime(2026, 7, 2, tzinfo=dt.UTC)) == 2
    assert set(Invitation.objects.values_list("client_id", flat=True)) == {a.pk, b.pk}


def test_a_manual_send_to_a_segment(as_manager):
    segment = SegmentFactory()
    members = [client_with_email(f"m{i}@example.com", segment=segment) for i in range(3)]
    ClientFactory()  # not in the segment
    survey = make_survey()
    response = as_manager.post(
        reverse("surveys:send_segment", args=[survey.pk]), {"segment": segment.pk}
    )
    assert response.status_code == 302
    assert set(Invitation.objects.values_list("client_id", flat=True)) == {c.pk for c in members}
    assert send_invitations.call() == {"sent": 3}
    assert send_invitations.call() == {}


# ---------------------------------------------------------------------------------------------
# The closed loop


@pytest.fixture
def owners(db):
    return {
        name: UserFactory(username=name, role=roles.STAGE_OWNER)
        for name in ("tp_owner", "stage_owner", "agent_x", "account", "survey_owner")
    }


def _poor_answer(survey: Survey, person, owners, **about) -> Response:
    with transaction.atomic():
        return answering.submit_public(
            survey=survey,
            answers={str(survey.questions.get().pk): 3},
            comment="Too slow",
            opened=True,
            about=AboutIds(client_id=person.pk, **about),
        )


def test_a_detractor_opens_a_follow_up_for_the_owner_it_concerns(owners):
    survey = make_survey("nps", actor=owners["survey_owner"])
    person = ClientFactory(account_manager=owners["account"])
    journey = Journey.objects.create(name="Buying")
    stage = Stage.objects.create(
        journey=journey, position=1, name="Order", owner=owners["stage_owner"]
    )
    touchpoint = Touchpoint.objects.create(
        name="Call centre", kind="employee", category="speech", owner=owners["tp_owner"]
    )
    cases = [
        (
            {
                "touchpoint_id": touchpoint.pk,
                "stage_id": stage.pk,
                "agent_id": owners["agent_x"].pk,
            },
            "tp_owner",
            "touchpoint",
        ),
        ({"stage_id": stage.pk, "agent_id": owners["agent_x"].pk}, "stage_owner", "stage"),
        ({"agent_id": owners["agent_x"].pk}, "agent_x", "agent"),
        ({}, "account", "account"),
    ]
    for about, who, reason in cases:
        response = _poor_answer(survey, person, owners, **about)
        follow_up = response.follow_up
        assert (follow_up.owner.username, follow_up.reason) == (who, reason)
        assert follow_up.due_at == pytest.approx(
            response.submitted_at + dt.timedelta(hours=48), abs=dt.timedelta(seconds=5)
        )
        assert Notification.objects.filter(
            recipient=follow_up.owner, kind=loop.FOLLOW_UP_OPENED
        ).exists()
    anonymous = ClientFactory()
    response = _poor_answer(survey, anonymous, owners)
    assert response.follow_up.owner.username == "survey_owner"


@pytest.mark.parametrize(
    ("kind", "options", "score", "opens"),
    [
        ("nps", {}, 6, True),
        ("nps", {}, 7, False),
        ("csat", {}, 2, True),
        ("csat", {}, 3, False),
        ("csat", {"scale": "0-5"}, 0, True),
        ("ces", {"scale": "1-7", "direction": "low_easy"}, 5, True),
        ("ces", {"scale": "1-7", "direction": "low_easy"}, 4, False),
        ("ces", {}, 2, True),
        ("ces", {}, 4, False),
    ],
)
def test_which_answers_open_a_follow_up(owners, kind, options, score, opens):
    survey = make_survey(kind, actor=owners["survey_owner"], **options)
    with transaction.atomic():
        response = answering.submit_public(
            survey=survey, answers={str(survey.questions.get().pk): score}, opened=True
        )
    assert FollowUp.objects.filter(response=response).exists() == opens


def test_an_edited_answer_keeps_one_follow_up(owners):
    survey = make_survey("nps", actor=owners["survey_owner"])
    invitation = invite(survey, ClientFactory())
    question = str(survey.questions.get().pk)
    for score in (2, 1):
        with transaction.atomic():
            answering.submit_invitation(invitation=invitation, answers={question: score})
    assert FollowUp.objects.count() == 1
    assert Response.objects.get().score == 1


def test_the_inner_loop_contact_then_outcome(owners, manager):
    survey = make_survey("nps", actor=owners["survey_owner"])
    follow_up = _poor_answer(survey, ClientFactory(), owners).follow_up
    stranger = UserFactory(username="stranger", role=roles.AGENT)
    with pytest.raises(PermissionDenied):
        loop.record_contact(actor=stranger, follow_up=follow_up, note="Hi")
    with pytest.raises(ValidationError) as caught:
        loop.close_follow_up(actor=follow_up.owner, follow_up=follow_up, outcome="Done")
    assert "outcome" in caught.value.message_dict
    with pytest.raises(ValidationError):
        loop.record_contact(actor=follow_up.owner, follow_up=follow_up, note="  ")
    loop.record_contact(actor=follow_up.owner, follow_up=follow_up, note="Called, apologised")
    closed = loop.close_follow_up(actor=manager, follow_up=follow_up, outcome="Refund given")
    assert (closed.status, closed.closed_by) == ("closed", manager)
    again = loop.close_follow_up(actor=manager, follow_up=follow_up, outcome="Other")
    assert again.outcome == "Refund given"


def test_overdue_follow_ups_are_escalated_once(owners, manager):
    survey = make_survey("nps", actor=owners["survey_owner"])
    owner = _poor_answer(survey, ClientFactory(), owners).follow_up.owner
    later = timezone.now() + dt.timedelta(hours=49)
    assert loop.escalate_overdue(now=timezone.now()) == 0
    assert loop.escalate_overdue(now=later) == 1
    assert loop.escalate_overdue(now=later) == 0
    told = set(
        Notification.objects.filter(kind=loop.FOLLOW_UP_OVERDUE).values_list(
            "recipient__username", flat=True
        )
    )
    assert {owner.username, "manager"} <= told


def test_the_owner_sees_the_new_follow_up_and_works_it(owners, client):
    survey = make_survey("nps", actor=owners["survey_owner"])
    follow_up = _poor_answer(survey, ClientFactory(), owners).follow_up
    client.force_login(follow_up.owner)
    listing = client.get(reverse("surveys:follow_ups"))
    assert "Too slow" in listing.content.decode()
    url = reverse("surveys:follow_up", args=[follow_up.pk])
    assert client.post(url, {"step": "contact", "contact_note": ""}).status_code == 400
    assert client.post(url, {"step": "contact", "contact_note": "Called"}).status_code == 302
    assert client.post(url, {"step": "close", "outcome": "Solved"}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "closed"
    other = UserFactory(username="other-agent", role=roles.AGENT)
    client.force_login(other)
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------------------------
# Who sees what


def test_an_employee_sees_answers_about_their_own_work_only(owners, as_manager, client):
    survey = make_survey("nps", actor=owners["survey_owner"])
    touchpoint = Touchpoint.objects.create(
        name="Shop", kind="business", category="office", owner=owners["tp_owner"]
    )
    question = str(survey.questions.get().pk)
    with transaction.atomic():
        for about, comment in (
            (AboutIds(agent_id=owners["agent_x"].pk), "about agent x"),
            (AboutIds(touchpoint_id=touchpoint.pk), "about the shop"),
            (AboutIds(), "about nobody"),
        ):
            answering.submit_public(
                survey=survey, answers={question: 10}, comment=comment, opened=True, about=about
            )
    url = reverse("surveys:detail", args=[survey.pk])
    client.force_login(owners["agent_x"])
    seen = client.get(url).content.decode()
    assert "about agent x" in seen and "about the shop" not in seen and "about nobody" not in seen
    client.force_login(owners["tp_owner"])
    seen = client.get(url).content.decode()
    assert "about the shop" in seen and "about agent x" not in seen
    seen = as_manager.get(url).content.decode()
    assert all(text in seen for text in ("about agent x", "about the shop", "about nobody"))
    searched = as_manager.get(url, {"q": "shop"}).content.decode()
    assert "about the shop" in searched and "about nobody" not in searched


def test_who_may_define_surveys(as_agent, as_manager, as_outsider):
    assert as_outsider.get(reverse("surveys:list")).status_code == 403
    assert as_agent.get(reverse("surveys:list")).status_code == 200
    assert as_agent.get(reverse("surveys:create")).status_code == 403
    assert as_manager.get(reverse("surveys:create")).status_code == 200


# ---------------------------------------------------------------------------------------------
# Import and export


def test_historical_answers_import_and_export(tmp_path, manager, as_manager):
    survey = make_survey("nps")
    anna = client_with_email("anna@example.com")
    ClientFactory(external_ref="C-7")
    path = write_csv(
        tmp_path,
        [
            ["survey", "date", "client", "score", "comment", "channel"],
            [survey.code, "2024-03-01", "anna@example.com", "9", "Great", "email"],
            [survey.name, "01.04.2024", "C-7", "3", "", "phone"],
        ],
    )
    outcome, errors = do_import(path, "survey-answers", actor=manager)
    assert errors == []
    assert outcome.created == 2
    rows = Response.objects.order_by("submitted_at")
    assert [(r.score, r.channel, r.imported) for r in rows] == [
        (9, "email", True),
        (3, "phone", True),
    ]
    assert rows[0].client_id == anna.pk
    assert not FollowUp.objects.exists()  # history opens no follow-ups
    bad = write_csv(
        tmp_path,
        [
            ["survey", "date", "client", "score"],
            ["nope", "2024-03-01", "anna@example.com", "9"],
            [survey.code, "2024-03-01", "nobody@example.com", "11"],
        ],
        name="bad.csv",
    )
    outcome, errors = do_import(bad, "survey-answers", actor=manager)
    assert {(row, column) for row, column, _m in errors} == {
        (2, "survey"),
        (3, "client"),
        (3, "score"),
    }
    assert Response.objects.count() == 2
    exported = as_manager.get(
        reverse("imports:export", args=["survey-answers"]), {"survey": survey.pk, "format": "csv"}
    )
    assert exported.status_code == 200
    text = (
        b"".join(exported.streaming_content).decode("utf-8-sig")
        if exported.streaming
        else exported.content.decode("utf-8-sig")
    )
    assert "anna" not in text.split("\n")[0]
    assert "C-7" in text and "Great" in text


# ---------------------------------------------------------------------------------------------
# Touchpoints: impressions trigger surveys, answers about a touchpoint become impressions


def test_an_impression_at_a_watched_touchpoint_invites_and_an_answer_becomes_one(owners):
    from kliento.touchpoints import services as touchpoint_services
    from kliento.touchpoints.models import Impression

    watched = Touchpoint.objects.create(
        name="Front desk", kind="employee", category="smile", owner=owners["tp_owner"]
    )
    other = Touchpoint.objects.create(
        name="Website", kind="business", category="website", owner=owners["tp_owner"]
    )
    person = client_with_email()
    survey = make_survey("csat", actor=owners["survey_owner"])
    definitions.set_trigger(actor=None, survey=survey, source="touchpoint", target_id=watched.pk)
    for touchpoint in (watched, other):
        with transaction.atomic():
            touchpoint_services.record_impression(
                actor=owners["tp_owner"],
                touchpoint_id=touchpoint.pk,
                client_id=person.pk,
                sentiment="neutral",
            )
    assert inviting.poll_sources() == 1
    invitation = Invitation.objects.get()
    assert invitation.touchpoint_id == watched.pk
    with transaction.atomic():
        response = answering.submit_invitation(
            invitation=invitation, answers={str(survey.questions.get().pk): 1}, comment="Rude"
        )
    impression = Impression.objects.get(source="survey")
    assert (impression.touchpoint_id, impression.sentiment, impression.text) == (
        watched.pk,
        "negative",
        "Rude",
    )
    assert impression.source_ref == str(response.pk)
    assert response.follow_up.owner == owners["tp_owner"]
    # The survey's own impression does not trigger another survey.
    assert inviting.poll_sources() == 0


def test_merging_duplicates_keeps_answers_and_the_latest_quiet_period(manager):
    from kliento.clients.services import merge_clients

    survey = make_survey()
    kept, duplicate = client_with_email("k@example.com"), client_with_email("d@example.com")
    now = timezone.now()
    for person in (kept, duplicate):
        Invitation.objects.create(
            survey=survey, client=person, channel="email", source="purchase", source_ref="7"
        )
    LastAsked.objects.create(client=kept, asked_at=now - dt.timedelta(days=40))
    LastAsked.objects.create(client=duplicate, asked_at=now - dt.timedelta(days=2))
    merge_clients(actor=manager, survivor=kept, duplicates=[duplicate])
    assert Invitation.objects.filter(client=kept).count() == 2
    assert LastAsked.objects.get().asked_at == now - dt.timedelta(days=2)


def test_the_outer_loop_raises_a_revision_request_on_a_standard(owners, manager, client):
    from kliento.standards import services as standards
    from kliento.standards.models import RevisionRequest

    standard = standards.create_standard(
        actor=manager,
        kind="general",
        title="Delivery times",
        body="We deliver within two days.",
        owner=manager,
        review_on=dt.date.today() + dt.timedelta(days=180),
    )
    survey = make_survey("nps", actor=owners["survey_owner"])
    follow_up = _poor_answer(survey, ClientFactory(), owners).follow_up
    client.force_login(follow_up.owner)
    url = reverse("surveys:follow_up", args=[follow_up.pk])
    assert "Delivery times" in client.get(url).content.decode()
    refused = client.post(url, {"step": "revision", "standard": standard.pk, "reason": ""})
    assert refused.status_code == 400 and not RevisionRequest.objects.exists()
    sent = client.post(
        url, {"step": "revision", "standard": standard.pk, "reason": "Clients wait longer"}
    )
    assert sent.status_code == 302
    request = RevisionRequest.objects.get()
    assert (request.standard_id, request.source, request.raised_by) == (
        standard.pk,
        "survey",
        follow_up.owner,
    )
    assert "Too slow" in request.evidence
    follow_up.refresh_from_db()
    assert follow_up.revision_request_id == request.pk
    with pytest.raises(ValidationError):
        loop.raise_revision(
            actor=follow_up.owner, follow_up=follow_up, standard_id=standard.pk, reason="Again"
        )
    assert RevisionRequest.objects.count() == 1


def test_the_periodic_tick_does_the_rounds(owners):
    survey = make_survey("nps", actor=owners["survey_owner"])
    definitions.set_trigger(actor=None, survey=survey, source="schedule", every_months=12)
    client_with_email()
    from kliento.core.schedule import periodic_jobs
    from kliento.surveys.tasks import surveys_tick

    assert "surveys.tick" in periodic_jobs
    done = surveys_tick.call()
    assert (done["from_schedules"], done["sent"]) == (1, 1)
    again = surveys_tick.call()
    assert (again["from_schedules"], again["sent"]) == (0, 0)


def test_a_question_error_shows_beside_its_field(as_manager):
    data = _form_data(2)
    data["default_language"] = "pl"
    data["q-1-kind"] = "single"
    data["q-1-text_pl"] = "Co?"
    data["q-1-choices_pl"] = "Tylko jedna"
    response = as_manager.post(reverse("surveys:create"), data)
    assert response.status_code == 400
    assert 'id="id_q-1-choices_pl_error"' in response.content.decode()
    assert not Survey.objects.exists()


def test_a_follow_up_threshold_with_an_unknown_kind_and_scale_is_a_field_error(manager):
    # Found by fuzzing: bounds were read from the free-text scale of an unknown kind → 500.
    api = api_as(manager)
    response = api.post(
        "/surveys",
        {
            "name": "Greeting",
            "kind": "new_products",
            "scale": "&j",
            "follow_up_max_score": 3,
            "questions": [{"kind": "scale", "texts": {"en": "How was it?"}}],
        },
    )
    assert response.status_code == 422, response.content
    assert ("body", "payload", "kind") in [tuple(e["loc"]) for e in response.json()["detail"]]
    with pytest.raises(ValidationError) as caught:
        make_survey("nps", scale="1-5", follow_up_max_score=3)
    assert "scale" in caught.value.message_dict
    assert not Survey.objects.exists()
