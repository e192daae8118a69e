"""One list of communication channels (kliento.core.channels) for contacts and consents."""

from __future__ import annotations

import pytest
from django.utils import translation

from kliento.clients.models import ChannelConsent, ContactPoint, Purchase, TimelineEntry
from kliento.clients.timeline_kinds import describe_consent, describe_contact
from kliento.core.channels import Channel, label


@pytest.mark.parametrize("choices", [ContactPoint.Kind, ChannelConsent.Channel])
def test_contact_kinds_and_consent_channels_are_channels_with_their_labels(choices):
    for member in choices:
        assert member == Channel(member.value)
        assert str(member.label) == str(Channel(member.value).label)


def test_stored_values_are_unchanged():
    assert ContactPoint.Kind.values == ["phone", "email", "messenger"]
    assert ChannelConsent.Channel.values == ["email", "phone", "sms", "messenger", "post"]
    assert Purchase.SalesChannel.values == ["store", "online", "phone", "partner", "other"]


def test_a_sales_channel_is_not_a_communication_channel():
    assert not issubclass(Purchase.SalesChannel, Channel)
    assert str(Purchase._meta.get_field("channel").verbose_name) == "sales channel"


def test_the_timeline_names_every_consent_channel():
    """Consents to SMS or post were shown by their codes when labels came from contact kinds."""
    entry = TimelineEntry(
        kind=TimelineEntry.Kind.CONSENT_CHANGED, data={"channel": "sms", "granted": True}
    )
    assert describe_consent(entry) == ["SMS: granted"]
    entry.data = {"channel": "post", "granted": False}
    assert describe_consent(entry) == ["Post: withdrawn"]


def test_labels_are_translated_and_unknown_codes_shown_as_they_are():
    entry = TimelineEntry(
        kind=TimelineEntry.Kind.CONTACT_ADDED, summary="x", data={"kind": "email"}
    )
    with translation.override("pl"):
        assert describe_contact(entry) == [f"{Channel.EMAIL.label}: x"]
        assert label("phone") == str(Channel.PHONE.label) != "Phone"
    assert label("carrier_pigeon") == "carrier_pigeon"
