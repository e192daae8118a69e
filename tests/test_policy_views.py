"""The service policy's pages and API: who may read and write what, bad input answered at the
field (form) or as JSON 422 with nothing written, the escalation JSON document, the pilot
badge on the client card."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kliento.core import roles
from kliento.policy import services
from kliento.policy.models import Feedback, Goal, Pilot, Policy, Procedure
from tests.api_support import api_as
from tests.factories import ClientFactory, UserFactory
from tests.policy_support import draft_policy, published_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(manager):
    """Published v1, and a draft v2."""
    found = published_policy(manager)
    services.start_revision(actor=manager, policy=found)
    return found


def _draft(policy):
    return policy.versions.get(status="draft")


# ---------------------------------------------------------------------------------------------
# Pages: who sees what


def test_staff_read_the_published_policy_only(
    policy, as_agent, as_auditor, as_outsider, as_manager
):
    detail = reverse("policy:detail", args=[policy.pk])
    draft_page = reverse("policy:version", args=[policy.pk, _draft(policy).pk])
    assert as_agent.get(detail).status_code == 200
    assert as_agent.get(draft_page).status_code == 404
    assert as_auditor.get(draft_page).status_code == 200
    assert as_manager.get(draft_page).status_code == 200
    assert as_outsider.get(detail).status_code == 403
    assert as_outsider.get(reverse("policy:list")).status_code == 403


def test_a_policy_never_published_is_hidden_from_agents(manager, as_agent, as_auditor):
    found = draft_policy(manager, title="Secret")
    assert as_agent.get(reverse("policy:detail", args=[found.pk])).status_code == 404
    assert "Secret" not in as_agent.get(reverse("policy:list")).content.decode()
    assert "Secret" in as_auditor.get(reverse("policy:list")).content.decode()


def test_only_managers_write(policy, as_agent, as_auditor, as_manager):
    draft = _draft(policy)
    goal = draft.goals.get()
    for http in (as_agent, as_auditor):
        assert http.get(reverse("policy:create")).status_code == 403
        assert http.post(reverse("policy:publish", args=[policy.pk, draft.pk])).status_code == 403
        assert http.get(reverse("policy:goal_edit", args=[policy.pk, goal.pk])).status_code == 403
        assert http.post(reverse("policy:revise", args=[policy.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
    response = as_manager.post(reverse("policy:publish", args=[policy.pk, draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"


def test_auditors_see_who_has_read_what_but_cannot_remind(policy, as_auditor, as_agent):
    assert as_auditor.get(reverse("policy:acknowledgements")).status_code == 200
    assert as_agent.get(reverse("policy:acknowledgements")).status_code == 403
    version = policy.versions.get(status="published")
    assert as_auditor.post(reverse("policy:remind", args=[version.pk])).status_code == 403


def test_an_agent_acknowledges_and_the_share_goes_up(policy, agent, as_agent, as_manager):
    version = policy.versions.get(status="published")

    def done() -> str:
        page = as_manager.get(reverse("policy:acknowledgements")).content.decode()
        row = page.split(f'data-version="{version.pk}"', 1)[1]
        return row.split('class="ack-done">', 1)[1].split("<", 1)[0]

    before = done()
    response = as_agent.post(reverse("policy:acknowledge", args=[policy.pk]))
    assert response.status_code == 302
    assert int(done()) == int(before) + 1
    assert version.acknowledgements.filter(user=agent).exists()
    assert (
        "You have acknowledged this version."
        in as_agent.get(reverse("policy:detail", args=[policy.pk])).content.decode()
    )


# ---------------------------------------------------------------------------------------------
# Forms: bad input beside its field


def _procedure_post(**levels):
    data = {
        "title": "Call back",
        "description": "Call the client back.",
        "channels": ["phone"],
        "levels-TOTAL_FORMS": "3",
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "10",
    }
    data.update(levels)
    return data


def test_procedure_form_saves_a_valid_list(policy, manager, as_manager):
    goal = _draft(policy).goals.get()
    url = reverse("policy:procedure_create", args=[policy.pk, goal.pk])
    assert as_manager.get(url).status_code == 200
    response = as_manager.post(
        url,
        _procedure_post(
            **{
                "levels-0-who": "role:agent",
                "levels-0-after_minutes": "0",
                "levels-0-notify": ["in_app"],
                "levels-1-who": f"person:{manager.pk}",
                "levels-1-after_minutes": "45",
                "levels-1-notify": ["email"],
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = goal.procedures.get(title="Call back")
    assert [(lv.number, lv.kind, lv.after_minutes) for lv in created.levels.all()] == [
        (1, "role", 0),
        (2, "person", 45),
    ]


def test_procedure_form_shows_level_errors_and_writes_nothing(policy, as_manager):
    goal = _draft(policy).goals.get()
    url = reverse("policy:procedure_create", args=[policy.pk, goal.pk])
    response = as_manager.post(
        url,
        _procedure_post(
            **{
                "levels-0-who": "role:agent",
                "levels-0-after_minutes": "30",
                "levels-0-notify": ["in_app"],
                "levels-1-who": "",
                "levels-1-after_minutes": "20",
                "levels-1-notify": ["in_app"],
            }
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="level-errors"' in page
    assert "Level 2: choose a role, a team or a person." in page
    assert "must be later than the level before" in page
    assert not Procedure.objects.filter(title="Call back").exists()


def test_procedure_form_refuses_a_missing_channel_beside_the_field(policy, as_manager):
    goal = _draft(policy).goals.get()
    url = reverse("policy:procedure_create", args=[policy.pk, goal.pk])
    data = _procedure_post(**{"levels-0-who": "role:agent", "levels-0-after_minutes": "0"})
    data["channels"] = []
    response = as_manager.post(url, data)
    assert response.status_code == 400
    assert 'id="id_channels_error"' in response.content.decode()


def test_goal_form_errors_beside_fields(policy, manager, as_manager):
    url = reverse("policy:goal_create", args=[policy.pk, _draft(policy).pk])
    response = as_manager.post(url, {"kind": "custom", "metric_target": "lots"})
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("mission_link", "owner", "metric_name", "metric_target"):
        assert f'id="id_{field}_error"' in page
    response = as_manager.post(
        url,
        {
            "kind": "custom",
            "title": "",
            "mission_link": "It helps.",
            "owner": manager.pk,
            "metric_name": "NPS",
            "metric_target": "40",
        },
    )
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()
    assert Goal.objects.filter(version=_draft(policy)).count() == 1


def test_pilot_form_refuses_bad_client_numbers_and_dates(policy, agent, as_manager):
    url = reverse("policy:pilot_create", args=[policy.pk, _draft(policy).pk])
    response = as_manager.post(
        url,
        {"starts_on": "2026-03-01", "ends_on": "2026-02-01", "staff": [agent.pk], "clients": "12x"},
    )
    assert response.status_code == 400
    assert 'id="id_clients_error"' in response.content.decode()
    response = as_manager.post(
        url, {"starts_on": "2026-03-01", "ends_on": "2026-02-01", "staff": [agent.pk]}
    )
    assert response.status_code == 400
    assert 'id="id_ends_on_error"' in response.content.decode()
    assert not Pilot.objects.exists()


def test_feedback_form(policy, agent, as_agent):
    url = reverse("policy:feedback", args=[policy.pk])
    assert as_agent.post(url, {"aspect": "response_speed", "text": ""}).status_code == 400
    response = as_agent.post(url, {"aspect": "response_speed", "text": "Too slow on Fridays"})
    assert response.status_code == 302
    found = Feedback.objects.get()
    assert (found.source, found.recorded_by, found.version.status) == ("staff", agent, "published")


# ---------------------------------------------------------------------------------------------
# The client card


def test_the_client_card_shows_the_pilot_badge(policy, manager, agent, as_agent, as_manager):
    client = ClientFactory()
    pilot = services.create_pilot(
        actor=manager,
        version=_draft(policy),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=7),
        staff_ids=[agent.pk],
    )
    card = reverse("clients:detail", args=[client.pk])
    assert 'id="policy-pilot-badge"' not in as_agent.get(card).content.decode()
    # A manager can put the client in the pilot from the card.
    assert 'id="policy-pilot-join"' in as_manager.get(card).content.decode()
    response = as_manager.post(reverse("policy:pilot_join", args=[pilot.pk]), {"client": client.pk})
    assert response.status_code == 302
    services.start_pilot(actor=manager, pilot=pilot)
    assert 'id="policy-pilot-badge"' in as_agent.get(card).content.decode()
    assert (
        as_agent.post(
            reverse("policy:pilot_join", args=[pilot.pk]), {"client": client.pk}
        ).status_code
        == 403
    )


def test_the_home_page_flags_an_overdue_review_to_its_owner(policy, as_manager, as_agent):
    Policy.objects.filter(pk=policy.pk).update(review_due_on=dt.date(2020, 1, 1))
    assert 'id="policy-attention"' in as_manager.get("/").content.decode()
    assert 'id="policy-attention"' not in as_agent.get("/").content.decode()
    assert 'id="policies-to-read"' in as_agent.get("/").content.decode()


# ---------------------------------------------------------------------------------------------
# API


def test_api_permissions(policy, manager, agent, auditor, outsider):
    draft = _draft(policy)
    goal = draft.goals.get()
    body = {
        "title": "Chat first",
        "description": "Answer chat within 5 minutes.",
        "channels": ["chat"],
        "levels": [{"after_minutes": 0, "role": "agent"}],
    }
    for user in (agent, auditor, outsider):
        assert api_as(user).post(f"/policy-goals/{goal.pk}/procedures", body).status_code == 403
    assert api_as(outsider).get("/policies").status_code == 403
    assert api_as(agent).get(f"/policy-versions/{draft.pk}").status_code == 404
    assert api_as(auditor).get(f"/policy-versions/{draft.pk}").status_code == 200
    assert api_as(agent).get("/policies/escalation-lists/invalid").status_code == 403
    assert api_as(auditor).get("/policies/escalation-lists/invalid").status_code == 200
    assert (
        api_as(auditor)
        .post(f"/policies/{policy.pk}/feedback", {"aspect": "other", "text": "x"})
        .status_code
        == 403
    )
    response = api_as(manager).post(f"/policy-goals/{goal.pk}/procedures", body)
    assert response.status_code == 201, response.content
    assert response.json()["levels"][0]["role"] == "agent"
    listed = api_as(agent).get("/policies").json()
    assert listed[0]["draft_version_id"] is None
    assert api_as(auditor).get("/policies").json()[0]["draft_version_id"] == draft.pk


def test_api_escalation_json(policy, agent):
    proc = policy.versions.get(status="published").goals.get().procedures.get()
    response = api_as(agent).get(f"/policy-procedures/{proc.pk}/escalation.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["format"] == "kliento.escalation-list/1"
    assert doc["valid"] is True
    assert [lv["who"]["kind"] for lv in doc["levels"]] == ["role", "role"]
    draft_proc = _draft(policy).goals.get().procedures.get()
    assert (
        api_as(agent).get(f"/policy-procedures/{draft_proc.pk}/escalation.json").status_code == 404
    )
    assert api_as(agent).get("/policy-procedures/999999999/escalation.json").status_code == 404


def test_api_bad_escalation_lists_are_422_with_nothing_written(policy, manager):
    goal = _draft(policy).goals.get()
    api = api_as(manager)
    gone = UserFactory(username="gone", role=roles.AGENT, is_active=False)
    cases = [
        [{"after_minutes": 0}],  # empty level
        [{"after_minutes": 0, "role": "agent", "team_id": 1}],  # two kinds
        [{"after_minutes": 10, "role": "agent"}, {"after_minutes": 10, "role": "manager"}],
        [{"after_minutes": 0, "person_id": gone.pk}],
        [{"after_minutes": 0, "team_id": 999999}],
        [{"after_minutes": -5, "role": "agent"}],
        [],
    ]
    for levels in cases:
        body = {"title": "X", "description": "Y", "channels": ["phone"], "levels": levels}
        response = api.post(f"/policy-goals/{goal.pk}/procedures", body)
        assert response.status_code == 422, (levels, response.content)
    assert goal.procedures.count() == 1
    detail = api.post(
        f"/policy-goals/{goal.pk}/procedures",
        {"title": "X", "description": "Y", "channels": ["phone"], "levels": cases[3]},
    ).json()["detail"]
    assert any("no longer active" in item["msg"] for item in detail)
    assert any(item["loc"][-1] == "levels" for item in detail)


def test_api_other_bad_input(policy, manager, agent):
    api = api_as(manager)
    assert api.post("/policies", {"title": "", "owner_id": manager.pk}).status_code == 422
    assert api.post("/policies", {"title": "Ok", "owner_id": 10**9}).status_code == 422
    assert api.post("/policies", {"title": policy.title, "owner_id": manager.pk}).status_code == 422
    assert Policy.objects.count() == 1
    draft = _draft(policy)
    bad_goal = {
        "kind": "happiness",
        "mission_link": "x",
        "owner_id": manager.pk,
        "metric_name": "x",
        "metric_target": "1",
    }
    assert api.post(f"/policy-versions/{draft.pk}/goals", bad_goal).status_code == 422
    pilot = {"starts_on": "2026-02-01", "ends_on": "2026-01-01", "staff_ids": [agent.pk]}
    assert api.post(f"/policy-versions/{draft.pk}/pilots", pilot).status_code == 422
    published = policy.versions.get(status="published")
    assert (
        api.post(
            f"/policy-versions/{published.pk}/pilots", {**pilot, "ends_on": "2026-03-01"}
        ).status_code
        == 422
    )
    assert api.post(f"/policy-versions/{published.pk}/publish").status_code == 422
    feedback = {"aspect": "other", "text": "x", "client_id": 10**9}
    assert api_as(agent).post(f"/policies/{policy.pk}/feedback", feedback).status_code == 422
    assert not Feedback.objects.exists()


def test_api_pilot_life_cycle_and_procedures_in_force(policy, manager, agent):
    api = api_as(manager)
    client = ClientFactory()
    draft = _draft(policy)
    response = api.post(
        f"/policy-versions/{draft.pk}/pilots",
        {
            "starts_on": str(timezone.localdate()),
            "ends_on": str(timezone.localdate()),
            "staff_ids": [agent.pk],
            "client_ids": [client.pk],
        },
    )
    assert response.status_code == 201, response.content
    pilot_id = response.json()["id"]
    assert api.post(f"/policy-pilots/{pilot_id}/start").json()["status"] == "running"
    found = api_as(agent).get("/policies/procedures", {"client_id": client.pk}).json()
    assert [p["in_pilot"] for p in found] == [True]
    finish = api.post(f"/policy-pilots/{pilot_id}/finish", {"decision": "promote"})
    assert finish.json()["outcome"] == "promoted"
    draft.refresh_from_db()
    assert draft.status == "published"
    assert api.post(f"/policy-pilots/{pilot_id}/finish", {"decision": "later"}).status_code == 422


def test_the_remind_button_queues_the_task_that_reminds_the_unread(
    policy, agent, as_manager, settings, django_capture_on_commit_callbacks
):
    from kliento.core.models import Notification

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    version = policy.versions.get(status="published")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(reverse("policy:remind", args=[version.pk]))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=agent, kind=services.REMINDER).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        as_manager.post(reverse("policy:remind", args=[version.pk]))
    assert Notification.objects.filter(recipient=agent, kind=services.REMINDER).count() == 1


def test_a_pilot_agent_gives_pilot_feedback_from_the_page(policy, manager, agent, as_agent):
    client = ClientFactory()
    pilot = services.create_pilot(
        actor=manager,
        version=_draft(policy),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        staff_ids=[agent.pk],
        client_ids=[client.pk],
    )
    services.start_pilot(actor=manager, pilot=pilot)
    page = as_agent.get(reverse("policy:detail", args=[policy.pk])).content.decode()
    assert f'<option value="{pilot.pk}">' in page
    response = as_agent.post(
        reverse("policy:feedback", args=[policy.pk]),
        {
            "aspect": "communication",
            "text": "Liked the call",
            "client": client.pk,
            "pilot": pilot.pk,
        },
    )
    assert response.status_code == 302
    found = Feedback.objects.get()
    assert (found.source, found.pilot, found.client_id) == ("client", pilot, client.pk)
    assert found.version == pilot.version
