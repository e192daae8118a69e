"""Bulk actions on the client list: who may run which, the confirm step, the services' effect."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kliento.clients import services
from kliento.clients.models import Client, TimelineEntry
from kliento.core import roles
from tests.factories import ClientFactory, SegmentFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db
BULK = "/clients/bulk/"
LIST = "/clients/"
EDITED = TimelineEntry.Kind.EDITED


def _entries(kind: str = EDITED) -> int:
    return TimelineEntry.objects.filter(kind=kind).count()


def _action_keys(http) -> list[str]:
    return [a.key for a in http.get(LIST).context["bulk_actions"]]


# --- who sees and may run which action ---------------------------------------------------------


def test_a_manager_is_offered_every_action(as_manager):
    assert _action_keys(as_manager) == [
        "assign_manager",
        "add_tag",
        "remove_tag",
        "set_segment",
        "mark_left",
        "export",
    ]


def test_an_agent_may_edit_but_not_export(as_agent, client_card):
    assert "export" not in _action_keys(as_agent)
    response = as_agent.post(BULK, {"action": "export", "ids": [client_card.pk]})
    assert response.status_code == 403


def test_an_auditor_sees_no_actions_and_may_post_none(as_auditor, client_card):
    ClientFactory(name="Piotr Mazur")
    response = as_auditor.get(LIST)
    assert response.context["bulk_actions"] == []
    html = response.content.decode()
    assert 'id="bulk-action"' not in html and 'name="ids"' not in html
    tag = TagFactory(name="vip")
    response = as_auditor.post(
        BULK, {"action": "add_tag", "ids": [client_card.pk], "tag": tag.pk, "confirm": "1"}
    )
    assert response.status_code == 403
    assert not client_card.tags.exists()


@pytest.mark.parametrize("role", [roles.STAGE_OWNER, roles.AGENT, roles.ADMINISTRATOR])
def test_roles_that_change_clients_may_tag_them(role, client):
    user = UserFactory(username=f"bulk-{role}", role=role)
    client.force_login(user)
    card = ClientFactory()
    tag = TagFactory(name="vip")
    response = client.post(
        BULK, {"action": "add_tag", "ids": [card.pk], "tag": tag.pk, "confirm": "1"}
    )
    assert response.status_code == 302
    assert list(card.tags.values_list("name", flat=True)) == ["vip"]


def test_users_without_a_role_and_anonymous_are_refused(as_outsider, client, client_card):
    assert as_outsider.post(BULK, {"action": "add_tag", "ids": [client_card.pk]}).status_code == 403
    response = client.post(BULK, {"action": "add_tag", "ids": [client_card.pk]})
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- the confirm step ---------------------------------------------------------------------------


def test_the_first_post_shows_the_count_and_changes_nothing(as_manager):
    a, b = ClientFactory(), ClientFactory()
    response = as_manager.post(BULK, {"action": "add_tag", "ids": [a.pk, b.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This applies to 2 clients." in html
    assert 'name="tag"' in html and 'name="confirm" value="1"' in html
    assert f'name="ids" value="{a.pk},{b.pk}"' in html
    assert _entries() == 0


def test_nothing_selected_or_unknown_action_is_a_bad_request(as_manager, client_card):
    assert as_manager.post(BULK, {"action": "add_tag"}).status_code == 400
    assert as_manager.post(BULK, {"action": "nuke", "ids": [client_card.pk]}).status_code == 400
    assert as_manager.post(BULK, {"action": "add_tag", "ids": ["x"]}).status_code == 400


def test_an_invalid_value_is_shown_on_the_confirm_page(as_manager, client_card):
    future = timezone.localdate() + dt.timedelta(days=3)
    response = as_manager.post(
        BULK,
        {"action": "mark_left", "ids": [client_card.pk], "left_on": future, "confirm": "1"},
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    client_card.refresh_from_db()
    assert client_card.status == Client.Status.ACTIVE


# --- the effect ---------------------------------------------------------------------------------


def test_assign_manager_writes_one_entry_per_changed_client(as_manager, manager):
    olena = UserFactory(username="olena", role=roles.AGENT)
    already = ClientFactory(account_manager=olena)
    others = [ClientFactory(), ClientFactory(account_manager=manager)]
    ids = [already.pk, *(c.pk for c in others)]
    response = as_manager.post(
        BULK, {"action": "assign_manager", "ids": ids, "manager": olena.pk, "confirm": "1"}
    )
    assert response.status_code == 302
    assert set(Client.objects.filter(pk__in=ids).values_list("account_manager", flat=True)) == {
        olena.pk
    }
    entries = TimelineEntry.objects.filter(kind=EDITED).order_by("client_id")
    assert [e.client_id for e in entries] == [c.pk for c in others]
    assert entries[1].data["changes"] == {"account_manager": [manager.pk, olena.pk]}
    assert entries[1].actor == manager
    assert "Account manager: — → Staffer" in entries[0].lines()[0]
    # The same again changes nothing and records nothing.
    as_manager.post(
        BULK, {"action": "assign_manager", "ids": ids, "manager": olena.pk, "confirm": "1"}
    )
    assert _entries() == 2


def test_all_matching_honours_the_filters(as_manager):
    segment = SegmentFactory(name="VIP")
    inside = [ClientFactory(name=f"Nowak {n}", segment=segment) for n in range(3)]
    ClientFactory(name="Nowak outside")  # matches the search, not the segment
    ClientFactory(name="Mazur", segment=segment)  # the segment, not the search
    tag = TagFactory(name="campaign")
    query = f"q=nowak&segment={segment.pk}"
    confirm = as_manager.post(BULK, {"action": "add_tag", "all": "1", "query": query})
    assert "This applies to 3 clients." in confirm.content.decode()
    response = as_manager.post(
        BULK, {"action": "add_tag", "all": "1", "query": query, "tag": tag.pk, "confirm": "1"}
    )
    assert response["Location"] == f"/clients/?{query}"
    assert set(tag.clients.values_list("pk", flat=True)) == {c.pk for c in inside}
    assert _entries() == 3


def test_ticked_rows_ignore_the_filters(as_manager):
    a, b, _c = ClientFactory(), ClientFactory(), ClientFactory()
    segment = SegmentFactory(name="Gold")
    as_manager.post(
        BULK,
        {
            "action": "set_segment",
            "ids": f"{a.pk},{b.pk}",
            "query": "q=nobody",
            "segment": segment.pk,
            "confirm": "1",
        },
    )
    assert set(segment.clients.values_list("pk", flat=True)) == {a.pk, b.pk}


def test_remove_tag_records_the_tags_before_and_after(manager):
    vip, late = TagFactory(name="vip"), TagFactory(name="late payer")
    client = ClientFactory()
    client.tags.set([vip, late])
    untagged = ClientFactory()
    changed = services.bulk_remove_tag(actor=manager, client_ids=[client.pk, untagged.pk], tag=vip)
    assert changed == 1
    entry = TimelineEntry.objects.get(kind=EDITED)
    assert entry.client_id == client.pk
    assert entry.data["changes"] == {"tags": [["late payer", "vip"], ["late payer"]]}


def test_mark_left_skips_clients_who_already_left(manager):
    gone = ClientFactory(status=Client.Status.LEFT, left_on=dt.date(2025, 1, 1))
    active = ClientFactory()
    day = timezone.localdate() - dt.timedelta(days=1)
    changed = services.bulk_mark_left(
        actor=manager, client_ids=[gone.pk, active.pk], left_on=day, reason="Moved away"
    )
    assert changed == 1
    gone.refresh_from_db()
    active.refresh_from_db()
    assert gone.left_on == dt.date(2025, 1, 1)
    assert (active.status, active.left_on) == (Client.Status.LEFT, day)
    entry = TimelineEntry.objects.get(kind=TimelineEntry.Kind.LEFT)
    assert (entry.client_id, entry.summary) == (active.pk, "Moved away")


def test_only_staff_can_be_assigned(manager):
    stranger = UserFactory(username="stranger")  # no role
    client = ClientFactory()
    with pytest.raises(ValidationError):
        services.bulk_assign_manager(actor=manager, client_ids=[client.pk], manager=stranger)
    client.refresh_from_db()
    assert client.account_manager is None


def test_large_selections_are_processed_in_chunks(manager, monkeypatch):
    from kliento.clients.services import bulk

    monkeypatch.setattr(bulk, "CHUNK", 2)
    clients = [ClientFactory() for _ in range(5)]
    tag = TagFactory(name="chunked")
    ids = [c.pk for c in reversed(clients)]
    assert services.bulk_add_tag(actor=manager, client_ids=ids, tag=tag) == 5
    assert tag.clients.count() == 5
    assert _entries() == 5


def test_export_action_offers_the_selection_as_files(as_manager):
    a, b = ClientFactory(), ClientFactory()
    response = as_manager.post(BULK, {"action": "export", "ids": [a.pk, b.pk]})
    export = reverse("imports:export", args=["clients"])
    assert f"{export}?format=csv&amp;ids={a.pk}%2C{b.pk}" in response.content.decode()
    everything = as_manager.post(BULK, {"action": "export", "all": "1", "query": "q=nowak"})
    assert f"{export}?format=csv&amp;q=nowak" in everything.content.decode()
