"""CSV versions of every designer table. Hidden cells keep the same words as on screen."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from app.designer.analytics import IMPACT_LABELS, Analysis, CatalogueRow, ImpactEntry, labeller, verdict_label
from app.designer.fields import key_label, value_label
from app.designer.whatif import WhatIfResult, cell, describe_changes
from assessments.cohort import SUPPRESSED_TEXT
from assessments.results import BAND_LABELS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    """Stop spreadsheet formula injection from text a designer or framework file wrote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    return buffer.getvalue()


def _number(value: float | None, places: int = 1) -> str:
    return SUPPRESSED_TEXT if value is None else f"{value:.{places}f}"


def _percent(value: float | None) -> str:
    return SUPPRESSED_TEXT if value is None else f"{value * 100:.1f}%"


def groups_csv(analysis: Analysis) -> str:
    value_label = labeller(analysis.grouping, analysis.second)
    table = analysis.table
    bands = list(table.bands)
    header = [
        "grouping",
        "group",
        "participants",
        "share of cohort",
        "mean readiness",
        "median readiness",
        *(f"share {BAND_LABELS.get(band, band).lower()}" for band in bands),
        "no-opportunity share of answers",
        "readiness gap vs rest",
        "gap 95% low",
        "gap 95% high",
        "gap note",
        "why not shown",
    ]
    rows = []
    for summary in table.groups:
        gap = table.gaps[summary.group]
        empty = summary.n == 0  # a pair of answers nobody gave together: nothing to average
        rows.append(
            [
                analysis.grouping_label,
                value_label(summary.group),
                SUPPRESSED_TEXT if summary.n is None else summary.n,
                _percent(summary.share),
                "" if empty else _number(summary.mean),
                "" if empty else _number(summary.median),
                *("" if empty else _percent(summary.bands.get(band)) for band in bands),
                ""
                if empty or (summary.no_opportunity_share is None and summary.n)
                else _percent(summary.no_opportunity_share),
                "" if gap.difference is None else f"{gap.difference:.1f}",
                "" if gap.ci is None else f"{gap.ci[0]:.1f}",
                "" if gap.ci is None else f"{gap.ci[1]:.1f}",
                gap.reason or "",
                summary.note or "",
            ]
        )
    return to_csv(header, rows)


def impact_csv(analysis: Analysis) -> str:
    header = [
        "grouping",
        "flag",
        "group",
        "participants",
        "flagged",
        "flag rate",
        "flag rate 95% low",
        "flag rate 95% high",
        "reference group",
        "adverse impact ratio",
        "below four-fifths",
        "relative likelihood of being flagged",
        "gap (percentage points)",
        "Fisher exact p",
        "verdict",
        "note",
    ]
    rows = []
    table = analysis.table
    value_label = labeller(analysis.grouping, analysis.second)
    for key in table.keys:
        for row in table.impact[key]:
            rows.append(
                [
                    analysis.grouping_label,
                    key_label(key),
                    value_label(row.group),
                    SUPPRESSED_TEXT if row.n is None else row.n,
                    SUPPRESSED_TEXT if row.flagged is None else row.flagged,
                    _percent(row.flag_rate),
                    _percent(row.ci[0]) if row.ci else SUPPRESSED_TEXT,
                    _percent(row.ci[1]) if row.ci else SUPPRESSED_TEXT,
                    value_label(row.reference) if row.reference else "",
                    ""
                    if row.impact_ratio is None or row.verdict == "excludes-almost-everyone"
                    else f"{row.impact_ratio:.3f}",
                    "" if row.below_four_fifths is None else ("yes" if row.below_four_fifths else "no"),
                    "" if row.relative_likelihood is None else f"{row.relative_likelihood:.2f}",
                    "" if row.gap_pp is None else f"{row.gap_pp:.1f}",
                    "" if row.p_value is None else f"{row.p_value:.4g}",
                    verdict_label(row.verdict),
                    row.note or "",
                ]
            )
    return to_csv(header, rows)


def catalogue_csv(rows: Sequence[CatalogueRow]) -> str:
    header = [
        "rule",
        "title",
        "category",
        "requirement read",
        "rationale",
        "mitigations",
        "high",
        "medium",
        "low",
        "undetermined",
        "firing rate",
    ]
    return to_csv(
        header,
        (
            [
                row.rule.id,
                row.rule.title,
                row.rule.category,
                "; ".join(row.reads),
                row.rule.rationale,
                " | ".join(row.rule.mitigations),
                *(cell(row.counts.get(s)) for s in ("high", "medium", "low", "undetermined")),
                _percent(row.firing_rate),
            ]
            for row in rows
        ),
    )


def eia_csv(entries: Sequence[ImpactEntry], *, framework_version: str, cohort_date: str) -> str:
    header = [
        "framework version",
        "cohort date",
        "characteristic or circumstance",
        "groups affected",
        "requirement",
        "evidence",
        "impact",
        "justification",
        "mitigations",
    ]
    return to_csv(
        header,
        (
            [
                framework_version,
                cohort_date,
                entry.grouping_label,
                ", ".join(value_label(group) for group in entry.groups),
                entry.requirement,
                entry.evidence,
                IMPACT_LABELS[entry.impact],
                entry.justification,
                entry.mitigations,
            ]
            for entry in entries
        ),
    )


def scenarios_csv(scenarios: Sequence[Any]) -> str:
    """Saved scenarios side by side: one row per scenario and flag."""
    header = [
        "scenario",
        "framework version",
        "changes",
        "flag",
        "flagged before",
        "flagged after",
        "lost",
        "gained",
    ]
    rows = []
    for scenario in scenarios:
        changes = "; ".join(describe_changes(scenario.changes))
        for change in scenario.summary.get("keys", []):
            rows.append(
                [
                    scenario.name,
                    scenario.framework_version,
                    changes,
                    key_label(change["key"]),
                    cell(change["before"]),
                    cell(change["after"]),
                    cell(change["lost"]),
                    cell(change["gained"]),
                ]
            )
    return to_csv(header, rows)


def whatif_csv(result: WhatIfResult) -> str:
    header = [
        "flag",
        "group",
        "flag rate before",
        "flag rate after",
        "impact ratio before",
        "impact ratio after",
        "verdict before",
        "verdict after",
        "people who lose the flag",
    ]
    return to_csv(
        header,
        (
            [
                key_label(change.key),
                value_label(change.group),
                _percent(change.rate_before),
                _percent(change.rate_after),
                cell(change.ratio_before, ratio=True),
                cell(change.ratio_after, ratio=True),
                verdict_label(change.verdict_before),
                verdict_label(change.verdict_after),
                cell(change.lost),
            ]
            for change in result.groups
        ),
    )


__all__ = [
    "IMPACT_LABELS",
    "catalogue_csv",
    "eia_csv",
    "groups_csv",
    "impact_csv",
    "scenarios_csv",
    "to_csv",
    "whatif_csv",
]
