"""Contacts and consents: normalisation, precise refusals, duplicates, primary contact."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kliento.clients import services
from kliento.clients.contacts import format_phone, normalize_email, normalize_phone
from kliento.clients.models import ChannelConsent, ContactPoint, TimelineEntry
from tests.factories import ClientFactory


@pytest.mark.parametrize(
    "raw",
    [
        "600 123 456",
        "600-123-456",
        "(600) 123 456",
        "+48 600 123 456",
        "+48600123456",
        "0048 600 123 456",
        " +48 (600) 123-456 ",
    ],
)
def test_polish_phone_in_any_written_form_is_stored_in_e164(raw, settings):
    settings.KLIENTO_DEFAULT_REGION = "PL"
    assert normalize_phone(raw) == "+48600123456"


def test_national_number_is_read_in_the_configured_region(settings):
    settings.KLIENTO_DEFAULT_REGION = "UA"
    assert normalize_phone("050 123 4567") == "+380501234567"
    # An international number is not affected by the region.
    assert normalize_phone("+48 600 123 456") == "+48600123456"


def test_same_national_digits_mean_a_different_number_in_another_region(settings):
    settings.KLIENTO_DEFAULT_REGION = "DE"
    assert normalize_phone("030 1234567") == "+49301234567"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Enter a phone number."),
        ("call me", "“call me” is not a phone number."),
        (
            "123",
            "“123” is not a valid phone number for Poland (+48). Pick the country, or write the "
            "number with its country code.",
        ),
        ("+48 600 123 45", "“+48 600 123 45” is not a valid phone number for its country."),
    ],
)
def test_invalid_phone_is_refused_with_a_precise_message(raw, message, settings):
    settings.KLIENTO_DEFAULT_REGION = "PL"
    with pytest.raises(ValidationError) as exc:
        normalize_phone(raw)
    assert exc.value.messages == [message]


def test_email_is_lower_cased_and_trimmed():
    assert normalize_email("  Anna.Nowak@Example.COM ") == "anna.nowak@example.com"


LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"  # 312: past RFC 5321's 254


@pytest.mark.parametrize(
    "raw", ["anna", "anna@", "@example.com", "anna@@example.com", "a b@c.pl", LONG_EMAIL]
)
def test_invalid_email_is_refused_with_a_precise_message(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_email(raw)
    assert exc.value.messages == [f"“{raw}” is not a valid email address."]


def test_stored_phone_is_shown_in_international_form():
    assert format_phone("+48600123456") == "+48 600 123 456"
    assert format_phone("not a phone") == "not a phone"


@pytest.mark.django_db
class TestAddContact:
    def test_phone_is_normalised_on_the_card(self, manager, settings):
        settings.KLIENTO_DEFAULT_REGION = "PL"
        client = ClientFactory()
        contact = services.add_contact(
            actor=manager, client=client, kind="phone", value="600 123 456", label="mobile"
        )
        assert contact.value == "+48600123456"
        assert contact.label == "mobile"

    def test_invalid_phone_is_refused_on_the_value_field_and_nothing_is_written(self, manager):
        client = ClientFactory()
        with pytest.raises(ValidationError) as exc:
            services.add_contact(actor=manager, client=client, kind="phone", value="12ab")
        assert exc.value.message_dict == {"value": ["“12ab” is not a phone number."]}
        assert not ContactPoint.objects.exists()
        assert not TimelineEntry.objects.exists()

    def test_invalid_email_is_refused(self, manager):
        client = ClientFactory()
        with pytest.raises(ValidationError) as exc:
            services.add_contact(actor=manager, client=client, kind="email", value="anna@")
        assert exc.value.message_dict == {"value": ["“anna@” is not a valid email address."]}
        assert not ContactPoint.objects.exists()

    def test_unknown_kind_is_refused(self, manager):
        with pytest.raises(ValidationError) as exc:
            services.add_contact(actor=manager, client=ClientFactory(), kind="fax", value="1")
        assert exc.value.message_dict == {"kind": ["Unknown contact kind."]}

    def test_duplicate_is_refused_whatever_the_written_form(self, manager):
        client = ClientFactory()
        services.add_contact(actor=manager, client=client, kind="phone", value="+48600123456")
        services.add_contact(actor=manager, client=client, kind="email", value="a@b.pl")
        for kind, value in [("phone", "600-123-456"), ("email", "A@B.PL")]:
            with pytest.raises(ValidationError) as exc:
                services.add_contact(actor=manager, client=client, kind=kind, value=value)
            assert exc.value.message_dict == {"value": ["This client already has this contact."]}
        assert client.contacts.count() == 2

    def test_same_contact_on_two_clients_is_allowed(self, manager):
        # Family members share a landline; the contact is unique per client only.
        for client in (ClientFactory(), ClientFactory()):
            services.add_contact(actor=manager, client=client, kind="phone", value="600123456")
        assert ContactPoint.objects.filter(value="+48600123456").count() == 2

    def test_first_contact_of_a_kind_becomes_primary(self, manager):
        client = ClientFactory()
        first_phone = services.add_contact(
            actor=manager, client=client, kind="phone", value="600123456"
        )
        second_phone = services.add_contact(
            actor=manager, client=client, kind="phone", value="600123457"
        )
        first_email = services.add_contact(
            actor=manager, client=client, kind="email", value="a@b.pl"
        )
        assert first_phone.is_primary
        assert not second_phone.is_primary
        assert first_email.is_primary

    def test_new_primary_takes_over_from_the_old_one(self, manager):
        client = ClientFactory()
        old = services.add_contact(actor=manager, client=client, kind="phone", value="600123456")
        new = services.add_contact(
            actor=manager, client=client, kind="phone", value="600123457", is_primary=True
        )
        old.refresh_from_db()
        assert new.is_primary
        assert not old.is_primary
        assert client.contacts.filter(kind="phone", is_primary=True).count() == 1

    def test_messenger_handle_keeps_its_network(self, manager):
        client = ClientFactory()
        telegram = services.add_contact(
            actor=manager, client=client, kind="messenger", value=" @anna ", messenger="telegram"
        )
        unknown = services.add_contact(
            actor=manager, client=client, kind="messenger", value="anna.n"
        )
        email = services.add_contact(
            actor=manager, client=client, kind="email", value="a@b.pl", messenger="telegram"
        )
        assert (telegram.value, telegram.messenger) == ("@anna", "telegram")
        assert unknown.messenger == ContactPoint.Messenger.OTHER
        assert email.messenger == ""

    def test_blank_messenger_handle_is_refused(self, manager):
        with pytest.raises(ValidationError) as exc:
            services.add_contact(
                actor=manager, client=ClientFactory(), kind="messenger", value="  "
            )
        assert exc.value.message_dict == {"value": ["Enter a messenger handle."]}


@pytest.mark.django_db
class TestConsent:
    def test_first_answer_and_each_change_are_recorded(self, manager, agent):
        client = ClientFactory()

        services.set_consent(actor=manager, client=client, channel="email", granted=True)
        services.set_consent(actor=agent, client=client, channel="email", granted=False)

        consent = ChannelConsent.objects.get(client=client, channel="email")
        assert consent.granted is False
        assert consent.recorded_by == agent
        entries = list(client.timeline.order_by("id").values_list("kind", "data"))
        assert entries == [
            (TimelineEntry.Kind.CONSENT_CHANGED, {"channel": "email", "granted": True}),
            (TimelineEntry.Kind.CONSENT_CHANGED, {"channel": "email", "granted": False}),
        ]

    def test_repeating_the_same_answer_records_nothing(self, manager):
        client = ClientFactory()
        services.set_consent(actor=manager, client=client, channel="sms", granted=False)
        services.set_consent(actor=manager, client=client, channel="sms", granted=False)
        assert client.timeline.count() == 1
        assert client.consents.count() == 1

    def test_channels_are_independent(self, manager):
        client = ClientFactory()
        services.set_consent(actor=manager, client=client, channel="sms", granted=True)
        services.set_consent(actor=manager, client=client, channel="post", granted=False)
        assert dict(client.consents.values_list("channel", "granted")) == {
            "sms": True,
            "post": False,
        }

    def test_unknown_channel_is_refused(self, manager):
        client = ClientFactory()
        with pytest.raises(ValidationError) as exc:
            services.set_consent(actor=manager, client=client, channel="pigeon", granted=True)
        assert exc.value.message_dict == {"channel": ["Unknown channel."]}
        assert not client.consents.exists()


@pytest.mark.django_db
class TestRemoveContact:
    def test_removing_the_primary_promotes_the_next_contact_of_its_kind(self, manager):
        client = ClientFactory()
        first = services.add_contact(actor=manager, client=client, kind="phone", value="600123456")
        second = services.add_contact(actor=manager, client=client, kind="phone", value="600123457")
        email = services.add_contact(actor=manager, client=client, kind="email", value="a@b.pl")

        services.remove_contact(actor=manager, contact=first)

        second.refresh_from_db()
        email.refresh_from_db()
        assert second.is_primary
        assert email.is_primary
        assert client.contacts.filter(is_primary=True).count() == 2

    def test_removing_a_secondary_contact_keeps_the_primary(self, manager):
        client = ClientFactory()
        first = services.add_contact(actor=manager, client=client, kind="phone", value="600123456")
        second = services.add_contact(actor=manager, client=client, kind="phone", value="600123457")
        services.remove_contact(actor=manager, contact=second)
        first.refresh_from_db()
        assert first.is_primary

    def test_removing_an_already_removed_contact_records_nothing(self, manager):
        client = ClientFactory()
        contact = services.add_contact(actor=manager, client=client, kind="email", value="a@b.pl")
        services.remove_contact(actor=manager, contact=contact)
        services.remove_contact(actor=manager, contact=contact)
        assert client.timeline.filter(kind=TimelineEntry.Kind.CONTACT_REMOVED).count() == 1
