"""Pilots of a policy draft, and feedback on a policy (from staff and clients)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.clients.services import timeline
from kliento.core import audit, notifications
from kliento.core.roles import ROLE_LABELS
from kliento.core.types import Actor
from kliento.policy import registry, rules
from kliento.policy.models import Aspect, Feedback, Pilot, PilotClient, Policy, PolicyVersion
from kliento.policy.services import versions

PILOT_CREATED = "policy.pilot_created"
PILOT_STARTED = "policy.pilot_started"
PILOT_ENDED = "policy.pilot_ended"
FEEDBACK_GIVEN = "policy.feedback"
PILOT_CLIENTS = "policy.pilot_clients_added"
PILOT_NOTICE = "policy.pilot"  # notification: you are in a pilot that has started
JOINED_PILOT = "policy.pilot_joined"  # client timeline: the client was put in a pilot

MAX_CLIENTS = 10_000


def _staff(staff_ids: Sequence[int]) -> list[Any]:
    people = list(
        get_user_model()
        .objects.filter(pk__in=set(staff_ids), is_active=True, groups__name__in=list(ROLE_LABELS))
        .distinct()
    )
    if len(people) != len(set(staff_ids)):
        raise ValidationError({"staff": [_("One of the people is not an active member of staff.")]})
    return people


def _join(actor: Actor, pilot: Pilot, client_ids: Sequence[int]) -> None:
    """Put clients in the pilot, each with an entry on their timeline (ids only: the policy's
    title is read when the entry is shown)."""
    PilotClient.objects.bulk_create(PilotClient(pilot=pilot, client_id=pk) for pk in client_ids)
    data = {"policy_id": pilot.version.policy_id, "pilot_id": pilot.pk}
    timeline.record_many(
        timeline.NewEntry(
            client_id=pk, kind=JOINED_PILOT, actor_id=getattr(actor, "pk", None), data=data
        )
        for pk in client_ids
    )


def _client_ids(client_ids: Sequence[int]) -> list[int]:
    wanted = set(client_ids)
    if len(wanted) > MAX_CLIENTS:
        raise ValidationError(
            {"clients": [_("At most %(n)s clients in one pilot.") % {"n": f"{MAX_CLIENTS:,}"}]}
        )
    found = set(clients.client_labels(wanted))
    if found != wanted:
        missing = ", ".join(str(pk) for pk in sorted(wanted - found)[:5])
        raise ValidationError({"clients": [_("No such client: %(ids)s.") % {"ids": missing}]})
    return sorted(found)


@transaction.atomic
def create_pilot(
    *,
    actor: Actor,
    version: PolicyVersion,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    staff_ids: Sequence[int],
    client_ids: Sequence[int] = (),
) -> Pilot:
    """Plan a pilot of a draft for some staff (at least one) and clients."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PolicyVersion.Status.DRAFT:
        raise ValidationError({"status": [_("Only a draft can be piloted.")]})
    if version.pilots.filter(status__in=[Pilot.Status.PLANNED, Pilot.Status.RUNNING]).exists():
        raise ValidationError({"status": [_("This draft already has a pilot planned or running.")]})
    rules.check_pilot_dates(starts_on, ends_on)
    if not staff_ids:
        raise ValidationError({"staff": [_("Choose the staff who try the policy.")]})
    people = _staff(staff_ids)
    found = _client_ids(client_ids)
    assert starts_on is not None and ends_on is not None
    pilot = Pilot.objects.create(
        version=version, starts_on=starts_on, ends_on=ends_on, created_by=actor
    )
    pilot.staff.set(people)
    _join(actor, pilot, found)
    audit.record(
        actor=actor,
        action=PILOT_CREATED,
        target=version,
        data={"pilot_id": pilot.pk, "staff": len(people), "clients": len(found)},
    )
    return pilot


def _locked(pilot: Pilot, allowed: Sequence[str], message: str) -> Pilot:
    pilot = Pilot.objects.select_for_update().select_related("version__policy").get(pk=pilot.pk)
    if pilot.status not in allowed:
        raise ValidationError({"status": [message]})
    return pilot


@transaction.atomic
def add_pilot_clients(*, actor: Actor, pilot: Pilot, client_ids: Sequence[int]) -> int:
    """Put more clients in a planned or running pilot; returns how many were new."""
    pilot = _locked(
        pilot,
        [Pilot.Status.PLANNED, Pilot.Status.RUNNING],
        _("Clients can only join a pilot that has not ended."),
    )
    found = _client_ids(client_ids)
    already = set(pilot.clients.filter(client_id__in=found).values_list("client_id", flat=True))
    new = [pk for pk in found if pk not in already]
    _join(actor, pilot, new)
    if new:
        audit.record(
            actor=actor,
            action=PILOT_CLIENTS,
            target=pilot.version,
            data={"pilot_id": pilot.pk, "added_clients": new},
        )
    return len(new)


@transaction.atomic
def start_pilot(*, actor: Actor, pilot: Pilot) -> Pilot:
    """Start a planned pilot: the draft must be whole (as for publishing); its staff are told,
    and the pilot hooks run with "start" after the commit (the metrics baseline)."""
    pilot = _locked(pilot, [Pilot.Status.PLANNED], _("Only a planned pilot can start."))
    versions.check_publishable(pilot.version)
    pilot.status, pilot.started_at = Pilot.Status.RUNNING, timezone.now()
    pilot.save(update_fields=["status", "started_at"])
    audit.record(
        actor=actor, action=PILOT_STARTED, target=pilot.version, data={"pilot_id": pilot.pk}
    )
    notifications.notify(
        recipients=list(pilot.staff.all()),
        kind=PILOT_NOTICE,
        actor=actor,
        target_url=reverse("policy:detail", args=[pilot.version.policy_id]),
        params={"policy_id": pilot.version.policy_id, "pilot_id": pilot.pk},
    )
    transaction.on_commit(partial(registry.run_pilot_hooks, pilot, "start"))
    return pilot


@transaction.atomic
def finish_pilot(*, actor: Actor, pilot: Pilot, decision: str, note: str = "") -> Pilot:
    """End a running pilot and decide: "promote" publishes the draft company-wide (everything
    publishing checks applies), "revise" leaves it a draft to be edited. The pilot hooks run
    with "end" after the commit."""
    if decision not in ("promote", "revise"):
        raise ValidationError({"decision": [_("Promote it company-wide or revise it.")]})
    note = rules.clean_text(note)
    if len(note) > 500:
        raise ValidationError({"note": [_("Keep the note within 500 characters.")]})
    pilot = _locked(pilot, [Pilot.Status.RUNNING], _("Only a running pilot can end."))
    pilot.status, pilot.ended_at, pilot.note = Pilot.Status.ENDED, timezone.now(), note
    pilot.outcome = Pilot.Outcome.PROMOTED if decision == "promote" else Pilot.Outcome.REVISED
    pilot.save(update_fields=["status", "ended_at", "note", "outcome"])
    audit.record(
        actor=actor,
        action=PILOT_ENDED,
        target=pilot.version,
        data={"pilot_id": pilot.pk, "outcome": pilot.outcome},
    )
    if decision == "promote":
        versions.publish(actor=actor, version=pilot.version)
    transaction.on_commit(partial(registry.run_pilot_hooks, pilot, "end"))
    return pilot


@transaction.atomic
def give_feedback(
    *,
    actor: Any,
    policy: Policy,
    aspect: str,
    text: str,
    client_id: int | None = None,
    pilot: Pilot | None = None,
) -> Feedback:
    """A comment on an aspect of the policy: the actor's own (staff), or a client's that the
    actor records (`client_id`). Pilot feedback comes from the pilot's staff and clients."""
    text = rules.clean_text(text)
    errors: dict[str, list[str]] = {}
    if aspect not in Aspect.values:
        errors["aspect"] = [_("Choose what the comment is about.")]
    if not text:
        errors["text"] = [_("Write the comment.")]
    elif len(text) > 2_000:
        errors["text"] = [_("Keep the comment within 2,000 characters.")]
    if client_id is not None and client_id not in clients.client_labels([client_id]):
        errors["client"] = [_("There is no such client.")]
    version = policy.versions.filter(status=PolicyVersion.Status.PUBLISHED).first()
    if pilot is not None:
        pilot = Pilot.objects.select_related("version").get(pk=pilot.pk)
        version = pilot.version
        if pilot.version.policy_id != policy.pk:
            errors["pilot"] = [_("This pilot belongs to another policy.")]
        elif pilot.status == Pilot.Status.PLANNED:
            errors["pilot"] = [_("The pilot has not started yet.")]
        elif client_id is not None:
            if not pilot.clients.filter(client_id=client_id).exists():
                errors["client"] = [_("This client is not in the pilot.")]
        elif not pilot.staff.filter(pk=actor.pk).exists():
            errors["pilot"] = [_("You are not in this pilot.")]
    if errors:
        raise ValidationError(errors)
    feedback = Feedback.objects.create(
        policy=policy,
        version=version,
        pilot=pilot,
        source=Feedback.Source.CLIENT if client_id is not None else Feedback.Source.STAFF,
        client_id=client_id,
        recorded_by=actor,
        aspect=aspect,
        text=text,
    )
    audit.record(
        actor=actor,
        action=FEEDBACK_GIVEN,
        target=policy,
        data={
            "feedback_id": feedback.pk,
            "aspect": aspect,
            "pilot_id": pilot.pk if pilot else None,
        },
    )
    return feedback
