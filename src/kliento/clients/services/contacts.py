"""Contacts and per-channel consent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients.contacts import normalize_contact
from kliento.clients.models import (
    ChannelConsent,
    Client,
    ContactPoint,
    TimelineEntry,
)
from kliento.clients.services import timeline
from kliento.clients.services.common import lock_client, save_unique
from kliento.core.db import retry_on_conflict
from kliento.core.types import Actor


@retry_on_conflict
@transaction.atomic
def add_contact(
    *,
    actor: Actor,
    client: Client,
    kind: str,
    value: str,
    label: str = "",
    messenger: str = "",
    is_primary: bool = False,
    quiet: bool = False,
    region: str | None = None,
) -> ContactPoint:
    """Add a contact; a phone written without its country code is read as one of `region`
    (KLIENTO_DEFAULT_REGION by default)."""
    if kind not in ContactPoint.Kind.values:
        raise ValidationError({"kind": _("Unknown contact kind.")})
    # Two contacts added at once must not both become primary.
    lock_client(client.pk)
    try:
        normalized = normalize_contact(kind, value, region=region)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from None
    if ContactPoint.objects.filter(client=client, kind=kind, value=normalized).exists():
        raise ValidationError({"value": _("This client already has this contact.")})
    if kind == ContactPoint.Kind.MESSENGER and not messenger:
        messenger = ContactPoint.Messenger.OTHER
    has_primary = ContactPoint.objects.filter(client=client, kind=kind, is_primary=True)
    if is_primary:
        has_primary.update(is_primary=False)
    elif not has_primary.exists():
        is_primary = True
    contact = ContactPoint(
        client=client,
        kind=kind,
        value=normalized,
        label=label,
        messenger=messenger if kind == ContactPoint.Kind.MESSENGER else "",
        is_primary=is_primary,
    )
    save_unique(contact, field="value", message=_("This client already has this contact."))
    if not quiet:
        timeline.record(
            client=client,
            kind=TimelineEntry.Kind.CONTACT_ADDED,
            actor=actor,
            summary=normalized,
            data={"kind": kind},
        )
    return contact


@retry_on_conflict
@transaction.atomic
def remove_contact(*, actor: Actor, contact: ContactPoint) -> TimelineEntry | None:
    lock_client(contact.client_id)  # before the contact's lock, in the order add_contact takes
    locked = ContactPoint.objects.select_for_update().filter(pk=contact.pk).first()
    if locked is None:  # removed meanwhile (a double click): one removal, one entry
        return None
    entry = timeline.record(
        client=locked.client_id,
        kind=TimelineEntry.Kind.CONTACT_REMOVED,
        actor=actor,
        summary=locked.value,
        # All of the contact, so the removal can be undone (services.undo).
        data={
            "kind": locked.kind,
            "label": locked.label,
            "messenger": locked.messenger,
            "is_primary": locked.is_primary,
        },
    )
    locked.delete()
    if locked.is_primary:
        # Keep "the first contact of a kind is primary" true after the primary goes.
        successor = (
            ContactPoint.objects.filter(client_id=locked.client_id, kind=locked.kind)
            .order_by("id")
            .first()
        )
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    return entry


@retry_on_conflict
@transaction.atomic
def set_consent(*, actor: Actor, client: Client, channel: str, granted: bool) -> ChannelConsent:
    if channel not in ChannelConsent.Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    lock_client(client.pk)
    consent, created = ChannelConsent.objects.select_for_update().get_or_create(
        client=client,
        channel=channel,
        defaults={"granted": granted, "recorded_by": actor},
    )
    if not created and consent.granted == granted:
        return consent
    consent.granted = granted
    consent.recorded_at = timezone.now()
    consent.recorded_by = actor
    consent.save()
    timeline.record(
        client=client,
        kind=TimelineEntry.Kind.CONSENT_CHANGED,
        actor=actor,
        data={"channel": channel, "granted": granted},
    )
    return consent


# Who recorded or confirmed a fact is set here, not typed in; it is empty for facts that came
# from an import or whose author was deleted, which must not make the fact impossible to confirm.
