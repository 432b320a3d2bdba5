"""Bar charts of flag rates by group, with the four-fifths line, for the page and the PDF, laid out.

``flag_rate_chart`` places every element; the SVG itself is written by the template macro
``templates/designer/_chart.html``, which escapes every label like any other page text.

Presentation attributes only (no ``style``), so the Content-Security-Policy's ``style-src 'self'``
allows them inline. Each chart carries a text alternative; the table beside it has every figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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


SHAPES = ("text", "rect", "line")
"""What ``templates/designer/_chart.html`` can draw."""


@dataclass(frozen=True)
class Shape:
    """One SVG element of a chart, placed already; ``templates/designer/_chart.html`` draws it.

    ``kind`` is "text", "rect" or "line"; coordinates are formatted numbers, so the template only
    prints them. Colours and dashes are presentation attributes (no ``style``).
    """

    kind: str
    x: str = ""
    y: str = ""
    width: str = ""
    height: str = ""
    x2: str = ""
    y2: str = ""
    text: str = ""
    size: int = 12
    anchor: str | None = None
    fill: str | None = None
    bold: bool = False
    stroke: str | None = None
    stroke_width: int | None = None
    dash: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SHAPES:
            raise ValueError(f"a chart shape is a text, rect or line, not {self.kind!r}")


@dataclass(frozen=True)
class FlagRateChart:
    """A flag-rate bar chart laid out: its box, its text alternative and its shapes in drawing order."""

    chart_id: str
    title: str
    description: str
    width: int
    height: int
    shapes: tuple[Shape, ...]


def _text(
    x: float, y: float, text: str, size: int, fill: str, anchor: str | None = None, **more: Any
) -> Shape:
    return Shape("text", x=f"{x:.1f}", y=f"{y:.1f}", text=text, size=size, fill=fill, anchor=anchor, **more)


def flag_rate_chart(chart_id: str, title: str, bars: Sequence[Bar], line: float | None) -> FlagRateChart:
    """Horizontal bars of flag rates; ``line`` is the rate above which a group falls below four-fifths."""
    height = TOP + len(bars) * (BAR_HEIGHT + GAP) + 24
    plot = WIDTH - LABEL_WIDTH - 24
    shapes: list[Shape] = []
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        baseline = y + BAR_HEIGHT * 0.7
        shapes.append(_text(LABEL_WIDTH - 8, baseline, _short(bar.label), 13, "#212b32", "end"))
        if bar.rate is None:
            shapes.append(_text(LABEL_WIDTH + 4, baseline, "not shown (small numbers)", 12, "#4c6272"))
            continue
        width = max(1.0, bar.rate * plot)
        shapes.append(
            Shape(
                "rect",
                x=str(LABEL_WIDTH),
                y=str(y),
                width=f"{width:.1f}",
                height=str(BAR_HEIGHT),
                fill="#d5281b" if bar.below_line else "#005eb8",
                stroke="#212b32" if bar.below_line else None,
                stroke_width=1 if bar.below_line else None,
                dash="4 2" if bar.below_line else None,
            )
        )
        value = f"{bar.rate * 100:.0f}%{' (below 0.8)' if bar.below_line else ''}"
        if LABEL_WIDTH + width + 4 + text_width(value, 12) <= WIDTH - 4:
            shapes.append(_text(LABEL_WIDTH + width + 4, baseline, value, 12, "#212b32"))
        else:
            # No room after a long bar: the value goes inside it, in white, so it is never clipped.
            shapes.append(_text(LABEL_WIDTH + width - 4, baseline, value, 12, "#ffffff", "end", bold=True))
    if line is not None:
        x = LABEL_WIDTH + line * plot
        shapes.append(
            Shape(
                "line",
                x=f"{x:.1f}",
                y=str(TOP - 6),
                x2=f"{x:.1f}",
                y2=str(height - 20),
                stroke="#212b32",
                stroke_width=2,
                dash="6 3",
            )
        )
        caption = f"four-fifths line ({line * 100:.0f}%)"
        half = text_width(caption, 12) / 2
        centre = min(max(x, half + 2), WIDTH - half - 2)
        shapes.append(_text(centre, TOP - 10, caption, 12, "#212b32", "middle"))
    shapes.append(
        Shape(
            "line",
            x=str(LABEL_WIDTH),
            y=str(height - 20),
            x2=str(LABEL_WIDTH + plot),
            y2=str(height - 20),
            stroke="#4c6272",
            stroke_width=1,
        )
    )
    for tick in (0, 0.25, 0.5, 0.75, 1):
        shapes.append(
            _text(LABEL_WIDTH + tick * plot, height - 6, f"{tick * 100:.0f}%", 11, "#4c6272", "middle")
        )
    return FlagRateChart(chart_id, title, describe(bars, line), WIDTH, height, tuple(shapes))


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
