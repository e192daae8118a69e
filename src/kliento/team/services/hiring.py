"""Candidates: the pipeline, the interviewers' scores and the erasure of rejected candidates'
personal data after the retention period (see docs/decisions, GDPR erasure)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.team.models import Candidate, CandidateScore, Competency, IdealProfile, Stage

CANDIDATE_MOVED = "team.candidate_moved"
CANDIDATE_ERASED = "team.candidate_erased"

# The one table of moves: from a stage, where a candidate may go next.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.APPLIED: (Stage.INTERVIEW, Stage.REJECTED),
    Stage.INTERVIEW: (Stage.TEST_TASK, Stage.OFFER, Stage.REJECTED),
    Stage.TEST_TASK: (Stage.OFFER, Stage.REJECTED),
    Stage.OFFER: (Stage.HIRED, Stage.REJECTED),
    Stage.HIRED: (),
    Stage.REJECTED: (),
}


def retention_days() -> int:
    return int(getattr(settings, "KLIENTO_CANDIDATE_RETENTION_DAYS", 180))


@transaction.atomic
def create_candidate(
    *,
    actor: Any,
    profile: IdealProfile,
    name: str,
    email: str = "",
    phone: str = "",
    notes: str = "",
) -> Candidate:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the candidate's name.")]})
    candidate = Candidate.objects.create(
        profile=profile, name=name, email=email.strip(), phone=phone.strip(), notes=notes.strip()
    )
    audit.record(actor=actor, action=CANDIDATE_MOVED, target=candidate, data={"to": Stage.APPLIED})
    return candidate


@transaction.atomic
def move_candidate(*, actor: Any, candidate: Candidate, to: str) -> Candidate:
    # The row is locked: two interviewers moving one candidate at once cannot both pass the
    # check against the stage they read.
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if to not in TRANSITIONS.get(locked.stage, ()):
        raise ValidationError(
            {
                "stage": [
                    _("A candidate cannot move from %(from)s to %(to)s.")
                    % {"from": locked.get_stage_display(), "to": to}
                ]
            }
        )
    now = timezone.now()
    locked.stage = to
    locked.stage_changed_at = now
    if to == Stage.REJECTED:
        locked.rejected_at = now
    locked.save(update_fields=["stage", "stage_changed_at", "rejected_at"])
    audit.record(actor=actor, action=CANDIDATE_MOVED, target=locked, data={"to": to})
    return locked


@transaction.atomic
def score_candidate(
    *, interviewer: Any, candidate: Candidate, competency: Competency, score: int, note: str = ""
) -> CandidateScore:
    errors: dict[str, list[str]] = {}
    if competency.profile_id != candidate.profile_id:
        errors["competency_id"] = [_("This competency is not in the candidate's profile.")]
    if not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = [_("A score is a whole number from 1 to 5.")]
    if candidate.erased_at is not None:
        errors["candidate"] = [_("This candidate's data was erased.")]
    if errors:
        raise ValidationError(errors)
    row, _created = CandidateScore.objects.update_or_create(
        candidate=candidate,
        competency=competency,
        interviewer=interviewer,
        defaults={"score": score, "note": note.strip(), "scored_at": timezone.now()},
    )
    return row


def erase_expired_candidates(*, now: dt.datetime | None = None) -> int:
    """Erase the personal data of candidates rejected longer ago than the retention period.
    Each candidate is claimed by a conditional UPDATE, so two workers never erase (and audit)
    one twice. Returns how many were erased by this call."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    due = Candidate.objects.filter(
        stage=Stage.REJECTED, rejected_at__lte=cutoff, erased_at__isnull=True
    ).values_list("pk", flat=True)
    erased = 0
    for pk in list(due[:1000]):
        erased += _erase(pk, now)
    return erased


@transaction.atomic
def _erase(pk: int, now: dt.datetime) -> int:
    claimed = Candidate.objects.filter(pk=pk, erased_at__isnull=True).update(
        erased_at=now, name="", email="", phone="", notes=""
    )
    if not claimed:
        return 0
    candidate = Candidate.objects.get(pk=pk)
    # Scores stay (numbers without a person); what interviewers wrote about the person goes.
    CandidateScore.objects.filter(candidate_id=pk).update(note="")
    audit.record(
        actor=None,
        action=CANDIDATE_ERASED,
        target=candidate,
        target_repr=f"candidate #{pk}",
        data={
            "rejected_at": candidate.rejected_at.isoformat() if candidate.rejected_at else None,
            "retention_days": retention_days(),
        },
    )
    return 1
