"""Every write of the standards book: keyword-only, typed, one transaction each, audited.

For other apps (stable, documented):
- `raise_revision_request(actor=…, standard_id=…, reason=…, evidence=…, source=…)`: ask for a
  standard to be revised (the quality and motivation modules call it when "the rule was kept but
  did not work"); the owner is notified.
- `acknowledge(actor=…, version=…)`: record that someone read a published version.

Version life cycle: draft → review → published → superseded. Only a draft is edited; a
standard has at most one open (draft or review) version and at most one published one (the
database refuses a second); publishing supersedes the version published before it and asks its
audience to read the new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit, notifications, reminders
from kliento.core.models import OrgUnit
from kliento.core.types import Actor
from kliento.standards import rules, selectors
from kliento.standards.models import (
    Acknowledgement,
    Mission,
    MissionContribution,
    RevisionRequest,
    Script,
    Standard,
    StandardVersion,
)

Status = StandardVersion.Status

# Audit actions (registered in registrations.py) and notification kinds.
CREATED = "standard.created"
CHANGED = "standard.changed"
DRAFTED = "standard.version_drafted"
EDITED = "standard.version_edited"
SUBMITTED = "standard.version_submitted"
RETURNED = "standard.version_returned"
PUBLISHED = "standard.version_published"
REVISION_REQUESTED = "standard.revision_requested"
REVISION_RESOLVED = "standard.revision_resolved"
MISSION_DRAFTED = "mission.drafted"
MISSION_EDITED = "mission.edited"
MISSION_PUBLISHED = "mission.published"
TO_READ = "standards.to_read"  # notification: a standard you must read was published
REMINDER = "standards.reminder"  # notification: you still have not read it
REVISION_NOTICE = "standards.revision_request"  # notification to the owner

# A version's audience is reminded at most this often, however often reminders are asked for.
REMIND_EVERY = reminders.REMIND_EVERY


class StandardNotFound(ObjectDoesNotExist):
    """No standard with that id (the API answers 404)."""


def _units(unit_ids: Sequence[int]) -> list[OrgUnit]:
    units = list(OrgUnit.objects.filter(pk__in=set(unit_ids)))
    if len(units) != len(set(unit_ids)):
        raise ValidationError({"units": [_("One of the teams does not exist.")]})
    return units


def _links(standard: Standard, stage_ids: Sequence[int], touchpoint_ids: Sequence[int]) -> None:
    # The stage and touchpoint models are reached through this app's own relations: the
    # journeys and touchpoints apps are used only through their services and selectors.
    stages_model = Standard.stages.field.related_model
    touchpoints_model = Standard.touchpoints.field.related_model
    assert not isinstance(stages_model, str) and not isinstance(touchpoints_model, str)
    if stages_model._default_manager.filter(pk__in=set(stage_ids)).count() != len(set(stage_ids)):
        raise ValidationError({"stages": [_("One of the stages does not exist.")]})
    found = touchpoints_model._default_manager.filter(pk__in=set(touchpoint_ids)).count()
    if found != len(set(touchpoint_ids)):
        raise ValidationError({"touchpoints": [_("One of the touchpoints does not exist.")]})
    standard.stages.set(stage_ids)
    standard.touchpoints.set(touchpoint_ids)


def _scripts(version: StandardVersion, scripts: Sequence[tuple[str, str]]) -> None:
    version.scripts.all().delete()
    Script.objects.bulk_create(
        Script(version=version, position=i, title=title.strip(), text=text.strip())
        for i, (title, text) in enumerate(scripts)
    )


@transaction.atomic
def create_standard(
    *,
    actor: Actor,
    kind: str,
    title: str,
    body: str,
    owner: Any,
    review_on: dt.date | None,
    roles: Sequence[str] = (),
    unit_ids: Sequence[int] = (),
    stage_ids: Sequence[int] = (),
    touchpoint_ids: Sequence[int] = (),
    channels: Sequence[str] = (),
    scripts: Sequence[tuple[str, str]] = (),
    position: int = 0,
) -> Standard:
    """A new standard with its first version, a draft."""
    title, body = rules.clean_text(title), rules.clean_text(body)
    errors: dict[str, list[str]] = {}
    for check in (
        partial(
            rules.check_standard,
            kind=kind,
            title=title,
            owner=owner,
            review_on=review_on,
            roles=roles,
            channels=channels,
        ),
        partial(rules.check_body, body, scripts),
    ):
        try:
            check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert review_on is not None
    standard = Standard.objects.create(
        kind=kind,
        title=title,
        owner=owner,
        review_on=review_on,
        roles=sorted(set(roles)),
        channels=sorted(set(channels)),
        position=position,
    )
    standard.units.set(_units(unit_ids))
    _links(standard, stage_ids, touchpoint_ids)
    version = StandardVersion.objects.create(
        standard=standard, number=1, body=body, created_by=actor
    )
    _scripts(version, scripts)
    audit.record(actor=actor, action=CREATED, target=standard, data={"kind": kind})
    return standard


@transaction.atomic
def update_standard(
    *,
    actor: Actor,
    standard: Standard,
    title: str,
    owner: Any,
    review_on: dt.date | None,
    roles: Sequence[str] = (),
    unit_ids: Sequence[int] = (),
    stage_ids: Sequence[int] = (),
    touchpoint_ids: Sequence[int] = (),
    channels: Sequence[str] = (),
    position: int | None = None,
) -> Standard:
    """Change what a standard is and where it applies (its text changes through versions)."""
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    title = rules.clean_text(title)
    rules.check_standard(
        kind=standard.kind,
        title=title,
        owner=owner,
        review_on=review_on,
        roles=roles,
        channels=channels,
        exclude_id=standard.pk,
    )
    assert review_on is not None
    before = _snapshot(standard)
    standard.title, standard.owner, standard.review_on = title, owner, review_on
    standard.roles, standard.channels = sorted(set(roles)), sorted(set(channels))
    if position is not None:
        standard.position = position
    standard.save()
    standard.units.set(_units(unit_ids))
    _links(standard, stage_ids, touchpoint_ids)
    after = _snapshot(standard)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit.record(actor=actor, action=CHANGED, target=standard, data=changes)
    return standard


def _snapshot(standard: Standard) -> dict[str, Any]:
    return {
        "title": standard.title,
        "owner_id": standard.owner_id,
        "review_on": standard.review_on.isoformat(),
        "roles": list(standard.roles),
        "channels": list(standard.channels),
        "position": standard.position,
        "unit_ids": sorted(u.pk for u in standard.units.all()),
        "stage_ids": sorted(s.pk for s in standard.stages.all()),
        "touchpoint_ids": sorted(t.pk for t in standard.touchpoints.all()),
    }


def _locked(version: StandardVersion) -> StandardVersion:
    return StandardVersion.objects.select_for_update().select_related("standard").get(pk=version.pk)


def _refuse(version: StandardVersion, allowed: Sequence[str], message: str) -> None:
    if version.status not in allowed:
        raise ValidationError({"status": [message]})


@transaction.atomic
def start_revision(*, actor: Actor, standard: Standard) -> StandardVersion:
    """A new draft from the published (else the latest) text; refused while one is open."""
    Standard.objects.select_for_update().filter(pk=standard.pk).first()
    if standard.versions.filter(status__in=StandardVersion.OPEN).exists():
        raise ValidationError(
            {"status": [_("This standard already has a draft or a version in review.")]}
        )
    base = standard.versions.filter(status=Status.PUBLISHED).first() or standard.versions.first()
    assert base is not None  # a standard is created with its first version
    number = (
        standard.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    draft = StandardVersion.objects.create(
        standard=standard, number=number, body=base.body, created_by=actor
    )
    _scripts(draft, [(s.title, s.text) for s in base.scripts.all()])
    audit.record(actor=actor, action=DRAFTED, target=draft, data={"number": number})
    return draft


@transaction.atomic
def edit_draft(
    *,
    actor: Actor,
    version: StandardVersion,
    body: str,
    scripts: Sequence[tuple[str, str]] | None = None,
    change_note: str = "",
) -> StandardVersion:
    """Rewrite a draft's text, scripts (None: keep them) and change note (only a draft can be
    edited)."""
    version = _locked(version)
    _refuse(version, [Status.DRAFT], _("Only a draft can be edited."))
    body, change_note = rules.clean_text(body), rules.clean_text(change_note)
    if scripts is None:
        scripts = [(s.title, s.text) for s in version.scripts.all()]
    rules.check_body(body, scripts)
    if len(change_note) > 300:
        raise ValidationError({"change_note": [_("Keep the note within 300 characters.")]})
    before = selectors.diff(None, version)
    version.body, version.change_note = body, change_note
    version.save(update_fields=["body", "change_note"])
    _scripts(version, scripts)
    after = selectors.diff(None, version)
    audit.record(
        actor=actor,
        action=EDITED,
        target=version,
        data={"lines_before": len(before), "lines_after": len(after), "note": change_note},
    )
    return version


@transaction.atomic
def submit_for_review(*, actor: Actor, version: StandardVersion) -> StandardVersion:
    version = _locked(version)
    _refuse(version, [Status.DRAFT], _("Only a draft can be sent for review."))
    version.status = Status.REVIEW
    version.save(update_fields=["status"])
    audit.record(actor=actor, action=SUBMITTED, target=version)
    return version


@transaction.atomic
def return_to_draft(*, actor: Actor, version: StandardVersion) -> StandardVersion:
    version = _locked(version)
    _refuse(version, [Status.REVIEW], _("Only a version in review can be sent back."))
    version.status = Status.DRAFT
    version.save(update_fields=["status"])
    audit.record(actor=actor, action=RETURNED, target=version)
    return version


@transaction.atomic
def publish(*, actor: Actor, version: StandardVersion) -> StandardVersion:
    """Publish a reviewed version: the one published before is superseded, and everyone the
    standard applies to is asked to read it."""
    version = _locked(version)
    _refuse(version, [Status.REVIEW], _("Only a reviewed version can be published."))
    now = timezone.now()
    StandardVersion.objects.filter(standard=version.standard, status=Status.PUBLISHED).update(
        status=Status.SUPERSEDED, superseded_at=now
    )
    version.status, version.published_at, version.published_by = Status.PUBLISHED, now, actor
    version.save(update_fields=["status", "published_at", "published_by"])
    audit.record(actor=actor, action=PUBLISHED, target=version, data={"number": version.number})
    notifications.notify(
        recipients=selectors.audience(version.standard),
        kind=TO_READ,
        actor=actor,
        target_url=reverse("standards:detail", args=[version.standard_id]),
        params={"standard_id": version.standard_id, "number": version.number},
    )
    return version


@transaction.atomic
def acknowledge(*, actor: Any, version: StandardVersion) -> Acknowledgement:
    """`actor` has read `version`. Only the published version of a standard that applies to
    them can be acknowledged; acknowledging again changes nothing."""
    version = StandardVersion.objects.select_related("standard").get(pk=version.pk)
    if version.status != Status.PUBLISHED:
        raise ValidationError(
            {"version": [_("Only the published version of a standard can be acknowledged.")]}
        )
    if not selectors.applies_to(version.standard, actor):
        raise ValidationError({"version": [_("This standard does not apply to you.")]})
    ack, _created = Acknowledgement.objects.get_or_create(version=version, user=actor)
    return ack


def request_reminders(*, version: StandardVersion) -> None:
    """Queue reminders for the version's unread audience (after the caller's commit)."""
    from kliento.standards.tasks import remind_unread

    transaction.on_commit(partial(remind_unread.enqueue, version.pk), robust=True)


@transaction.atomic
def send_reminders(*, version_id: int, now: dt.datetime | None = None) -> int:
    """Remind everyone who has not read a published version; returns how many were reminded.

    The version is claimed with a conditional UPDATE first, so two workers running this at
    once (or a retried task) remind each person once: the second finds the claim taken and does
    nothing. A version reminded less than REMIND_EVERY ago is left alone.
    """
    now = now or timezone.now()
    published = StandardVersion.objects.filter(status=Status.PUBLISHED)
    if not reminders.claim(published, pk=version_id, now=now):
        return 0
    version = StandardVersion.objects.select_related("standard").get(pk=version_id)
    unread = selectors.audience(version.standard).exclude(acknowledgements__version=version)
    sent = notifications.notify(
        recipients=list(unread),
        kind=REMINDER,
        target_url=reverse("standards:detail", args=[version.standard_id]),
        params={"standard_id": version.standard_id, "number": version.number},
    )
    return len(sent)


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind the unread audience of every published version whose automatic reminder is due;
    returns how many people were reminded. Each version is claimed by `send_reminders`, so two
    schedulers or a retried task remind nobody twice."""
    now = now or timezone.now()
    published = StandardVersion.objects.filter(status=Status.PUBLISHED)
    return sum(send_reminders(version_id=pk, now=now) for pk in reminders.due(published, now=now))


# ---------------------------------------------------------------------------------------------
# Revision requests


@transaction.atomic
def raise_revision_request(
    *,
    actor: Actor,
    standard_id: int,
    reason: str,
    evidence: str = "",
    source: str = "",
) -> RevisionRequest:
    """Ask for a standard to be revised: who asks (`actor`, or None with a `source` such as
    "quality" for another module), why, and the evidence. The standard's owner is notified."""
    standard = Standard.objects.filter(pk=standard_id).select_related("owner").first()
    if standard is None:
        raise StandardNotFound(f"Standard {standard_id} does not exist")
    reason, evidence, source = (rules.clean_text(x) for x in (reason, evidence, source))
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the standard should be revised.")]
    elif len(reason) > 2_000:
        errors["reason"] = [_("Keep the reason within 2,000 characters.")]
    if len(evidence) > 5_000:
        errors["evidence"] = [_("Keep the evidence within 5,000 characters.")]
    if len(source) > 50:
        errors["source"] = [_("Keep the source within 50 characters.")]
    if errors:
        raise ValidationError(errors)
    request = RevisionRequest.objects.create(
        standard=standard, raised_by=actor, reason=reason, evidence=evidence, source=source
    )
    audit.record(
        actor=actor,
        action=REVISION_REQUESTED,
        target=standard,
        data={"request_id": request.pk, "source": source},
    )
    notifications.notify(
        recipients=[standard.owner],
        kind=REVISION_NOTICE,
        actor=actor,
        target_url=reverse("standards:detail", args=[standard.pk]),
        params={"standard_id": standard.pk, "request_id": request.pk},
    )
    return request


@transaction.atomic
def resolve_revision_request(
    *, actor: Actor, request: RevisionRequest, accepted: bool, answer: str = ""
) -> RevisionRequest:
    """Close an open request as accepted (the owner will revise) or declined, with an answer."""
    request = RevisionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RevisionRequest.Status.OPEN:
        raise ValidationError({"status": [_("This request has already been answered.")]})
    answer = rules.clean_text(answer)
    if len(answer) > 500:
        raise ValidationError({"answer": [_("Keep the answer within 500 characters.")]})
    request.status = (
        RevisionRequest.Status.ACCEPTED if accepted else RevisionRequest.Status.DECLINED
    )
    request.resolved_by, request.resolved_at, request.resolution = actor, timezone.now(), answer
    request.save()
    audit.record(
        actor=actor,
        action=REVISION_RESOLVED,
        target=request.standard,
        data={"request_id": request.pk, "status": request.status},
    )
    return request


# ---------------------------------------------------------------------------------------------
# The mission


def _mission_text(text: str, field: str = "text") -> str:
    text = rules.clean_text(text)
    if not text:
        raise ValidationError({field: [_("Write the text.")]})
    if len(text) > 2_000:
        raise ValidationError({field: [_("Keep it within 2,000 characters.")]})
    return text


@transaction.atomic
def start_mission_draft(*, actor: Actor, criteria: str = "") -> Mission:
    """Open a round of discussion, starting from the published text; one draft at a time."""
    draft = Mission.objects.select_for_update().filter(status=Mission.Status.DRAFT).first()
    if draft is not None:
        return draft
    current = selectors.current_mission()
    mission = Mission.objects.create(
        text=current.text if current else "",
        criteria=rules.clean_text(criteria) or (current.criteria if current else ""),
        created_by=actor,
    )
    audit.record(actor=actor, action=MISSION_DRAFTED, target=mission)
    return mission


def _draft(mission: Mission) -> Mission:
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if mission.status != Mission.Status.DRAFT:
        raise ValidationError({"status": [_("Only the mission under discussion can change.")]})
    return mission


@transaction.atomic
def edit_mission(*, actor: Actor, mission: Mission, text: str, criteria: str) -> Mission:
    """Rewrite the draft's text (may stay empty while discussed) and its criteria."""
    mission = _draft(mission)
    text, criteria = rules.clean_text(text), rules.clean_text(criteria)
    for field, value in (("text", text), ("criteria", criteria)):
        if len(value) > 2_000:
            raise ValidationError({field: [_("Keep it within 2,000 characters.")]})
    mission.text, mission.criteria = text, criteria
    mission.save(update_fields=["text", "criteria"])
    audit.record(actor=actor, action=MISSION_EDITED, target=mission, data={"text": mission.text})
    return mission


@transaction.atomic
def contribute(*, actor: Actor, mission: Mission, kind: str, text: str) -> MissionContribution:
    """A comment on the draft, or a proposal for its text (any member of staff)."""
    mission = _draft(mission)
    if kind not in MissionContribution.Kind.values:
        raise ValidationError({"kind": [_("A comment or a proposal.")]})
    return MissionContribution.objects.create(
        mission=mission, kind=kind, author=actor, text=_mission_text(text)
    )


@transaction.atomic
def adopt_proposal(*, actor: Actor, proposal: MissionContribution) -> Mission:
    """Make a proposal the agreed text of the draft."""
    mission = _draft(proposal.mission)
    if proposal.kind != MissionContribution.Kind.PROPOSAL:
        raise ValidationError({"proposal": [_("Only a proposal can be adopted.")]})
    mission.contributions.update(adopted=False)
    MissionContribution.objects.filter(pk=proposal.pk).update(adopted=True)
    mission.text = proposal.text
    mission.save(update_fields=["text"])
    audit.record(actor=actor, action=MISSION_EDITED, target=mission, data={"adopted": proposal.pk})
    return mission


@transaction.atomic
def publish_mission(*, actor: Actor, mission: Mission) -> Mission:
    """Publish the agreed text; the mission published before is superseded."""
    mission = _draft(mission)
    _mission_text(mission.text)
    Mission.objects.filter(status=Mission.Status.PUBLISHED).update(status=Mission.Status.SUPERSEDED)
    mission.status, mission.published_at, mission.published_by = (
        Mission.Status.PUBLISHED,
        timezone.now(),
        actor,
    )
    mission.save(update_fields=["status", "published_at", "published_by"])
    audit.record(actor=actor, action=MISSION_PUBLISHED, target=mission)
    return mission
