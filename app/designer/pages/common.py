"""What the designer's page modules share: programme lookup, threshold, labels, analyses, downloads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from flask import current_app

from app.designer import analytics, documents, queries, services, whatif
from app.designer.charts import FlagRateChart
from app.designer.fields import key_label, labeller
from assessments.cohort import SUPPRESSED_TEXT, CohortError, ReferenceHidden
from assessments.framework import Framework


class Missing(LookupError):
    """The programme, requirement, scenario or table named in the address does not exist (a 404)."""


def programme(framework_id: str) -> Framework:
    try:
        return services.programme(framework_id)
    except services.UnknownProgramme:
        raise Missing(f"no programme {framework_id!r}") from None


def programme_version(framework_id: str) -> services.ProgrammeVersion:
    """The programme's current version without its content (a cache key needs no more)."""
    try:
        return services.programme_version(framework_id)
    except services.UnknownProgramme:
        raise Missing(f"no programme {framework_id!r}") from None


def min_cell() -> int:
    """The one threshold below which a figure is "small" (``CERTREADY_MIN_CELL``)."""
    return int(current_app.config.get("CERTREADY_MIN_CELL", 10))


def _no_grouping(value: str) -> str:
    raise LookupError(f"a page without a grouping asked for the label of the group {value!r}")


@dataclass(frozen=True)
class Labels:
    """The label functions designer templates call; ``value_label`` names the groups of one grouping."""

    value_label: Callable[[str], str] = _no_grouping
    key_label: Callable[[str], str] = key_label
    verdict_label: Callable[[str], str] = analytics.verdict_label
    suppressed_text: str = SUPPRESSED_TEXT
    cell: Callable[..., str] = whatif.cell

    @classmethod
    def grouped(cls, grouping: str | None, second: str | None = None) -> Labels:
        return cls(value_label=labeller(grouping, second)) if grouping else cls()


def template_context(model: Any) -> dict[str, Any]:
    """A view model's fields as template variables, its ``labels`` spread out as functions.

    The designer templates read plain names (``framework``, ``value_label(...)``), so a page's
    view model is handed over field by field rather than as one object.
    """
    context = {item.name: getattr(model, item.name) for item in fields(model)}
    labels = context.pop("labels", None)
    if labels is not None:
        context |= {item.name: getattr(labels, item.name) for item in fields(labels)}
    return context


@dataclass(frozen=True)
class Grouping:
    """How the designer asked to divide the cohort: the dashboard's and the report's query string."""

    by: str
    second: str | None = None
    reference: str | None = None


def analysis(framework: Framework, grouping: Grouping) -> tuple[analytics.Analysis, str | None]:
    """The analysis asked for, or without the reference group when that cannot be used, and why."""
    try:
        found = analytics.analyse(
            framework,
            grouping.by,
            second=grouping.second,
            reference=grouping.reference,
            min_cell=min_cell(),
        )
    except (ReferenceHidden, CohortError) as problem:
        fallback = analytics.analyse(framework, grouping.by, second=grouping.second, min_cell=min_cell())
        return fallback, "; ".join(problem.problems)
    return found, None


def charts(found: analytics.Analysis) -> dict[str, FlagRateChart]:
    """One SVG chart per requirement category of an analysis."""
    return {key: analytics.chart_for(found, key) for key in found.category_keys}


def cohort_date(framework: Framework) -> str:
    figures = queries.programme_figures().get(framework.id)
    return figures.cohort_date.date().isoformat() if figures and figures.cohort_date else "no submissions yet"


def document_cache() -> documents.DocumentCache:
    return documents.DocumentCache(current_app.config["CERTREADY_REPORT_CACHE_DIR"])
