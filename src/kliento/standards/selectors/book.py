"""Reads of the book itself: standards and their versions, search, the glossary, rendering,
review dates, history, diffs, and the mission."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from html import unescape
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from kliento.core.folding import fold
from kliento.core.models import AuditEntry
from kliento.core.richtext import render_markdown
from kliento.standards import glossary
from kliento.standards.models import (
    Kind,
    Mission,
    RevisionRequest,
    Standard,
    StandardVersion,
)

Status = StandardVersion.Status
DEFINITION_LENGTH = 300


# ---------------------------------------------------------------------------------------------
# The book


def with_published() -> QuerySet[Standard]:
    """Standards with `published` (a one-item list, or empty) prefetched."""
    return Standard.objects.select_related("owner").prefetch_related(
        Prefetch(
            "versions",
            queryset=StandardVersion.objects.filter(status=Status.PUBLISHED).prefetch_related(
                "scripts"
            ),
            to_attr="published",
        )
    )


def published_version(standard: Standard) -> StandardVersion | None:
    found = getattr(standard, "published", None)
    if found is not None:
        return found[0] if found else None
    return standard.versions.filter(status=Status.PUBLISHED).first()


def open_version(standard: Standard) -> StandardVersion | None:
    """The draft or the version in review, if there is one."""
    return standard.versions.filter(status__in=StandardVersion.OPEN).first()


def book(*, query: str = "", kind: str = "", published_only: bool = False) -> list[Standard]:
    """The book in reading order, optionally searched (title or published text, accent- and
    case-insensitive) and limited to one section."""
    standards = with_published()
    if kind:
        standards = standards.filter(kind=kind)
    if published_only:
        standards = standards.filter(versions__status=Status.PUBLISHED)
    found = list(standards)
    words = fold(query).split()
    if words:

        def matches(s: Standard) -> bool:
            version = published_version(s)
            scripts = (
                " ".join(f"{x.title} {x.text}" for x in version.scripts.all()) if version else ""
            )
            hay = fold(f"{s.title} {version.body if version else ''} {scripts}")
            return all(w in hay for w in words)

        found = [s for s in found if matches(s)]
    return found


def search_hits(query: str, limit: int) -> list[Standard]:
    """Published standards for the global search: title matches first, then text matches."""
    found = book(query=query, published_only=True)
    words = fold(query).split()
    found.sort(key=lambda s: not all(w in fold(s.title) for w in words))
    return found[:limit]


def glossary_terms() -> dict[str, str]:
    """Every published glossary entry: term → its definition as plain text."""
    terms: dict[str, str] = {}
    versions = StandardVersion.objects.filter(
        status=Status.PUBLISHED, standard__kind=Kind.GLOSSARY
    ).select_related("standard")
    for version in versions:
        text = " ".join(unescape(strip_tags(render_markdown(version.body))).split())
        if len(text) > DEFINITION_LENGTH:
            text = text[: DEFINITION_LENGTH - 1].rstrip() + "…"
        terms[version.standard.title] = text
    return terms


def render_text(source: str, *, terms: dict[str, str] | None = None, skip: str = "") -> SafeString:
    """A standard's Markdown as sanitised HTML with the glossary's terms explained."""
    return glossary.render(source, glossary_terms() if terms is None else terms, skip=skip)


def overdue_reviews(today: dt.date | None = None) -> QuerySet[Standard]:
    return Standard.objects.filter(review_on__lt=today or timezone.localdate()).select_related(
        "owner"
    )


def owned_needing_attention(user: Any, today: dt.date | None = None) -> list[Standard]:
    """The user's own standards that are past their review date or have open revision
    requests (`open_requests` annotated), most urgent first."""
    standards = (
        Standard.objects.filter(owner=user)
        .annotate(
            open_requests=Count(
                "revision_requests", filter=Q(revision_requests__status=RevisionRequest.Status.OPEN)
            )
        )
        .filter(Q(review_on__lt=today or timezone.localdate()) | Q(open_requests__gt=0))
        .order_by("review_on", "title")
    )
    return list(standards)


def history(standard: Standard) -> QuerySet[AuditEntry]:
    """Who changed what: the audit entries of the standard and of its versions."""
    version_ids = [str(pk) for pk in standard.versions.values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        Q(target_type="standards.standard", target_id=str(standard.pk))
        | Q(target_type="standards.standardversion", target_id__in=version_ids)
    ).select_related("actor")


def open_revision_requests(standard: Standard | None = None) -> QuerySet[RevisionRequest]:
    requests = RevisionRequest.objects.filter(status=RevisionRequest.Status.OPEN)
    if standard is not None:
        requests = requests.filter(standard=standard)
    return requests.select_related("standard", "raised_by")


# ---------------------------------------------------------------------------------------------
# Versions compared


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def _lines(version: StandardVersion) -> list[str]:
    lines = version.body.splitlines()
    for script in version.scripts.all():
        lines += ["", f"## {script.title}", *script.text.splitlines()]
    return lines


def diff(old: StandardVersion | None, new: StandardVersion) -> list[DiffLine]:
    """Line by line, what `new` removed from and added to `old` (its text and its scripts)."""
    before = _lines(old) if old is not None else []
    rows = []
    for line in difflib.ndiff(before, _lines(new)):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        rows.append(DiffLine({"  ": "same", "+ ": "added", "- ": "removed"}[code], text))
    return rows


# ---------------------------------------------------------------------------------------------
# The mission


def current_mission() -> Mission | None:
    return Mission.objects.filter(status=Mission.Status.PUBLISHED).first()


def mission_draft() -> Mission | None:
    return (
        Mission.objects.filter(status=Mission.Status.DRAFT)
        .prefetch_related("contributions__author")
        .first()
    )
