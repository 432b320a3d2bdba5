"""Web-layer commands for ``certready`` / ``flask``: ``init-db`` and ``create-user``.

``certready --help`` imports this module to list the commands, so what a command does with the
database (the models, the services) is imported when it runs.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from app.auth.passwords import MAX_LENGTH, MIN_LENGTH, is_common
from app.roles import ROLES


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database tables to the latest migration (safe to run again).

    Then builds the designer's tallies for any programme with cohort rows but none yet (after
    an upgrade from before tallies existed); a no-op otherwise. A database with nothing to do is
    told so without Flask-SQLAlchemy, the models or Alembic (``migrating.up_to_date``); the
    app arrives unbound (``create_app(database=False)``) and is bound only to do work.
    """
    from flask import current_app

    from app.migrating import up_to_date

    flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not up_to_date(flask_app):
        _upgrade_and_count(flask_app)
    click.echo("Database is up to date.")


def _upgrade_and_count(flask_app: Flask) -> None:
    from app import bind_database

    bind_database(flask_app)
    from app.designer import tallies
    from app.extensions import db
    from app.migrating import at_head, upgrade

    if not at_head():
        upgrade()
    built = tallies.rebuild_missing()
    db.session.commit()
    if built:
        click.echo(f"Counted the designer's tallies for {', '.join(built)}.")


def _password_problem(password: str) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"The password must be {MAX_LENGTH} characters or fewer"
    if is_common(password):
        return "The password is too common; choose a different one"
    return None


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="participant", show_default=True)
@click.option("--name", "display_name", default=None, help="Display name (optional).")
@click.option("--password", default=None, help="Leave out to be asked for it (input hidden).")
def create_user(email: str, role: str, display_name: str | None, password: str | None) -> None:
    """Create an account, e.g. a designer: certready create-user jo@example.org --role designer"""
    from app.auth import services
    from app.auth.forms import EMAIL_MAX

    email = email.strip().lower()
    if "@" not in email or len(email) > EMAIL_MAX or email.startswith("@") or email.endswith("@"):
        raise click.BadParameter(f"{email!r} is not an email address", param_hint="EMAIL")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = _password_problem(password)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    try:
        user = services.create_user(email, password, role=role, display_name=display_name)
    except services.AccountExists as error:
        raise click.ClickException(f"An account with the email {email} already exists") from error
    click.echo(f"Created {role} account {user.email} (id {user.id}). Sign in at /login.")
