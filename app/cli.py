"""The ``certready`` command: a Flask CLI group over the app factory.

Domain commands (frameworks, assess, compare, report) belong to the ``certready`` group itself,
so they run without building the web app (FlaskGroup finds a group's own commands before it
loads the app): ``certready frameworks list`` imports neither the app's extensions nor WeasyPrint.
Web-layer commands (init-db, create-user, demo-data, ...) live beside their features; the group
knows them by name (``APP_COMMANDS``) and imports one only when it is run or listed, so
``certready --help`` builds no app. They work on the database and serve no page, so they run
against ``create_app(pages=False)``: no blueprints, views, forms or rate limiter. Flask's own
``run``, ``shell`` and ``routes`` (and plugins' commands) get the whole web app.
``register_cli`` adds every command to an app, for ``flask --app app`` and ``app.test_cli_runner()``.
Every error is a plain message on stderr with exit status 1, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from importlib import import_module
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
from flask import Flask
from flask.cli import FlaskGroup

from assessments.errors import InputError

P = ParamSpec("P")
R = TypeVar("R")


def _database_errors() -> tuple[type[BaseException], ...]:
    """SQLAlchemy's base error if SQLAlchemy is loaded, else nothing to catch.

    Evaluated when an exception is being matched: a database error can only come from a loaded
    SQLAlchemy, and commands that never touch the database do not import it (about 0.2 s).
    """
    errors = sys.modules.get("sqlalchemy.exc")
    return (errors.SQLAlchemyError,) if errors is not None else ()


def _input_errors_exit(command: Callable[P, R]) -> Callable[P, R]:
    """Print every problem of a bad input file and exit 1, instead of a traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InputError as problem:
            for line in problem.problems:
                click.echo(f"Error: {line}", err=True)
            sys.exit(1)
        except _database_errors() as problem:
            # Only the stored-assessment commands touch the database; say what to do, not SQL.
            reason = type(getattr(problem, "orig", None) or problem).__name__
            click.echo(
                f"Error: the database could not be read ({reason}). "
                "Check CERTREADY_DATABASE_URL and run `certready init-db`.",
                err=True,
            )
            sys.exit(1)

    return wrapper


@click.group("frameworks")
def frameworks_group() -> None:
    """List and check certification framework files."""


@frameworks_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_input_errors_exit
def frameworks_list(as_json: bool) -> None:
    """List the shipped frameworks."""
    from assessments.framework import shipped_frameworks

    catalogue = shipped_frameworks()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": f.id,
                        "name": f.name,
                        "provider": f.provider,
                        "version": f.version,
                        "format": f.delivery.format,
                        "domains": len(f.domains),
                        "criteria": len(f.criteria_by_id),
                        "modelled": f.modelled,
                        "source": f.source,
                    }
                    for f in catalogue.values()
                ],
                indent=2,
            )
        )
        return
    width = max(len(framework_id) for framework_id in catalogue)
    for framework in catalogue.values():
        modelled = " (modelled)" if framework.modelled else ""
        click.echo(
            f"{framework.id:<{width}}  {framework.version:<8}  {len(framework.criteria_by_id):>3} criteria  "
            f"{framework.name} — {framework.provider}{modelled}"
        )


@frameworks_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def frameworks_check(files: tuple[Path, ...]) -> None:
    """Validate framework files; report every problem with the file and key."""
    from assessments.framework import load_framework

    failed = False
    for path in files:
        try:
            framework = load_framework(path)
        except InputError as problem:
            failed = True
            for line in problem.problems:
                click.echo(line, err=True)
        else:
            click.echo(
                f"{path.name}: ok ({framework.id} {framework.version}, {len(framework.domains)} domains, "
                f"{len(framework.criteria_by_id)} criteria)"
            )
    if failed:
        sys.exit(1)


_inputs = [
    click.option(
        "--framework", "framework", required=True, help="A shipped framework id or a framework YAML file."
    ),
    click.option("--profile", required=True, type=click.Path(path_type=Path), help="Profile (YAML or JSON)."),
    click.option("--ratings", required=True, type=click.Path(path_type=Path), help="Ratings (YAML or JSON)."),
]


def _with_inputs(command: Callable[P, R]) -> Callable[P, R]:
    for option in reversed(_inputs):
        command = option(command)
    return command


@click.command("assess")
@_with_inputs
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_input_errors_exit
def assess_command(framework: str, profile: Path, ratings: Path, as_json: bool) -> None:
    """Readiness, programme fit and exclusion risks for one programme."""
    from assessments import engine

    outcome = engine.run_files(framework, profile, ratings).to_json()
    if as_json:
        click.echo(json.dumps(outcome, indent=2))
        return
    click.echo(_assessment_text(outcome))


@click.command("compare")
@_with_inputs
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_input_errors_exit
def compare_command(framework: str, profile: Path, ratings: Path, as_json: bool) -> None:
    """Rank every shipped programme for this person (estimates, side by side)."""
    from assessments import engine

    result = engine.run_files(framework, profile, ratings)
    chosen, outcome = result.framework, result.to_json()
    if as_json:
        click.echo(
            json.dumps(
                {"rated_against": chosen.id, "programmes": outcome["estimates"]},
                indent=2,
            )
        )
        return
    from assessments.results import ELIGIBILITY_LABELS, whole_score

    click.echo(f"Ratings given against {chosen.name} ({chosen.id}).")
    click.echo("Other programmes are ESTIMATES projected through shared capability areas.\n")
    rows = [("Programme", "Readiness", "Eligibility", "Fit", "High flags", "All flags", "Basis")]
    for estimate in outcome["estimates"]:
        label = estimate["framework_name"] + ("" if estimate["is_estimate"] else " (rated)")
        fit = "—" if estimate["fit"] is None else f"{estimate['fit']:.0f}%"
        rows.append(
            (
                label,
                str(whole_score(estimate["readiness"])),
                ELIGIBILITY_LABELS[estimate["eligibility"]["status"]],
                fit,
                str(estimate["high_flags"]),
                str(estimate["flags"]),
                f"{estimate['basis'] * 100:.0f}%",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
        click.echo("  ".join(cells))


def _assessment_text(outcome: dict[str, Any]) -> str:
    # Here, not at the top: the database commands import this module and need none of it.
    from assessments.results import eligibility_statement, whole_score

    readiness = outcome["readiness"]
    statement = eligibility_statement(outcome)
    lines = [
        f"{outcome['framework_name']} ({outcome['framework']} {outcome['framework_version']})",
        f"Readiness: {whole_score(readiness['score'])} / 100 — {readiness['band_label']}",
        statement.headline,
        *(f"  - {reason}" for reason in statement.reasons),
        "",
        "By domain:",
    ]
    lines += [f"  {whole_score(domain['score']):>5}  {domain['title']}" for domain in readiness["domains"]]
    if readiness["gaps"]:
        lines.append(
            f"\n{readiness['no_opportunity']} of your {readiness['gaps']} gaps are about opportunity, "
            "not ability."
        )
    if outcome["priorities"]:
        lines.append("\nDevelopment priorities:")
        lines += [f"  - {item['title']} (gap {item['gap']})" for item in outcome["priorities"][:5]]
    fit = outcome["fit"]
    if fit["percent"] is not None:
        lines.append(f"\nProgramme fit for your needs: {fit['percent']:.0f}%")
    lines.append("\nExclusion risks:" if outcome["risks"] else "\nNo exclusion risks found.")
    for flag in outcome["risks"]:
        lines.append(f"  [{flag['severity']}] {flag['requirement']}")
        lines.append(f"      You: {flag['circumstance']}")
        lines += [f"      Could help: {mitigation}" for mitigation in flag["mitigations"]]
    return "\n".join(lines)


@click.command("report")
@click.option("--framework", "framework", help="A shipped framework id or a framework YAML file.")
@click.option("--profile", type=click.Path(path_type=Path), help="Profile (YAML or JSON).")
@click.option("--ratings", type=click.Path(path_type=Path), help="Ratings (YAML or JSON).")
@click.option("--assessment", "assessment_id", type=int, help="A submitted assessment's id.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="The PDF to write.")
@_input_errors_exit
def report_command(
    framework: str | None,
    profile: Path | None,
    ratings: Path | None,
    assessment_id: int | None,
    output: Path,
) -> None:
    """Write a PDF readiness report, from files or from a stored assessment."""
    from app.reports import renderer

    from_files = framework is not None or profile is not None or ratings is not None
    if from_files == (assessment_id is not None):
        raise click.UsageError("give either --assessment ID, or all of --framework, --profile and --ratings")
    if from_files:
        if not (framework and profile and ratings):
            raise click.UsageError("--framework, --profile and --ratings are needed together")
        pdf = renderer.render_from_files(framework, profile, ratings)
    else:
        assert assessment_id is not None
        with _app_context():
            pdf = renderer.render_for_assessment(assessment_id)
    partial = output.with_name(output.name + ".part")
    partial.write_bytes(pdf)
    partial.replace(output)
    click.echo(f"Wrote {output} ({len(pdf):,} bytes)")


def _app_context() -> Any:
    """The app's context, for the one domain command that reads the database.

    ``certready report --assessment`` is found without loading the app; load it now, through
    the same ``ScriptInfo`` (so ``--app`` and a ``flask --app app`` run use their own app).
    """
    from flask.cli import ScriptInfo

    return click.get_current_context().ensure_object(ScriptInfo).load_app().app_context()


DOMAIN_COMMANDS = (frameworks_group, assess_command, compare_command, report_command)

APP_COMMANDS: dict[str, str] = {
    "init-db": "app.commands:init_db",
    "create-user": "app.commands:create_user",
    "db": "app.migrating:db_group",
    "demo-data": "app.journey.commands:demo_data",
    "cohort": "app.designer.commands:cohort_command",
    "demo-cohort": "app.designer.commands:demo_cohort_command",
    "cohort-tallies": "app.designer.commands:cohort_tallies_command",
    "impact": "app.designer.impact_commands:impact_command",
    "content-validity": "app.designer.validity_commands:content_validity_command",
    "consultation": "app.consultation.commands:consultation_group",
}
"""The web layer's commands, by name: ``module:attribute`` of each, imported when first needed."""
_SERVE_NO_PAGES = frozenset({*APP_COMMANDS, *(command.name for command in DOMAIN_COMMANDS)})
_BIND_WHEN_NEEDED = frozenset({"init-db", "content-validity"})
"""Commands that bind the database themselves, only when they need it: ``init-db`` once it knows
there is work, ``content-validity`` when it reads participants rather than a panel file."""


def app_command(name: str) -> click.Command:
    """The web-layer command called ``name``, importing the module that declares it."""
    module, _, attribute = APP_COMMANDS[name].partition(":")
    command: click.Command = getattr(import_module(module), attribute)
    return command


def register_cli(flask_app: Flask) -> None:
    """Attach every ``certready`` command to an app, for ``flask --app app`` and the app's test runner."""
    for command in DOMAIN_COMMANDS:
        flask_app.cli.add_command(command)
    for name in APP_COMMANDS:
        flask_app.cli.add_command(app_command(name), name)


def _create_app() -> Flask:
    """The app for the command being run: without pages for certready's own commands.

    ``ScriptInfo`` calls this when a command first needs the app; the root context knows which
    command that is. Flask's ``run``, ``shell`` and ``routes``, and plugins' commands, need the web app.
    """
    from app import create_app

    context = click.get_current_context(silent=True)
    command = context.find_root().invoked_subcommand if context else None
    return create_app(pages=command not in _SERVE_NO_PAGES, database=command not in _BIND_WHEN_NEEDED)


class _Group(FlaskGroup):
    """``certready``: its own and the web layer's commands are found without loading plugins or the app."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        # FlaskGroup would first import every "flask.commands" plugin (Flask-Limiter's, ~0.05 s),
        # then build the app to look the name up among its commands.
        if name in self.commands:
            return self.commands[name]
        if name in APP_COMMANDS:
            return app_command(name)
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        # FlaskGroup would build the app to ask it for its commands, which are APP_COMMANDS, and
        # import every plugin to show its help. Plugins' commands (Flask-Limiter's ``limiter``)
        # still run, through FlaskGroup, but are not listed: that would import Flask-Limiter and
        # its storage backends for every ``--help``.
        return sorted({*self.commands, *APP_COMMANDS})


@click.group(cls=_Group, create_app=_create_app, add_version_option=False)
def main() -> None:
    """CertReady: readiness self-assessment and inclusivity review for digital leadership certification."""


for _command in DOMAIN_COMMANDS:
    main.add_command(_command)
