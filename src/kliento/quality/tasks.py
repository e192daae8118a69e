"""Background work of quality control. Safe to run twice: each overdue corrective action is
claimed with a conditional UPDATE before its notice goes out (services/programme.py)."""

from __future__ import annotations

from django.tasks import task

from kliento.quality.services import programme


@task()
def quality_tick() -> dict[str, int]:
    """The periodic work (core.schedule): overdue corrective actions, one notice each."""
    return {"overdue_notices": programme.notify_overdue_actions()}
