"""The service policy: escalation lists, versions and acknowledgements, pilots and their hooks,
the selectors the service desk and communications will call, reviews, feedback, the demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kliento.clients.models import TimelineEntry
from kliento.core import roles
from kliento.core.demo import DemoOptions, load_demo
from kliento.core.models import Notification
from kliento.policy import registry, selectors, services
from kliento.policy.models import EscalationLevel, Pilot, Policy, PolicyAcknowledgement
from kliento.policy.services import LevelSpec
from tests.factories import ClientFactory, UserFactory
from tests.policy_support import draft_policy, goal, procedure, published_policy, team

pytestmark = pytest.mark.django_db


def _levels_error(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.message_dict["levels"])


# ---------------------------------------------------------------------------------------------
# Escalation lists


def test_an_escalation_list_is_saved_in_order_with_who_and_how(manager, agent):
    unit = team("Front desk", agent)
    policy = draft_policy(manager)
    version = policy.versions.get()
    found = procedure(
        manager,
        version.goals.get(),
        LevelSpec(after_minutes=0, unit_id=unit.pk, notify=["in_app"]),
        LevelSpec(after_minutes=30, user_id=manager.pk, notify=["email", "in_app"]),
        LevelSpec(after_minutes=240, role="administrator", notify=["phone"]),
    )
    listing = selectors.escalation_list(found.pk)
    assert listing is not None and listing.valid
    assert [(s.level, s.after_minutes) for s in listing.levels] == [(1, 0), (2, 30), (3, 240)]
    assert (listing.levels[0].unit_id, listing.levels[0].role, listing.levels[0].user_id) == (
        unit.pk,
        None,
        None,
    )
    assert listing.levels[1].user_id == manager.pk
    assert listing.levels[1].notify == ["email", "in_app"]
    assert listing.levels[2].role == "administrator"
    assert listing.step_at(10).level == 1
    assert listing.step_at(30).level == 2
    assert listing.step_at(10_000).level == 3


def test_an_empty_level_is_refused_and_nothing_is_written(manager):
    policy = draft_policy(manager)
    goal_ = policy.versions.get().goals.get()
    with pytest.raises(ValidationError) as exc:
        procedure(
            manager,
            goal_,
            LevelSpec(after_minutes=0, role="agent"),
            LevelSpec(after_minutes=30),
        )
    assert "Level 2: choose a role, a team or a person." in _levels_error(exc)
    assert goal_.procedures.count() == 1  # only the one draft_policy made


def test_a_level_naming_two_kinds_of_who_is_refused(manager):
    goal_ = draft_policy(manager).versions.get().goals.get()
    with pytest.raises(ValidationError) as exc:
        procedure(manager, goal_, LevelSpec(after_minutes=0, role="agent", user_id=manager.pk))
    assert "Level 1: name only one" in _levels_error(exc)


@pytest.mark.parametrize("times", [(0, 30, 30), (0, 60, 45), (10, 5)])
def test_times_must_strictly_increase(manager, times):
    goal_ = draft_policy(manager).versions.get().goals.get()
    specs = [LevelSpec(after_minutes=t, role="manager") for t in times]
    with pytest.raises(ValidationError) as exc:
        procedure(manager, goal_, *specs)
    assert "must be later than the level before" in _levels_error(exc)


def test_negative_or_huge_times_and_unknown_notify_are_refused(manager):
    goal_ = draft_policy(manager).versions.get().goals.get()
    with pytest.raises(ValidationError) as exc:
        procedure(
            manager,
            goal_,
            LevelSpec(after_minutes=-1, role="agent"),
            LevelSpec(after_minutes=10**7, role="manager"),
            LevelSpec(after_minutes=20, role="auditor", notify=["pigeon"]),
            LevelSpec(after_minutes=30, role="administrator", notify=[]),
        )
    text = _levels_error(exc)
    assert "Level 1: give the time in minutes" in text
    assert "Level 2: at most" in text
    assert "Level 3: unknown way to notify." in text
    assert "Level 4: choose how this level is notified." in text


def test_a_deactivated_person_is_refused_with_their_name(manager):
    gone = UserFactory(username="gone", first_name="Olga", last_name="Gone", role=roles.AGENT)
    gone.is_active = False
    gone.save()
    goal_ = draft_policy(manager).versions.get().goals.get()
    with pytest.raises(ValidationError) as exc:
        procedure(manager, goal_, LevelSpec(after_minutes=0, user_id=gone.pk))
    assert "Level 1: Olga Gone is no longer active." in _levels_error(exc)


def test_a_deleted_team_and_an_unknown_role_are_refused(manager):
    unit = team("Night shift")
    unit_id = unit.pk
    unit.delete()
    goal_ = draft_policy(manager).versions.get().goals.get()
    with pytest.raises(ValidationError) as exc:
        procedure(
            manager,
            goal_,
            LevelSpec(after_minutes=0, unit_id=unit_id),
            LevelSpec(after_minutes=5, role="janitor"),
        )
    text = _levels_error(exc)
    assert "Level 1: the team no longer exists." in text
    assert "Level 2: there is no role “janitor”." in text


def test_a_list_that_breaks_later_is_flagged_and_blocks_publishing(manager, agent):
    unit = team("Front desk", agent)
    policy = draft_policy(manager)
    version = policy.versions.get()
    broken = procedure(
        manager,
        version.goals.get(),
        LevelSpec(after_minutes=0, unit_id=unit.pk),
        LevelSpec(after_minutes=30, user_id=agent.pk),
    )
    assert selectors.invalid_escalation_lists() == []

    agent.is_active = False
    agent.save()
    unit.delete()

    flagged = selectors.invalid_escalation_lists()
    assert [item.procedure_id for item in flagged] == [broken.pk]
    problems = [s.problem for s in flagged[0].levels]
    assert problems[0] == "Level 1: the team was deleted."
    assert "is no longer active" in problems[1]
    assert selectors.escalation_list(broken.pk).valid is False
    # The level still says what it named: a team, now gone.
    assert EscalationLevel.objects.get(procedure=broken, number=1).kind == "team"
    with pytest.raises(ValidationError) as exc:
        services.publish(actor=manager, version=version)
    assert "the team was deleted" in " ".join(exc.value.messages)


def test_the_database_refuses_a_level_naming_nobody_or_two(manager):
    goal_ = draft_policy(manager).versions.get().goals.get()
    proc = goal_.procedures.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationLevel.objects.create(
            procedure=proc, number=9, kind="role", role="", after_minutes=500
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationLevel.objects.create(
            procedure=proc, number=9, kind="person", role="agent", user=manager, after_minutes=500
        )


def test_escalation_document_is_the_documented_json(manager):
    policy = published_policy(manager)
    proc = policy.versions.get().goals.get().procedures.get()
    doc = selectors.escalation_document(selectors.escalation_list(proc.pk))
    assert doc == {
        "format": "kliento.escalation-list/1",
        "procedure": {"id": proc.pk, "title": proc.title},
        "policy_id": policy.pk,
        "version": {"id": policy.versions.get().pk, "status": "published"},
        "channels": ["phone"],
        "valid": True,
        "levels": [
            {
                "level": 1,
                "after_minutes": 0,
                "who": {"kind": "role", "role": "agent", "team_id": None, "person_id": None},
                "notify": ["in_app"],
                "problem": None,
            },
            {
                "level": 2,
                "after_minutes": 60,
                "who": {"kind": "role", "role": "manager", "team_id": None, "person_id": None},
                "notify": ["email", "in_app"],
                "problem": None,
            },
        ],
    }
    assert selectors.escalation_list(10**9) is None


# ---------------------------------------------------------------------------------------------
# Goals


def test_a_goal_needs_the_published_mission(manager):
    policy = services.create_policy(
        actor=manager, title="No mission", owner=manager, review_every_months=12
    )
    with pytest.raises(ValidationError) as exc:
        goal(manager, policy.versions.get())
    assert "Publish the service mission first" in exc.value.message_dict["mission_link"][0]


def test_a_goal_is_linked_to_the_mission_with_its_metric_definition(manager):
    policy = draft_policy(manager)
    found = policy.versions.get().goals.get()
    from kliento.standards import selectors as standards

    assert found.mission == standards.current_mission()
    assert (found.metric_name, found.metric_target, found.metric_unit) == (
        "Renewals",
        Decimal("75"),
        "%",
    )


def test_goal_bad_input_is_reported_per_field(manager):
    version = draft_policy(manager).versions.get()
    with pytest.raises(ValidationError) as exc:
        services.add_goal(
            actor=manager,
            version=version,
            kind="custom",
            owner=None,
            mission_link="",
            metric_name="",
            metric_target=Decimal("NaN"),
        )
    assert set(exc.value.message_dict) == {
        "title",
        "owner",
        "mission_link",
        "metric_name",
        "metric_target",
    }


# ---------------------------------------------------------------------------------------------
# Versions and acknowledgement


def test_publishing_supersedes_notifies_and_counts_as_a_review(manager, agent, auditor):
    policy = published_policy(manager)
    v1 = policy.versions.get()
    assert v1.status == "published"
    assert Notification.objects.filter(recipient=agent, kind=services.TO_READ).count() == 1

    draft = services.start_revision(actor=manager, policy=policy)
    assert draft.number == 2 and draft.status == "draft"
    # The tree was copied: a new goal, procedure and levels, the old ones untouched.
    copied = draft.goals.get().procedures.get()
    assert copied.pk != v1.goals.get().procedures.get().pk
    assert copied.levels.count() == 2
    with pytest.raises(ValidationError):
        services.start_revision(actor=manager, policy=policy)

    Policy.objects.filter(pk=policy.pk).update(reviewed_on=dt.date(2020, 1, 1))
    services.publish(actor=manager, version=draft)
    v1.refresh_from_db()
    policy.refresh_from_db()
    assert v1.status == "superseded" and v1.superseded_at is not None
    assert policy.reviewed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.publish(actor=manager, version=draft)  # not a draft any more
    with pytest.raises(ValidationError):
        services.add_goal(
            actor=manager,
            version=draft,
            kind="retention",
            owner=manager,
            mission_link="x",
            metric_name="x",
            metric_target=Decimal(1),
        )


def test_an_empty_draft_cannot_be_published(manager):
    from tests.policy_support import publish_mission

    publish_mission(manager)
    policy = services.create_policy(
        actor=manager, title="Empty", owner=manager, review_every_months=12
    )
    with pytest.raises(ValidationError) as exc:
        services.publish(actor=manager, version=policy.versions.get())
    assert "Add at least one goal" in " ".join(exc.value.messages)


def test_acknowledgement_state_machine(manager, agent, outsider):
    policy = draft_policy(manager, roles=["agent"])
    version = policy.versions.get()
    with pytest.raises(ValidationError):
        services.acknowledge(actor=agent, version=version)  # a draft
    services.publish(actor=manager, version=version)
    assert selectors.unread_for(agent) == [version]
    assert selectors.unread_for(manager) == []  # the policy is for agents only
    with pytest.raises(ValidationError):
        services.acknowledge(actor=manager, version=version)
    with pytest.raises(ValidationError):
        services.acknowledge(actor=outsider, version=version)
    services.acknowledge(actor=agent, version=version)
    services.acknowledge(actor=agent, version=version)
    assert PolicyAcknowledgement.objects.filter(version=version).count() == 1
    assert selectors.unread_for(agent) == []
    [share] = selectors.acknowledgement_shares()
    assert (share.required, share.done, share.percent) == (1, 1, 100)

    # A new version must be read again.
    draft = services.start_revision(actor=manager, policy=policy)
    services.publish(actor=manager, version=draft)
    assert selectors.unread_for(agent) == [draft]


def test_the_audience_follows_teams_and_their_sub_units(manager, agent):
    from kliento.core.models import OrgUnit

    parent = team("Service")
    child = OrgUnit.objects.create(name="Front", kind="team", parent=parent)
    from kliento.core.models import StaffProfile

    StaffProfile.objects.create(user=agent, unit=child)
    other = UserFactory(username="elsewhere", role=roles.AGENT)
    policy = published_policy(manager, unit_ids=[parent.pk])
    audience = set(selectors.audience(policy))
    assert agent in audience and other not in audience


def test_reminders_go_once_per_period(manager, agent):
    policy = published_policy(manager)
    version = policy.versions.get()
    now = timezone.now()
    first = services.send_reminders(version_id=version.pk, now=now)
    assert first >= 1
    assert services.send_reminders(version_id=version.pk, now=now + dt.timedelta(hours=1)) == 0
    services.acknowledge(actor=agent, version=version)
    later = services.send_reminders(version_id=version.pk, now=now + dt.timedelta(days=2))
    assert later == first - 1
    reminded = Notification.objects.filter(kind=services.REMINDER, recipient=agent).count()
    assert reminded == 1


def test_automatic_reminders_three_days_after_publication_then_weekly(manager, agent):
    policy = published_policy(manager)
    version = policy.versions.get()
    start, day = version.published_at, dt.timedelta(days=1)
    assert services.send_due_reminders(now=start + 2 * day) == 0  # too early
    first = services.send_due_reminders(now=start + 3 * day)
    assert first >= 1
    assert services.send_due_reminders(now=start + 4 * day) == 0  # reminded this week
    services.acknowledge(actor=agent, version=version)
    assert services.send_due_reminders(now=start + 10 * day) == first - 1


# ---------------------------------------------------------------------------------------------
# Reviews


def test_overdue_reviews_are_flagged_for_the_owner(manager, auditor):
    policy = published_policy(manager)
    assert not policy.review_overdue()
    Policy.objects.filter(pk=policy.pk).update(review_due_on=dt.date(2020, 1, 1))
    assert list(selectors.overdue_reviews(owner=manager)) == [policy]
    assert list(selectors.overdue_reviews(owner=auditor)) == []
    services.mark_reviewed(actor=manager, policy=policy, note="Still fits.")
    policy.refresh_from_db()
    assert policy.review_due_on == services.add_months(timezone.localdate(), 6)
    assert list(selectors.overdue_reviews()) == []


def test_add_months_keeps_the_end_of_the_month():
    assert services.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert services.add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


# ---------------------------------------------------------------------------------------------
# Pilots


@pytest.fixture
def hook_calls():
    calls: list[tuple[int, str]] = []

    def hook(pilot, moment):
        calls.append((pilot.pk, moment))

    registry.register_pilot_hook(hook)
    yield calls
    registry.unregister_pilot_hook(hook)


def _pilot(manager, agent, policy=None, clients=()):
    policy = policy or draft_policy(manager)
    return services.create_pilot(
        actor=manager,
        version=policy.versions.get(status="draft"),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
        staff_ids=[agent.pk],
        client_ids=[c.pk for c in clients],
    )


def test_pilot_life_cycle_promoted(manager, agent, hook_calls, django_capture_on_commit_callbacks):
    client, other = ClientFactory(), ClientFactory()
    pilot = _pilot(manager, agent, clients=[client])
    assert not selectors.in_pilot(client.pk)  # planned, not running
    [joined] = TimelineEntry.objects.filter(client=client, kind=services.JOINED_PILOT)
    assert joined.data == {"policy_id": pilot.version.policy_id, "pilot_id": pilot.pk}
    assert services.add_pilot_clients(actor=manager, pilot=pilot, client_ids=[client.pk]) == 0

    with django_capture_on_commit_callbacks(execute=True):
        services.start_pilot(actor=manager, pilot=pilot)
    assert hook_calls == [(pilot.pk, "start")]
    assert selectors.in_pilot(client.pk) and not selectors.in_pilot(other.pk)
    pilot.refresh_from_db()
    assert not pilot.past_end() and pilot.past_end(pilot.ends_on + dt.timedelta(days=1))
    assert Notification.objects.filter(recipient=agent, kind=services.PILOT_NOTICE).exists()
    with pytest.raises(ValidationError):
        services.start_pilot(actor=manager, pilot=pilot)  # already running: no second hook
    with pytest.raises(ValidationError):  # the piloted text is fixed while it runs
        services.edit_draft(actor=manager, version=pilot.version, summary="Changed")
    with pytest.raises(ValidationError):
        services.publish(actor=manager, version=pilot.version)

    services.give_feedback(
        actor=agent, policy=pilot.version.policy, aspect="response_speed", text="Works", pilot=pilot
    )
    services.give_feedback(
        actor=agent,
        policy=pilot.version.policy,
        aspect="communication",
        text="The client liked the call",
        client_id=client.pk,
        pilot=pilot,
    )
    summary = selectors.pilot_summary(pilot)
    assert (summary.clients, summary.staff_feedback, summary.client_feedback) == (1, 1, 1)

    with django_capture_on_commit_callbacks(execute=True):
        services.finish_pilot(actor=manager, pilot=pilot, decision="promote", note="Good")
    assert hook_calls == [(pilot.pk, "start"), (pilot.pk, "end")]
    pilot.refresh_from_db()
    pilot.version.refresh_from_db()
    assert (pilot.status, pilot.outcome) == ("ended", "promoted")
    assert pilot.version.status == "published"
    assert not selectors.in_pilot(client.pk)
    with pytest.raises(ValidationError):
        services.finish_pilot(actor=manager, pilot=pilot, decision="revise")
    assert len(hook_calls) == 2


def test_pilot_revised_leaves_an_editable_draft(
    manager, agent, hook_calls, django_capture_on_commit_callbacks
):
    pilot = _pilot(manager, agent)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_pilot(actor=manager, pilot=pilot)
        services.finish_pilot(actor=manager, pilot=pilot, decision="revise")
    assert [m for _pk, m in hook_calls] == ["start", "end"]
    pilot.refresh_from_db()
    assert pilot.outcome == "revised" and pilot.version.status == "draft"
    services.edit_draft(actor=manager, version=pilot.version, summary="Better", change_note="x")
    # A second pilot of the revised draft may be planned.
    _pilot(manager, agent, policy=pilot.version.policy)


def test_a_failed_promotion_rolls_back_the_end_and_calls_no_hook(
    manager, agent, hook_calls, django_capture_on_commit_callbacks
):
    policy = draft_policy(manager)
    gone = UserFactory(username="leaver", role=roles.AGENT)
    procedure(
        manager, policy.versions.get().goals.get(), LevelSpec(after_minutes=0, user_id=gone.pk)
    )
    pilot = _pilot(manager, agent, policy=policy)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_pilot(actor=manager, pilot=pilot)
    gone.is_active = False
    gone.save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.finish_pilot(actor=manager, pilot=pilot, decision="promote")
    pilot.refresh_from_db()
    assert pilot.status == "running"
    assert [m for _pk, m in hook_calls] == ["start"]


def test_pilot_bad_input(manager, agent, outsider):
    policy = draft_policy(manager)
    version = policy.versions.get()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.create_pilot(
            actor=manager,
            version=version,
            starts_on=today,
            ends_on=today - dt.timedelta(days=1),
            staff_ids=[agent.pk],
        )
    assert "ends_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_pilot(
            actor=manager, version=version, starts_on=today, ends_on=today, staff_ids=[]
        )
    assert "staff" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_pilot(
            actor=manager, version=version, starts_on=today, ends_on=today, staff_ids=[outsider.pk]
        )
    assert "staff" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_pilot(
            actor=manager,
            version=version,
            starts_on=today,
            ends_on=today,
            staff_ids=[agent.pk],
            client_ids=[10**9],
        )
    assert "clients" in exc.value.message_dict
    assert not Pilot.objects.exists()
    _pilot(manager, agent, policy=policy)
    with pytest.raises(ValidationError):  # one open pilot per draft
        _pilot(manager, agent, policy=policy)


def test_pilot_feedback_comes_from_the_pilots_people(manager, agent):
    stranger = UserFactory(username="stranger", role=roles.AGENT)
    inside, outside = ClientFactory(), ClientFactory()
    pilot = _pilot(manager, agent, clients=[inside])
    policy = pilot.version.policy
    with pytest.raises(ValidationError) as exc:
        services.give_feedback(actor=agent, policy=policy, aspect="other", text="x", pilot=pilot)
    assert "has not started" in exc.value.message_dict["pilot"][0]
    services.start_pilot(actor=manager, pilot=pilot)
    with pytest.raises(ValidationError) as exc:
        services.give_feedback(actor=stranger, policy=policy, aspect="other", text="x", pilot=pilot)
    assert "pilot" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.give_feedback(
            actor=agent, policy=policy, aspect="other", text="x", client_id=outside.pk, pilot=pilot
        )
    assert "client" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.give_feedback(actor=agent, policy=policy, aspect="mood", text=" ")
    assert set(exc.value.message_dict) == {"aspect", "text"}


def test_procedures_for_a_pilot_client_come_from_the_piloted_draft(manager, agent):
    policy = published_policy(manager)
    draft = services.start_revision(actor=manager, policy=policy)
    client, other = ClientFactory(), ClientFactory()
    pilot = services.create_pilot(
        actor=manager,
        version=draft,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        staff_ids=[agent.pk],
        client_ids=[client.pk],
    )
    services.start_pilot(actor=manager, pilot=pilot)
    [normal] = selectors.procedures_for(channel="phone", goal="retention", client_id=other.pk)
    [piloted] = selectors.procedures_for(channel="phone", goal="retention", client_id=client.pk)
    assert normal.version_id == policy.versions.get(status="published").pk and not normal.in_pilot
    assert piloted.version_id == draft.pk and piloted.in_pilot
    assert selectors.procedures_for(channel="email") == []
    assert selectors.procedures_for(goal="new_products") == []


# ---------------------------------------------------------------------------------------------
# Demo


@pytest.mark.parametrize("language", ["en", "uk"])
def test_demo_policy_is_loaded_in_the_operators_language(language, settings):
    load_demo(DemoOptions(clients=20, language=language, report=lambda _m: None))
    policy = Policy.objects.get()
    assert (
        policy.title
        == {"en": "Student service policy", "uk": "Політика обслуговування учнів"}[language]
    )
    published = policy.versions.get(status="published")
    assert sorted(published.goals.values_list("kind", flat=True)) == ["new_products", "retention"]
    for proc in selectors.procedures_for():
        listing = selectors.escalation_list(proc.id)
        assert listing.valid and len(listing.levels) == 3
    kinds = set(EscalationLevel.objects.values_list("kind", flat=True))
    assert kinds == {"role", "team", "person"}
    draft = policy.versions.get(status="draft")
    pilot = draft.pilots.get()
    assert pilot.status == "running" and pilot.clients.count() == 6
    assert sorted(policy.feedback.values_list("source", flat=True)) == ["client", "staff"]
    assert selectors.in_pilot(pilot.clients.first().client_id)
    # Loading again changes nothing.
    load_demo(DemoOptions(clients=20, language=language, report=lambda _m: None))
    assert Policy.objects.count() == 1


def test_procedure_standards_are_the_published_text(manager):
    from kliento.standards import services as standards

    standard = standards.create_standard(
        actor=manager,
        kind="communication",
        title="Answer the phone",
        body="Say your name.",
        owner=manager,
        review_on=dt.date(2030, 1, 1),
        scripts=[("Greeting", "Rytm, Olena speaking.")],
    )
    goal_ = draft_policy(manager).versions.get().goals.get()
    proc = services.add_procedure(
        actor=manager,
        goal=goal_,
        title="Phone",
        description="Pick up.",
        channels=["phone"],
        standard_ids=[standard.pk],
        levels=[LevelSpec(after_minutes=0, role="agent")],
    )
    assert selectors.procedure_standards(proc.pk) == []  # the standard is still a draft
    version = standard.versions.get()
    standards.submit_for_review(actor=manager, version=version)
    standards.publish(actor=manager, version=version)
    [found] = selectors.procedure_standards(proc.pk)
    assert found.title == "Answer the phone"
    assert [s.title for s in found.scripts] == ["Greeting"]
    with pytest.raises(ValidationError) as exc:
        services.add_procedure(
            actor=manager,
            goal=goal_,
            title="Phone",
            description="Pick up.",
            channels=["phone"],
            standard_ids=[10**9],
            levels=[LevelSpec(after_minutes=0, role="agent")],
        )
    assert "standards" in exc.value.message_dict
