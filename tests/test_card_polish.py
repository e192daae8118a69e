"""The card's finish: amounts and dates as the viewer writes them, errors beside their fields,
required fields marked, removals confirmed and undoable, a phone's country, what each role is
offered, the menu, the favicon, the settings' door and the API docs offline."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.staticfiles import finders
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from kliento.clients import services
from kliento.clients.models import ContactPoint, PortraitFact, TimelineEntry
from kliento.core import roles
from kliento.core.admin import group_label
from tests.factories import (
    ClientFactory,
    ContactFactory,
    PortraitFactFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def messages_of(response) -> list:
    return list(get_messages(response.wsgi_request))


def card(http, client) -> str:
    return http.get(reverse("clients:detail", args=[client.pk])).content.decode()


# --- 2. amounts and dates on the timeline ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "amount"), [("en", "1,800.00 PLN"), ("pl", "1\xa0800,00 PLN")]
)
def test_purchase_on_the_timeline_reads_as_on_the_card(manager, language, amount):
    client = ClientFactory()
    with translation.override("en"):
        services.record_purchase(
            actor=manager,
            client=client,
            occurred_on=dt.date(2026, 1, 12),
            amount=Decimal("1800"),
            currency="PLN",
            description="Season ticket",
        )
    entry = TimelineEntry.objects.get(kind=TimelineEntry.Kind.PURCHASE)
    # Stored neutral, whatever the language it was recorded in.
    assert entry.summary == "1800.00 PLN Season ticket"
    assert entry.data["amount"] == "1800.00"
    with translation.override(language):
        lines = entry.lines()
    with translation.override(language):
        day = date_format(dt.date(2026, 1, 12), "SHORT_DATE_FORMAT")
    assert lines[0].replace(" ", "\xa0") == f"{amount} · {day}".replace(" ", "\xa0")
    assert lines[1] == "Season ticket"


def test_old_purchase_entries_and_removals_read_in_the_viewers_format(manager):
    client = ClientFactory()
    # Older entries: no date, or no amount in `data`, the description only in the summary.
    with transaction.atomic():
        services.timeline.record(
            client=client,
            kind=TimelineEntry.Kind.PURCHASE,
            summary="2500.50 PLN Private lesson",
            data={},
        )
        services.timeline.record(
            client=client,
            kind=TimelineEntry.Kind.PURCHASE_REMOVED,
            summary="2500.50 PLN",
            data={"occurred_on": "2026-01-02"},
        )
    added, removed = TimelineEntry.objects.order_by("id")
    with translation.override("pl"):
        day = date_format(dt.date(2026, 1, 2), "SHORT_DATE_FORMAT")
        assert [line.replace("\xa0", " ") for line in added.lines()] == [
            "2 500,50 PLN",
            "Private lesson",
        ]
        assert [line.replace("\xa0", " ") for line in removed.lines()] == [f"2 500,50 PLN · {day}"]


def test_dates_on_the_card_do_not_wrap(as_manager, manager):
    client = ClientFactory()
    services.record_purchase(
        actor=manager,
        client=client,
        occurred_on=TODAY(),
        amount=Decimal("10"),
        currency="PLN",
    )
    html = card(as_manager, client)
    day = date_format(TODAY(), "SHORT_DATE_FORMAT")
    assert f'<td class="text-nowrap">{day}</td>' in html
    assert re.search(r'<span class="text-nowrap">[\d/.-]{10} [^<]+</span>', html)


# --- 3. errors beside their fields, required fields marked ------------------------------------


def test_required_fields_are_marked_on_every_card_form(as_manager):
    client = ClientFactory()
    html = card(as_manager, client)
    for form_id in ("contact-form", "fact-form", "purchase-form", "left-form"):
        form = html[html.index(f'id="{form_id}"') :]
        form = form[: form.index("</form>")]
        assert 'aria-required="true"' in form, form_id
        assert 'class="text-danger required-mark" aria-hidden="true">*' in form, form_id
    edit = as_manager.get(reverse("clients:edit", args=[client.pk])).content.decode()
    assert re.search(r'name="name"[^>]*aria-required="true"', edit)


def test_bad_purchase_shows_each_error_beside_its_field(as_manager):
    client = ClientFactory()
    response = as_manager.post(
        reverse("clients:purchase_add", args=[client.pk]),
        {"occurred_on": "", "amount": "abc", "currency": "XXX"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("occurred_on", "amount", "currency"):
        assert f'id="id_{field}_error"' in html
        assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', html) or re.search(
            rf'aria-invalid="true"[^>]*name="{field}"', html
        )
    assert '<div class="alert alert-danger"' not in html  # no banner above the form


def test_bad_edit_shows_the_error_beside_the_field(as_manager):
    client = ClientFactory()
    response = as_manager.post(reverse("clients:edit", args=[client.pk]), {"kind": "person"})
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()


# --- 4. removal confirmed and undone -----------------------------------------------------------


def test_removing_a_contact_asks_first_and_can_be_undone(as_agent):
    client = ClientFactory()
    contact = ContactFactory(
        client=client, kind="email", value="anna@example.com", label="work", is_primary=True
    )
    url = reverse("clients:contact_remove", args=[client.pk, contact.pk])
    assert url in card(as_agent, client)  # the cross leads to the question, it removes nothing

    confirm = as_agent.get(url)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Remove this contact?" in html and "anna@example.com" in html
    assert "<script" not in html.split("</main>")[0].split("<main")[1]  # no inline script
    assert ContactPoint.objects.filter(pk=contact.pk).exists()

    response = as_agent.post(url, follow=True)
    assert not ContactPoint.objects.filter(client=client).exists()
    removal = TimelineEntry.objects.get(kind=TimelineEntry.Kind.CONTACT_REMOVED)
    undo = reverse("clients:contact_restore", args=[client.pk, removal.pk])
    page = response.content.decode()
    assert "Contact removed." in page and f'action="{undo}"' in page and "Undo" in page

    response = as_agent.post(undo, follow=True)
    assert "Contact restored." in response.content.decode()
    restored = ContactPoint.objects.get(client=client)
    assert (restored.kind, restored.value, restored.label, restored.is_primary) == (
        "email",
        "anna@example.com",
        "work",
        True,
    )
    entry = TimelineEntry.objects.get(kind=TimelineEntry.Kind.CONTACT_RESTORED)
    assert entry.data["restores"] == removal.pk and entry.actor.username == "agent"

    # Undone once only.
    again = as_agent.post(undo)
    assert [str(m) for m in messages_of(again)] == ["This removal is already undone."]
    assert ContactPoint.objects.filter(client=client).count() == 1


def test_removing_a_fact_asks_first_and_can_be_undone_with_its_history(as_manager, manager):
    author = UserFactory(username="olena")
    verified = timezone.now() - dt.timedelta(days=40)
    fact = PortraitFactFactory(
        text="Plays tennis", category="lifestyle", recorded_by=author, verified_at=verified
    )
    client = fact.client
    url = reverse("clients:fact_remove", args=[client.pk, fact.pk])
    assert "Remove this portrait fact?" in as_manager.get(url).content.decode()
    as_manager.post(url)
    assert not PortraitFact.objects.exists()
    removal = TimelineEntry.objects.get(kind=TimelineEntry.Kind.FACT_REMOVED)
    as_manager.post(reverse("clients:fact_restore", args=[client.pk, removal.pk]))
    restored = PortraitFact.objects.get()
    assert (restored.text, restored.category, restored.source) == (
        "Plays tennis",
        "lifestyle",
        fact.source,
    )
    assert restored.recorded_by == author
    assert restored.verified_at == verified  # a restore confirms nothing
    assert TimelineEntry.objects.filter(kind=TimelineEntry.Kind.FACT_RESTORED).count() == 1


def test_undo_is_refused_after_ten_minutes(as_agent, agent):
    client = ClientFactory()
    contact = ContactFactory(client=client)
    entry = services.remove_contact(actor=agent, contact=contact)
    TimelineEntry.objects.filter(pk=entry.pk).update(
        occurred_at=timezone.now() - dt.timedelta(minutes=11)
    )
    response = as_agent.post(reverse("clients:contact_restore", args=[client.pk, entry.pk]))
    assert response.status_code == 302
    assert [str(m) for m in messages_of(response)] == [
        "It is too late to undo this removal; add it again instead."
    ]
    assert not ContactPoint.objects.exists()


def test_undo_refuses_entries_that_are_not_removals_or_of_another_client(as_agent, agent):
    client, other = ClientFactory(), ClientFactory()
    contact = ContactFactory(client=other)
    entry = services.remove_contact(actor=agent, contact=contact)
    url = reverse("clients:contact_restore", args=[client.pk, entry.pk])
    assert [str(m) for m in messages_of(as_agent.post(url))] == ["There is nothing to undo here."]
    fact_url = reverse("clients:fact_restore", args=[other.pk, entry.pk])
    # (The first message is still waiting to be shown: the redirect was not followed.)
    assert str(messages_of(as_agent.post(fact_url))[-1]) == "There is nothing to undo here."
    assert not ContactPoint.objects.exists() and not PortraitFact.objects.exists()


def test_who_may_not_remove_may_not_undo(as_auditor, agent):
    client = ClientFactory()
    entry = services.remove_contact(actor=agent, contact=ContactFactory(client=client))
    url = reverse("clients:contact_restore", args=[client.pk, entry.pk])
    assert as_auditor.post(url).status_code == 403
    assert as_auditor.get(reverse("clients:contact_remove", args=[client.pk, 1])).status_code == 403
    assert not ContactPoint.objects.exists()


# --- 6. the card offers only what the user may do ----------------------------------------------


def test_the_auditors_card_offers_nothing_to_change(as_auditor, manager):
    client = ClientFactory()
    contact = ContactFactory(client=client)
    fact = PortraitFactFactory(client=client)
    html = card(as_auditor, client)
    assert '<form method="post"' not in html.split("<main")[1].split("</main>")[0]
    for name, args in [
        ("clients:contact_remove", [client.pk, contact.pk]),
        ("clients:fact_remove", [client.pk, fact.pk]),
        ("clients:edit", [client.pk]),
    ]:
        assert reverse(name, args=args) not in html
    assert "Add what you learn" not in html and "Confirm at the next contact" not in html
    empty = card(as_auditor, ClientFactory())
    assert "Nothing is known about this client yet." in empty
    assert "Add what you learn" not in empty


# --- 9. a phone's country ----------------------------------------------------------------------


def test_a_ukrainian_number_is_taken_with_its_country(as_agent, settings):
    settings.KLIENTO_DEFAULT_REGION = "PL"
    client = ClientFactory()
    url = reverse("clients:contact_add", args=[client.pk])
    refused = as_agent.post(url, {"kind": "phone", "value": "067 123 45 67", "region": "PL"})
    assert refused.context["contact_form"].errors["value"] == [
        "“067 123 45 67” is not a valid phone number for Poland (+48). Pick the country, or "
        "write the number with its country code."
    ]
    accepted = as_agent.post(url, {"kind": "phone", "value": "067 123 45 67", "region": "UA"})
    assert accepted.status_code == 302
    assert client.contacts.get().value == "+380671234567"


def test_the_country_is_preselected_from_the_last_phone_then_the_language(as_agent, settings):
    settings.KLIENTO_DEFAULT_REGION = "PL"

    def preselected(client) -> str:
        html = card(as_agent, client)
        select = html[html.index('name="region"') :]
        return re.search(r'<option value="(\w+)" selected>', select).group(1)

    assert preselected(ClientFactory()) == "PL"
    assert preselected(ClientFactory(language="uk")) == "UA"
    german = ClientFactory(language="uk")
    ContactFactory(client=german, kind="phone", value="+49301234567")
    assert preselected(german) == "DE"


def test_the_country_list_is_in_the_viewers_language(as_agent):
    client = ClientFactory()
    as_agent.cookies["django_language"] = "pl"
    html = card(as_agent, client)
    assert "Niemcy (+49)" in html and "Polska (+48)" in html


# --- 7. the menu and the favicon ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["imports:list", "imports:new"])
def test_only_import_is_current_on_import_pages(as_manager, name):
    html = as_manager.get(reverse(name)).content.decode()
    nav = html.split("<nav")[1].split("</nav>")[0]
    current = re.findall(r'<a class="[^"]*\bactive\b[^"]*"[^>]*>([^<]+)</a>', nav)
    assert current == ["Setup", "Import"]


def test_every_page_has_a_favicon(as_agent, client):
    assert '<link rel="icon" href="/static/favicon.svg"' in as_agent.get("/").content.decode()
    assert finders.find("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


# --- 5. the settings -----------------------------------------------------------------------------


def test_settings_refuse_a_user_without_access_with_the_apps_page(as_agent, client):
    response = as_agent.get("/admin/", follow=True)
    assert response.status_code == 403
    html = response.content.decode()
    assert 'id="id_password"' not in html  # not the admin's login form
    assert "Kliento" in html
    anonymous = client.get("/admin/", follow=True)
    assert anonymous.redirect_chain[-1][0].startswith("/login/?next=")


def test_settings_name_roles_and_task_results_in_the_users_language(client):
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    html = client.get(reverse("admin:auth_user_change", args=[admin.pk])).content.decode()
    stage_owner = Group.objects.get(name=roles.STAGE_OWNER)
    assert f'<option value="{stage_owner.pk}">Stage owner</option>' in html
    assert ">stage_owner<" not in html
    index = client.get(reverse("admin:index")).content.decode()
    assert "Task Results" not in index and "Task results" in index
    with translation.override("pl"):
        assert group_label(stage_owner) == str(roles.ROLE_LABELS[roles.STAGE_OWNER])


# --- 10. the API documentation works offline ---------------------------------------------------


def test_api_docs_load_swagger_from_kliento_itself(as_agent):
    html = as_agent.get("/api/v1/docs").content.decode()
    assert "cdn" not in html
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert scripts and all(s.startswith("/static/") for s in scripts), scripts
    for path in scripts:
        assert finders.find(path.removeprefix("/static/")), path
