"""Baselines a refresher training records by itself, through the metric layer: when the
training is assigned (its start), the subject's figures over the rule's period just before
("before"); when it is marked done (its end), the same over the days from the assignment to
the training ("during"). Both are ordinary baselines of the metrics app, listed and compared on
its baseline page; the proposal's page compares the "before" one with the days since.

The subject is the proposal's employee (`employee:<id>`) or team (`team:<id>`, the unit with
its sub-units). The metrics are those below that are installed and can be cut by the subject's
kind: the clients' CSAT and CES about the person's or team's work and the desk's shares. The
QA review score and audit compliance are team signals, not metrics of the metric layer, so the
proposal's own before/after (team.selectors.before_after) keeps showing them.

Runs after the commit that assigns or completes the training; the baseline's `source`
("team.refresher:<id>:start") makes a repeated call save nothing twice. A failure is logged and
leaves the proposal as it is: the training is not undone because a figure could not be taken.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.metrics import registry
from kliento.metrics import services as metrics
from kliento.team.models import TrainingProposal

logger = logging.getLogger(__name__)

START, END = "start", "end"
TRAINING_METRICS = (
    "csat",
    "ces",
    "first_contact_resolution",
    "reopen_rate",
    "first_response_sla",
)


def source_of(proposal: TrainingProposal, moment: str) -> str:
    return f"team.refresher:{proposal.pk}:{moment}"


def subject_slice(proposal: TrainingProposal) -> str | None:
    if proposal.employee_id:
        return f"employee:{proposal.employee_id}"
    if proposal.team_id:
        return f"team:{proposal.team_id}"
    return None


def metric_keys(slice_text: str) -> list[str]:
    """The training metrics installed that can be computed for the subject's kind of slice."""
    kind = slice_text.partition(":")[0]
    by_key = {d.key: d for d in registry.metrics()}
    return [k for k in TRAINING_METRICS if k in by_key and kind in by_key[k].slices]


def period(proposal: TrainingProposal, moment: str) -> registry.Period:
    assigned = proposal.assigned_on or timezone.localdate()
    if moment == START:
        end = assigned - dt.timedelta(days=1)
        return registry.Period(end - dt.timedelta(days=proposal.rule.period_days - 1), end)
    done = proposal.trained_on or timezone.localdate()
    return registry.Period(min(assigned, done), done)


def record_baseline(proposal_id: int, moment: str) -> Any:
    """Save the start or end baseline of the proposal (once); None when there is nothing to
    measure (no subject, or none of the metrics installed)."""
    proposal = (
        TrainingProposal.objects.select_related("rule", "employee", "team")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        return None
    where = subject_slice(proposal)
    keys = metric_keys(where) if where else []
    if where is None or not keys:
        return None
    subject = str(proposal.employee or proposal.team)
    label = (
        _("before the refresher training")
        if moment == START
        else _("during the refresher training")
    )
    return metrics.save_baseline(
        actor=None,
        name=f"{subject}: {label} #{proposal.pk}"[:200],
        metric_keys=keys,
        slices=[where],
        period=period(proposal, moment),
        source=source_of(proposal, moment),
    )


def record_after_commit(proposal_id: int, moment: str) -> None:
    """What the services put on on_commit: a failure is logged, never raised into the page
    whose change is already committed."""
    try:
        record_baseline(proposal_id, moment)
    except Exception:
        logger.exception("Refresher baseline %s of proposal %s failed", moment, proposal_id)
