"""The standards pages and API: who may read, write and see acknowledgements, the home
widgets, the card panel, search, and bad input answered at the field."""

from __future__ import annotations

import datetime as dt

import pytest

from kliento.core import roles
from kliento.journeys.models import ClientStage, Journey, Stage
from kliento.standards import services
from kliento.standards.models import Acknowledgement, RevisionRequest, Standard, StandardVersion
from tests.api_support import api_as, error_locs
from tests.factories import ClientFactory, UserFactory
from tests.standards_support import published

pytestmark = pytest.mark.django_db


def test_every_role_reads_the_book_an_outsider_does_not(manager, as_agent, as_auditor, as_outsider):
    standard, _version = published(by=manager, body="Smile **first**.")
    for http in (as_agent, as_auditor):
        page = http.get(f"/standards/{standard.pk}/")
        assert page.status_code == 200
        assert b"<strong>first</strong>" in page.content
        assert http.get("/standards/").status_code == 200
    assert as_outsider.get("/standards/").status_code == 403
    assert as_outsider.get(f"/standards/{standard.pk}/").status_code == 403


def test_only_managers_write_and_only_they_see_drafts(manager, as_manager, agent, as_agent):
    standard = services.create_standard(
        actor=manager,
        kind="general",
        title="Draft only",
        body="Secret draft",
        owner=manager,
        review_on=dt.date(2030, 1, 1),
    )
    version = standard.versions.get()
    assert as_agent.get(f"/standards/{standard.pk}/").status_code == 404
    assert as_agent.get(f"/standards/{standard.pk}/v/{version.pk}/").status_code == 404
    assert b"Draft only" not in as_agent.get("/standards/").content
    assert as_agent.get("/standards/new/").status_code == 403
    assert as_agent.post(f"/standards/{standard.pk}/v/{version.pk}/submit/").status_code == 403
    assert as_manager.get(f"/standards/{standard.pk}/v/{version.pk}/").status_code == 200
    as_manager.post(f"/standards/{standard.pk}/v/{version.pk}/submit/")
    as_manager.post(f"/standards/{standard.pk}/v/{version.pk}/publish/")
    version.refresh_from_db()
    assert version.status == StandardVersion.Status.PUBLISHED
    assert as_agent.get(f"/standards/{standard.pk}/").status_code == 200


def test_a_manager_creates_a_standard_and_errors_show_beside_the_fields(manager, as_manager):
    bad = as_manager.post(
        "/standards/new/",
        {
            "kind": "communication",
            "title": "",
            "owner": manager.pk,
            "review_on": "2030-01-01",
            "position": 0,
            "body": "Text",
            "scripts": "no heading here",
        },
    )
    assert bad.status_code == 400
    assert b'id="id_title_error"' in bad.content and b'id="id_scripts_error"' in bad.content
    assert not Standard.objects.exists()
    good = as_manager.post(
        "/standards/new/",
        {
            "kind": "communication",
            "title": "Greeting",
            "owner": manager.pk,
            "review_on": "2030-01-01",
            "position": 0,
            "channels": ["phone"],
            "body": "Say hello.",
            "scripts": "### Hello\nRytm, good morning!\n\n### Bye\nSee you in class.",
        },
    )
    standard = Standard.objects.get()
    assert good.status_code == 302 and standard.channels == ["phone"]
    assert [s.title for s in standard.versions.get().scripts.all()] == ["Hello", "Bye"]


def test_an_agent_acknowledges_and_the_manager_sees_the_share(manager, as_manager, agent, as_agent):
    standard, version = published(by=manager)
    before = as_manager.get("/standards/acknowledgements/")
    assert b'<span class="ack-done">0</span>' in before.content
    home = as_agent.get("/")
    assert b"standards-to-read" in home.content and b"Answering the phone" in home.content
    assert as_agent.post(f"/standards/{standard.pk}/acknowledge/").status_code == 302
    assert Acknowledgement.objects.filter(user=agent, version=version).exists()
    assert b"standards-to-read" not in as_agent.get("/").content
    after = as_manager.get("/standards/acknowledgements/")
    assert b'<span class="ack-done">1</span>' in after.content


def test_who_sees_acknowledgements(manager, as_agent, as_auditor, as_manager):
    published(by=manager)
    assert as_agent.get("/standards/acknowledgements/").status_code == 403
    assert as_auditor.get("/standards/acknowledgements/").status_code == 200
    assert as_manager.get("/standards/acknowledgements/").status_code == 200
    # Auditors look but do not send reminders.
    version = StandardVersion.objects.get()
    assert as_auditor.post(f"/standards/versions/{version.pk}/remind/").status_code == 403


def test_the_published_mission_is_on_everyones_home_page(manager, as_agent, as_manager):
    draft = services.start_mission_draft(actor=manager)
    as_agent.post("/standards/mission/contribute/", {"kind": "proposal", "text": "We know you."})
    assert as_agent.post("/standards/mission/publish/").status_code == 403
    proposal = draft.contributions.get()
    as_manager.post(f"/standards/mission/proposals/{proposal.pk}/adopt/")
    as_manager.post("/standards/mission/publish/")
    home = as_agent.get("/")
    assert b'id="mission-text"' in home.content and b"We know you." in home.content
    page = as_agent.get("/standards/mission/")
    assert b"mission-agreed-from" in page.content and b"Adopted" in page.content


def test_a_revision_request_from_the_page(manager, as_agent, as_outsider):
    standard, _version = published(by=manager)
    empty = as_agent.post(f"/standards/{standard.pk}/revision-requests/", {"reason": ""})
    assert empty.status_code == 400 and b"id_reason_error" in empty.content
    as_agent.post(
        f"/standards/{standard.pk}/revision-requests/",
        {"reason": "Clients hang up", "evidence": "3 calls"},
    )
    assert RevisionRequest.objects.get().evidence == "3 calls"
    assert (
        as_outsider.post(
            f"/standards/{standard.pk}/revision-requests/", {"reason": "x"}
        ).status_code
        == 403
    )


def test_the_client_card_shows_the_standards_of_its_stage(manager, as_agent):
    journey = Journey.objects.create(name="Student")
    stage = Stage.objects.create(journey=journey, position=1, name="Trial", owner=manager)
    published(
        by=manager,
        title="After the trial",
        body="Call within 24 hours.",
        stage_ids=[stage.pk],
        scripts=[("Follow-up", "How did you like the class?")],
    )
    client = ClientFactory()
    bare = as_agent.get(f"/clients/{client.pk}/")
    assert b"standards-panel" not in bare.content
    ClientStage.objects.create(
        client=client, journey=journey, stage=stage, entered_at="2026-01-01T10:00Z"
    )
    card = as_agent.get(f"/clients/{client.pk}/")
    assert b"standards-panel" in card.content and b"How did you like the class?" in card.content


def test_the_book_is_in_global_search_and_searchable_within(manager, as_agent):
    published(by=manager, title="Handling a complaint", body="Listen to the end.")
    published(by=manager, title="Dress code", body="Black T-shirt.")
    found = as_agent.get("/search/", {"q": "listen"})
    assert b"Handling a complaint" in found.content
    inside = as_agent.get("/standards/", {"q": "t-shirt"})
    assert b"Dress code" in inside.content and b"Handling a complaint" not in inside.content


def test_diff_page_marks_added_and_removed_lines(manager, as_agent):
    standard, _v1 = published(by=manager, body="Line one\nLine two")
    draft = services.start_revision(actor=manager, standard=standard)
    services.edit_draft(actor=manager, version=draft, body="Line one\nLine 2 <b>x</b>")
    services.submit_for_review(actor=manager, version=draft)
    services.publish(actor=manager, version=draft)
    page = as_agent.get(f"/standards/{standard.pk}/v/{draft.pk}/")
    assert b'data-diff="removed"' in page.content and b'data-diff="added"' in page.content
    assert b"Line 2 &lt;b&gt;x&lt;/b&gt;" in page.content


# ---------------------------------------------------------------------------------------------
# API


def test_api_read_for_staff_write_for_managers(manager, agent, auditor, outsider):
    published(by=manager, body="Hi <script>x()</script>")
    for user in (agent, auditor):
        listed = api_as(user).get("/standards")
        assert listed.status_code == 200
        item = listed.json()[0]
        assert item["published"]["body_html"] == "<p>Hi </p>"
    assert api_as(outsider).get("/standards").status_code == 403
    payload = {
        "kind": "general",
        "title": "Provisions",
        "owner_id": manager.pk,
        "review_on": "2030-01-01",
        "body": "Text",
    }
    assert api_as(agent).post("/standards", payload).status_code == 403
    created = api_as(manager).post("/standards", payload)
    assert created.status_code == 201 and created.json()["published"] is None
    new_id = created.json()["id"]
    assert api_as(agent).get(f"/standards/{new_id}").status_code == 404
    versions = api_as(manager).get(f"/standards/{new_id}/versions").json()
    api = api_as(manager)
    assert api.post(f"/standards/versions/{versions[0]['id']}/publish").status_code == 422
    assert api.post(f"/standards/versions/{versions[0]['id']}/submit").status_code == 200
    assert api.post(f"/standards/versions/{versions[0]['id']}/publish").json()["status"] == (
        "published"
    )


def test_api_bad_input_is_answered_at_the_field(manager):
    api = api_as(manager)
    base = {
        "kind": "general",
        "title": "Provisions",
        "owner_id": manager.pk,
        "review_on": "2030-01-01",
        "body": "Text",
    }
    assert ("body", "payload", "kind") in error_locs(api.post("/standards", base | {"kind": "x"}))
    assert ("body", "payload", "owner_id") in error_locs(
        api.post("/standards", base | {"owner_id": 99999})
    )
    assert ("body", "payload", "roles") in error_locs(
        api.post("/standards", base | {"roles": ["king"]})
    )
    assert api.post("/standards", base | {"review_on": "yesterday"}).status_code == 422
    assert ("body", "payload", "review_on") in error_locs(
        api.post("/standards", base | {"review_on": "2999-01-01"})
    )
    assert api.post("/standards", base | {"owner_id": True}).status_code == 422
    assert api.post("/standards", base | {"body": "a\u0000b"}).status_code == 422
    assert api.post("/standards", raw="{not json").status_code == 400
    assert api.get("/standards/999999").status_code == 404
    assert api.post("/standards/999999/acknowledge").status_code == 404


def test_api_acknowledgements_and_unread(manager, agent, auditor):
    standard, version = published(by=manager)
    assert [u["version_id"] for u in api_as(agent).get("/standards/unread").json()] == [version.pk]
    ack = api_as(agent).post(f"/standards/{standard.pk}/acknowledge")
    assert ack.status_code == 200 and ack.json()["version_id"] == version.pk
    assert api_as(agent).get("/standards/unread").json() == []
    assert api_as(agent).get("/standards/acknowledgements").status_code == 403
    shares = api_as(auditor).get("/standards/acknowledgements").json()
    assert shares[0]["acknowledged"] == 1 and shares[0]["required"] >= 2
    outsider_ish = UserFactory(username="nobody")
    assert api_as(outsider_ish).post(f"/standards/{standard.pk}/acknowledge").status_code == 403


def test_api_applicable_needs_client_access_for_a_client(manager, agent, auditor):
    journey = Journey.objects.create(name="Student")
    stage = Stage.objects.create(journey=journey, position=1, name="Trial", owner=manager)
    published(by=manager, stage_ids=[stage.pk], scripts=[("Hi", "Hello!")])
    client = ClientFactory()
    ClientStage.objects.create(
        client=client, journey=journey, stage=stage, entered_at="2026-01-01T10:00Z"
    )
    found = api_as(agent).get("/standards/applicable", {"client_id": client.pk})
    assert found.status_code == 200 and found.json()[0]["scripts"][0]["text"] == "Hello!"
    assert api_as(agent).get("/standards/applicable", {"client_id": 999999}).status_code == 404
    assert api_as(agent).get("/standards/applicable", {"client_id": "x"}).status_code == 422
    # Roles without client access cannot read a client's stages through this door.
    stage_owner = UserFactory(username="so", role=roles.STAGE_OWNER)
    if not stage_owner.has_perm("clients.view_client"):
        assert (
            api_as(stage_owner).get("/standards/applicable", {"client_id": client.pk}).status_code
            == 403
        )


def test_the_remind_button_queues_the_worker_which_reminds_the_unread(
    manager, as_manager, agent, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from kliento.core.models import Notification
    from kliento.standards.tasks import remind_unread

    _standard, version = published(by=manager, roles=[roles.AGENT])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(f"/standards/versions/{version.pk}/remind/")
    assert response.status_code == 302
    queued = DBTaskResult.objects.get(task_path="kliento.standards.tasks.remind_unread")
    assert not Notification.objects.filter(kind=services.REMINDER).exists()
    args = queued.args_kwargs["args"]
    assert remind_unread.call(*args) == 1
    assert remind_unread.call(*args) == 0  # a retried task reminds nobody twice
    assert Notification.objects.get(kind=services.REMINDER).recipient == agent


def test_an_owner_sees_overdue_and_questioned_standards_on_the_home_page(
    manager, as_manager, agent
):
    published(by=manager, title="Late", review_on=dt.date(2020, 1, 1))
    asked, _v = published(by=manager, title="Asked", review_on=dt.date(2099, 1, 1))
    published(by=manager, title="Quiet", review_on=dt.date(2099, 1, 1))
    services.raise_revision_request(actor=agent, standard_id=asked.pk, reason="Did not work")
    home = as_manager.get("/").content.decode()
    widget = home[home.index('id="standards-owned"') :]
    widget = widget[: widget.index("</ul>")]
    assert "Late" in widget and "Asked" in widget and "Quiet" not in widget
    assert "1 revision request" in widget
