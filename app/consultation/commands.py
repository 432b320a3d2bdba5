"""``certready consultation results FILE`` (counted from the file alone) and ``... import FILE``.

A bad file prints every problem, naming the participant and the item, and exits 1 with nothing
stored: the import only starts once the whole file has been checked.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click
from flask.cli import with_appcontext

from app.consultation.presenters import group_label
from assessments import consultation as domain


def _refuse(problem: domain.ConsultationError) -> NoReturn:
    for line in problem.problems:
        click.echo(f"Error: {line}", err=True)
    sys.exit(1)


def _load(path: Path) -> domain.Consultation:
    try:
        return domain.load_consultation(path)
    except domain.ConsultationError as problem:
        _refuse(problem)


@click.group("consultation")
def consultation_group() -> None:
    """Force-field consultations: count a workshop's votes, or store it for the web pages."""


@consultation_group.command("results")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def results_command(file: Path, as_json: bool) -> None:
    """Shares of votes on advantages, overall and per group, and the items by weight."""
    results = domain.count_votes(_load(file))
    if as_json:
        click.echo(json.dumps(results.to_json(), indent=2))
        return
    click.echo(_text(results))


def _text(results: domain.Results) -> str:
    lines = [
        results.proposal,
        f"{results.participants} participants, {results.votes} votes "
        f"({results.advantage_votes} on advantages, {results.disadvantage_votes} on disadvantages).",
        results.reading,
    ]
    for split, title in (("staff_group", "By staff group"), ("working_pattern", "By working pattern")):
        lines += ["", f"{title}:"]
        for group in results.by_group[split]:
            name = group_label(split, group.group)
            if group.suppressed:
                lines.append(
                    f"  {name}: not shown (under {results.min_group} voters, or it would reveal another)"
                )
            else:
                lines.append(
                    f"  {name}: {domain.percent(group.advantage_share)} of {group.votes} votes "
                    f"({domain.people(group.participants)})"
                )
    for side in domain.SIDES:
        lines += ["", f"{domain.SIDE_LABELS[side]}:"]
        lines += [f"  {item.votes:>4}  {item.text}" for item in results.items if item.side == side]
    return "\n".join(lines)


@consultation_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@with_appcontext
def import_command(file: Path) -> None:
    """Store a workshop file as a closed consultation a designer can open."""
    from app.consultation import services

    parsed = _load(file)
    stored = services.import_consultation(parsed)
    click.echo(
        f"Stored ‘{stored.proposal}’ as consultation {stored.id}: {len(parsed.participants)} participants, "
        f"{len(parsed.items)} items. Designers find it under Consultations."
    )
