"""Touchpoints: one owner (database, form), impressions' counts and trend, who may do what in
the pages, bad input, the regulation's sanitised Markdown, owner changes, demo data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kliento.clients.models import TimelineEntry
from kliento.core import roles
from kliento.core.models import AuditEntry, Notification
from kliento.core.timeline import describe
from kliento.journeys.models import ClientStage, Journey, Stage
from kliento.touchpoints import selectors, services
from kliento.touchpoints.forms import TouchpointForm
from kliento.touchpoints.models import Impression, QualityParameter, Touchpoint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", role=roles.AGENT)


@pytest.fixture
def touchpoint(owner):
    return services.create_touchpoint(
        actor=None, name="Front desk", kind="business", category="office", owner=owner
    )


def _form_data(**change):
    return {
        "name": "Website",
        "kind": "business",
        "category": "website",
        "channel": "web_form",
        "owner": "",
        "occurs_when": "",
        "participants": "",
        "kpi": "",
        "regulation": "",
        "is_active": "on",
        **change,
    }


# ---------------------------------------------------------------------------------------------
# Exactly one owner


def test_the_database_refuses_a_touchpoint_without_an_owner():
    with pytest.raises(IntegrityError), transaction.atomic():
        Touchpoint.objects.create(name="Nobody's", kind="business", category="website")


def test_the_form_asks_for_the_owner(owner):
    form = TouchpointForm(_form_data())
    assert not form.is_valid()
    assert form.errors["owner"] == ["Choose the one person who owns this touchpoint."]


def test_the_form_refuses_two_owners(owner, manager):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update(_form_data(owner=str(owner.pk)))
    data.appendlist("owner", str(manager.pk))
    form = TouchpointForm(data)
    assert not form.is_valid()
    assert "exactly one owner" in form.errors["owner"][0]


def test_the_service_refuses_no_owner_and_an_auditor_as_owner(auditor):
    with pytest.raises(ValidationError) as missing:
        services.create_touchpoint(
            actor=None, name="X", kind="business", category="website", owner=None
        )
    assert "owner" in missing.value.message_dict
    with pytest.raises(ValidationError) as reader:
        services.create_touchpoint(
            actor=None, name="X", kind="business", category="website", owner=auditor
        )
    assert "owner" in reader.value.message_dict
    assert not Touchpoint.objects.exists()


def test_a_category_must_fit_the_kind(owner):
    with pytest.raises(ValidationError) as exc:
        services.create_touchpoint(
            actor=None, name="X", kind="employee", category="website", owner=owner
        )
    assert "category" in exc.value.message_dict
    # And the database agrees, should anything write past the rules.
    with pytest.raises(IntegrityError), transaction.atomic():
        Touchpoint.objects.create(name="Y", kind="employee", category="website", owner=owner)


def test_an_unknown_stage_is_refused_and_nothing_is_written(owner):
    with pytest.raises(ValidationError) as exc:
        services.create_touchpoint(
            actor=None,
            name="X",
            kind="business",
            category="website",
            owner=owner,
            stage_ids=[999_999],
        )
    assert "999999" in exc.value.message_dict["stages"][0]
    assert not Touchpoint.objects.exists()


def test_a_new_owner_is_audited_and_told(touchpoint, manager, owner):
    successor = UserFactory(username="successor", role=roles.STAGE_OWNER)
    services.update_touchpoint(actor=manager, touchpoint=touchpoint, owner=successor)
    entry = AuditEntry.objects.get(action=services.OWNER_CHANGED)
    assert entry.changes == {"from": owner.pk, "to": successor.pk}
    assert entry.actor == manager
    told = Notification.objects.filter(recipient=successor, kind=services.OWNER_ASSIGNED)
    assert told.count() == 1
    assert "Front desk" in told.get().params["name"]
    # Saving again without a change records and tells nothing more.
    services.update_touchpoint(actor=manager, touchpoint=touchpoint, owner=successor)
    assert AuditEntry.objects.filter(action=services.OWNER_CHANGED).count() == 1


def test_only_managers_edit_the_registry(touchpoint, agent, owner):
    with pytest.raises(PermissionDenied):
        services.update_touchpoint(actor=agent, touchpoint=touchpoint, owner=agent)
    with pytest.raises(PermissionDenied):
        services.update_touchpoint(actor=owner, touchpoint=touchpoint, owner=owner, name="Mine")


# ---------------------------------------------------------------------------------------------
# Impressions: recording, counts, trend


def test_an_impression_lands_on_the_client_timeline(touchpoint, agent, client_card):
    impression = services.record_impression(
        actor=agent,
        touchpoint_id=touchpoint.pk,
        client_id=client_card.pk,
        sentiment="negative",
        text="Waited  ten minutes\r\n",
    )
    assert impression.text == "Waited  ten minutes"
    entry = TimelineEntry.objects.get(client=client_card, kind=services.IMPRESSION_RECORDED)
    assert entry.data["touchpoint_id"] == touchpoint.pk
    assert entry.data["sentiment"] == "negative"
    # Read at display time: the touchpoint's current name, not the one stored.
    Touchpoint.objects.filter(pk=touchpoint.pk).update(name="Reception")
    assert describe(entry) == ["Negative · Reception", "Waited  ten minutes"]


def test_the_same_source_record_is_counted_once(touchpoint, client_card):
    first = services.record_impression(
        actor=None,
        touchpoint_id=touchpoint.pk,
        client_id=client_card.pk,
        sentiment="positive",
        source="survey",
        source_ref="answer-17",
    )
    again = services.record_impression(
        actor=None,
        touchpoint_id=touchpoint.pk,
        client_id=client_card.pk,
        sentiment="positive",
        source="survey",
        source_ref="answer-17",
    )
    assert again.pk == first.pk
    assert Impression.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sentiment": "ecstatic"}, "sentiment"),
        ({"text": "x" * 2001}, "text"),
        ({"source": "gossip"}, "source"),
        ({"touchpoint_id": 999_999}, "touchpoint"),
        ({"occurred_at": timezone.now() + dt.timedelta(days=1)}, "occurred_at"),
    ],
)
def test_bad_impressions_are_refused_at_their_field(touchpoint, client_card, change, field):
    kwargs = {
        "actor": None,
        "touchpoint_id": touchpoint.pk,
        "client_id": client_card.pk,
        "sentiment": "positive",
        **change,
    }
    with pytest.raises(ValidationError) as exc:
        services.record_impression(**kwargs)
    assert field in exc.value.message_dict
    assert not Impression.objects.exists()
    assert not TimelineEntry.objects.filter(kind=services.IMPRESSION_RECORDED).exists()


def test_an_inactive_touchpoint_takes_no_impressions(touchpoint, client_card):
    Touchpoint.objects.filter(pk=touchpoint.pk).update(is_active=False)
    with pytest.raises(ValidationError) as exc:
        services.record_impression(
            actor=None, touchpoint_id=touchpoint.pk, client_id=client_card.pk, sentiment="neutral"
        )
    assert "touchpoint" in exc.value.message_dict


@pytest.fixture
def dated(touchpoint, client_card, settings):
    """Impressions on hand-picked local days around Wednesday 18 March 2026 (Warsaw)."""
    settings.TIME_ZONE = "Europe/Warsaw"
    timezone.activate("Europe/Warsaw")

    def at(day: str, clock: str = "12:00") -> dt.datetime:
        return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T{clock}"))

    rows = [
        ("2026-03-19", "09:00", "positive"),  # after "now": not counted in the trend
        ("2026-03-17", "10:00", "positive"),  # week of 16 March
        ("2026-03-16", "00:30", "negative"),  # Monday just after midnight: week of 16 March
        ("2026-03-15", "23:30", "neutral"),  # Sunday night: week of 9 March
        ("2026-03-03", "12:00", "positive"),  # week of 2 March
        ("2026-03-03", "18:00", "positive"),
        ("2026-02-20", "12:00", "negative"),  # week of 16 Feb: the previous window
        ("2026-02-09", "08:00", "positive"),  # week of 9 Feb: the previous window
        ("2026-02-08", "12:00", "positive"),  # before both week windows
        ("2026-01-31", "23:59", "negative"),  # January: the previous month window
        ("2025-12-01", "00:00", "positive"),  # December: the previous month window
    ]
    for day, clock, sentiment in rows:
        Impression.objects.create(
            touchpoint=touchpoint,
            client=client_card,
            sentiment=sentiment,
            occurred_at=at(day, clock),
        )
    yield at("2026-03-18", "12:00")
    timezone.deactivate()


def _triples(trend):
    return [
        (p.start.isoformat(), p.counts.positive, p.counts.neutral, p.counts.negative)
        for p in trend.periods
    ]


def test_weekly_trend_on_a_hand_computed_fixture(touchpoint, dated):
    trend = selectors.trend(touchpoint.pk, period="week", shown=3, now=dated)
    assert _triples(trend) == [
        ("2026-03-02", 2, 0, 0),
        ("2026-03-09", 0, 1, 0),
        ("2026-03-16", 1, 0, 1),
    ]
    assert (trend.window.positive, trend.window.neutral, trend.window.negative) == (3, 1, 1)
    assert trend.window.net == 40  # (3 - 1) / 5
    assert (trend.previous.positive, trend.previous.negative, trend.previous.net) == (1, 1, 0)
    assert trend.change == 40
    assert (trend.all_time.positive, trend.all_time.neutral, trend.all_time.negative) == (7, 1, 3)


def test_monthly_trend_crosses_the_year(touchpoint, dated):
    trend = selectors.trend(touchpoint.pk, period="month", shown=2, now=dated)
    assert _triples(trend) == [("2026-02-01", 2, 0, 1), ("2026-03-01", 3, 1, 1)]
    assert trend.window.total == 8
    assert trend.window.net == 38  # (5 - 2) / 8 = 37.5, rounded half to even
    assert (trend.previous.positive, trend.previous.negative) == (1, 1)  # Dec 1 and Jan 31
    assert trend.change == 38


def test_an_empty_trend_has_no_score(touchpoint):
    trend = selectors.trend(touchpoint.pk, period="week")
    assert len(trend.periods) == 12
    assert trend.window.net is None and trend.change is None


def test_my_touchpoints_lists_parameters_and_latest(touchpoint, owner, client_card):
    services.add_parameter(
        actor=owner,
        touchpoint=touchpoint,
        name="Greeting",
        measurement="Mystery guest",
        target="5 s",
    )
    for sentiment in ("positive", "negative", "positive"):
        services.record_impression(
            actor=None, touchpoint_id=touchpoint.pk, client_id=client_card.pk, sentiment=sentiment
        )
    (mine,) = selectors.my_touchpoints(owner, latest=2)
    assert mine.touchpoint == touchpoint
    assert [p.name for p in mine.touchpoint.parameters.all()] == ["Greeting"]
    assert (mine.recent.positive, mine.recent.negative) == (2, 1)
    assert len(mine.latest) == 2
    assert selectors.my_touchpoints(UserFactory(role=roles.AGENT)) == []


def test_the_card_offers_the_touchpoints_of_the_clients_stage_first(owner, client_card):
    journey = Journey.objects.create(name="Main")
    stage = Stage.objects.create(journey=journey, position=1, name="Trial", owner=owner)
    ClientStage.objects.create(
        client=client_card, journey=journey, stage=stage, entered_at=timezone.now()
    )
    services.create_touchpoint(
        actor=None, name="A website", kind="business", category="website", owner=owner
    )
    services.create_touchpoint(
        actor=None,
        name="Z trial confirmation",
        kind="business",
        category="messages",
        owner=owner,
        stage_ids=[stage.pk],
    )
    offered = selectors.for_client_card(client_card.pk)
    assert [t.name for t in offered] == ["Z trial confirmation", "A website"]


# ---------------------------------------------------------------------------------------------
# Pages and who may use them


def test_everyone_with_a_role_reads_the_registry(touchpoint, as_agent, as_auditor, as_outsider):
    for http in (as_agent, as_auditor):
        assert http.get(reverse("touchpoints:list")).status_code == 200
        assert http.get(reverse("touchpoints:detail", args=[touchpoint.pk])).status_code == 200
    assert as_outsider.get(reverse("touchpoints:list")).status_code == 403


def test_list_filters(owner, manager, as_manager):
    services.create_touchpoint(
        actor=None, name="Smile", kind="employee", category="smile", owner=owner
    )
    services.create_touchpoint(
        actor=None,
        name="Website",
        kind="business",
        category="website",
        channel="web_form",
        owner=manager,
    )
    url = reverse("touchpoints:list")

    def names(**params):
        response = as_manager.get(url, params)
        return [t.name for t in response.context["touchpoints"]]

    assert names() == ["Smile", "Website"]
    assert names(kind="employee") == ["Smile"]
    assert names(channel="web_form") == ["Website"]
    assert names(owner=str(manager.pk)) == ["Website"]
    assert names(q="WEB") == ["Website"]
    assert names(stage="12345") == []
    assert names(kind="nonsense") == ["Smile", "Website"]  # an unknown value filters nothing


def test_a_manager_creates_a_touchpoint_through_the_form(as_manager, manager, owner):
    response = as_manager.post(
        reverse("touchpoints:create"), _form_data(owner=str(owner.pk), name="Website")
    )
    created = Touchpoint.objects.get(name="Website")
    assert response.status_code == 302
    assert created.owner == owner
    assert Notification.objects.filter(recipient=owner, kind=services.OWNER_ASSIGNED).exists()


def test_the_form_shows_the_missing_owner_beside_the_field(as_manager):
    response = as_manager.post(reverse("touchpoints:create"), _form_data())
    assert response.status_code == 400
    assert "Choose the one person who owns this touchpoint." in response.content.decode()
    assert not Touchpoint.objects.exists()


def test_agents_and_auditors_cannot_create_or_edit(touchpoint, as_agent, as_auditor):
    for http in (as_agent, as_auditor):
        assert http.get(reverse("touchpoints:create")).status_code == 403
        assert http.get(reverse("touchpoints:edit", args=[touchpoint.pk])).status_code == 403


def test_the_owner_edits_the_regulation_and_parameters(touchpoint, owner, client):
    client.force_login(owner)
    url = reverse("touchpoints:regulation", args=[touchpoint.pk])
    assert client.post(url, {"regulation": "**Smile** first"}).status_code == 302
    touchpoint.refresh_from_db()
    assert touchpoint.regulation == "**Smile** first"
    add = reverse("touchpoints:parameter_add", args=[touchpoint.pk])
    response = client.post(add, {"name": "Wait", "measurement": "Stopwatch", "target": "2 min"})
    assert response.status_code == 302
    parameter = QualityParameter.objects.get()
    edit = reverse("touchpoints:parameter_edit", args=[parameter.pk])
    client.post(edit, {"name": "Wait", "measurement": "Stopwatch", "target": "1 min"})
    parameter.refresh_from_db()
    assert parameter.target == "1 min"
    remove = reverse("touchpoints:parameter_delete", args=[parameter.pk])
    assert client.get(remove).status_code == 200  # asks first
    assert QualityParameter.objects.exists()
    client.post(remove)
    assert not QualityParameter.objects.exists()


def test_others_cannot_edit_the_owners_regulation(touchpoint, as_agent, as_auditor, as_manager):
    url = reverse("touchpoints:regulation", args=[touchpoint.pk])
    add = reverse("touchpoints:parameter_add", args=[touchpoint.pk])
    for http in (as_agent, as_auditor):
        assert http.post(url, {"regulation": "mine now"}).status_code == 403
        assert http.post(add, {"name": "n", "measurement": "m", "target": "t"}).status_code == 403
    assert as_manager.post(url, {"regulation": "managed"}).status_code == 302
    touchpoint.refresh_from_db()
    assert touchpoint.regulation == "managed"
    assert not QualityParameter.objects.exists()


def test_a_duplicate_parameter_name_is_shown_at_the_field(touchpoint, owner, client):
    services.add_parameter(
        actor=owner, touchpoint=touchpoint, name="Wait", measurement="m", target="t"
    )
    client.force_login(owner)
    add = reverse("touchpoints:parameter_add", args=[touchpoint.pk])
    response = client.post(add, {"name": "wait", "measurement": "m", "target": "t"})
    assert response.status_code == 400
    assert "already has a parameter" in response.content.decode()


def test_the_regulation_is_rendered_as_sanitised_markdown(touchpoint, as_auditor):
    Touchpoint.objects.filter(pk=touchpoint.pk).update(
        regulation=(
            "**Greet** every client\n\n<script>alert(1)</script>\n\n"
            '<img src=x onerror="alert(2)">\n\n[site](javascript:alert(3))'
        )
    )
    html = as_auditor.get(reverse("touchpoints:detail", args=[touchpoint.pk])).content.decode()
    assert "<strong>Greet</strong>" in html
    assert "<script>alert(1)" not in html
    assert "onerror" not in html
    assert "javascript:alert" not in html


def test_an_agent_records_an_impression_from_the_card(touchpoint, as_agent, client_card):
    url = reverse("touchpoints:record", args=[client_card.pk])
    response = as_agent.post(
        url,
        {"touchpoint": touchpoint.pk, "sentiment": "positive", "text": "Lovely", "source": "staff"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "kliento:timeline-changed"
    assert "Impression recorded." in response.content.decode()
    assert Impression.objects.get().text == "Lovely"


def test_a_bad_impression_form_shows_errors_and_saves_nothing(touchpoint, as_agent, client_card):
    url = reverse("touchpoints:record", args=[client_card.pk])
    response = as_agent.post(
        url, {"touchpoint": 999_999, "sentiment": "ecstatic", "text": "x" * 2001, "source": "staff"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"touchpoint", "sentiment", "text"} <= set(errors)
    assert not Impression.objects.exists()


def test_auditors_and_outsiders_cannot_record_impressions(
    touchpoint, as_auditor, as_outsider, client_card
):
    url = reverse("touchpoints:record", args=[client_card.pk])
    data = {"touchpoint": touchpoint.pk, "sentiment": "positive", "source": "staff"}
    assert as_auditor.post(url, data).status_code == 403
    assert as_outsider.post(url, data).status_code == 403
    assert not Impression.objects.exists()


def test_the_card_shows_the_panel_and_the_detail_page_the_counts(touchpoint, as_agent, client_card):
    services.record_impression(
        actor=None,
        touchpoint_id=touchpoint.pk,
        client_id=client_card.pk,
        sentiment="negative",
        text="Cold <b>room</b>",
    )
    card = as_agent.get(reverse("clients:detail", args=[client_card.pk])).content.decode()
    assert 'id="impressions-panel"' in card
    assert "Cold &lt;b&gt;room&lt;/b&gt;" in card
    page = as_agent.get(reverse("touchpoints:detail", args=[touchpoint.pk]) + "?period=month")
    assert page.context["trend"].all_time.negative == 1
    assert 'id="impression-chart-data"' in page.content.decode()


def test_home_widget_and_my_page_for_owners(touchpoint, owner, client, as_auditor):
    client.force_login(owner)
    assert 'id="my-touchpoints"' in client.get(reverse("home")).content.decode()
    assert "Front desk" in client.get(reverse("touchpoints:mine")).content.decode()
    assert 'id="my-touchpoints"' not in as_auditor.get(reverse("home")).content.decode()


def test_global_search_finds_touchpoints(touchpoint, auditor, outsider):
    from kliento.core.search import search

    (group,) = [g for g in search(auditor, "FRONT", limit=5).groups if g.key == "touchpoints"]
    assert [hit.title for hit in group.hits] == ["Front desk"]
    assert not [g for g in search(outsider, "front", limit=5).groups if g.key == "touchpoints"]


# ---------------------------------------------------------------------------------------------
# Demo data


def test_the_demo_registry_in_the_operators_language(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, clients=20, language="uk")
    assert Touchpoint.objects.count() == 12
    assert Touchpoint.objects.filter(name="Перший дзвінок").exists()
    assert QualityParameter.objects.count() >= 12
    assert Impression.objects.count() > 0
    assert {t.owner.username for t in Touchpoint.objects.select_related("owner")} <= {
        "marta",
        "piotr",
        "olena",
        "jakub",
        "iryna",
    }
    counts = (Touchpoint.objects.count(), Impression.objects.count())
    call_command("demo", no_serve=True, clients=20, language="uk")
    assert (Touchpoint.objects.count(), Impression.objects.count()) == counts


def test_the_demo_links_to_whatever_journey_stages_exist(client_card):
    from kliento.touchpoints import demo

    users = {
        name: UserFactory(username=name, role=roles.AGENT)
        for name in ("marta", "piotr", "olena", "jakub", "iryna")
    }
    journey = Journey.objects.create(name="Client path")
    main = [
        Stage.objects.create(journey=journey, position=n, name=f"Stage {n}", owner=users["marta"])
        for n in range(1, 7)
    ]
    Stage.objects.create(
        journey=journey, position=7, name="Left", is_exit=True, owner=users["marta"]
    )
    demo.load_demo_touchpoints(language="en", users=users)

    def stage_of(name):
        return [s.name for s in Touchpoint.objects.get(name=name).stages.all()]

    assert stage_of("Website and online schedule") == [main[0].name]  # awareness
    assert stage_of("Pass renewal conversation") == [main[4].name]  # repeat purchase
    assert not Touchpoint.objects.filter(stages__is_exit=True).exists()
    assert Impression.objects.filter(client=client_card).exists()
