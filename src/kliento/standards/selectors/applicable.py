"""The standards that apply where work happens: by a client's current stages (read through
`journeys.selectors`), a touchpoint and a channel; and scripts as reply templates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q

from kliento.journeys import selectors as journeys
from kliento.standards.models import Script, Standard, StandardVersion
from kliento.standards.selectors.book import published_version, with_published

Status = StandardVersion.Status

# ---------------------------------------------------------------------------------------------
# Standards where work happens


@dataclass(frozen=True)
class ScriptItem:
    """A script as a reply template: its id stays valid while its version is published."""

    id: int
    standard_id: int
    standard_title: str
    title: str
    text: str


@dataclass(frozen=True)
class ApplicableStandard:
    standard_id: int
    version_id: int
    kind: str
    title: str
    body: str  # Markdown source; render with `render_text`
    stage_ids: list[int]
    touchpoint_ids: list[int]
    channels: list[str]
    scripts: list[ScriptItem]


@dataclass(frozen=True)
class Applicable:
    stage_ids: list[int]
    standards: list[ApplicableStandard]

    @property
    def scripts(self) -> list[ScriptItem]:
        return [s for standard in self.standards for s in standard.scripts]


def _item(standard: Standard, version: StandardVersion) -> ApplicableStandard:
    return ApplicableStandard(
        standard_id=standard.pk,
        version_id=version.pk,
        kind=standard.kind,
        title=standard.title,
        body=version.body,
        stage_ids=sorted(s.pk for s in standard.stages.all()),
        touchpoint_ids=sorted(t.pk for t in standard.touchpoints.all()),
        channels=list(standard.channels),
        scripts=[
            ScriptItem(s.pk, standard.pk, standard.title, s.title, s.text)
            for s in version.scripts.all()
        ],
    )


def applicable(
    *,
    client_id: int | None = None,
    stage_ids: Sequence[int] | None = None,
    touchpoint_id: int | None = None,
    channel: str | None = None,
) -> Applicable:
    """The published standards (and their scripts) that apply in a working context.

    The context has up to three dimensions: the stages (the client's current ones, through
    `journeys.selectors.current_stage_ids`, or `stage_ids` given directly), a touchpoint and a
    channel. A dimension left out (None) is "any". A standard applies when, for every given
    dimension, it is either not tied to that dimension or tied to the given value, and at least
    one given dimension names it explicitly; book-wide standards (tied to nothing) never
    appear here — they are in the book.

    So on the client card (stages only) every rule of the client's stages shows, whatever its
    touchpoint; in a reply box for e-mail, a stage rule tied to the phone channel does not.
    """
    stages: set[int] | None = None
    if client_id is not None:
        stages = set(journeys.current_stage_ids(client_id=client_id))
    if stage_ids is not None:
        stages = (stages or set()) | set(stage_ids)
    if stages is None and touchpoint_id is None and not channel:
        return Applicable([], [])
    hints = Q()
    if stages:
        hints |= Q(stages__in=stages)
    if touchpoint_id is not None:
        hints |= Q(touchpoints=touchpoint_id)
    candidates = (
        with_published()
        .filter(versions__status=Status.PUBLISHED)
        .prefetch_related("stages", "touchpoints")
        .distinct()
    )
    if not channel:
        if not hints:
            return Applicable(sorted(stages or ()), [])
        candidates = candidates.filter(hints)
    found = []
    for standard in candidates:
        linked_stages = {s.pk for s in standard.stages.all()}
        linked_touchpoints = {t.pk for t in standard.touchpoints.all()}
        linked_channels = set(standard.channels)
        ok, hit = True, False
        for given, linked in (
            (stages, linked_stages),
            ({touchpoint_id} if touchpoint_id is not None else None, linked_touchpoints),
            ({channel} if channel else None, linked_channels),
        ):
            if given is None or not linked:
                continue
            if given & linked:
                hit = True
            else:
                ok = False
        version = published_version(standard)
        if ok and hit and version is not None:
            found.append(_item(standard, version))
    return Applicable(sorted(stages or ()), found)


def script(script_id: int) -> ScriptItem | None:
    """One script of a published standard; None if unknown or its version is not published."""
    found = (
        Script.objects.filter(pk=script_id, version__status=Status.PUBLISHED)
        .select_related("version__standard")
        .first()
    )
    if found is None:
        return None
    standard = found.version.standard
    return ScriptItem(found.pk, standard.pk, standard.title, found.title, found.text)


def published_standards(ids: Iterable[int]) -> list[ApplicableStandard]:
    """The published text of the given standards (unpublished or unknown ids are left out)."""
    items = []
    standards = with_published().filter(pk__in=list(ids)).prefetch_related("stages", "touchpoints")
    for standard in standards:
        version = published_version(standard)
        if version is not None:
            items.append(_item(standard, version))
    return items
