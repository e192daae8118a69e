"""Charts as server-rendered SVG: no script, so the strict Content-Security-Policy stays as it
is, and the page works without JavaScript. Every chart is a figure with a text alternative
(`<title>` per mark) and sits beside a table of the same numbers; bars link to their records.
Presentation attributes only (no `style`), which CSP's style-src does not govern.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360  # the viewBox: the SVG scales to its container (390 px phones included)
BAR = 22
COLOUR = "#0d6efd"
MUTED = "#6c757d"


@dataclass(frozen=True)
class Mark:
    label: str
    value: float | None
    link: str = ""
    note: str = ""  # e.g. "n = 12", in the mark's tooltip


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _tip(mark: Mark) -> str:
    shown = "—" if mark.value is None else _num(mark.value)
    return escape(f"{mark.label}: {shown}" + (f" ({mark.note})" if mark.note else ""))


def _wrap(body: str, height: int, title: str) -> SafeString:
    # Every text inside went through escape().
    # The title is shown above the chart too: a chart nobody can name is no help on a phone,
    # where there is no pointer to reveal the SVG's own <title>.
    return mark_safe(
        f'<p class="small fw-semibold mb-1 metric-chart-title">{escape(title)}</p>'
        f'<svg class="metric-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _linked(mark: Mark, inner: str) -> str:
    if not mark.link:
        return inner
    return f'<a href="{escape(mark.link)}">{inner}</a>'


def bars(marks: Sequence[Mark], title: str) -> SafeString:
    """Horizontal bars (labels stay readable on a phone); negative values (NPS) from a zero
    line. A bar without a value is a grey dash."""
    values = [m.value for m in marks if m.value is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    left, right = 110, WIDTH - 40
    scale = (right - left) / span
    zero = left + (0 - low) * scale
    parts = [
        f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{len(marks) * BAR}" stroke="{MUTED}"/>'
    ]
    for i, mark in enumerate(marks):
        y = i * BAR
        label = escape(mark.label[:18])
        parts.append(f'<text x="0" y="{y + 15}" font-size="11">{label}</text>')
        if mark.value is None:
            bar = (
                f'<line x1="{zero - 6:.1f}" y1="{y + 11}" x2="{zero + 6:.1f}" '
                f'y2="{y + 11}" stroke="{MUTED}"/>'
            )
        else:
            x = min(zero, zero + mark.value * scale)
            w = max(abs(mark.value * scale), 1.0)
            bar = (
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{BAR - 8}" fill="{COLOUR}">'
                f"<title>{_tip(mark)}</title></rect>"
                f'<text x="{right + 4}" y="{y + 15}" font-size="11">{_num(mark.value)}</text>'
            )
        parts.append(_linked(mark, bar))
    return _wrap("".join(parts), max(len(marks), 1) * BAR + 4, title)


def columns(marks: Sequence[Mark], title: str) -> SafeString:
    """Vertical columns, for a score distribution (one per point of the scale)."""
    height, base = 140, 120
    top = max([m.value or 0 for m in marks] + [1])
    step = WIDTH / max(len(marks), 1)
    parts = [f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="{MUTED}"/>']
    for i, mark in enumerate(marks):
        x = i * step
        h = (mark.value or 0) / top * (base - 10)
        column = (
            f'<rect x="{x + 2:.1f}" y="{base - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" '
            f'fill="{COLOUR}"><title>{_tip(mark)}</title></rect>'
        )
        parts.append(_linked(mark, column))
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{base + 14}" font-size="11" '
            f'text-anchor="middle">{escape(mark.label)}</text>'
        )
    return _wrap("".join(parts), height, title)


def line(marks: Sequence[Mark], title: str) -> SafeString:
    """A trend: one point per bucket, the line broken where a bucket has no value."""
    height, base, topline = 150, 125, 10
    values = [m.value for m in marks if m.value is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high == low:
        low, high = low - 1, high + 1
    step = (WIDTH - 50) / max(len(marks) - 1, 1)

    def y(value: float) -> float:
        return base - (value - low) / (high - low) * (base - topline)

    parts = [
        f'<text x="0" y="{topline + 4}" font-size="10" fill="{MUTED}">{_num(high)}</text>',
        f'<text x="0" y="{base}" font-size="10" fill="{MUTED}">{_num(low)}</text>',
    ]
    segment: list[str] = []
    for i, mark in enumerate(marks):
        x = 40 + i * step
        if mark.value is None:
            if len(segment) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{COLOUR}" points="{" ".join(segment)}"/>'
                )
            segment = []
            continue
        segment.append(f"{x:.1f},{y(mark.value):.1f}")
        parts.append(
            _linked(
                mark,
                f'<circle cx="{x:.1f}" cy="{y(mark.value):.1f}" r="3" fill="{COLOUR}">'
                f"<title>{_tip(mark)}</title></circle>",
            )
        )
    if len(segment) > 1:
        parts.append(f'<polyline fill="none" stroke="{COLOUR}" points="{" ".join(segment)}"/>')
    if marks:
        parts.append(
            f'<text x="40" y="{height - 5}" font-size="10">{escape(marks[0].label)}</text>'
        )
        parts.append(
            f'<text x="{WIDTH - 5}" y="{height - 5}" font-size="10" text-anchor="end">'
            f"{escape(marks[-1].label)}</text>"
        )
    return _wrap("".join(parts), height, title)
