"""The standards book: the version life cycle, acknowledgements, reminders, revision requests,
review dates, the mission, the applicable-standards selector and safe rendering."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kliento.core import roles
from kliento.core.models import AuditEntry, Notification, OrgUnit, StaffProfile
from kliento.journeys.models import ClientStage, Journey, Stage
from kliento.standards import selectors, services
from kliento.standards.models import (
    Acknowledgement,
    Mission,
    RevisionRequest,
    StandardVersion,
)
from kliento.touchpoints.models import Touchpoint
from tests.factories import ClientFactory, UserFactory
from tests.standards_support import published

pytestmark = pytest.mark.django_db
Status = StandardVersion.Status


# ---------------------------------------------------------------------------------------------
# Versions


def test_a_version_goes_draft_review_published_superseded(manager):
    standard = services.create_standard(
        actor=manager,
        kind="principles",
        title="We answer",
        body="Same day.",
        owner=manager,
        review_on=dt.date(2030, 1, 1),
    )
    first = standard.versions.get()
    assert first.status == Status.DRAFT
    # Not yet reviewed: cannot be published.
    with pytest.raises(ValidationError):
        services.publish(actor=manager, version=first)
    services.submit_for_review(actor=manager, version=first)
    # In review: no longer editable, and can go back to draft.
    with pytest.raises(ValidationError):
        services.edit_draft(actor=manager, version=first, body="Changed")
    services.return_to_draft(actor=manager, version=first)
    services.edit_draft(actor=manager, version=first, body="Within one working day.")
    services.submit_for_review(actor=manager, version=first)
    services.publish(actor=manager, version=first)
    first.refresh_from_db()
    assert first.status == Status.PUBLISHED and first.published_by == manager

    second = services.start_revision(actor=manager, standard=standard)
    assert (second.number, second.body) == (2, "Within one working day.")
    # One open version at a time.
    with pytest.raises(ValidationError):
        services.start_revision(actor=manager, standard=standard)
    services.edit_draft(
        actor=manager,
        version=second,
        body="Within one working day.\nMissed calls: within two hours.",
        change_note="Missed calls",
    )
    services.submit_for_review(actor=manager, version=second)
    services.publish(actor=manager, version=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.SUPERSEDED and first.superseded_at is not None
    assert second.status == Status.PUBLISHED
    # A published or superseded version cannot go back.
    for version in (first, second):
        with pytest.raises(ValidationError):
            services.return_to_draft(actor=manager, version=version)
        with pytest.raises(ValidationError):
            services.submit_for_review(actor=manager, version=version)

    rows = selectors.diff(first, second)
    assert [(r.kind, r.text) for r in rows if r.kind != "same"] == [
        ("added", "Missed calls: within two hours.")
    ]
    actions = set(selectors.history(standard).values_list("action", flat=True))
    assert {services.CREATED, services.EDITED, services.PUBLISHED, services.DRAFTED} <= actions
    assert all(e.actor == manager for e in selectors.history(standard))


def test_the_database_refuses_two_published_versions(manager):
    standard, _version = published(by=manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        StandardVersion.objects.create(
            standard=standard, number=2, body="x", status=Status.PUBLISHED
        )


def test_changing_a_standard_is_audited_with_what_changed(manager, agent):
    standard, _version = published(by=manager)
    services.update_standard(
        actor=manager,
        standard=standard,
        title="Answering calls",
        owner=agent,
        review_on=dt.date(2031, 1, 1),
        channels=["phone"],
    )
    entry = AuditEntry.objects.get(action=services.CHANGED)
    assert entry.changes["title"] == ["Answering the phone", "Answering calls"]
    assert entry.changes["owner_id"] == [manager.pk, agent.pk]
    assert entry.changes["channels"] == [[], ["phone"]]
    assert "review_on" in entry.changes and "roles" not in entry.changes


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"review_on": None}, "review_on"),
        ({"roles": ["boss"]}, "roles"),
        ({"channels": ["pigeon"]}, "channels"),
        ({"scripts": [("Greeting", "  ")]}, "scripts"),
        ({"unit_ids": [987654]}, "units"),
        ({"stage_ids": [987654]}, "stages"),
        ({"touchpoint_ids": [987654]}, "touchpoints"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(manager, fields, error):
    values = {
        "kind": "general",
        "title": "Provisions",
        "body": "Text.",
        "owner": manager,
        "review_on": dt.date(2030, 1, 1),
    } | fields
    with pytest.raises(ValidationError) as caught:
        services.create_standard(actor=manager, **values)
    assert error in caught.value.message_dict
    assert not StandardVersion.objects.exists()


def test_a_title_is_unique_within_a_section(manager):
    published(by=manager, title="Pass", kind="glossary")
    with pytest.raises(ValidationError) as caught:
        published(by=manager, title="pass", kind="glossary")
    assert "title" in caught.value.message_dict
    published(by=manager, title="Pass", kind="general")  # another section: fine


def test_an_inactive_owner_is_refused(manager):
    gone = UserFactory(username="gone", is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.create_standard(
            actor=manager,
            kind="general",
            title="X",
            body="Y",
            owner=gone,
            review_on=dt.date(2030, 1, 1),
        )
    assert "owner" in caught.value.message_dict


# ---------------------------------------------------------------------------------------------
# Audience and acknowledgements


@pytest.fixture
def org(db):
    company = OrgUnit.objects.create(name="Rytm", kind=OrgUnit.Kind.COMPANY)
    service = OrgUnit.objects.create(name="Service", kind=OrgUnit.Kind.DEPARTMENT, parent=company)
    front = OrgUnit.objects.create(name="Front desk", kind=OrgUnit.Kind.TEAM, parent=service)
    sales = OrgUnit.objects.create(name="Sales", kind=OrgUnit.Kind.TEAM, parent=service)
    return {"company": company, "service": service, "front": front, "sales": sales}


def _member(username: str, role: str, unit: OrgUnit):
    user = UserFactory(username=username, role=role)
    StaffProfile.objects.create(user=user, unit=unit)
    return user


def test_acknowledgement_follows_the_published_version(manager, org):
    olena = _member("olena", roles.AGENT, org["front"])
    standard, first = published(by=manager)
    assert [v.pk for v in selectors.unread_for(olena)] == [first.pk]
    services.acknowledge(actor=olena, version=first)
    services.acknowledge(actor=olena, version=first)  # again: unchanged
    assert Acknowledgement.objects.filter(user=olena).count() == 1
    assert selectors.unread_for(olena) == []

    second = services.start_revision(actor=manager, standard=standard)
    # A draft cannot be acknowledged, nor a version in review.
    with pytest.raises(ValidationError):
        services.acknowledge(actor=olena, version=second)
    services.submit_for_review(actor=manager, version=second)
    with pytest.raises(ValidationError):
        services.acknowledge(actor=olena, version=second)
    services.publish(actor=manager, version=second)
    # A new version must be read again; the old one can no longer be acknowledged.
    assert [v.pk for v in selectors.unread_for(olena)] == [second.pk]
    with pytest.raises(ValidationError):
        services.acknowledge(actor=UserFactory(username="late", role=roles.AGENT), version=first)
    # Everyone it applies to was told when it was published.
    assert Notification.objects.filter(recipient=olena, kind=services.TO_READ).count() == 2


def test_the_audience_is_chosen_by_role_and_team(manager, org, outsider):
    olena = _member("olena", roles.AGENT, org["front"])
    iryna = _member("iryna", roles.AGENT, org["sales"])
    piotr = _member("piotr", roles.STAGE_OWNER, org["sales"])
    front_only, front_version = published(by=manager, title="Front", unit_ids=[org["front"].pk])
    agents, agents_version = published(by=manager, title="Agents", roles=[roles.AGENT])
    # A department includes its teams.
    service_agents, _v = published(
        by=manager, title="Service agents", roles=[roles.AGENT], unit_ids=[org["service"].pk]
    )
    assert set(selectors.audience(front_only)) == {olena}
    assert set(selectors.audience(agents)) == {olena, iryna}
    assert set(selectors.audience(service_agents)) == {olena, iryna}
    assert outsider not in set(selectors.audience(published(by=manager, title="All")[0]))
    with pytest.raises(ValidationError):
        services.acknowledge(actor=piotr, version=front_version)
    with pytest.raises(ValidationError):
        services.acknowledge(actor=outsider, version=agents_version)

    services.acknowledge(actor=olena, version=agents_version)
    shares = {
        s.version.standard.title: (s.done, s.required) for s in selectors.acknowledgement_shares()
    }
    assert shares["Agents"] == (1, 2)
    assert shares["Front"] == (0, 1)
    teams = {row.unit.name: row for row in selectors.teams_unread()}
    assert (teams["Sales"].people, teams["Sales"].with_unread) == (2, 2)
    people = {row.user.username: row for row in selectors.people_unread(org["front"].pk)}
    assert set(people) == {"olena"}
    assert {v.standard.title for v in people["olena"].unread} == {"Front", "Service agents", "All"}


def test_reminders_go_to_the_unread_once_per_interval(manager, org):
    olena = _member("olena", roles.AGENT, org["front"])
    jakub = _member("jakub", roles.AGENT, org["front"])
    _standard, version = published(by=manager, roles=[roles.AGENT])
    services.acknowledge(actor=olena, version=version)
    assert services.send_reminders(version_id=version.pk) == 1
    assert services.send_reminders(version_id=version.pk) == 0  # claimed: nobody twice
    later = version.published_at + services.REMIND_EVERY + dt.timedelta(hours=1)
    assert services.send_reminders(version_id=version.pk, now=later) == 1
    reminded = Notification.objects.filter(kind=services.REMINDER)
    assert set(reminded.values_list("recipient__username", flat=True)) == {"jakub"}
    assert reminded.count() == 2
    assert jakub in selectors.audience(version.standard)


def test_automatic_reminders_three_days_after_publication_then_weekly(manager, org):
    olena = _member("olena", roles.AGENT, org["front"])
    _standard, version = published(by=manager, roles=[roles.AGENT])
    day = dt.timedelta(days=1)
    start = version.published_at
    assert services.send_due_reminders(now=start + 2 * day) == 0  # too early
    assert services.send_due_reminders(now=start + 3 * day) == 1
    assert services.send_due_reminders(now=start + 4 * day) == 0  # reminded this week
    assert services.send_due_reminders(now=start + 10 * day) == 1
    services.acknowledge(actor=olena, version=version)
    assert services.send_due_reminders(now=start + 20 * day) == 0  # nobody left unread


def test_a_draft_is_never_reminded(manager, agent):
    standard = services.create_standard(
        actor=manager,
        kind="general",
        title="X",
        body="Y",
        owner=manager,
        review_on=dt.date(2030, 1, 1),
    )
    assert services.send_reminders(version_id=standard.versions.get().pk) == 0


# ---------------------------------------------------------------------------------------------
# Revision requests and review dates


def test_a_revision_request_reaches_the_owner(manager, agent):
    standard, _version = published(by=manager)
    request = services.raise_revision_request(
        actor=agent, standard_id=standard.pk, reason="Callers hang up", evidence="5 complaints"
    )
    assert Notification.objects.filter(recipient=manager, kind=services.REVISION_NOTICE).exists()
    # Another module raises one without a person.
    by_quality = services.raise_revision_request(
        actor=None, standard_id=standard.pk, reason="Kept but did not work", source="quality"
    )
    assert by_quality.source == "quality" and by_quality.raised_by is None
    assert selectors.open_revision_requests(standard).count() == 2
    services.resolve_revision_request(actor=manager, request=request, accepted=True, answer="Yes")
    with pytest.raises(ValidationError):
        services.resolve_revision_request(actor=manager, request=request, accepted=False)
    assert RevisionRequest.objects.get(pk=request.pk).status == "accepted"


def test_a_revision_request_needs_a_reason_and_a_real_standard(manager, agent):
    standard, _version = published(by=manager)
    with pytest.raises(ValidationError) as caught:
        services.raise_revision_request(actor=agent, standard_id=standard.pk, reason="  ")
    assert "reason" in caught.value.message_dict
    with pytest.raises(services.StandardNotFound):
        services.raise_revision_request(actor=agent, standard_id=999999, reason="Why")
    assert not RevisionRequest.objects.exists()


def test_overdue_reviews_are_flagged(manager):
    late, _v = published(by=manager, title="Late", review_on=dt.date(2020, 1, 1))
    published(by=manager, title="Fine", review_on=dt.date(2099, 1, 1))
    assert list(selectors.overdue_reviews()) == [late]
    assert late.review_overdue()


# ---------------------------------------------------------------------------------------------
# The mission


def test_the_mission_is_discussed_then_published(manager, agent, auditor):
    draft = services.start_mission_draft(actor=manager, criteria="Short. About the client.")
    assert services.start_mission_draft(actor=manager) == draft  # one discussion at a time
    services.contribute(actor=agent, mission=draft, kind="comment", text="Too long")
    first = services.contribute(actor=agent, mission=draft, kind="proposal", text="We know you.")
    chosen = services.contribute(
        actor=auditor, mission=draft, kind="proposal", text="Every visit worth coming back for."
    )
    with pytest.raises(ValidationError):
        services.contribute(actor=agent, mission=draft, kind="proposal", text=" ")
    services.adopt_proposal(actor=manager, proposal=first)
    services.adopt_proposal(actor=manager, proposal=chosen)
    draft.refresh_from_db()
    assert draft.text == "Every visit worth coming back for."
    assert list(draft.contributions.filter(adopted=True)) == [chosen]
    services.publish_mission(actor=manager, mission=draft)
    assert selectors.current_mission() == draft
    # The next round starts from the published text and supersedes it when published.
    second = services.start_mission_draft(actor=manager)
    assert second.text == draft.text
    services.edit_mission(actor=manager, mission=second, text="We keep our word.", criteria="")
    services.publish_mission(actor=manager, mission=second)
    assert Mission.objects.get(pk=draft.pk).status == Mission.Status.SUPERSEDED
    with pytest.raises(ValidationError):
        services.contribute(actor=agent, mission=second, kind="comment", text="Late")


def test_an_empty_mission_cannot_be_published(manager):
    draft = services.start_mission_draft(actor=manager)
    with pytest.raises(ValidationError):
        services.publish_mission(actor=manager, mission=draft)


# ---------------------------------------------------------------------------------------------
# Standards where work happens


@pytest.fixture
def journey(manager):
    journey = Journey.objects.create(name="Student")
    stages = [
        Stage.objects.create(journey=journey, position=i, name=name, owner=manager)
        for i, name in enumerate(["Trial", "Pass", "Renewal"], start=1)
    ]
    desk = Touchpoint.objects.create(
        name="Front desk", kind="business", category="office", owner=manager
    )
    site = Touchpoint.objects.create(
        name="Website", kind="business", category="website", owner=manager
    )
    return {"stages": stages, "desk": desk, "site": site}


def _titles(found) -> set[str]:
    return {item.title for item in found.standards}


def test_applicable_standards_by_stage_touchpoint_and_channel(manager, journey):
    trial, pass_, _renewal = journey["stages"]
    desk, site = journey["desk"], journey["site"]
    published(by=manager, title="Book-wide")  # tied to nothing: in the book only
    published(
        by=manager,
        title="Trial follow-up",
        stage_ids=[trial.pk],
        scripts=[("After the class", "How did you like it?")],
    )
    published(by=manager, title="Trial at the desk", stage_ids=[trial.pk], touchpoint_ids=[desk.pk])
    published(by=manager, title="Trial by phone", stage_ids=[trial.pk], channels=["phone"])
    published(by=manager, title="Desk manners", touchpoint_ids=[desk.pk])
    published(by=manager, title="Emails", channels=["email"])
    published(by=manager, title="Pass renewals", stage_ids=[pass_.pk])
    draft_only = services.create_standard(
        actor=manager,
        kind="rules",
        title="Unpublished",
        body="x",
        owner=manager,
        review_on=dt.date(2030, 1, 1),
        stage_ids=[trial.pk],
    )
    assert draft_only.pk

    client = ClientFactory()
    ClientStage.objects.create(
        client=client, journey=trial.journey, stage=trial, entered_at="2026-01-01T10:00Z"
    )
    # The card: the client's stage, any touchpoint or channel.
    on_card = selectors.applicable(client_id=client.pk)
    assert _titles(on_card) == {"Trial follow-up", "Trial at the desk", "Trial by phone"}
    assert [s.title for s in on_card.scripts] == ["After the class"]
    assert selectors.script(on_card.scripts[0].id).text == "How did you like it?"
    # At the desk: the stage's rules not tied elsewhere, plus the desk's own.
    assert _titles(selectors.applicable(client_id=client.pk, touchpoint_id=desk.pk)) == {
        "Trial follow-up",
        "Trial at the desk",
        "Trial by phone",
        "Desk manners",
    }
    # On the website: the desk's rule is left out.
    assert _titles(selectors.applicable(client_id=client.pk, touchpoint_id=site.pk)) == {
        "Trial follow-up",
        "Trial by phone",
    }
    # Replying by e-mail: the phone rule is left out, the e-mail one comes in.
    assert _titles(selectors.applicable(client_id=client.pk, channel="email")) == {
        "Trial follow-up",
        "Trial at the desk",
        "Emails",
    }
    # No client (stages unknown, so any): the desk's rules, whatever their stage; a client on
    # no journey: nothing tied to stages.
    assert _titles(selectors.applicable(touchpoint_id=desk.pk)) == {
        "Desk manners",
        "Trial at the desk",
    }
    assert _titles(selectors.applicable(client_id=ClientFactory().pk)) == set()
    assert _titles(selectors.applicable()) == set()


def test_editing_a_draft_keeps_its_scripts_unless_given(manager):
    standard, _version = published(by=manager, scripts=[("Hello", "Rytm, good morning")])
    draft = services.start_revision(actor=manager, standard=standard)
    services.edit_draft(actor=manager, version=draft, body="New text")
    assert [s.title for s in draft.scripts.all()] == ["Hello"]
    services.edit_draft(actor=manager, version=draft, body="New text", scripts=[])
    assert not draft.scripts.exists()


def test_a_superseded_scripts_id_is_no_longer_served(manager):
    standard, version = published(by=manager, scripts=[("Hello", "Rytm, good morning")])
    script_id = version.scripts.get().pk
    assert selectors.script(script_id) is not None
    draft = services.start_revision(actor=manager, standard=standard)
    services.submit_for_review(actor=manager, version=draft)
    services.publish(actor=manager, version=draft)
    assert selectors.script(script_id) is None
    assert selectors.published_standards([standard.pk])[0].scripts[0].text == "Rytm, good morning"


# ---------------------------------------------------------------------------------------------
# Rendering: Markdown sanitised, glossary terms explained safely


def test_script_injection_in_a_standards_text_is_neutralised(manager):
    body = (
        "Hello <script>alert(1)</script> **bold**\n\n"
        '<img src=x onerror="alert(2)"> [link](javascript:alert(3))\n\n'
        '<a href="#" onclick="alert(4)">x</a>'
    )
    html = str(selectors.render_text(body, terms={}))
    assert "<strong>bold</strong>" in html
    for bad in ("<script", "onerror", "javascript:", "onclick", "<img"):
        assert bad not in html


def test_glossary_terms_are_explained_once_and_safely(manager):
    published(
        by=manager,
        kind="glossary",
        title="Pass",
        body='A set of classes "valid" 30 days <script>alert(1)</script>.',
    )
    published(by=manager, kind="glossary", title="Trial class", body="The first, free class.")
    terms = selectors.glossary_terms()
    assert terms["Pass"] == 'A set of classes "valid" 30 days .'
    html = str(
        selectors.render_text(
            "Offer a trial class, then a pass. A pass again. `pass` in code, [pass](https://x.example).",
            terms=terms,
        )
    )
    assert html.count("<abbr") == 2
    assert (
        '<abbr class="glossary-term" title="A set of classes &quot;valid&quot; 30 days .">'
        "pass</abbr>" in html
    )
    assert '<abbr class="glossary-term" title="The first, free class.">trial class</abbr>' in html
    assert "<code>pass</code>" in html and ">pass</a>" in html
    # A definition trying to break out of the attribute stays inside it.
    hostile = {"term": '"><script>alert(1)</script>'}
    out = str(selectors.render_text("A term here & <b>there</b>", terms=hostile))
    assert "<script" not in out and "&quot;&gt;&lt;script&gt;" in out
    assert "&amp;" in out


def test_a_glossary_entry_does_not_explain_itself(manager):
    out = str(selectors.render_text("Pass: a set of classes.", terms={"Pass": "x"}, skip="Pass"))
    assert "<abbr" not in out


def test_someone_who_left_has_nothing_to_read(manager):
    published(by=manager)
    left = UserFactory(username="left", is_active=False, role=roles.AGENT)
    assert selectors.unread_for(left) == []
    assert selectors.unread_for(UserFactory(username="stays", role=roles.AGENT)) != []


def test_the_api_document_describes_a_standard_version_as_sent():
    # Policy once had its own `VersionOut`; OpenAPI keys schemas by name, so the document
    # described a standard's versions with the policy's fields (found by fuzzing).
    from kliento.api import api

    document = api.get_openapi_schema()
    get_one = document["paths"]["/api/v1/standards/{standard_id}"]["get"]
    ref = get_one["responses"][200]["content"]["application/json"]["schema"]["$ref"]
    standard = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    published_ref = standard["properties"]["published"]["anyOf"][0]["$ref"]
    version = document["components"]["schemas"][published_ref.rsplit("/", 1)[1]]
    assert {"standard_id", "body", "body_html", "scripts"} <= set(version["required"])
    assert "policy_id" not in version["properties"]
