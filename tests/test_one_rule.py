"""One rule, one answer: the card's form, the API and the services refuse (or accept) the same
input with the same message, reported on the same field.

Each rule is checked through every entry path; a path reports its errors by the rules' field
names (the API's `company_id` is the rules' `company`), so the answers compare directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone, translation

from kliento.clients import rules, services
from kliento.clients.models import Client, Purchase, TimelineEntry
from tests.api_support import api_as
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

FROM_API = {api: name for name, api in rules.API_NAMES.items()}
TODAY = timezone.localdate


@dataclass
class Outcome:
    errors: dict[str, list[str]] = field(default_factory=dict)
    client: Client | None = None


def _api_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    errors: dict[str, list[str]] = {}
    for item in response.json()["detail"]:
        name = str(item["loc"][-1])
        errors.setdefault(FROM_API.get(name, name), []).append(item["msg"])
    return errors


def _form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, response
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


# --------------------------------------------------------------------------- clients


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    data = {}
    for name, value in values.items():
        if hasattr(value, "pk"):
            value = value.pk
        data[name] = "" if value is None else value
    return data


def _api_body(values: dict[str, Any]) -> dict[str, Any]:
    body = {}
    for name, value in values.items():
        api_name = rules.API_NAMES.get(name, name)
        body[api_name] = value.pk if hasattr(value, "pk") else value
    return body


def create_by_service(manager, values: dict[str, Any]) -> Outcome:
    try:
        return Outcome(client=services.create_client(actor=manager, **values))
    except ValidationError as exc:
        return Outcome(errors=exc.message_dict)


def create_by_form(manager, values: dict[str, Any]) -> Outcome:
    http = HttpClient()
    http.force_login(manager)
    response = http.post(reverse("clients:create"), _form_data(values))
    if response.status_code == 302:
        return Outcome(client=Client.objects.get(pk=response["Location"].split("/")[-2]))
    return Outcome(errors=_form_errors(response))


def create_by_api(manager, values: dict[str, Any]) -> Outcome:
    response = api_as(manager).post("/clients", _api_body(values))
    if response.status_code == 201:
        return Outcome(client=Client.objects.get(pk=response.json()["id"]))
    return Outcome(errors=_api_errors(response))


def update_by_service(manager, client: Client, changes: dict[str, Any]) -> Outcome:
    try:
        return Outcome(client=services.update_client(actor=manager, client=client, changes=changes))
    except ValidationError as exc:
        return Outcome(errors=exc.message_dict)


def update_by_form(manager, client: Client, changes: dict[str, Any]) -> Outcome:
    http = HttpClient()
    http.force_login(manager)
    current = {name: getattr(client, name) for name in rules.EDITABLE_FIELDS}
    response = http.post(reverse("clients:edit", args=[client.pk]), _form_data(current | changes))
    if response.status_code == 302:
        return Outcome(client=Client.objects.get(pk=client.pk))
    return Outcome(errors=_form_errors(response))


def update_by_api(manager, client: Client, changes: dict[str, Any]) -> Outcome:
    response = api_as(manager).patch(f"/clients/{client.pk}", _api_body(changes))
    if response.status_code == 200:
        return Outcome(client=Client.objects.get(pk=client.pk))
    return Outcome(errors=_api_errors(response))


CREATE = [create_by_service, create_by_form, create_by_api]
UPDATE = [update_by_service, update_by_form, update_by_api]
PATHS = ["service", "form", "api"]


@pytest.mark.parametrize("create", CREATE, ids=PATHS)
def test_a_company_cannot_be_a_contact_of_a_company(manager, create):
    company = ClientFactory(kind=Client.Kind.COMPANY)
    outcome = create(manager, {"kind": "company", "name": "Sub Ltd", "company": company})
    assert outcome.errors == {"company": ["Only a person can be a contact of a company."]}
    assert Client.objects.count() == 1


@pytest.mark.parametrize("create", CREATE, ids=PATHS)
def test_a_persons_company_must_be_a_company(manager, create):
    person = ClientFactory(kind=Client.Kind.PERSON)
    outcome = create(manager, {"kind": "person", "name": "Jan", "company": person})
    assert outcome.errors == {"company": ["The chosen client is not a company."]}
    assert Client.objects.count() == 1


@pytest.mark.parametrize("update", UPDATE, ids=PATHS)
def test_a_client_cannot_be_its_own_company(manager, update):
    company = ClientFactory(kind=Client.Kind.COMPANY, name="Acme")
    outcome = update(manager, company, {"company": company})
    assert outcome.errors == {"company": ["Only a person can be a contact of a company."]}
    company.refresh_from_db()
    assert company.company is None


@pytest.mark.parametrize("create", CREATE, ids=PATHS)
def test_a_company_has_no_job_title(manager, create):
    outcome = create(manager, {"kind": "company", "name": "Acme", "job_title": "CEO"})
    assert outcome.errors == {"job_title": ["A company has no job title."]}
    assert not Client.objects.exists()


@pytest.mark.parametrize("update", UPDATE, ids=PATHS)
def test_a_person_with_a_job_title_cannot_become_a_company_keeping_it(manager, update):
    person = ClientFactory(name="Acme", job_title="Director")
    outcome = update(manager, person, {"kind": "company"})
    assert outcome.errors == {"job_title": ["A company has no job title."]}
    assert update(manager, person, {"kind": "company", "job_title": ""}).errors == {}


@pytest.mark.parametrize("update", UPDATE, ids=PATHS)
def test_a_company_from_before_the_job_title_rule_stays_editable(manager, update):
    legacy = ClientFactory(kind=Client.Kind.COMPANY, name="Old name", job_title="Ltd")
    outcome = update(manager, legacy, {"name": "New name"})
    assert outcome.errors == {}
    legacy.refresh_from_db()
    assert legacy.name == "New name"


@pytest.mark.parametrize("update", UPDATE, ids=PATHS)
def test_a_company_with_contact_persons_cannot_become_a_person(manager, update):
    company = ClientFactory(kind=Client.Kind.COMPANY, name="Baltic Events")
    ClientFactory(company=company)
    outcome = update(manager, company, {"kind": "person"})
    assert outcome.errors == {
        "kind": ["This company has contact persons; it cannot become a person."]
    }
    company.refresh_from_db()
    assert company.kind == Client.Kind.COMPANY
    assert not company.timeline.exists()


@pytest.mark.parametrize("update", UPDATE, ids=PATHS)
def test_a_company_without_contact_persons_can_become_a_person(manager, update):
    company = ClientFactory(kind=Client.Kind.COMPANY, name="Solo")
    assert update(manager, company, {"kind": "person"}).errors == {}
    company.refresh_from_db()
    assert company.kind == Client.Kind.PERSON


@pytest.mark.parametrize("create", CREATE, ids=PATHS)
def test_a_reference_is_unique(manager, create):
    ClientFactory(external_ref="CRM-1")
    outcome = create(manager, {"kind": "person", "name": "X", "external_ref": "CRM-1"})
    assert outcome.errors == {"external_ref": ["Another client has this reference."]}


@pytest.mark.parametrize("create", CREATE, ids=PATHS)
def test_an_empty_reference_is_stored_as_none(manager, create):
    first = create(manager, {"kind": "person", "name": "A", "external_ref": ""})
    second = create(manager, {"kind": "person", "name": "B", "external_ref": "  "})
    assert (first.errors, second.errors) == ({}, {})
    assert first.client.external_ref is None
    assert second.client.external_ref is None


@pytest.mark.parametrize("create", CREATE, ids=PATHS)
def test_text_is_stored_stripped(manager, create):
    outcome = create(manager, {"kind": "person", "name": "  Anna  ", "external_ref": " R-1 "})
    assert (outcome.client.name, outcome.client.external_ref) == ("Anna", "R-1")


@pytest.mark.parametrize("create", CREATE, ids=PATHS)
def test_a_contact_person_of_a_company_is_accepted(manager, create):
    company = ClientFactory(kind=Client.Kind.COMPANY)
    outcome = create(
        manager, {"kind": "person", "name": "Jan", "company": company, "job_title": "HR lead"}
    )
    assert outcome.errors == {}
    assert outcome.client.company == company


def test_every_broken_rule_is_reported_at_once(manager):
    ClientFactory(external_ref="CRM-1")
    company = ClientFactory(kind=Client.Kind.COMPANY)
    with pytest.raises(ValidationError) as exc:
        services.create_client(
            actor=manager,
            name="",
            kind="company",
            company=company,
            job_title="CEO",
            external_ref="CRM-1",
        )
    assert set(exc.value.message_dict) == {"name", "company", "job_title", "external_ref"}


def test_the_form_and_the_api_edit_exactly_the_rules_fields():
    from kliento.clients.api.schemas import ClientPatch
    from kliento.clients.forms import ClientForm

    assert tuple(ClientForm.base_fields) == rules.FORM_FIELDS
    api_fields = set(ClientPatch.model_fields)
    assert api_fields == {rules.API_NAMES.get(name, name) for name in rules.FORM_FIELDS}
    assert services.EDITABLE_FIELDS == rules.EDITABLE_FIELDS


def test_a_field_that_is_not_editable_is_a_programming_error(manager):
    with pytest.raises(ValueError, match="status"):
        rules.normalise_changes({"status": "left"})


# --------------------------------------------------------------------------- the rules alone


@pytest.mark.parametrize(
    ("proposed", "fields"),
    [
        (rules.Proposed(kind="person"), set()),
        (rules.Proposed(kind="person", company_kind="company"), set()),
        (rules.Proposed(kind="person", company_kind="person"), {"company"}),
        (rules.Proposed(kind="company", company_kind="company"), {"company"}),
        (rules.Proposed(kind="company", job_title="CEO"), {"job_title"}),
        (rules.Proposed(kind="company", job_title="CEO", changed={"name"}), set()),
        (rules.Proposed(kind="company", job_title="CEO", changed={"kind"}), {"job_title"}),
        (
            rules.Proposed(kind="person", former_kind="company", has_contact_persons=True),
            {"kind"},
        ),
        (rules.Proposed(kind="person", former_kind="company", has_contact_persons=False), set()),
        (
            rules.Proposed(kind="company", former_kind="company", has_contact_persons=True),
            set(),
        ),
    ],
)
def test_rules_without_a_database(proposed, fields):
    """What the import will call for each row, with what it resolved in bulk."""
    assert set(rules.errors(proposed)) == fields


def test_contact_persons_are_looked_up_only_when_a_company_stops_being_one():
    asked: list[bool] = []

    def persons() -> bool:
        asked.append(True)
        return True

    rules.errors(rules.Proposed(kind="person", former_kind="person", has_contact_persons=persons))
    assert asked == []
    rules.errors(rules.Proposed(kind="person", former_kind="company", has_contact_persons=persons))
    assert asked == [True]


# --------------------------------------------------------------------------- purchases


def purchase_form_data(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "occurred_on": values["occurred_on"].isoformat(),
        "amount": values["amount"],
        "currency": values["currency"],
        "channel": "store",
    }


def purchase_by_service(agent, client, values: dict[str, Any], language: str) -> Outcome:
    amount = values["amount"]
    typed = dict(values, amount=Decimal(amount))
    try:
        with translation.override(language):  # as a request in that language would
            services.record_purchase(actor=agent, client=client, **typed)
    except ValidationError as exc:
        with translation.override(language):
            return Outcome(errors=exc.message_dict)
    return Outcome()


def purchase_by_form(agent, client, values: dict[str, Any], language: str) -> Outcome:
    http = HttpClient()
    http.force_login(agent)
    response = http.post(
        reverse("clients:purchase_add", args=[client.pk]),
        purchase_form_data(values),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    if response.status_code == 302:
        return Outcome()
    assert response.status_code == 200
    errors = response.context["purchase_form"].errors
    return Outcome(errors={name: list(messages) for name, messages in errors.items()})


def purchase_by_api(agent, client, values: dict[str, Any], language: str) -> Outcome:
    body = dict(values, occurred_on=values["occurred_on"].isoformat())
    api = api_as(agent)
    response = api.http.post(
        f"/api/v1/clients/{client.pk}/purchases",
        data=body,
        content_type="application/json",
        headers={**api._headers(), "Accept-Language": language},
    )
    if response.status_code == 201:
        return Outcome()
    return Outcome(errors=_api_errors(response))


PURCHASE = [purchase_by_service, purchase_by_form, purchase_by_api]


def _purchase(**overrides: Any) -> dict[str, Any]:
    return {"occurred_on": dt.date(2026, 1, 10), "amount": "120.50", "currency": "PLN"} | overrides


@pytest.mark.parametrize("record", PURCHASE, ids=PATHS)
@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"amount": "-5"}, {"amount": ["The amount cannot be negative."]}),
        ({"amount": "1.2345"}, {"amount": ["The amount has more than two decimal places."]}),
        ({"amount": "1000000000000"}, {"amount": ["The amount is too large."]}),
        (
            {"currency": "ZZZ"},
            {"currency": ["Use a three-letter ISO 4217 currency code, such as EUR."]},
        ),
        (
            {"currency": ""},
            {"currency": ["Use a three-letter ISO 4217 currency code, such as EUR."]},
        ),
        (
            {"occurred_on": TODAY() + dt.timedelta(days=1)},
            {"occurred_on": ["A purchase cannot be dated in the future."]},
        ),
    ],
    ids=[
        "negative",
        "fractions-of-a-cent",
        "too-large",
        "unknown-currency",
        "no-currency",
        "future",
    ],
)
def test_a_bad_purchase_gets_the_same_answer_everywhere(agent, record, overrides, errors):
    client = ClientFactory()
    assert record(agent, client, _purchase(**overrides), "en").errors == errors
    assert not Purchase.objects.exists()
    assert not TimelineEntry.objects.exists()


@pytest.mark.parametrize("record", PURCHASE, ids=PATHS)
def test_the_answer_is_in_the_users_language(agent, record):
    client = ClientFactory()
    outcome = record(agent, client, _purchase(amount="-5"), "pl")
    with translation.override("pl"):
        expected = translation.gettext("The amount cannot be negative.")
    assert expected != "The amount cannot be negative."
    assert outcome.errors == {"amount": [expected]}


@pytest.mark.parametrize("record", PURCHASE, ids=PATHS)
def test_a_good_purchase_is_stored_in_cents_with_the_currency_upper_case(agent, record):
    client = ClientFactory()
    assert record(agent, client, _purchase(amount="120.5", currency="eur"), "en").errors == {}
    purchase = Purchase.objects.get()
    assert (purchase.amount, purchase.currency) == (Decimal("120.50"), "EUR")


@pytest.mark.parametrize("language", ["pl", "uk", "ru", "en"])
def test_the_form_reads_a_decimal_comma_in_every_language(agent, language):
    """“250,50” is 250.50: a separator followed by two digits is never a thousands separator,
    so nobody's amount is ever changed a hundred-fold."""
    client = ClientFactory()
    outcome = purchase_by_form(agent, client, _purchase(amount="250,50"), language)
    assert outcome.errors == {}
    assert Purchase.objects.get().amount == Decimal("250.50")


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("pl", "1 234,56", "1234.56"),
        ("pl", "1\u00a0234,56", "1234.56"),
        ("uk", "12 345", "12345.00"),
        ("en", "1,234.56", "1234.56"),
        ("en", "1,234", "1234.00"),
        ("ru", "1.234,56", "1234.56"),
    ],
)
def test_the_form_reads_amounts_as_written_in_the_users_language(agent, language, typed, stored):
    client = ClientFactory()
    assert purchase_by_form(agent, client, _purchase(amount=typed), language).errors == {}
    assert Purchase.objects.get().amount == Decimal(stored)


@pytest.mark.parametrize(("language", "typed"), [("pl", "1,234"), ("uk", "1,500"), ("en", "1.234")])
def test_the_form_refuses_an_ambiguous_amount_beside_the_field(agent, language, typed):
    client = ClientFactory()
    outcome = purchase_by_form(agent, client, _purchase(amount=typed), language)
    assert list(outcome.errors) == ["amount"]
    # The message suggests the whole amount without the separator.
    assert typed.replace(",", "").replace(".", "") in outcome.errors["amount"][0]
    assert not Purchase.objects.exists()


def test_the_api_reads_amounts_in_one_notation_only(agent):
    """The API is for programs: "250.50" or 250.5, never a locale's "250,50" (refused, not
    read as 25050)."""
    client = ClientFactory()
    outcome = purchase_by_api(agent, client, _purchase(amount="250,50"), "pl")
    assert list(outcome.errors) == ["amount"]
    assert not Purchase.objects.exists()


def test_the_purchase_form_types_amounts_as_text_with_a_decimal_keyboard(as_agent):
    client = ClientFactory()
    html = as_agent.get(reverse("clients:detail", args=[client.pk])).content.decode()
    start = html.index('name="amount"')
    tag = html[html.rindex("<input", 0, start) : html.index(">", start)]
    assert 'type="text"' in tag
    assert 'inputmode="decimal"' in tag


def test_the_form_offers_only_companies_other_than_the_client_itself(as_agent):
    company = ClientFactory(kind=Client.Kind.COMPANY, name="Acme")
    other = ClientFactory(kind=Client.Kind.COMPANY, name="Vistula")
    ClientFactory(kind=Client.Kind.PERSON, name="Anna")
    form = as_agent.get(reverse("clients:edit", args=[company.pk])).context["form"]
    offered = [label for value, label in form.fields["company"].widget.choices if value]
    assert offered == [other.name]
    new = as_agent.get(reverse("clients:create")).context["form"]
    assert [label for value, label in new.fields["company"].widget.choices if value] == [
        "Acme",
        "Vistula",
    ]
