"""SVG bar charts of flag rates by group, with the four-fifths line, for the page and the PDF.

Presentation attributes only (no ``style``), so the Content-Security-Policy's ``style-src 'self'``
allows them inline. Each chart carries a text alternative; the table beside it has every figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
LABEL_WIDTH = 230
BAR_HEIGHT = 22
GAP = 8
TOP = 30


@dataclass(frozen=True)
class Bar:
    label: str
    rate: float | None
    """Share flagged, 0–1; None when hidden for small numbers."""
    below_line: bool = False


def flag_rate_chart(chart_id: str, title: str, bars: Sequence[Bar], line: float | None) -> str:
    """Horizontal bars of flag rates; ``line`` is the rate above which a group falls below four-fifths."""
    height = TOP + len(bars) * (BAR_HEIGHT + GAP) + 24
    plot = WIDTH - LABEL_WIDTH - 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(bars, line))}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" '
            f'font-size="13" fill="#212b32">{escape(_short(bar.label))}</text>'
        )
        if bar.rate is None:
            parts.append(
                f'<text x="{LABEL_WIDTH + 4}" y="{y + BAR_HEIGHT * 0.7:.1f}" font-size="12" '
                'fill="#4c6272">not shown (small numbers)</text>'
            )
            continue
        width = max(1.0, bar.rate * plot)
        colour = "#d5281b" if bar.below_line else "#005eb8"
        pattern = ' stroke="#212b32" stroke-width="1" stroke-dasharray="4 2"' if bar.below_line else ""
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"{pattern}/>'
        )
        value = f"{bar.rate * 100:.0f}%{' (below 0.8)' if bar.below_line else ''}"
        if LABEL_WIDTH + width + 4 + text_width(value, 12) <= WIDTH - 4:
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" font-size="12" '
                f'fill="#212b32">{escape(value)}</text>'
            )
        else:
            # No room after a long bar: the value goes inside it, in white, so it is never clipped.
            parts.append(
                f'<text x="{LABEL_WIDTH + width - 4:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" font-size="12" '
                f'text-anchor="end" fill="#ffffff" font-weight="bold">{escape(value)}</text>'
            )
    if line is not None:
        x = LABEL_WIDTH + line * plot
        bottom = height - 20
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#212b32" '
            'stroke-width="2" stroke-dasharray="6 3"/>'
        )
        caption = f"four-fifths line ({line * 100:.0f}%)"
        half = text_width(caption, 12) / 2
        centre = min(max(x, half + 2), WIDTH - half - 2)
        parts.append(
            f'<text x="{centre:.1f}" y="{TOP - 10}" font-size="12" text-anchor="middle" fill="#212b32">'
            f"{escape(caption)}</text>"
        )
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{height - 20}" x2="{LABEL_WIDTH + plot}" y2="{height - 20}" '
        'stroke="#4c6272" stroke-width="1"/>'
    )
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = LABEL_WIDTH + tick * plot
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" font-size="11" text-anchor="middle" '
            f'fill="#4c6272">{tick * 100:.0f}%</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def describe(bars: Sequence[Bar], line: float | None) -> str:
    """The chart in words: every bar's value and which groups fall below the four-fifths line."""
    shown = [
        f"{bar.label}: {bar.rate * 100:.0f}% flagged" if bar.rate is not None else f"{bar.label}: not shown"
        for bar in bars
    ]
    text = "Bar chart of flag rates by group. " + "; ".join(shown) + "."
    if line is not None:
        below = [bar.label for bar in bars if bar.below_line]
        text += f" Four-fifths line at {line * 100:.0f}% flagged."
        text += f" Below the line: {', '.join(below)}." if below else " No group is below the line."
    return text


def text_width(text: str, size: float) -> float:
    """A generous estimate of rendered text width: 0.62 em a character (Frutiger and Arial are narrower)."""
    return len(text) * size * 0.62


def _short(label: str, room: float = LABEL_WIDTH - 10, size: float = 13) -> str:
    """The label cut (with an ellipsis) to fit ``room`` pixels; the description and table keep it whole."""
    if text_width(label, size) <= room:
        return label
    limit = int(room // (size * 0.62)) - 1
    return label[:limit].rstrip() + "…"
