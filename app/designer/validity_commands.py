"""``certready content-validity``: Lawshe's content validity for a programme, from an expert panel file
or, without ``--panel``, from participants' consented relevance answers in the database.

The statistics are ``assessments.content_validity``; the database's raters are read (and hidden
where small) by ``app.designer.pages.fitness``, as the designer's fit-for-purpose page reads them. This
module reads the options, prints JSON or a table, and turns bad input into ``Error:`` lines with
exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from assessments import content_validity as cv
from assessments import vocabulary
from assessments.cohort import SUPPRESSED_TEXT
from assessments.errors import InputError
from assessments.framework import Framework, resolve_framework


@click.command("content-validity")
@with_appcontext
@click.option(
    "--framework", "framework_id", required=True, help="A shipped framework id or a framework YAML file."
)
@click.option(
    "--panel",
    type=click.Path(path_type=Path),
    default=None,
    help="A panel file (YAML or JSON): raters, their profile answers and ratings.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--min-cell",
    type=click.IntRange(min=1),
    default=None,
    help=(
        "Fewest raters for a figure to be shown (default CERTREADY_MIN_CELL; without --panel, "
        "never below CERTREADY_MIN_CELL_FLOOR)."
    ),
)
def content_validity_command(
    framework_id: str, panel: Path | None, as_json: bool, min_cell: int | None
) -> None:
    """Which criteria a panel judges essential (Lawshe's CVR), overall and by group.

    With --panel FILE the raters are an expert panel on paper; without it, the participants who
    consented to anonymous analysis and answered the relevance question (small numbers hidden).
    """
    configured = int(current_app.config.get("CERTREADY_MIN_CELL", 10))
    cell = min_cell or configured
    try:
        if panel is None:
            framework, data = _from_database(framework_id, min_cell, configured)
        else:
            framework = resolve_framework(framework_id)
            raters = cv.load_panel(panel, framework)
            groupings = cv.groupings_present(raters)
            results = cv.analyse(list(framework.criteria_by_id), raters, cell, groupings)
            data = cv.to_json(framework, len(raters), results)
    except InputError as problem:
        for line in problem.problems:
            click.echo(f"Error: {line}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(_text(framework, data, cell))


def _from_database(
    framework_id: str, min_cell: int | None, configured: int
) -> tuple[Framework, dict[str, Any]]:
    """The participants' panel as JSON; every problem comes back as an ``InputError``."""
    # Only this path reads the database: it binds it (the app arrives unbound, see app.cli) and
    # imports the models and queries here, so a panel file (and ``certready --help``, which
    # imports this module to list it) needs none of them.
    from sqlalchemy.exc import OperationalError, ProgrammingError

    floor = int(current_app.config.get("CERTREADY_MIN_CELL_FLOOR", configured))
    if min_cell is not None and min_cell < floor:
        raise InputError(
            [
                f"--min-cell {min_cell} is below this deployment's floor of {floor} people "
                "(CERTREADY_MIN_CELL_FLOOR); participants' figures about fewer people are never shown. "
                "Use a larger value, or leave it out."
            ]
        )
    from app import bind_database

    bind_database(current_app._get_current_object())  # type: ignore[attr-defined]
    try:
        return _database_panel(framework_id, min_cell or configured)
    except (OperationalError, ProgrammingError) as problem:
        raise InputError(
            [
                f"could not read participants' answers from the database ({problem.orig}); "
                "if it is new, run `certready init-db` first"
            ]
        ) from None


def _database_panel(framework_id: str, min_cell: int) -> tuple[Framework, dict[str, Any]]:
    from app.designer import services
    from app.designer.pages import fitness

    try:
        framework = services.programme(framework_id)
    except services.UnknownProgramme:
        known = ", ".join(services.programmes())
        raise InputError([f"unknown framework '{framework_id}'; known frameworks: {known}"]) from None
    try:
        return framework, fitness.database_json(framework, min_cell)
    except fitness.UnknownRelevance as problem:
        raise InputError([str(problem)]) from None


def _panel_phrase(size: int | None, min_cell: int) -> str:
    return f"fewer than {min_cell} raters" if size is None else _people(size)


def _figure(value: float | None, places: int = 2) -> str:
    return "–" if value is None else f"{value:.{places}f}"


def _people(count: int) -> str:
    return f"{count} rater" + ("" if count == 1 else "s")


def _text(framework: Framework, data: dict[str, Any], min_cell: int) -> str:
    titles = {criterion_id: criterion.title for criterion_id, criterion in framework.criteria_by_id.items()}
    lines = [
        f"Content validity of {framework.name} ({framework.version}), "
        f"from a panel of {_panel_phrase(data['panel_size'], min_cell)}.",
        "A criterion is essential by consensus when its CVR reaches the critical value for its number of "
        "raters (exact binomial test, 5% level).",
        f"Figures for fewer than {min_cell} raters are not shown.",
        "",
    ]
    rows = [("Criterion", "Raters", "Essential", "CVR", "Needed", "Verdict")]
    for item in data["criteria"]:
        rows.append(
            (
                titles[item["id"]],
                "–" if item["raters"] is None else str(item["raters"]),
                "–" if item["essential"] is None else str(item["essential"]),
                _figure(item["cvr"]),
                _figure(item["critical_cvr"]),
                SUPPRESSED_TEXT if item["verdict"] is None else cv.VERDICT_LABELS[item["verdict"]],
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (
            cell.ljust(widths[i]) if i in (0, 5) else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )
        lines.append("  ".join(cells).rstrip())
    group_lines = _group_lines(data, titles)
    if group_lines:
        lines += [
            "",
            "By group (CVR; difference from the rest of the panel, Fisher's exact test):",
            *group_lines,
        ]
    cvi = data["cvi"]
    lines.append("")
    if data["cvi_hidden"]:
        shown = f"{SUPPRESSED_TEXT}: it would give away a CVR hidden for small numbers"
    else:
        shown = "none is essential by consensus" if cvi is None else f"{cvi:.2f}"
    lines.append(f"Content validity index (mean CVR of the criteria essential by consensus): {shown}")
    return "\n".join(lines)


def _group_lines(data: dict[str, Any], titles: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for item in data["criteria"]:
        parts: list[str] = []
        for key, groups in item["by_group"].items():
            shown = []
            for group in groups:
                label = vocabulary.designer_label(key, group["group"])
                if group["raters"] is None:
                    shown.append(f"{label}: not shown (small numbers)")
                    continue
                cvr = SUPPRESSED_TEXT if group["cvr"] is None and group["raters"] else _figure(group["cvr"])
                text = f"{label}: {_people(group['raters'])}, CVR {cvr}"
                if group["cvr_difference"] is not None:
                    text += f" ({group['cvr_difference']:+.2f}, p = {group['p_value']:.3f})"
                shown.append(text)
            if shown:
                parts.append(f"    {vocabulary.grouping(key).label}: " + "; ".join(shown))
        if parts:
            lines += [f"  {titles[item['id']]}", *parts]
    return lines
