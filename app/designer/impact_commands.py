"""``certready impact``: readiness change between people's first and latest assessment, for scripts.

The figures are ``app.designer.pages.impact.impact_figures``, the same the designer's page shows; this
module reads the options, prints JSON or a table, and turns bad input into ``Error:`` lines with
exit status 1.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext

from app.designer.formatters import text_columns
from assessments.cohort import SUPPRESSED_TEXT
from assessments.impact import PROGRESS_GROUPS, ImpactError, PairedChange
from assessments.vocabulary import GROUPINGS

if TYPE_CHECKING:
    from app.designer.pages.impact import ImpactFigures


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        click.echo(f"Error: {line}", err=True)
    sys.exit(1)


@click.command("impact")
@with_appcontext
@click.option("--framework", "framework_id", required=True, help="A programme's framework id.")
@click.option("--by", "grouping", default=None, help="Split by this grouping (as on the dashboard).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--min-cell",
    type=int,
    default=None,
    help="Smallest group shown (default CERTREADY_MIN_CELL; never below CERTREADY_MIN_CELL_FLOOR).",
)
def impact_command(framework_id: str, grouping: str | None, as_json: bool, min_cell: int | None) -> None:
    """Change in readiness from people's first to latest assessment: observational and self-rated."""
    # The figures (and the models and queries behind them) are imported when the command runs:
    # ``certready --help`` imports this module only to list it.
    from app.designer.pages import impact

    try:
        framework = impact.programme(framework_id)
    except impact.UnknownProgramme:
        _fail(
            [f"unknown framework '{framework_id}'; known frameworks: {', '.join(impact.programme_names())}"]
        )
    if grouping is not None and grouping not in GROUPINGS:
        _fail([f"unknown grouping '{grouping}' for --by; choose one of: {', '.join(GROUPINGS)}"])
    configured = int(current_app.config.get("CERTREADY_MIN_CELL", 10))
    floor = int(current_app.config.get("CERTREADY_MIN_CELL_FLOOR", configured))
    if min_cell is not None and min_cell < max(floor, 1):
        _fail(
            [
                f"--min-cell {min_cell} is below this deployment's floor of {max(floor, 1)} people "
                "(CERTREADY_MIN_CELL_FLOOR); figures about fewer people are never shown. "
                "Use a larger value, or leave it out."
            ]
        )
    try:
        figures = impact.impact_figures(framework, grouping, min_cell or configured)
    except ImpactError as problem:
        _fail(problem.problems)
    if as_json:
        click.echo(json.dumps(figures.to_json(), indent=2))
        return
    click.echo(_text(figures))


def _change(change: PairedChange | None) -> tuple[str, str]:
    if change is None or change.mean is None:
        return "–", "–"
    interval = "–" if change.ci is None else f"{change.ci[0]:+.1f} to {change.ci[1]:+.1f}"
    return f"{change.mean:+.1f}", interval


def _text(figures: ImpactFigures) -> str:
    report = figures.report
    framework = figures.framework
    lines = [
        f"{framework.name} ({framework.id} {framework.version}): impact over time",
        *(["SYNTHETIC demonstration data: not evidence about real people."] if figures.synthetic else []),
        report.caveat,
        f"Groups under {report.min_cell} people are not shown; hidden cells read '{SUPPRESSED_TEXT}'.",
        "",
    ]
    if report.people is None:
        return "\n".join(
            [
                *lines,
                report.withheld
                or f"Fewer than {report.min_cell} consenting people have taken this assessment "
                "twice or more.",
            ]
        )
    mean, interval = _change(report.overall)
    lines.append(f"People with two or more assessments: {report.people:,}")
    lines.append(f"Mean change in readiness, first to latest: {mean} points (95% interval {interval})")
    tables = [
        ("Domain", [(figures.domain_titles[row.key], row) for row in report.domains]),
        ("What they said about the programme", [(PROGRESS_GROUPS[row.key], row) for row in report.progress]),
    ]
    if figures.grouping:
        tables.append(
            (
                figures.grouping_label or "Group",
                [(figures.group_labels[row.key], row) for row in report.groups],
            )
        )
    for heading, rows in tables:
        table = [(heading, "People", "Mean change", "95% interval")]
        for name, row in rows:
            table.append((name, SUPPRESSED_TEXT if row.n is None else f"{row.n:,}", *_change(row.change)))
        lines += ["", *text_columns(table)]
    comparison = report.comparison
    lines.append("")
    if comparison is None:
        lines.append(f"Completers against non-completers: {SUPPRESSED_TEXT}.")
    elif comparison.ci is None or comparison.difference is None:
        lines.append(f"Completers against non-completers: {comparison.reason}.")
    else:
        lines.append(
            f"Completers against non-completers: {comparison.difference:+.1f} points "
            f"(95% interval {comparison.ci[0]:+.1f} to {comparison.ci[1]:+.1f}, p = {comparison.p_value:.3f})"
        )
    return "\n".join(lines)
