"""Background work of the team app. Every step claims its own rows (conditional UPDATEs, a
unique constraint), so a run twice or two workers at once do each thing once."""

from __future__ import annotations

from django.tasks import task

from kliento.team.services import hiring, onboarding, refresher


@task()
def team_daily() -> dict[str, int]:
    """Erase expired candidates, complete acknowledged-standards checkpoints, notify overdue
    checkpoints and raise refresher proposals."""
    return {
        "candidates_erased": hiring.erase_expired_candidates(),
        "checkpoints_acknowledged": onboarding.complete_acknowledged(),
        "overdue_notified": onboarding.notify_overdue(),
        "proposals": refresher.run_refresher(),
    }
