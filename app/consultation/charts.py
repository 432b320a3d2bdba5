"""The force-field diagram: advantages on the left, disadvantages on the right, bar length = votes.

Plain SVG with presentation attributes only (the Content-Security-Policy allows them inline),
drawn the same way for the page and, as an ``<img>`` with alt text, for the PDF. Each item's
wording is shortened in the picture; the table beside it carries every item and count in full.
"""

from __future__ import annotations

from html import escape

from app.reports.charts import data_uri as data_uri
from assessments import consultation as domain

WIDTH = 760
MIDDLE = WIDTH // 2
ROW = 46
TOP = 40
BAR = 18
ADVANTAGE = "#005eb8"  # NHS blue
DISADVANTAGE = "#330072"  # NHS purple: tells apart from blue without relying on red/green
TEXT = "#212b32"
MUTED = "#4c6272"


def force_field(results: domain.Results, chart_id: str = "force-field", *, width: str = "100%") -> str:
    """The diagram as an SVG document; ``width`` is its display width (the page fixes it and scrolls)."""
    sides = {side: [item for item in results.items if item.side == side] for side in domain.SIDES}
    rows = max(1, *(len(items) for items in sides.values()))
    height = TOP + rows * ROW + 16
    most = max((item.votes for item in results.items), default=0) or 1
    reach = MIDDLE - 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{width}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">Force-field diagram: {escape(results.proposal[:120])}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(results))}</desc>',
        f'<text x="{MIDDLE - 12}" y="20" text-anchor="end" font-size="15" font-weight="bold" fill="{TEXT}">'
        f"Advantages: {results.advantage_votes} votes</text>",
        f'<text x="{MIDDLE + 12}" y="20" font-size="15" font-weight="bold" fill="{TEXT}">'
        f"Disadvantages: {results.disadvantage_votes} votes</text>",
        f'<line x1="{MIDDLE}" y1="28" x2="{MIDDLE}" y2="{height - 8}" stroke="{TEXT}" stroke-width="2"/>',
    ]
    for side, items in sides.items():
        # Advantages grow leftwards from the middle line, disadvantages rightwards.
        direction, anchor = (-1, "end") if side == "advantage" else (1, "start")
        colour = ADVANTAGE if side == "advantage" else DISADVANTAGE
        for index, item in enumerate(items):
            y = TOP + index * ROW
            length = item.votes / most * reach
            bar_x = MIDDLE - length if direction < 0 else MIDDLE
            end_x = MIDDLE + direction * (length + 6)
            parts += [
                f'<text x="{MIDDLE + direction * 8}" y="{y + 12}" text-anchor="{anchor}" font-size="12" '
                f'fill="{TEXT}">{escape(_short(item.text))}</text>',
                f'<rect x="{bar_x:.1f}" y="{y + 18}" width="{length:.1f}" height="{BAR}" fill="{colour}"/>',
                f'<text x="{end_x:.1f}" y="{y + 31}" text-anchor="{anchor}" font-size="12" '
                f'fill="{TEXT}">{item.votes}</text>',
            ]
    if not results.items:
        parts.append(
            f'<text x="{MIDDLE}" y="{TOP + 20}" text-anchor="middle" fill="{MUTED}">No items yet</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def describe(results: domain.Results) -> str:
    """The diagram in words, for screen readers and the PDF's alt text."""
    parts = [f"{results.reading}"]
    for side in domain.SIDES:
        items = [item for item in results.items if item.side == side]
        listed = (
            "; ".join(f"{item.text}: {item.votes} vote{'' if item.votes == 1 else 's'}" for item in items)
            or "none"
        )
        parts.append(f"{domain.SIDE_LABELS[side]}: {listed}.")
    return " ".join(parts)


def _short(text: str, limit: int = 52) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
