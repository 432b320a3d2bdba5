"""``certready cohort`` (the dashboard's tables, for scripts), ``demo-cohort`` and ``cohort-tallies``.

``certready --help`` imports this module to list the commands, so what a command reads the
cohort with (the models, queries and analyses) is imported when it runs.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

from assessments.vocabulary import GROUPINGS

if TYPE_CHECKING:
    from app.designer.analytics import Analysis


def _framework(framework_id: str):
    from app.designer import services

    try:
        return services.programme(framework_id)
    except services.UnknownProgramme:
        known = ", ".join(services.programmes())
        raise click.BadParameter(f"unknown framework '{framework_id}'; known frameworks: {known}") from None


@click.command("cohort")
@with_appcontext
@click.option("--framework", "framework_id", required=True, help="A programme's framework id.")
@click.option(
    "--by", "grouping", required=True, type=click.Choice(list(GROUPINGS)), help="How to divide the cohort."
)
@click.option(
    "--and-by", "second", type=click.Choice(list(GROUPINGS)), help="A second grouping (intersections)."
)
@click.option("--reference", default=None, help="The reference group (default: the most favoured group).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--min-cell",
    type=click.IntRange(min=1),
    default=None,
    help="Smallest group shown (default CERTREADY_MIN_CELL; never below CERTREADY_MIN_CELL_FLOOR).",
)
def cohort_command(
    framework_id: str,
    grouping: str,
    second: str | None,
    reference: str | None,
    as_json: bool,
    min_cell: int | None,
) -> None:
    """The inclusivity tables for one programme, small numbers suppressed, as on the dashboard."""
    from app.designer import analytics
    from assessments.cohort import CohortError

    framework = _framework(framework_id)
    if second == grouping:
        raise click.BadParameter("choose a different second grouping", param_hint="--and-by")
    configured = int(current_app.config.get("CERTREADY_MIN_CELL", 10))
    floor = int(current_app.config.get("CERTREADY_MIN_CELL_FLOOR", configured))
    if min_cell is not None and min_cell < floor:
        raise click.BadParameter(
            f"{min_cell} is below this deployment's floor of {floor} people (CERTREADY_MIN_CELL_FLOOR); "
            "figures about fewer people are never shown. Use a larger value, or leave it out.",
            param_hint="--min-cell",
        )
    cell = min_cell or configured
    try:
        analysis = analytics.analyse(framework, grouping, second=second, reference=reference, min_cell=cell)
    except CohortError as problem:
        for line in problem.problems:
            click.echo(f"Error: {line}", err=True)
        sys.exit(1)
    if as_json:
        data = analysis.table.to_json(labels=analysis.labels)
        data.update(
            {
                "framework": framework.id,
                "framework_version": framework.version,
                "grouping": grouping,
                "second_grouping": second,
                "cohort_date": analysis.cohort_date.isoformat() if analysis.cohort_date else None,
            }
        )
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(_text(analysis))


def _reference(analysis: Analysis, reference: str | None) -> str:
    return analysis.value_label(reference) if reference else "–"


def _text(analysis: Analysis) -> str:
    from app.designer.analytics import verdict_label
    from app.designer.fields import key_label
    from app.designer.formatters import text_columns
    from assessments.cohort import SUPPRESSED_TEXT

    table = analysis.table
    framework = analysis.framework
    lines = [
        f"{framework.name} ({framework.id} {framework.version}) by {analysis.grouping_label.lower()}",
        f"Groups under {table.min_cell} people are not shown; hidden cells read '{SUPPRESSED_TEXT}'.",
        "",
    ]
    if not table.groups:
        return "\n".join([*lines, "No consented submissions for this programme yet."])
    rows = [("Group", "People", "Share", "Mean", "Median", "No-opp.")]
    for g in table.groups:
        rows.append(
            (
                analysis.value_label(g.group),
                SUPPRESSED_TEXT if g.n is None else f"{g.n:,}",
                "–" if g.share is None else f"{g.share * 100:.0f}%",
                "–" if g.mean is None else f"{g.mean:.1f}",
                "–" if g.median is None else f"{g.median:.1f}",
                "–" if g.no_opportunity_share is None else f"{g.no_opportunity_share * 100:.0f}%",
            )
        )
    lines += text_columns(rows)
    for key in analysis.category_keys:
        lines += ["", f"{key_label(key)} (reference: {_reference(analysis, table.references[key])})"]
        impact_rows = [("Group", "Flagged", "Rate", "Ratio", "Likelihood", "Verdict")]
        for row in table.impact[key]:
            impact_rows.append(
                (
                    analysis.value_label(row.group),
                    SUPPRESSED_TEXT if row.flagged is None else f"{row.flagged:,}",
                    "–" if row.flag_rate is None else f"{row.flag_rate * 100:.0f}%",
                    "–"
                    if row.impact_ratio is None
                    else f"{row.impact_ratio:.2f}" + (" <0.8" if row.below_four_fifths else ""),
                    "–" if row.relative_likelihood is None else f"{row.relative_likelihood:.2f}",
                    verdict_label(row.verdict),
                )
            )
        lines += text_columns(impact_rows)
    if analysis.headlines:
        lines += ["", "Largest exclusion risks:", *(f"  - {sentence}" for sentence in analysis.headlines)]
    return "\n".join(lines)


@click.command("demo-cohort")
@with_appcontext
@click.option("--framework", "framework_id", required=True, help="A programme's framework id.")
@click.option("--n", "count", type=click.IntRange(min=1, max=2_000_000), default=10_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--repeat-share",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Share of people who also took the assessment earlier (modelled change; some took the programme).",
)
def demo_cohort_command(framework_id: str, count: int, seed: int, repeat_share: float) -> None:
    """Add a SYNTHETIC cohort (consenting, submitted) for demonstrations, clearly marked as such."""
    from app.designer import demo
    from app.extensions import db
    from app.journey.services import snapshot_for

    framework = _framework(framework_id)
    snapshot = snapshot_for(framework)
    db.session.commit()
    with click.progressbar(length=count, label=f"Synthetic participants for {framework.id}") as bar:
        written = demo.generate(
            framework, snapshot.id, count, seed=seed, progress=bar.update, repeat_share=repeat_share
        )
    click.echo(
        f"Added {written:,} synthetic participants (emails @{demo.SYNTHETIC_DOMAIN}, marked synthetic) "
        f"to {framework.name} {framework.version}."
    )
    if repeat_share:
        click.echo(
            f"About {repeat_share:.0%} of them also have an earlier submission with a MODELLED change in "
            "readiness, and some say they took the programme: see Impact over time."
        )


@click.command("cohort-tallies")
@with_appcontext
@click.option("--framework", "framework_ids", multiple=True, help="Only this programme (repeatable).")
@click.option("--rebuild", is_flag=True, help="Recount the tallies from the cohort rows.")
def cohort_tallies_command(framework_ids: tuple[str, ...], rebuild: bool) -> None:
    """Check the designer's tallies against a recount of the cohort rows (or rebuild them).

    Exits 1 when a check finds a difference: the tallies are kept in step with every change
    in the same transaction, so a difference means something wrote cohort rows another way.
    """
    from app.designer import tallies
    from app.extensions import db

    for framework_id in framework_ids:
        _framework(framework_id)
    wanted = list(framework_ids) or None
    if rebuild:
        done = tallies.rebuild(wanted)
        db.session.commit()
        click.echo(f"Rebuilt the tallies of {len(done)} programme(s): {', '.join(done) or 'none'}.")
        return
    checked = sorted(tallies.built(wanted))
    problems = tallies.check(checked)
    untallied = sorted(set(wanted or tallies.programmes_with_rows()) - set(checked))
    if untallied:
        click.echo(f"Not tallied yet (figures counted from rows): {', '.join(untallied)}.")
    if problems:
        for line in problems:
            click.echo(f"Error: {line}", err=True)
        click.echo("Run `certready cohort-tallies --rebuild` to recount.", err=True)
        sys.exit(1)
    click.echo(f"The tallies of {len(checked)} programme(s) match a recount.")
