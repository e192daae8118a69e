"""Reads of the team app for its pages, its API and other apps.

For other apps (stable): `onboarding_progress(onboarding)`, `running_onboardings_of(user)`,
`mentored_by(user)`, `training_record(user)`, `course_search(query, limit)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from kliento.core.models import OrgUnit, StaffProfile
from kliento.metrics import registry as metric_registry
from kliento.metrics import selectors as metrics
from kliento.standards import selectors as standards
from kliento.surveys import selectors as surveys
from kliento.team import ranking
from kliento.team.models import (
    Attendance,
    Candidate,
    CandidateScore,
    Checkpoint,
    CheckpointKind,
    Course,
    IdealProfile,
    Onboarding,
    TrainingProposal,
)
from kliento.team.registry import signals
from kliento.team.services import refresher_baselines
from kliento.team.services.refresher_baselines import END, START

HIRE = "team.hire"
MANAGE_ONBOARDING = "team.manage_onboarding"


# ---------------------------------------------------------------------------------------------
# Hiring


def candidates_for(user: Any) -> QuerySet[Candidate]:
    """Every candidate for hiring roles; nothing for anyone else (the pages 404 on an id)."""
    if not user.has_perm(HIRE):
        return Candidate.objects.none()
    return Candidate.objects.select_related("profile")


def ranking_for(profile: IdealProfile, candidates: list[Candidate]) -> list[ranking.Ranked]:
    competencies = list(profile.competencies.all())
    scores: dict[int, list[CandidateScore]] = {}
    for row in CandidateScore.objects.filter(candidate__in=candidates):
        scores.setdefault(row.candidate_id, []).append(row)
    return ranking.rank([ranking.assess(c, competencies, scores.get(c.pk, [])) for c in candidates])


# ---------------------------------------------------------------------------------------------
# Onboarding


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def standards_acknowledged(user: Any) -> bool:
    return not standards.unread_for(user)


def checkpoint_done(checkpoint: Checkpoint, acknowledged: bool) -> bool:
    """Signed off, or an acknowledgement checkpoint whose standards are all acknowledged (the
    periodic job writes it down; until then the page already counts it)."""
    return checkpoint.done_at is not None or (
        checkpoint.kind == CheckpointKind.STANDARDS and acknowledged
    )


def onboarding_progress(onboarding: Onboarding, today: dt.date | None = None) -> Progress:
    today = today or timezone.localdate()
    checkpoints = list(onboarding.checkpoints.all())
    acknowledged = any(c.kind == CheckpointKind.STANDARDS for c in checkpoints) and (
        standards_acknowledged(onboarding.employee)
    )
    done = [checkpoint_done(c, acknowledged) for c in checkpoints]
    overdue = sum(1 for c, d in zip(checkpoints, done, strict=True) if not d and c.due_on < today)
    return Progress(sum(done), len(checkpoints), overdue)


def onboardings_for(user: Any) -> QuerySet[Onboarding]:
    """All for those who manage onboarding; otherwise one's own and those one mentors."""
    qs = Onboarding.objects.select_related("employee", "mentor", "plan")
    if user.has_perm(MANAGE_ONBOARDING):
        return qs
    return qs.filter(Q(employee=user) | Q(mentor=user))


def running_onboardings_of(user: Any) -> list[Onboarding]:
    return [
        o
        for o in Onboarding.objects.filter(employee=user).select_related("mentor", "plan")
        if onboarding_progress(o).percent < 100
    ]


def mentored_by(user: Any) -> list[Onboarding]:
    return list(Onboarding.objects.filter(mentor=user).select_related("employee", "plan"))


# ---------------------------------------------------------------------------------------------
# Training


def training_record(user: Any) -> QuerySet[Attendance]:
    return Attendance.objects.filter(employee=user).select_related("session__course")


def course_search(query: str, limit: int) -> list[Course]:
    return list(
        Course.objects.filter(Q(title__icontains=query) | Q(description__icontains=query))[:limit]
    )


@dataclass(frozen=True)
class MatrixRow:
    employee: Any
    courses: list[bool]
    competencies: list[bool]


@dataclass(frozen=True)
class Matrix:
    team: OrgUnit
    courses: list[Course]
    competencies: list[str]
    rows: list[MatrixRow]


def team_members(team: OrgUnit) -> list[Any]:
    ids = StaffProfile.objects.filter(unit=team, user__is_active=True).values_list(
        "user_id", flat=True
    )
    return list(get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name"))


def skills_matrix(team: OrgUnit) -> Matrix:
    """Employees by courses (attended) and by competencies (built by an attended course)."""
    members = team_members(team)
    courses = list(Course.objects.filter(is_active=True).prefetch_related("competencies"))
    names = sorted({c.name for course in courses for c in course.competencies.all()})
    attended: dict[int, set[int]] = {}
    for employee_id, course_id in Attendance.objects.filter(
        employee__in=members, status=Attendance.Status.ATTENDED
    ).values_list("employee_id", "session__course_id"):
        attended.setdefault(employee_id, set()).add(course_id)
    rows = []
    for person in members:
        taken = attended.get(person.pk, set())
        built = {
            c.name for course in courses if course.pk in taken for c in course.competencies.all()
        }
        rows.append(
            MatrixRow(person, [c.pk in taken for c in courses], [n in built for n in names])
        )
    return Matrix(team, courses, names, rows)


def teams() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(members__isnull=False).distinct().order_by("name")


# ---------------------------------------------------------------------------------------------
# Refresher training


def subject_ids(proposal: TrainingProposal) -> list[int]:
    if proposal.employee_id:
        return [proposal.employee_id]
    return [m.pk for m in team_members(proposal.team)] if proposal.team else []


@dataclass(frozen=True)
class BeforeAfter:
    before_value: float | None
    before_n: int
    after_value: float | None
    after_n: int
    comparison: Any  # metrics' Comparison, None when a side has no observations


def before_after(proposal: TrainingProposal, today: dt.date | None = None) -> BeforeAfter | None:
    """The signal over the rule's period before the training against the days since (up to
    one period), tested for significance where the signal is a share."""
    signal = signals.get(proposal.signal)
    if signal is None or proposal.trained_on is None:
        return None
    today = today or timezone.localdate()
    days = dt.timedelta(days=proposal.rule.period_days)
    ids = subject_ids(proposal)
    before = signal.compute(ids, proposal.trained_on - days, proposal.trained_on - dt.timedelta(1))
    after_end = min(today, proposal.trained_on + days)
    after = signal.compute(ids, proposal.trained_on, after_end)
    comparison = None
    if before.successes is not None and after.successes is not None:
        comparison = metrics.compare_shares(
            (before.successes, before.n), (after.successes, after.n)
        )
    return BeforeAfter(before.value, before.n, after.value, after.n, comparison)


@dataclass(frozen=True)
class TrainingBaselines:
    before: Any  # the metric layer's baseline saved when the training was assigned, or None
    during: Any  # the one saved when it was marked done, or None
    since: dt.date | None  # the later period the "before" figures are compared with
    until: dt.date | None
    rows: list[dict[str, Any]]  # metrics' compare_baseline rows, each with "name", "during"


def training_baselines(
    proposal: TrainingProposal, *, viewer: Any, today: dt.date | None = None
) -> TrainingBaselines | None:
    """The refresher's baselines of the metric layer and the "before" one compared (metrics'
    own comparison and tests) with the days since the training, or since its assignment while
    it is not done yet, up to one rule period. Only the metrics the viewer may read."""
    before = metrics.baseline_by_source(refresher_baselines.source_of(proposal, START))
    during = metrics.baseline_by_source(refresher_baselines.source_of(proposal, END))
    if before is None and during is None:
        return None
    keys = metrics.visible_metric_keys(viewer)
    today = today or timezone.localdate()
    since = proposal.trained_on or proposal.assigned_on
    until = None
    rows: list[dict[str, Any]] = []
    if before is not None and since is not None and since <= today:
        until = min(today, since + dt.timedelta(days=proposal.rule.period_days))
        rows = metrics.compare_baseline(before, start=since, end=until, keys=keys)
    later = (
        {(f.metric, f.slice): f.value for f in during.figures.all()} if during is not None else {}
    )
    names = {d.key: d.name for d in metric_registry.metrics()}
    for row in rows:
        row["name"] = names.get(row["metric"], row["metric"])
        row["during"] = later.get((row["metric"], row["slice"]))
    return TrainingBaselines(before, during, since if until else None, until, rows)


# ---------------------------------------------------------------------------------------------
# Internal climate


def climate() -> list[tuple[Any, Any, list[Any]]]:
    """Each internal survey with its overall and per-team results; the surveys app's rule hides
    a team with fewer than five answers (and the whole where it would give one away)."""
    out = []
    for survey in surveys.staff_surveys()[:10]:
        overall, groups = surveys.staff_results(survey)
        out.append((survey, overall, groups))
    return out
