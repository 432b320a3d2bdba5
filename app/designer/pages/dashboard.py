"""The inclusivity dashboard of one programme: groups, flag rates, charts and the most affected."""

from __future__ import annotations

from dataclasses import dataclass

from app.designer import analytics, services
from app.designer.charts import FlagRateChart
from app.designer.pages.common import Grouping, Labels, analysis, charts, min_cell, programme
from assessments.framework import Framework


@dataclass(frozen=True)
class Dashboard:
    framework: Framework
    analysis: analytics.Analysis
    charts: dict[str, FlagRateChart]
    most_affected: list[str]
    synthetic: bool
    min_cell: int
    release_batch: int
    """Figures change only when this many people's submissions are waiting (said on the page)."""
    csv_args: dict[str, str]
    """The grouping's query string, carried into the CSV and PDF links as the designer typed it."""
    reference_problem: str | None
    """Why the reference group asked for could not be used (the figures are shown without it)."""
    labels: Labels


def dashboard(framework_id: str, grouping: Grouping, csv_args: dict[str, str]) -> Dashboard:
    framework = programme(framework_id)
    found, problem = analysis(framework, grouping)
    return Dashboard(
        framework=framework,
        analysis=found,
        charts=charts(found),
        most_affected=analytics.most_affected(found),
        synthetic=services.cohort_is_synthetic(framework.id),
        min_cell=min_cell(),
        release_batch=services.release_batch(),
        csv_args=csv_args,
        reference_problem=problem,
        labels=Labels.grouped(grouping.by, grouping.second),
    )
