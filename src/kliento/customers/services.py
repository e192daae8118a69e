"""Writes to the client card. Each function is one transaction and records its timeline entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.models import AuditEntry
from kliento.customers.contacts import normalize_contact
from kliento.customers.currencies import is_currency
from kliento.customers.models import (
    ChannelConsent,
    Client,
    ContactPoint,
    PortraitFact,
    Purchase,
    Segment,
    Tag,
    TimelineEntry,
)
from kliento.customers.timeline import describe_value, record_event

# Fields an edit may change; the timeline lists each one that did.
EDITABLE_FIELDS = (
    "kind",
    "name",
    "company",
    "job_title",
    "language",
    "account_manager",
    "segment",
    "external_ref",
    "notes",
)


def _save_unique(instance: models.Model, *, field: str, message: str) -> None:
    """Save, turning a lost race on a unique constraint into the same error validation gives."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError({field: message}) from None


def _check_company(kind: str, company: Client | None) -> None:
    if company is None:
        return
    if kind != Client.Kind.PERSON:
        raise ValidationError({"company": _("Only a person can be a contact of a company.")})
    if company.kind != Client.Kind.COMPANY:
        raise ValidationError({"company": _("The chosen client is not a company.")})


@transaction.atomic
def create_client(
    *,
    actor,
    name: str,
    kind: str = Client.Kind.PERSON,
    company: Client | None = None,
    job_title: str = "",
    language: str = "",
    account_manager=None,
    segment: Segment | None = None,
    tags: Iterable[Tag] = (),
    external_ref: str | None = None,
    notes: str = "",
    contacts: Iterable[tuple[str, str]] = (),
) -> Client:
    _check_company(kind, company)
    client = Client(
        kind=kind,
        name=name.strip(),
        company=company,
        job_title=job_title,
        language=language,
        account_manager=account_manager,
        segment=segment,
        external_ref=external_ref or None,
        notes=notes,
    )
    client.full_clean(exclude=["tags"])
    _save_unique(client, field="external_ref", message=_("Another client has this reference."))
    client.tags.set(list(tags))
    record_event(client=client, kind=TimelineEntry.Kind.CREATED, actor=actor, summary=client.name)
    for contact_kind, value in contacts:
        add_contact(actor=actor, client=client, kind=contact_kind, value=value, quiet=True)
    return client


@transaction.atomic
def update_client(
    *, actor, client: Client, changes: dict[str, Any], tags: Iterable[Tag] | None = None
) -> Client:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    locked = Client.objects.select_for_update().get(pk=client.pk)
    diff: dict[str, list[Any]] = {}
    for field, new in changes.items():
        old = getattr(locked, field)
        if field == "external_ref":
            new = new or None
        if old != new:
            diff[field] = [describe_value(old), describe_value(new)]
            setattr(locked, field, new)
    _check_company(locked.kind, locked.company)
    if (
        locked.kind != Client.Kind.COMPANY
        and "kind" in diff
        and Client.objects.filter(company=locked).exists()
    ):
        # Its contact persons would otherwise point at a client that is not a company.
        raise ValidationError(
            {"kind": _("This company has contact persons; it cannot become a person.")}
        )
    if tags is not None:
        old_tags = sorted(locked.tags.values_list("name", flat=True))
        new_tags = sorted(t.name for t in tags)
        if old_tags != new_tags:
            diff["tags"] = [old_tags, new_tags]
    if not diff:
        return locked
    locked.full_clean(exclude=["tags"])
    _save_unique(locked, field="external_ref", message=_("Another client has this reference."))
    if tags is not None:
        locked.tags.set(list(tags))
    record_event(
        client=locked,
        kind=TimelineEntry.Kind.EDITED,
        actor=actor,
        summary=", ".join(sorted(diff)),
        data={"changes": diff},
    )
    return locked


@transaction.atomic
def mark_left(*, actor, client: Client, left_on: dt.date, reason: str = "") -> Client:
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.status == Client.Status.LEFT:
        raise ValidationError(_("This client is already marked as left."))
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": _("The date a client left cannot be in the future.")})
    locked.status = Client.Status.LEFT
    locked.left_on = left_on
    locked.save(update_fields=["status", "left_on", "updated_at"])
    record_event(
        client=locked,
        kind=TimelineEntry.Kind.LEFT,
        actor=actor,
        summary=reason,
        data={"left_on": left_on.isoformat()},
    )
    return locked


@transaction.atomic
def mark_returned(*, actor, client: Client) -> Client:
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.status == Client.Status.ACTIVE:
        raise ValidationError(_("This client is already active."))
    locked.status = Client.Status.ACTIVE
    locked.left_on = None
    locked.save(update_fields=["status", "left_on", "updated_at"])
    record_event(client=locked, kind=TimelineEntry.Kind.RETURNED, actor=actor)
    return locked


@transaction.atomic
def add_contact(
    *,
    actor,
    client: Client,
    kind: str,
    value: str,
    label: str = "",
    messenger: str = "",
    is_primary: bool = False,
    quiet: bool = False,
) -> ContactPoint:
    if kind not in ContactPoint.Kind.values:
        raise ValidationError({"kind": _("Unknown contact kind.")})
    try:
        normalized = normalize_contact(kind, value)
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
    _save_unique(contact, field="value", message=_("This client already has this contact."))
    if not quiet:
        record_event(
            client=client,
            kind=TimelineEntry.Kind.CONTACT_ADDED,
            actor=actor,
            summary=normalized,
            data={"kind": kind},
        )
    return contact


@transaction.atomic
def remove_contact(*, actor, contact: ContactPoint) -> None:
    locked = ContactPoint.objects.select_for_update().filter(pk=contact.pk).first()
    if locked is None:  # removed meanwhile (a double click): one removal, one entry
        return
    record_event(
        client=locked.client_id,
        kind=TimelineEntry.Kind.CONTACT_REMOVED,
        actor=actor,
        summary=locked.value,
        data={"kind": locked.kind},
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


@transaction.atomic
def set_consent(*, actor, client: Client, channel: str, granted: bool) -> ChannelConsent:
    if channel not in ChannelConsent.Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
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
    record_event(
        client=client,
        kind=TimelineEntry.Kind.CONSENT_CHANGED,
        actor=actor,
        data={"channel": channel, "granted": granted},
    )
    return consent


# Who recorded or confirmed a fact is set here, not typed in; it is empty for facts that came
# from an import or whose author was deleted, which must not make the fact impossible to confirm.
_FACT_AUTHOR_FIELDS = ["recorded_by", "verified_by"]


def _clean_fact(fact: PortraitFact) -> None:
    # A TextField's max_length is not checked by full_clean, only by forms; check it here so
    # every way in (views, API, import) gets the same limit.
    limit = PortraitFact._meta.get_field("text").max_length
    if len(fact.text) > limit:
        raise ValidationError(
            {"text": _("A fact can be at most %(limit)d characters long.") % {"limit": limit}}
        )
    fact.full_clean(exclude=_FACT_AUTHOR_FIELDS)


@transaction.atomic
def add_portrait_fact(
    *, actor, client: Client, category: str, text: str, source: str
) -> PortraitFact:
    now = timezone.now()
    fact = PortraitFact(
        client=client,
        category=category,
        text=text.strip(),
        source=source,
        recorded_by=actor,
        recorded_at=now,
        verified_at=now,
        verified_by=actor,
    )
    _clean_fact(fact)
    fact.save()
    record_event(
        client=client,
        kind=TimelineEntry.Kind.FACT_ADDED,
        actor=actor,
        summary=fact.text,
        data={"category": category, "source": source, "fact_id": fact.pk},
    )
    return fact


@transaction.atomic
def verify_portrait_fact(*, actor, fact: PortraitFact, text: str | None = None) -> PortraitFact:
    """Confirm a fact at a contact; the agent may correct its wording at the same time."""
    locked = PortraitFact.objects.select_for_update().get(pk=fact.pk)
    data: dict[str, Any] = {"category": locked.category, "fact_id": locked.pk}
    if text is not None and text.strip() and text.strip() != locked.text:
        data["previous_text"] = locked.text
        locked.text = text.strip()
    locked.verified_at = timezone.now()
    locked.verified_by = actor
    _clean_fact(locked)
    locked.save()
    record_event(
        client=locked.client_id,
        kind=TimelineEntry.Kind.FACT_VERIFIED,
        actor=actor,
        summary=locked.text,
        data=data,
    )
    return locked


@transaction.atomic
def remove_portrait_fact(*, actor, fact: PortraitFact) -> None:
    locked = PortraitFact.objects.select_for_update().filter(pk=fact.pk).first()
    if locked is None:  # removed meanwhile (a double click): one removal, one entry
        return
    record_event(
        client=locked.client_id,
        kind=TimelineEntry.Kind.FACT_REMOVED,
        actor=actor,
        summary=locked.text,
        data={"category": locked.category},
    )
    locked.delete()


@transaction.atomic
def record_purchase(
    *,
    actor,
    client: Client,
    occurred_on: dt.date,
    amount: Decimal,
    currency: str,
    description: str = "",
    items: list[Any] | None = None,
    channel: str = Purchase.Channel.STORE,
    external_ref: str | None = None,
) -> Purchase:
    purchase = Purchase(
        client=client,
        occurred_on=occurred_on,
        amount=amount,
        currency=(currency or "").upper(),
        description=description,
        items=items or [],
        channel=channel,
        external_ref=external_ref or None,
    )
    validate_purchase(purchase)
    _save_unique(
        purchase, field="external_ref", message=_("A purchase with this order number exists.")
    )
    record_event(
        client=client,
        kind=TimelineEntry.Kind.PURCHASE,
        actor=actor,
        summary=f"{purchase.amount} {purchase.currency} {description}".strip(),
        data={
            "purchase_id": purchase.pk,
            "amount": str(purchase.amount),
            "currency": purchase.currency,
            "occurred_on": occurred_on.isoformat(),
        },
    )
    return purchase


def validate_purchase(purchase: Purchase) -> None:
    errors: dict[str, list[str]] = {}
    if not is_currency(purchase.currency):
        errors["currency"] = [_("Use a three-letter ISO 4217 currency code, such as EUR.")]
    if purchase.occurred_on and purchase.occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("A purchase cannot be dated in the future.")]
    if isinstance(purchase.amount, Decimal | int) and purchase.amount < 0:
        # Said here in words; the database constraint would only name itself.
        errors["amount"] = [_("The amount cannot be negative.")]
    try:
        # Fields already refused above are not checked again, so each gets one clear message.
        purchase.full_clean(exclude=["client", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def remove_purchase(*, actor, purchase: Purchase) -> None:
    locked = Purchase.objects.select_for_update().filter(pk=purchase.pk).first()
    if locked is None:  # removed meanwhile (a double click): one removal, one entry
        return
    record_event(
        client=locked.client_id,
        kind=TimelineEntry.Kind.PURCHASE_REMOVED,
        actor=actor,
        summary=f"{locked.amount} {locked.currency}",
        data={"occurred_on": locked.occurred_on.isoformat()},
    )
    locked.delete()


@transaction.atomic
def set_key_flag(*, actor, client_ids: Iterable[int], is_key: bool) -> int:
    """Flag (or unflag) clients as key; returns how many actually changed."""
    ids = list(
        Client.objects.select_for_update()
        .filter(pk__in=list(client_ids))
        .exclude(is_key=is_key)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    Client.objects.filter(pk__in=ids).update(is_key=is_key, updated_at=timezone.now())
    kind = TimelineEntry.Kind.KEY_FLAGGED if is_key else TimelineEntry.Kind.KEY_UNFLAGGED
    TimelineEntry.objects.bulk_create(
        [TimelineEntry(client_id=pk, kind=kind, actor=actor) for pk in ids], batch_size=1000
    )
    return len(ids)


@transaction.atomic
def delete_client(*, actor, client: Client) -> None:
    """Delete a client and its card.

    The timeline is deleted with the client, so the trace of the deletion goes to the audit log.
    """
    locked = Client.objects.select_for_update().get(pk=client.pk)
    AuditEntry.objects.create(
        actor=actor,
        action="client.deleted",
        target_type="customers.client",
        target_id=str(locked.pk),
        target_repr=locked.name[:300],
        changes={"kind": locked.kind, "external_ref": locked.external_ref},
    )
    locked.delete()
