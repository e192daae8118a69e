"""Communication channels: the one list of ways to reach a client, or to be reached by one.

Contact points (what a client can be reached at), consents (which ways a client agreed to be
contacted) and, later, the service desk (where a request came in) each use a part of this list,
so "phone" means the same thing, with the same label, everywhere. The stored values are the
codes below; adding a channel here does not change what is stored.

A purchase's sales channel (store, online shop, partner) is a different concept and lives with
the purchase.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    MESSENGER = "messenger", _("Messenger")
    CHAT = "chat", _("Chat")
    WEB_FORM = "web_form", _("Web form")
    SOCIAL = "social", _("Social media")
    IN_PERSON = "in_person", _("In person")
    POST = "post", _("Post")


# The parts of the list each use takes. Values and labels come from `Channel` (so
# `ContactKind.PHONE == Channel.PHONE == "phone"`); the classes are written out, not generated,
# so that type checkers know their members.


class ContactKind(models.TextChoices):
    """What a contact point can be: an address or a number a client is reached at."""

    PHONE = Channel.PHONE.value, Channel.PHONE.label
    EMAIL = Channel.EMAIL.value, Channel.EMAIL.label
    MESSENGER = Channel.MESSENGER.value, Channel.MESSENGER.label


class ConsentChannel(models.TextChoices):
    """What a client can consent (or refuse) to be contacted through."""

    EMAIL = Channel.EMAIL.value, Channel.EMAIL.label
    PHONE = Channel.PHONE.value, Channel.PHONE.label
    SMS = Channel.SMS.value, Channel.SMS.label
    MESSENGER = Channel.MESSENGER.value, Channel.MESSENGER.label
    POST = Channel.POST.value, Channel.POST.label


def label(value: str) -> str:
    """The label of a stored channel code; the code itself if it is not (or no longer) known."""
    try:
        return str(Channel(value).label)
    except ValueError:
        return value
