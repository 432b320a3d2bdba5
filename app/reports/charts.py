"""Readiness charts as small, plain SVG documents.

We draw the two charts ourselves rather than with a chart library: plain ``<rect>``,
``<polygon>`` and ``<text>`` render identically in WeasyPrint, need no JavaScript or
``<foreignObject>`` (which WeasyPrint cannot draw), and cost well under a millisecond.
docs/reports.md has the measurement against pygal.

Charts go into the report as ``<img alt="..." src="data:image/svg+xml,...">`` because
the tagged PDF keeps an ``<img>``'s alt text but loses an inline ``<svg>``'s.
Every label is escaped: domain titles come from framework files that designers upload.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

FONT = "CertReady Sans, CertReady Fallback, Liberation Sans, DejaVu Sans, sans-serif"
YOU = "#005eb8"  # NHS blue
REQUIRED = "#425563"  # NHS dark grey
GRID = "#d8dde0"
TEXT = "#212b32"


@dataclass(frozen=True)
class Series:
    """One domain's two numbers: the mean self-rated level and the mean required level."""

    label: str
    you: float
    required: float


def data_uri(svg: str) -> str:
    """Percent-encode an SVG document for an ``<img src>`` (smaller than base64 for SVG text)."""
    return "data:image/svg+xml," + quote(svg, safe=" /:=;,'()._-~")


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _wrap(label: str, width: int) -> list[str]:
    """Break a label into at most two lines of about ``width`` characters, ending with … if cut."""
    words, lines, line = label.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if len(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: width - 1].rstrip() + "…"]
    return [text if len(text) <= width + 4 else text[: width + 3] + "…" for text in lines]


def bar_chart(series: Sequence[Series], max_level: int, *, width: int = 640) -> str:
    """Horizontal grouped bars, one pair per domain: self-rated level and required level."""
    label_width, right, top, row, bar = 210, 16, 34, 40, 13
    plot = width - label_width - right
    height = top + row * len(series) + 28
    scale = plot / max(max_level, 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="13" fill="{TEXT}">',
        # Legend
        f'<rect x="{label_width}" y="6" width="12" height="12" fill="{YOU}"/>',
        f'<text x="{label_width + 17}" y="16">Average of your ratings</text>',
        f'<rect x="{label_width + 170}" y="6" width="12" height="12" fill="{REQUIRED}"/>',
        f'<text x="{label_width + 187}" y="16">Average level asked for</text>',
    ]
    bottom = top + row * len(series)
    for level in range(max_level + 1):
        x = label_width + level * scale
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{level}</text>')
    for index, item in enumerate(series):
        y = top + index * row
        lines = _wrap(item.label, 32)
        first = y + row / 2 - (len(lines) - 1) * 7 + 4
        for number, line in enumerate(lines):
            out.append(
                f'<text x="{label_width - 8}" y="{first + number * 14:.1f}" '
                f'text-anchor="end">{escape(line)}</text>'
            )
        for offset, value, colour in ((5, item.you, YOU), (5 + bar + 2, item.required, REQUIRED)):
            length = max(value, 0) * scale
            out.append(
                f'<rect x="{label_width}" y="{y + offset}" width="{length:.1f}" '
                f'height="{bar}" fill="{colour}"/>'
            )
            out.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + offset + 10.5}" '
                f'font-size="12">{_number(value)}</text>'
            )
    out.append(f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{bottom}" stroke="{TEXT}"/>')
    out.append("</svg>")
    return "".join(out)


def radar_chart(series: Sequence[Series], max_level: int, *, size: int = 360) -> str:
    """A radar (spider) chart with numbered axes; the table beside it names each number."""
    if len(series) < 3:
        raise ValueError("a radar chart needs at least three domains")
    centre, radius = size / 2, size / 2 - 34
    count = len(series)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * max(value, 0) / max(max_level, 1)
        return centre + distance * math.cos(angle), centre + distance * math.sin(angle)

    def polygon(values: Sequence[float]) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" font-family="{FONT}" font-size="12" fill="{TEXT}">'
    ]
    for level in range(1, max_level + 1):
        out.append(f'<polygon points="{polygon([level] * count)}" fill="none" stroke="{GRID}"/>')
    for index in range(count):
        x, y = point(index, max_level)
        out.append(f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = point(index, max_level * (radius + 16) / radius)
        out.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="middle" font-weight="bold">{index + 1}</text>'
        )
    for level in range(1, max_level + 1):
        x, y = point(0, level)
        out.append(f'<text x="{x + 4:.1f}" y="{y - 2:.1f}" font-size="9" fill="{REQUIRED}">{level}</text>')
    out.append(
        f'<polygon points="{polygon([s.required for s in series])}" fill="none" '
        f'stroke="{REQUIRED}" stroke-width="2" stroke-dasharray="6 4"/>'
    )
    out.append(
        f'<polygon points="{polygon([s.you for s in series])}" fill="{YOU}" fill-opacity="0.25" '
        f'stroke="{YOU}" stroke-width="2.5"/>'
    )
    out.append("</svg>")
    return "".join(out)


def describe(series: Sequence[Series], max_level: int, kind: str) -> str:
    """The text alternative: what the chart is, and every number in it."""
    values = "; ".join(
        f"{item.label}: your average rating {_number(item.you)}, average level asked for "
        f"{_number(item.required)}"
        for item in series
    )
    return (
        f"{kind} of the average of your ratings against the average level the programme asks for "
        f"in each of {len(series)} domains, on a scale of 0 to {max_level}. {values}."
    )
