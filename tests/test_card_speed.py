"""What keeps the client card fast: the commonest widgets written in Python (in the markup of
Django's templates), names in timeline details fetched once per page, the navigation context
made once per request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kliento.clients.models import TimelineEntry
from kliento.core.form_renderer import QuickRenderer
from tests.api_support import api_as
from tests.factories import ClientFactory, SegmentFactory, UserFactory

MOMENT = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


class EveryWidget(forms.Form):
    text = forms.CharField(initial='say "<hi>" & go', widget=forms.TextInput(attrs={"x": True}))
    number = forms.DecimalField(initial=Decimal("1234.5"))
    integer = forms.IntegerField(initial=7, required=False)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"y": False}))
    url = forms.URLField(required=False)
    password = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(initial="h", widget=forms.HiddenInput)
    date = forms.DateField(initial=dt.date(2026, 3, 1))
    iso_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    moment = forms.DateTimeField(initial=MOMENT)
    clock = forms.TimeField(initial=dt.time(9, 30))
    flag = forms.BooleanField(initial=True)
    off = forms.BooleanField(required=False)
    notes = forms.CharField(initial="line 1\n<b>line 2</b>", widget=forms.Textarea)
    empty_notes = forms.CharField(required=False, widget=forms.Textarea)
    choice = forms.ChoiceField(
        initial="y",
        choices=[
            ("", "- pick -"),
            ("a", "A & <b>"),
            ("G<", [("x", "X"), ("y", 'Y"')]),
            (3, "three"),
            ("1", "one"),
            ("1", "one again"),
        ],
    )
    numbers = forms.TypedChoiceField(choices=[(1, 1000), (2, Decimal("2.5"))], coerce=int)
    many = forms.MultipleChoiceField(
        initial=["a", "c"], choices=[("a", "A"), ("b", "B"), ("c", "C")]
    )
    none = forms.MultipleChoiceField(required=False, choices=[])
    radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    maybe = forms.NullBooleanField()
    boxes = forms.MultipleChoiceField(
        choices=[("a", "A")], widget=forms.CheckboxSelectMultiple, required=False
    )


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("bound", [False, True])
def test_the_quick_renderer_writes_djangos_markup(language, bound):
    data = {"text": "<x>", "number": "1,5", "choice": "1", "many": ["b"], "notes": "&amp;"}
    with translation.override(language):
        for name in EveryWidget.base_fields:
            slow = EveryWidget(data if bound else None, renderer=DjangoTemplates())
            quick = EveryWidget(data if bound else None, renderer=QuickRenderer())
            assert str(quick[name]) == str(slow[name]), name


def test_forms_use_the_quick_renderer():
    assert isinstance(EveryWidget().renderer, QuickRenderer)


def _import_entries(client, segments, people, count):
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            client=client,
            kind=TimelineEntry.Kind.IMPORTED,
            data={
                "file": "clients.csv",
                "changes": {
                    "segment": [segments[n].pk, segments[n + 1].pk],
                    "account_manager": [None, people[n].pk],
                },
            },
            occurred_at=MOMENT + dt.timedelta(minutes=n),
        )
        for n in range(count)
    )
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            client=client,
            kind="task.added",
            summary=f"Call back {n}",
            data={"due_on": "2026-03-10", "assignee_id": people[n].pk},
            occurred_at=MOMENT + dt.timedelta(minutes=n, seconds=30),
        )
        for n in range(count)
    )


def _card_queries(http, client) -> int:
    http.get(reverse("clients:detail", args=[client.pk]))  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(reverse("clients:detail", args=[client.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_names_in_timeline_details_cost_the_same_for_one_entry_or_a_page(as_manager):
    segments = [SegmentFactory(name=f"Segment {n}") for n in range(12)]
    people = [UserFactory(first_name=f"Person{n}", last_name="Staff") for n in range(11)]
    short, long = ClientFactory(), ClientFactory()
    _import_entries(short, segments, people, 1)
    _import_entries(long, segments, people, 10)

    assert _card_queries(as_manager, long) == _card_queries(as_manager, short)
    html = as_manager.get(reverse("clients:detail", args=[long.pk])).content.decode()
    assert "Segment 8 → Segment 9" in html
    assert "Person9 Staff" in html
    assert "assignee: Person9 Staff" in html


@pytest.mark.django_db
def test_a_name_gone_since_reads_as_its_id(as_manager):
    segments = [SegmentFactory(name=f"Segment {n}") for n in range(2)]
    people = [UserFactory(first_name="Gone", last_name="Person")]
    client = ClientFactory()
    _import_entries(client, segments, people, 1)
    gone_segment, gone_person = segments[1].pk, people[0].pk
    segments[1].delete()
    people[0].delete()

    html = as_manager.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert f"Segment 0 → #{gone_segment}" in html
    assert f"— → #{gone_person}" in html
    assert "assignee: —" in html


@pytest.mark.django_db
def test_the_api_timeline_names_objects_in_one_query_per_kind_of_object(manager):
    segments = [SegmentFactory(name=f"Segment {n}") for n in range(12)]
    people = [UserFactory(first_name=f"Person{n}", last_name="Staff") for n in range(11)]
    short, long = ClientFactory(), ClientFactory()
    _import_entries(short, segments, people, 1)
    _import_entries(long, segments, people, 10)
    api = api_as(manager)

    def timeline(client):
        api.get(f"/clients/{client.pk}/timeline")
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(f"/clients/{client.pk}/timeline")
        assert response.status_code == 200
        return response.json(), len(ctx.captured_queries)

    (page, long_queries), (_, short_queries) = timeline(long), timeline(short)
    assert long_queries == short_queries
    details = [line for item in page["items"] for line in item["details"]]
    assert "Segment: Segment 8 → Segment 9" in details
    assert any("assignee: Person9 Staff" in line for line in details)


@pytest.mark.django_db
def test_the_card_asks_for_the_viewers_roles_once(as_manager):
    client = ClientFactory()
    as_manager.get(reverse("clients:detail", args=[client.pk]))
    with CaptureQueriesContext(connection) as ctx:
        as_manager.get(reverse("clients:detail", args=[client.pk]))
    group_queries = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "auth_group" INNER JOIN "auth_user_groups"' in q["sql"]
    ]
    # The card renders a template per panel with the request; the menu is made once.
    assert len(group_queries) == 1
