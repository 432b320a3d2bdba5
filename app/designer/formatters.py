"""Template filters for designer figures: formatting only, never arithmetic on counts.

Every figure reaches a template already protected (``assessments.cohort`` and
``assessments.disclosure``); a hidden one is ``None`` and reads as ``SUPPRESSED_TEXT`` wherever it
appears. Templates print figures through these filters rather than dividing counts themselves,
so no page can work out a share the suppression hid (the overview once printed 10 of 12 as 83%).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask.sansio.app import App

from assessments.cohort import SUPPRESSED_TEXT


def people(value: int | None) -> str:
    """A count of people: "1,234", or the hidden-cell wording."""
    return SUPPRESSED_TEXT if value is None else f"{value:,}"


def percent(value: float | None, places: int = 0) -> str:
    """A share (0 to 1) as a percentage: "83%", or the hidden-cell wording."""
    return SUPPRESSED_TEXT if value is None else f"{value * 100:.{places}f}%"


def number(value: float | None, places: int = 1) -> str:
    """A mean, median or ratio: "54.0", or the hidden-cell wording."""
    return SUPPRESSED_TEXT if value is None else f"{value:.{places}f}"


def signed(value: float | None, places: int = 1) -> str:
    """A difference with its sign: "+3.5", "−2.0", or the hidden-cell wording."""
    return SUPPRESSED_TEXT if value is None else f"{value:+.{places}f}"


def percent_range(interval: tuple[float, float] | None) -> str:
    """A 95% range of shares: "21–61%", or the hidden-cell wording."""
    if interval is None:
        return SUPPRESSED_TEXT
    return f"{interval[0] * 100:.0f}–{interval[1] * 100:.0f}%"


FILTERS = {
    "people": people,
    "percent": percent,
    "number": number,
    "signed": signed,
    "percent_range": percent_range,
}


def register(flask_app: App) -> None:
    """Add the filters to an app's templates (the designer blueprint does this when registered).

    Typed as Flask's base ``App`` because that is what a blueprint's setup state holds."""
    flask_app.jinja_env.filters.update(FILTERS)


def text_columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Rows as aligned text for the command line: the first column left, the figures right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
