"""The client's timeline on the card: newest first, edits shown old → new, "show earlier" pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from kliento.clients import services
from kliento.clients.models import TimelineEntry
from kliento.clients.views import TIMELINE_PAGE
from tests.factories import ClientFactory, SegmentFactory, TagFactory

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def entry_summaries(html: str) -> list[str]:
    return re.findall(r"<li>(event-\d+)</li>", html)


def more_url(html: str) -> str | None:
    # The "show earlier" button's link (the timeline's own refresh link has no cursor).
    match = re.search(r'hx-get="([^"]+/timeline/\?before=[^"]*)"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def make_entries(client, count: int, *, same_moment: bool) -> None:
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            client=client,
            kind=TimelineEntry.Kind.EDITED,
            summary=f"event-{n}",
            occurred_at=MOMENT if same_moment else MOMENT + dt.timedelta(microseconds=1001 * n),
        )
        for n in range(count)
    )


def walk(http, client) -> list[list[str]]:
    """Open the card, then follow "show earlier" to the end; the summaries of each page."""
    html = http.get(reverse("clients:detail", args=[client.pk])).content.decode()
    pages = [entry_summaries(html)]
    url = more_url(html)
    while url:
        response = http.get(url)
        assert response.status_code == 200
        part = response.content.decode()
        assert "<html" not in part  # only the fragment that replaces the button
        pages.append(entry_summaries(part))
        url = more_url(part)
        assert len(pages) < 10
    return pages


@pytest.mark.parametrize("same_moment", [False, True], ids=["distinct-times", "same-time"])
def test_show_earlier_returns_the_next_page_without_duplicates(as_agent, same_moment):
    client = ClientFactory()
    total = 2 * TIMELINE_PAGE + 5
    make_entries(client, total, same_moment=same_moment)

    pages = walk(as_agent, client)

    assert [len(p) for p in pages] == [TIMELINE_PAGE, TIMELINE_PAGE, 5]
    flat = [s for page in pages for s in page]
    assert len(set(flat)) == total
    # Newest first: the entry created last comes first.
    assert flat == [f"event-{n}" for n in reversed(range(total))]


def test_short_timeline_has_no_show_earlier_button(as_agent):
    client = ClientFactory()
    make_entries(client, TIMELINE_PAGE, same_moment=False)
    html = as_agent.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert len(entry_summaries(html)) == TIMELINE_PAGE
    assert more_url(html) is None


def test_timeline_pages_do_not_mix_clients(as_agent):
    client = ClientFactory()
    make_entries(client, 3, same_moment=False)
    make_entries(ClientFactory(), 3, same_moment=False)
    assert walk(as_agent, client) == [["event-2", "event-1", "event-0"]]


@pytest.mark.parametrize(
    "before",
    [
        "garbage",
        "2026-13-01T00:00:00+00:00_5",
        "2026-03-01T12:00:00+00:00_x",
        "_",
        "a_b_c",
        "2099-03-01T12:00:00+00:00_99999999999999999999999",
        "2099-03-01T12:00:00+00:00_-5",
        # Valid timestamps whose UTC value falls outside the years 1-9999.
        "0001-01-01T00:00:00+01:00_5",
        "9999-12-31T23:59:59-05:00_5",
    ],
)
def test_malformed_cursor_is_ignored_not_a_500(as_agent, before):
    client = ClientFactory()
    make_entries(client, 2, same_moment=False)
    response = as_agent.get(reverse("clients:timeline", args=[client.pk]), {"before": before})
    assert response.status_code == 200
    assert entry_summaries(response.content.decode()) == ["event-1", "event-0"]


def test_edit_shows_each_changed_field_old_and_new(as_agent, manager):
    client = ClientFactory(name="Anna Nowak", segment=SegmentFactory(name="Kids"))
    services.update_client(
        actor=manager,
        client=client,
        changes={"name": "Anna Kowalska", "segment": SegmentFactory(name="Adults")},
    )
    html = as_agent.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert "Name: Anna Nowak → Anna Kowalska" in html
    assert "Segment: Kids → Adults" in html


def test_every_kind_of_event_is_described_on_the_card(as_agent, manager):
    client = services.create_client(actor=manager, name="Olena")
    services.add_portrait_fact(
        actor=manager, client=client, category="lifestyle", text="Runs marathons", source="survey"
    )
    services.record_purchase(
        actor=manager, client=client, occurred_on=dt.date(2026, 1, 2), amount=5, currency="PLN"
    )
    html = as_agent.get(reverse("clients:detail", args=[client.pk])).content.decode()
    for label in ["Client created", "Portrait fact added", "Purchase"]:
        assert f"<strong>{label}</strong>" in html
    assert "Runs marathons" in html


def test_tag_changes_are_listed_readably(as_agent, manager):
    client = ClientFactory()
    client.tags.set([TagFactory(name="tango")])
    services.update_client(
        actor=manager,
        client=client,
        changes={},
        tags=[TagFactory(name="salsa"), TagFactory(name="bachata")],
    )
    html = as_agent.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert "Tags: tango → bachata, salsa" in html
    assert "[" not in html.split('id="timeline"')[1].split("</ul>")[0]


def test_coded_values_are_shown_by_their_labels(as_agent, manager):
    client = ClientFactory(kind="person", language="")
    services.update_client(
        actor=manager, client=client, changes={"kind": "company", "language": "pl"}
    )
    assert client.timeline.get().data["changes"]["kind"] == ["person", "company"]  # stored codes
    html = as_agent.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert "Kind: Person → Company" in html
    assert "Language: — → Polski" in html


def test_imported_changes_show_names_not_ids_and_read_in_the_viewers_language(as_agent):
    from django.db import transaction

    from kliento.clients.services import timeline

    client = ClientFactory()
    vip = SegmentFactory(name="VIP")
    with transaction.atomic():
        timeline.record(
            client=client,
            kind=TimelineEntry.Kind.IMPORTED,
            data={"file": "march.csv", "created": False, "changes": {"segment": [None, vip.pk]}},
        )
    card = reverse("clients:detail", args=[client.pk])
    html = as_agent.get(card).content.decode()
    assert "Updated by import from march.csv" in html
    assert "Segment: — → VIP" in html
    assert f"→ {vip.pk}<" not in html

    as_agent.post(reverse("set_language"), {"language": "pl"})
    html_pl = as_agent.get(card).content.decode()
    assert "Updated by import from" not in html_pl  # rendered now, in Polish, not stored text
    assert "march.csv" in html_pl and "VIP" in html_pl
