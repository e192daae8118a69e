"""The client list, card and forms as a user meets them: results, errors, nothing half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from kliento.clients.models import (
    ChannelConsent,
    Client,
    ContactPoint,
    PortraitFact,
    Purchase,
    TimelineEntry,
)
from tests.factories import (
    ClientFactory,
    ContactFactory,
    PortraitFactFactory,
    PurchaseFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def detail(client) -> str:
    return reverse("clients:detail", args=[client.pk])


# --- list -------------------------------------------------------------------------------------


def test_list_searches_and_links_to_cards(as_agent):
    anna = ClientFactory(name="Anna Nowak")
    ClientFactory(name="Piotr Mazur")
    response = as_agent.get(reverse("clients:list"), {"q": "nowak"})
    html = response.content.decode()
    assert response.status_code == 200
    assert detail(anna) in html
    assert "Piotr Mazur" not in html


def test_htmx_request_gets_only_the_results_partial(as_agent):
    ClientFactory(name="Anna Nowak")
    response = as_agent.get(reverse("clients:list"), {"q": "anna"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna Nowak" in html
    assert "<html" not in html
    assert "<nav" not in html.split("<table")[0]  # no navigation shell
    assert 'name="q"' not in html  # nor the filter form


def test_boosted_htmx_request_gets_the_whole_page(as_agent):
    response = as_agent.get(
        reverse("clients:list"), headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert "<html" in response.content.decode()


def results(response) -> str:
    return response.content.decode().split('<div id="results">', 1)[1]


def test_list_pages_by_the_configured_page_size(as_agent, settings):
    settings.KLIENTO_PAGE_SIZE = 2
    for name in ["Ada", "Bea", "Cyl", "Dan", "Eva"]:
        ClientFactory(name=name)
    # Only the results: the filter form lists staff, whose generated names could be "Dan".
    first = results(as_agent.get(reverse("clients:list")))
    last = results(as_agent.get(reverse("clients:list"), {"page": 3}))
    assert "Ada" in first and "Bea" in first and "Cyl" not in first
    assert "Page 1 of 3" in first
    assert "Eva" in last and "Dan" not in last


def test_out_of_range_or_bad_page_number_is_not_an_error(as_agent):
    ClientFactory(name="Ada")
    for page in ["999", "abc", "-1"]:
        response = as_agent.get(reverse("clients:list"), {"page": page})
        assert response.status_code == 200
        assert "Ada" in response.content.decode()


def test_bad_filter_values_are_ignored_with_a_notice(as_agent):
    ClientFactory(name="Ada")
    response = as_agent.get(reverse("clients:list"), {"segment": "abc", "tag": "999999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some filters were not understood and were ignored." in html
    assert "Ada" in html


def test_filter_by_segment(as_agent):
    adults = SegmentFactory(name="Adults")
    ClientFactory(name="Ada", segment=adults)
    ClientFactory(name="Bea")
    html = as_agent.get(reverse("clients:list"), {"segment": adults.pk}).content.decode()
    assert "Ada" in html and "Bea" not in html


# --- card -------------------------------------------------------------------------------------


def test_card_of_a_missing_client_is_404(as_agent):
    assert as_agent.get(reverse("clients:detail", args=[999999])).status_code == 404


def test_card_shows_contacts_consents_company_and_persons(as_agent):
    company = ClientFactory(kind="company", name="Vistula Tech")
    person = ClientFactory(name="Jan Mazur", company=company, job_title="HR lead")
    ContactFactory(client=person, kind="phone", value="+48600123456")
    ChannelConsent.objects.create(client=person, channel="sms", granted=True)

    person_html = as_agent.get(detail(person)).content.decode()
    company_html = as_agent.get(detail(company)).content.decode()

    assert "+48 600 123 456" in person_html
    assert detail(company) in person_html
    assert detail(person) in company_html


# --- create and edit --------------------------------------------------------------------------


def test_create_client_with_contacts(as_agent):
    response = as_agent.post(
        reverse("clients:create"),
        {"kind": "person", "name": "Zofia", "phone": "600 123 456", "email": "Z@Example.com"},
    )
    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(client)
    assert sorted(client.contacts.values_list("value", flat=True)) == [
        "+48600123456",
        "z@example.com",
    ]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "person", "name": ""}, "This field is required."),
        ({"kind": "alien", "name": "X"}, "Select a valid choice."),
        ({"kind": "person", "name": "X", "phone": "12"}, "“12” is not a valid phone number"),
        ({"kind": "person", "name": "X", "email": "x@"}, "“x@” is not a valid email address."),
    ],
    ids=["no-name", "bad-kind", "bad-phone", "bad-email"],
)
def test_create_with_bad_input_shows_the_error_and_writes_nothing(as_agent, data, error):
    response = as_agent.post(reverse("clients:create"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Client.objects.exists()
    assert not TimelineEntry.objects.exists()


def test_create_company_with_a_company_is_refused_on_the_company_field(as_agent):
    company = ClientFactory(kind="company")
    response = as_agent.post(
        reverse("clients:create"), {"kind": "company", "name": "Sub", "company": company.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["company"] == [
        "Only a person can be a contact of a company."
    ]
    assert Client.objects.count() == 1


def test_edit_records_the_change(as_agent, agent):
    client = ClientFactory(name="Anna", kind="person")
    response = as_agent.post(
        reverse("clients:edit", args=[client.pk]),
        {"kind": "person", "name": "Hanna", "job_title": "Dancer"},
    )
    assert response.status_code == 302
    entry = client.timeline.get()
    assert entry.actor == agent
    assert entry.data["changes"] == {"name": ["Anna", "Hanna"], "job_title": ["", "Dancer"]}


def test_saving_the_edit_form_unchanged_records_nothing(as_agent):
    client = ClientFactory(name="Anna", kind="person", notes="Likes tea")
    form = as_agent.get(reverse("clients:edit", args=[client.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "tags"}
    response = as_agent.post(reverse("clients:edit", args=[client.pk]), data)
    assert response.status_code == 302
    assert client.timeline.count() == 0


def test_a_client_of_a_departed_manager_can_still_be_edited(as_agent, manager):
    """Staff leave (their account is deactivated); their clients' cards must stay editable
    without first choosing a new manager."""
    client = ClientFactory(name="Anna", kind="person", account_manager=manager)
    manager.is_active = False
    manager.save()
    response = as_agent.post(
        reverse("clients:edit", args=[client.pk]),
        {"kind": "person", "name": "Hanna", "account_manager": manager.pk},
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert (client.name, client.account_manager) == ("Hanna", manager)
    form = as_agent.get(reverse("clients:create")).context["form"]
    assert manager not in form.fields["account_manager"].queryset  # not for new clients


def test_edit_with_bad_input_shows_the_error_and_changes_nothing(as_agent):
    client = ClientFactory(name="Anna")
    response = as_agent.post(reverse("clients:edit", args=[client.pk]), {"kind": "person"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    client.refresh_from_db()
    assert client.name == "Anna"


def test_edit_company_with_persons_into_a_person_is_refused_on_the_form(as_agent):
    company = ClientFactory(kind="company", name="Baltic Events")
    ClientFactory(company=company)
    response = as_agent.post(
        reverse("clients:edit", args=[company.pk]), {"kind": "person", "name": "Baltic Events"}
    )
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    company.refresh_from_db()
    assert company.kind == "company"


def test_client_cannot_be_its_own_company(as_agent):
    company = ClientFactory(kind="company")
    response = as_agent.post(
        reverse("clients:edit", args=[company.pk]),
        {"kind": "company", "name": "X", "company": company.pk},
    )
    assert response.status_code == 200
    assert "company" in response.context["form"].errors


def test_duplicate_external_ref_is_a_field_error(as_agent):
    ClientFactory(external_ref="CRM-1")
    response = as_agent.post(
        reverse("clients:create"), {"kind": "person", "name": "X", "external_ref": "CRM-1"}
    )
    assert response.status_code == 200
    assert "external_ref" in response.context["form"].errors
    assert Client.objects.count() == 1


# --- leaving and returning ----------------------------------------------------------------------


def test_mark_left_then_active_again(as_agent):
    client = ClientFactory()
    url = reverse("clients:status", args=[client.pk])
    yesterday = TODAY() - dt.timedelta(days=1)

    as_agent.post(url, {"left_on": yesterday.isoformat(), "reason": "Moved"})
    client.refresh_from_db()
    assert (client.status, client.left_on) == ("left", yesterday)

    as_agent.post(url)
    client.refresh_from_db()
    assert (client.status, client.left_on) == ("active", None)


def test_submitting_the_left_form_twice_does_not_bring_the_client_back(as_agent):
    """A double click or a second tab must not silently undo "left"."""
    client = ClientFactory()
    url = reverse("clients:status", args=[client.pk])
    data = {"left_on": TODAY().isoformat()}
    as_agent.post(url, data)
    response = as_agent.post(url, data)
    client.refresh_from_db()
    assert client.status == "left"
    assert "This client is already marked as left." in messages_of(response)
    assert client.timeline.count() == 1


def test_returning_an_active_client_is_refused_with_a_message(as_agent):
    client = ClientFactory()
    response = as_agent.post(reverse("clients:status", args=[client.pk]))
    assert "This client is already active." in messages_of(response)
    assert client.timeline.count() == 0


@pytest.mark.parametrize(
    ("left_on", "message"),
    [
        ("TOMORROW", "The date a client left cannot be in the future."),
        ("", "Enter the date the client left."),
        ("31.31.2025", "Enter the date the client left."),
    ],
)
def test_bad_left_date_is_refused_beside_the_field(as_agent, left_on, message):
    client = ClientFactory()
    if left_on == "TOMORROW":
        left_on = (TODAY() + dt.timedelta(days=1)).isoformat()
    response = as_agent.post(reverse("clients:status", args=[client.pk]), {"left_on": left_on})
    assert response.status_code == 200
    assert response.context["left_form"].errors == {"left_on": [message]}
    html = response.content.decode()
    assert 'id="left-form" class="collapse show' in html  # the form stays open
    assert 'id="id_left_on_error"' in html and 'aria-invalid="true"' in html
    client.refresh_from_db()
    assert client.status == "active"


# --- contacts and consent ----------------------------------------------------------------------


def test_add_contact_normalises_it(as_agent):
    client = ClientFactory()
    response = as_agent.post(
        reverse("clients:contact_add", args=[client.pk]),
        {"kind": "phone", "value": "600-123-456", "label": "mobile"},
    )
    assert response.status_code == 302
    assert client.contacts.get().value == "+48600123456"
    assert "Contact added." in messages_of(response)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "phone", "value": "hello"}, "value", "“hello” is not a phone number."),
        ({"kind": "email", "value": "a@"}, "value", "“a@” is not a valid email address."),
        ({"kind": "fax", "value": "1"}, "kind", "Select a valid choice."),
        ({"kind": "email", "value": ""}, "value", "This field is required."),
    ],
)
def test_bad_contact_is_refused_beside_its_field(as_agent, data, field, message):
    client = ClientFactory()
    response = as_agent.post(reverse("clients:contact_add", args=[client.pk]), data)
    assert response.status_code == 200
    errors = response.context["contact_form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message), errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "<details open>" in html  # the contact form stays open with what was typed
    assert not messages_of(response)
    assert not ContactPoint.objects.exists()


def test_duplicate_contact_is_refused(as_agent):
    client = ClientFactory()
    ContactFactory(client=client, kind="email", value="a@b.pl")
    response = as_agent.post(
        reverse("clients:contact_add", args=[client.pk]), {"kind": "email", "value": "A@B.pl"}
    )
    assert response.context["contact_form"].errors == {
        "value": ["This client already has this contact."]
    }
    assert client.contacts.count() == 1


def test_contact_of_another_client_cannot_be_removed_through_this_card(as_agent):
    other = ContactFactory()
    client = ClientFactory()
    url = reverse("clients:contact_remove", args=[client.pk, other.pk])
    assert as_agent.post(url).status_code == 404
    assert ContactPoint.objects.filter(pk=other.pk).exists()


def test_consent_is_granted_and_withdrawn(as_agent):
    client = ClientFactory()
    url = reverse("clients:consent_set", args=[client.pk])
    as_agent.post(url, {"channel": "email", "granted": "on"})
    assert ChannelConsent.objects.get(client=client, channel="email").granted is True
    as_agent.post(url, {"channel": "email"})
    assert ChannelConsent.objects.get(client=client, channel="email").granted is False
    assert client.timeline.count() == 2


def test_unknown_consent_channel_is_refused(as_agent):
    client = ClientFactory()
    response = as_agent.post(
        reverse("clients:consent_set", args=[client.pk]), {"channel": "pigeon"}
    )
    assert "Unknown channel." in messages_of(response)
    assert not ChannelConsent.objects.exists()


# --- portrait ---------------------------------------------------------------------------------


def test_fact_added_through_the_card_is_on_the_card_and_the_timeline(as_agent):
    client = ClientFactory()
    response = as_agent.post(
        reverse("clients:fact_add", args=[client.pk]),
        {"category": "lifestyle", "text": "Sails every summer", "source": "conversation"},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Sails every summer") == 2  # portrait and timeline


@pytest.mark.parametrize(
    "data",
    [
        {"category": "astrology", "text": "Leo", "source": "survey"},
        {"category": "family", "text": "", "source": "survey"},
        {"category": "family", "text": "x" * 2001, "source": "survey"},
        {"category": "family", "text": "Has twins", "source": "gossip"},
    ],
    ids=["bad-category", "no-text", "too-long", "bad-source"],
)
def test_bad_fact_is_refused_beside_its_field(as_agent, data):
    client = ClientFactory()
    response = as_agent.post(reverse("clients:fact_add", args=[client.pk]), data)
    assert response.status_code == 200
    errors = response.context["fact_form"].errors
    assert len(errors) == 1 and next(iter(errors)) in {"category", "text", "source"}
    field = next(iter(errors))
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not PortraitFact.objects.exists()


def test_verify_fact_with_corrected_text(as_agent):
    fact = PortraitFactFactory(text="Plays tennis")
    response = as_agent.post(
        reverse("clients:fact_verify", args=[fact.client_id, fact.pk]), {"text": "Plays padel"}
    )
    assert response.status_code == 302
    fact.refresh_from_db()
    assert fact.text == "Plays padel"


def test_verify_fact_with_too_long_text_is_refused_not_a_500(as_agent):
    fact = PortraitFactFactory(text="Plays tennis")
    old_verified_at = fact.verified_at
    response = as_agent.post(
        reverse("clients:fact_verify", args=[fact.client_id, fact.pk]), {"text": "x" * 2001}
    )
    assert response.status_code == 302
    assert any("2000" in m for m in messages_of(response)), messages_of(response)
    fact.refresh_from_db()
    assert (fact.text, fact.verified_at) == ("Plays tennis", old_verified_at)
    assert not TimelineEntry.objects.exists()


def test_fact_without_an_author_can_be_confirmed(as_agent, agent):
    """Imported facts, or those whose author left, have no recorded_by."""
    fact = PortraitFactFactory(recorded_by=None, verified_by=None)
    as_agent.post(reverse("clients:fact_verify", args=[fact.client_id, fact.pk]))
    fact.refresh_from_db()
    assert fact.verified_by == agent


def test_fact_of_another_client_is_404(as_manager):
    fact = PortraitFactFactory()
    other = ClientFactory()
    for name in ("clients:fact_verify", "clients:fact_remove"):
        assert as_manager.post(reverse(name, args=[other.pk, fact.pk])).status_code == 404
    assert PortraitFact.objects.filter(pk=fact.pk).exists()


def test_remove_fact(as_manager):
    fact = PortraitFactFactory()
    response = as_manager.post(reverse("clients:fact_remove", args=[fact.client_id, fact.pk]))
    assert response.status_code == 302
    assert not PortraitFact.objects.exists()


# --- purchases --------------------------------------------------------------------------------


def purchase_data(**overrides) -> dict:
    data = {
        "occurred_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
        "amount": "120.50",
        "currency": "EUR",
        "description": "Tango shoes",
        "channel": "online",
    }
    data.update(overrides)
    return data


def test_add_purchase(as_agent):
    client = ClientFactory()
    response = as_agent.post(reverse("clients:purchase_add", args=[client.pk]), purchase_data())
    assert response.status_code == 302
    purchase = client.purchases.get()
    assert (purchase.amount, purchase.currency, purchase.channel) == (
        Decimal("120.50"),
        "EUR",
        "online",
    )
    assert "Purchase recorded." in messages_of(response)


ISO = "Use a three-letter ISO 4217 currency code, such as EUR."


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "-1"}, "amount", "The amount cannot be negative."),
        ({"amount": "abc"}, "amount", "“abc” is not an amount; write it like 1234.50 or 1,234.50."),
        ({"amount": "1.234"}, "amount", "“1.234” is ambiguous"),
        ({"currency": "ZZZ"}, "currency", ISO),
        ({"currency": "EURO"}, "currency", ISO),
        ({"occurred_on": "TOMORROW"}, "occurred_on", "A purchase cannot be dated in the future."),
        ({"occurred_on": "2025-02-30"}, "occurred_on", "Enter a valid date."),
        ({"channel": "pigeon"}, "channel", "Select a valid choice."),
    ],
)
def test_bad_purchase_shows_the_card_again_with_the_error_beside_the_field(
    as_agent, overrides, field, message
):
    client = ClientFactory()
    if overrides.get("occurred_on") == "TOMORROW":
        overrides["occurred_on"] = (TODAY() + dt.timedelta(days=1)).isoformat()
    response = as_agent.post(
        reverse("clients:purchase_add", args=[client.pk]), purchase_data(**overrides)
    )
    assert response.status_code == 200
    form = response.context["purchase_form"]
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    assert '<details open><summary class="small">' in html  # the form is shown open
    assert message.split("“")[0] in html
    assert not Purchase.objects.exists()
    assert not TimelineEntry.objects.exists()


def test_remove_purchase(as_manager):
    purchase = PurchaseFactory()
    response = as_manager.post(
        reverse("clients:purchase_remove", args=[purchase.client_id, purchase.pk])
    )
    assert response.status_code == 302
    assert not Purchase.objects.exists()


def test_purchase_of_another_client_is_404(as_manager):
    purchase = PurchaseFactory()
    url = reverse("clients:purchase_remove", args=[ClientFactory().pk, purchase.pk])
    assert as_manager.post(url).status_code == 404
    assert Purchase.objects.exists()


# --- key clients ------------------------------------------------------------------------------


@pytest.fixture
def buyers():
    """Ten clients who bought last month; the top two bring 80% of the revenue."""
    day = TODAY() - dt.timedelta(days=30)
    clients = []
    for n, amount in enumerate([500, 300, 50, 40, 30, 25, 20, 15, 10, 10]):
        client = ClientFactory(name=f"Buyer {n}")
        PurchaseFactory(client=client, occurred_on=day, amount=Decimal(amount), currency="PLN")
        clients.append(client)
    return clients


def test_key_clients_page_shows_the_actual_split(as_auditor, buyers, settings):
    settings.KLIENTO_DEFAULT_CURRENCY = "PLN"
    html = as_auditor.get(reverse("metrics:key_clients")).content.decode()
    assert "The top 20% (2 of 10 buying clients) bring 80.0% of revenue." in html
    assert "Flag these as key clients" not in html  # the auditor may not flag


def test_flagging_marks_the_top_clients_and_records_it(as_manager, manager, buyers, settings):
    settings.KLIENTO_DEFAULT_CURRENCY = "PLN"
    response = as_manager.post(reverse("metrics:key_clients"))
    assert response.status_code == 302
    assert "2 clients flagged as key clients." in messages_of(response)
    assert set(Client.objects.filter(is_key=True)) == {buyers[0], buyers[1]}
    assert (
        TimelineEntry.objects.filter(kind=TimelineEntry.Kind.KEY_FLAGGED, actor=manager).count()
        == 2
    )


def test_flagging_uses_the_chosen_period_and_currency(as_manager, buyers):
    eur_buyer = ClientFactory()
    PurchaseFactory(client=eur_buyer, occurred_on=TODAY(), amount=Decimal(1), currency="EUR")
    query = f"?start={TODAY().isoformat()}&end={TODAY().isoformat()}&currency=eur"
    as_manager.post(reverse("metrics:key_clients") + query)
    assert list(Client.objects.filter(is_key=True)) == [eur_buyer]


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"start": "2025-12-31", "end": "2025-01-01", "currency": "PLN"}, "The period must start"),
        ({"start": "2025-01-01", "end": "2025-12-31", "currency": "PL"}, "at least 3 characters"),
        ({"start": "yesterday", "end": "2025-12-31", "currency": "PLN"}, "Enter a valid date."),
    ],
)
def test_bad_analysis_parameters_show_an_error(as_manager, buyers, params, error):
    response = as_manager.get(reverse("metrics:key_clients"), params)
    assert response.status_code == 200
    assert error in response.content.decode()
    # Posting the same bad parameters flags nobody.
    as_manager.post(reverse("metrics:key_clients") + "?" + response.wsgi_request.GET.urlencode())
    assert not Client.objects.filter(is_key=True).exists()


def test_key_clients_page_works_on_29_february(as_auditor, monkeypatch):
    """The default period is the last year; 29 February has no counterpart a year earlier."""
    from kliento.metrics import views

    class LeapDay:
        @staticmethod
        def localdate():
            return dt.date(2028, 2, 29)

    monkeypatch.setattr(views, "timezone", LeapDay)
    response = as_auditor.get(reverse("metrics:key_clients"))
    assert response.status_code == 200
    assert response.context["form"].initial["start"] == dt.date(2027, 3, 1)


def test_card_queries_do_not_grow_with_its_content(as_agent, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kliento.clients import services

    def card_with(n: int) -> int:
        client = ClientFactory(account_manager=manager)
        for i in range(n):
            PortraitFactFactory(client=client, text=f"fact {i}", verified_by=manager)
            PurchaseFactory(client=client, amount=Decimal(i))
            ContactFactory(client=client)
            services.set_consent(
                actor=manager, client=client, channel=["sms", "email", "post"][i % 3], granted=True
            )
        as_agent.get(detail(client))  # warm caches (sessions, permissions)
        with CaptureQueriesContext(connection) as queries:
            assert as_agent.get(detail(client)).status_code == 200
        return len(queries)

    assert card_with(12) == card_with(1)


def test_list_queries_do_not_grow_with_the_number_of_clients(as_agent, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    company = ClientFactory(kind="company")
    segment = SegmentFactory()

    def list_queries() -> int:
        as_agent.get(reverse("clients:list"))
        with CaptureQueriesContext(connection) as queries:
            assert as_agent.get(reverse("clients:list")).status_code == 200
        return len(queries)

    ClientFactory(company=company, segment=segment, account_manager=manager)
    few = list_queries()
    for _ in range(10):
        ClientFactory(company=company, segment=segment, account_manager=manager)
    assert list_queries() == few


@pytest.mark.django_db
def test_manager_flags_and_unflags_a_key_client_from_the_card(as_manager, client_card):
    from kliento.clients.models import TimelineEntry

    url = reverse("clients:key_flag", args=[client_card.pk])
    as_manager.post(url, {"is_key": "1"})
    as_manager.post(url, {"is_key": "1"})  # a repeated submit changes nothing
    client_card.refresh_from_db()
    assert client_card.is_key
    assert client_card.timeline.filter(kind=TimelineEntry.Kind.KEY_FLAGGED).count() == 1

    as_manager.post(url, {"is_key": "0"})
    client_card.refresh_from_db()
    assert not client_card.is_key
    assert client_card.timeline.filter(kind=TimelineEntry.Kind.KEY_UNFLAGGED).count() == 1


@pytest.mark.django_db
def test_agent_cannot_flag_a_key_client(as_agent, client_card):
    page = as_agent.get(client_card.get_absolute_url()).content.decode()
    assert 'id="key-flag"' not in page
    response = as_agent.post(reverse("clients:key_flag", args=[client_card.pk]), {"is_key": "1"})
    assert response.status_code == 403
    client_card.refresh_from_db()
    assert not client_card.is_key
