"""Who has a case open: each open case page reports every few seconds."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kliento.desk.models import Case, CaseViewer


def seen(*, user: Any, case: Case, composing: bool) -> None:
    """Record that `user` has the case open (and whether a reply is being written)."""
    CaseViewer.objects.update_or_create(
        case=case, user=user, defaults={"seen_at": timezone.now(), "composing": composing}
    )
