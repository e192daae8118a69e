"""Checklists and their versions."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from kliento.quality.models import Checklist, ChecklistVersion

Status = ChecklistVersion.Status


def checklists() -> QuerySet[Checklist]:
    """Every checklist with `published` and `draft` (one-item lists or empty) prefetched."""
    return Checklist.objects.select_related("owner").prefetch_related(
        Prefetch(
            "versions",
            queryset=ChecklistVersion.objects.filter(status=Status.PUBLISHED),
            to_attr="published",
        ),
        Prefetch(
            "versions",
            queryset=ChecklistVersion.objects.filter(status=Status.DRAFT),
            to_attr="drafts",
        ),
    )


def published_checklists(area_kind: str | None = None) -> QuerySet[Checklist]:
    found = checklists().filter(versions__status=Status.PUBLISHED)
    return found.filter(area_kind=area_kind) if area_kind else found


def published_version(checklist: Checklist) -> ChecklistVersion | None:
    found = getattr(checklist, "published", None)
    if found is not None:
        return found[0] if found else None
    return checklist.versions.filter(status=Status.PUBLISHED).first()


def draft_version(checklist: Checklist) -> ChecklistVersion | None:
    found = getattr(checklist, "drafts", None)
    if found is not None:
        return found[0] if found else None
    return checklist.versions.filter(status=Status.DRAFT).first()
