"""Helpers shared by the standards tests: a published standard in one call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kliento.standards import services
from kliento.standards.models import Standard, StandardVersion


def published(
    *,
    by: Any,
    title: str = "Answering the phone",
    kind: str = "communication",
    body: str = "Pick up by the third ring.",
    **links: Any,
) -> tuple[Standard, StandardVersion]:
    standard = services.create_standard(
        actor=by,
        kind=kind,
        title=title,
        body=body,
        owner=by,
        review_on=links.pop("review_on", dt.date(2030, 1, 1)),
        **links,
    )
    version = standard.versions.get()
    services.submit_for_review(actor=by, version=version)
    services.publish(actor=by, version=version)
    version.refresh_from_db()
    return standard, version
