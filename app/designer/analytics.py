"""View models for the inclusivity review: SQL counts in, ``assessments.cohort`` statistics on them.

Shared by the dashboard, the CSV exports, the PDF report and ``certready cohort``, so every
surface shows the same figures with the same cells hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.designer import charts, queries
from app.designer.fields import (
    FLAG_FAMILIES,
    GROUPINGS,
    RULE_CATEGORY,
    flag_keys,
    headline_labels,
    key_label,
    value_label,
)
from app.designer.fields import labeller as fields_labeller
from assessments import risks
from assessments.cohort import (
    ALPHA,
    FOUR_FIFTHS,
    VERDICT_LABELS,
    CohortTable,
    GroupCounts,
    cohort_table,
    combine,
    complete,
    fisher_exact,
    headline_risks,
    overview_figures,
    rule_counts,
)
from assessments.framework import Framework
from assessments.risks import CATEGORIES, RULES


@dataclass(frozen=True)
class Analysis:
    """One programme's cohort divided one way (or two ways, for intersections)."""

    framework: Framework
    grouping: str
    second: str | None
    groups: tuple[GroupCounts, ...]
    table: CohortTable
    headlines: tuple[str, ...]
    cohort_date: datetime | None
    versions: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def grouping_label(self) -> str:
        label = GROUPINGS[self.grouping].label
        return f"{label} × {GROUPINGS[self.second].label}" if self.second else label

    def value_label(self, value: str) -> str:
        """A group's label under this analysis's grouping (or intersection)."""
        return value_label(self.grouping, value, self.second)

    @property
    def category_keys(self) -> list[str]:
        return [key for key in self.table.keys if key.removeprefix("high:") in CATEGORIES]

    @property
    def rule_keys(self) -> list[str]:
        return [key for key in self.table.keys if key.removeprefix("high:") in RULE_CATEGORY]


def shown_keys(groups: Sequence[GroupCounts]) -> list[str]:
    """Flag keys anyone in the cohort carries: a key nobody carries has nothing to compare."""
    return [key for key in flag_keys() if any(group.flagged_for(key) for group in groups)]


def analyse(
    framework: Framework,
    grouping: str,
    *,
    second: str | None = None,
    reference: str | None = None,
    min_cell: int,
) -> Analysis:
    groups = tuple(complete(queries.group_counts(framework.id, grouping, second)))
    keys = shown_keys(groups)
    table = cohort_table(groups, keys, min_cell=min_cell, reference=reference, families=FLAG_FAMILIES)
    cohort_date, versions = queries.cohort_versions(framework.id)
    firsts = [group.parts[0] if second else group.group for group in groups]
    labels = headline_labels(grouping, firsts)
    if second:
        for group in groups:
            first, other = group.parts
            labels[group.group] = (
                f"{labels.get(first, first)} "
                f"({GROUPINGS[second].label.lower()}: {value_label(second, other).lower()})"
            )
    return Analysis(
        framework=framework,
        grouping=grouping,
        second=second,
        groups=groups,
        table=table,
        headlines=tuple(headline_risks(table, n=3, labels=labels)),
        cohort_date=cohort_date,
        versions=versions,
        labels=labels,
    )


def group_label(grouping: str, value: str) -> str:
    """A group's name within its grouping, from the vocabulary (``fields.value_label``)."""
    return value_label(grouping, value)


labeller = fields_labeller
"""``value_label`` for one analysis: each part of an intersection read in its own grouping."""


def four_fifths_flag_rate(table: CohortTable, key: str) -> float | None:
    """The flag rate above which a group's pass rate is below 0.8 × the reference's."""
    reference = table.references.get(key)
    if reference is None:
        return None
    row = table.row(key, reference)
    if row.pass_rate is None:
        return None
    return 1 - float(FOUR_FIFTHS) * row.pass_rate


def chart_for(analysis: Analysis, key: str) -> charts.FlagRateChart:
    table = analysis.table
    label = labeller(analysis.grouping, analysis.second)
    bars = [
        charts.Bar(label(row.group), row.flag_rate, bool(row.below_four_fifths))
        for row in table.impact[key]
        if row.verdict != "empty"  # a pair of answers nobody gave together has no bar
    ]
    title = f"{key_label(key)}: share of each group flagged ({analysis.grouping_label})"
    chart_id = "chart-" + key.replace(":", "-")
    return charts.flag_rate_chart(chart_id, title, bars, four_fifths_flag_rate(table, key))


def verdict_label(verdict: str) -> str:
    return VERDICT_LABELS.get(verdict, verdict)


# --------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class ProgrammeOverview:
    """One programme's row on the overview, protected like every other table (None is hidden)."""

    framework_id: str
    participants: int | None
    readiness_mean: float | None
    any_flag: float | None
    """Share of participants with any exclusion-risk flag."""
    any_high: float | None
    """Share of participants with a high-severity flag."""


def overview(min_cell: int) -> dict[str, ProgrammeOverview]:
    """The programme list's figures, each through ``assessments.cohort.overview_figures``."""
    found = {}
    for framework_id, figures in queries.programme_figures().items():
        protected = overview_figures(
            figures.participants, {"any": figures.any_flag, "high": figures.any_high}, min_cell
        )
        found[framework_id] = ProgrammeOverview(
            framework_id=framework_id,
            participants=protected.participants,
            readiness_mean=figures.readiness_mean if protected.participants is not None else None,
            any_flag=protected.shares["any"],
            any_high=protected.shares["high"],
        )
    return found


# --------------------------------------------------------------------------- rule catalogue


@dataclass(frozen=True)
class CatalogueRow:
    rule: risks.Rule
    reads: tuple[str, ...]
    counts: dict[str, int | None]
    """People flagged per severity plus "not flagged"; ``None`` is hidden for small numbers."""
    participants: int | None
    firing_rate: float | None


def catalogue(framework: Framework, min_cell: int) -> list[CatalogueRow]:
    """Every rule with how often it fires in this cohort (counts protected within each rule)."""
    firing = queries.rule_firing(framework.id)
    overview = queries.programme_figures().get(framework.id)
    total = overview.participants if overview else 0
    rows = []
    for rule in RULES:
        protected = rule_counts(total, firing.get(rule.id, {}), min_cell)
        rows.append(
            CatalogueRow(
                rule=rule,
                reads=rule.reads,
                counts=dict(protected.counts),
                participants=protected.participants,
                firing_rate=(protected.flagged / total)
                if (protected.flagged is not None and total)
                else None,
            )
        )
    return rows


# --------------------------------------------------------------------------- equality impact assessment

IMPACT_LABELS = {
    "negative": "Negative",
    "possibly-negative": "Possibly negative (could be chance)",
    "neutral": "Neutral",
    "positive": "Positive",
    "not-known": "Not known (too few to tell)",
}


@dataclass(frozen=True)
class ImpactEntry:
    """One line of the draft EIA: one characteristic or circumstance against one requirement."""

    grouping: str
    grouping_label: str
    groups: tuple[str, ...]
    """The groups the impact is about (those adversely or favourably affected), or empty."""
    rule: str
    requirement: str
    evidence: str
    impact: str
    justification: str
    mitigations: str
    rows: tuple[Any, ...] = ()
    """The ``ImpactRow``s of the groups named in ``groups`` (the figures behind ``evidence``)."""
    reference_rate: float | None = None
    """The reference group's flag rate for this requirement, when shown."""
    compared: int = 0
    """Groups large enough to compare."""
    nearly_everyone: bool = False
    """No group differs because the requirement flags almost everyone in every group."""


_IMPACT_ORDER = ("negative", "possibly-negative", "positive", "neutral", "not-known")


def _impact(row: Any, group: GroupCounts, everyone: GroupCounts, key: str) -> str:
    if row.verdict in ("adverse", "clear-difference"):
        return "negative"
    if row.verdict == "possible-adverse":
        return "possibly-negative"
    rest_n = everyone.n - group.n
    if row.verdict in ("suppressed", "too-few-to-tell", "empty") or rest_n == 0:
        return "not-known"
    if row.verdict == "excludes-almost-everyone":
        return "neutral"  # no group differs: the requirement shuts out nearly everyone alike
    # Flagged less often than everyone else, and not by chance: the requirement favours this group.
    # Everyone else is the whole cohort less this group (one sum per grouping, not one per row).
    a, b = group.flagged_for(key), group.n - group.flagged_for(key)
    c = everyone.flagged_for(key) - group.flagged_for(key)
    d = rest_n - c
    if a * rest_n < c * group.n and fisher_exact(a, b, c, d) < ALPHA:
        return "positive"
    return "neutral"


def _evidence(grouping: str, row: Any) -> str:
    text = f"{value_label(grouping, row.group)}: {row.flag_rate * 100:.0f}% flagged"
    if row.reference and row.reference != row.group and row.impact_ratio is not None:
        against = value_label(grouping, row.reference).lower()
        text += f", impact ratio {row.impact_ratio:.2f} against {against}"
        if row.relative_likelihood is not None:
            text += f", {row.relative_likelihood:.1f} times as likely to be flagged"
        if row.p_value is not None:
            text += f", exact test p = {row.p_value:.2g}"
    return text


def _overall(impacts: list[str]) -> str:
    shown = [impact for impact in impacts if impact != "not-known"]
    if not shown:
        return "not-known"
    for impact in ("negative", "possibly-negative", "positive"):
        if impact in shown:
            return impact
    return "neutral"


def equality_impact(
    framework: Framework, min_cell: int, groupings: Sequence[str] | None = None
) -> list[ImpactEntry]:
    """The draft EIA: per characteristic or circumstance, per requirement that fires in the cohort.

    The impact is the most serious one any shown group has: negative (adverse impact),
    possibly negative, positive (flagged significantly less than everyone else), neutral, or
    not known when every group is too small to tell.
    """
    notes = _justifications(framework.id)
    entries: list[ImpactEntry] = []
    for grouping in groupings or list(GROUPINGS):
        groups = queries.group_counts(framework.id, grouping)
        keys = [rule.id for rule in RULES if any(group.flagged_for(rule.id) for group in groups)]
        if not groups or not keys:
            continue
        table = cohort_table(groups, keys, min_cell=min_cell, families=FLAG_FAMILIES)
        by_label = {group.group: group for group in groups}
        everyone = combine(groups)
        for key in keys:
            rule = risks.rule_by_id(key)
            note = notes.get(key)
            impacts: list[tuple[str, Any]] = []
            for row in table.impact[key]:
                impacts.append((_impact(row, by_label[row.group], everyone, key), row))
            overall = _overall([impact for impact, _ in impacts])
            named = [
                row
                for impact, row in impacts
                if impact == overall and overall not in ("neutral", "not-known")
            ]
            if named:
                evidence = "; ".join(_evidence(grouping, row) for row in named) + "."
            elif overall == "neutral" and any(
                row.verdict == "excludes-almost-everyone" for _, row in impacts
            ):
                rates = [row.flag_rate for _, row in impacts if row.flag_rate is not None]
                low, high = f"{min(rates):.0%}", f"{max(rates):.0%}"
                share = low if low == high else f"{low} to {high}"
                evidence = (
                    f"The requirement flags {share} of each group shown: "
                    "it excludes almost everyone, whatever their group."
                )
            elif overall == "neutral":
                compared = sum(1 for impact, _ in impacts if impact != "not-known")
                evidence = f"No group differs markedly ({compared} groups compared)."
            else:
                evidence = "Too few people in each group to tell."
            entries.append(
                ImpactEntry(
                    grouping=grouping,
                    grouping_label=GROUPINGS[grouping].label,
                    groups=tuple(row.group for row in named),
                    rule=key,
                    requirement=rule.title,
                    evidence=evidence,
                    impact=overall,
                    justification=_justification_text(note),
                    mitigations=(note.mitigations if note and note.mitigations else "None recorded yet."),
                    rows=tuple(named),
                    reference_rate=_reference_rate(table, key),
                    compared=sum(1 for impact, _ in impacts if impact != "not-known"),
                    nearly_everyone=any(row.verdict == "excludes-almost-everyone" for _, row in impacts),
                )
            )
    return entries


def _reference_rate(table: CohortTable, key: str) -> float | None:
    reference = table.references.get(key)
    return None if reference is None else table.row(key, reference).flag_rate


def _justifications(framework_id: str) -> dict[str, Any]:
    from app.designer import services

    return services.justifications(framework_id)


def _justification_text(note: Any) -> str:
    if note is None or not (note.legitimate_aim or note.proportionality):
        return "No justification recorded yet."
    aim = note.legitimate_aim or "not recorded"
    proportionality = note.proportionality or "not recorded"
    return f"Legitimate aim: {aim}. Proportionality: {proportionality}."


CLEARLY_MORE = ("adverse", "clear-difference")
"""Verdicts of a group flagged clearly (not by chance) more often than the reference group."""


def most_affected(analysis: Analysis) -> list[str]:
    """Groups flagged clearly more often in at least one category, most categories first (the summary)."""
    seen: dict[str, int] = {}
    for key in analysis.category_keys:
        if key.startswith("high:"):
            continue
        for row in analysis.table.impact[key]:
            if row.verdict in CLEARLY_MORE:
                seen[row.group] = seen.get(row.group, 0) + 1
    return [group for group, _ in sorted(seen.items(), key=lambda item: (-item[1], item[0]))]
