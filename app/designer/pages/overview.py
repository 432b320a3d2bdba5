"""The designer's home: every programme with its protected headline figures."""

from __future__ import annotations

from dataclasses import dataclass

from app.designer import analytics, services
from app.designer.pages.common import min_cell
from assessments.framework import Framework


@dataclass(frozen=True)
class Overview:
    programmes: dict[str, Framework]
    figures: dict[str, analytics.ProgrammeOverview]
    """Per programme id, already through the overview's suppression (a hidden figure is None)."""
    min_cell: int
    release_batch: int
    """Figures change only when this many people's submissions are waiting (said on the page)."""


def overview() -> Overview:
    threshold = min_cell()
    return Overview(
        programmes=services.programmes(),
        figures=analytics.overview(threshold),
        min_cell=threshold,
        release_batch=services.release_batch(),
    )
