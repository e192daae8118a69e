"""Background tasks of the SLA clock and escalation, run by the scheduler every minute."""

from __future__ import annotations

from django.tasks import task


@task()
def check_sla() -> int:
    """Warnings and breaches that fell due; safe to run on several workers at once."""
    from kliento.desk.sla.alerts import check_due

    return check_due()


@task()
def escalate() -> int:
    """Move cases whose escalation level fell due; each level exactly once."""
    from kliento.desk.sla.escalation import escalate_due

    return escalate_due()


@task()
def recompute_clocks() -> int:
    """After a policy or calendar changed: every active case's policy and due times again."""
    from kliento.desk.sla.clock import recompute_active

    return recompute_active()
