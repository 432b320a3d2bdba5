"""Flask-Migrate (and so Alembic), bound to the app only when a command needs the migrations.

Importing Flask-Migrate imports Alembic, Mako, Pygments and more: about a third of what every
app-building ``certready`` command used to import, for the two that use it (``init-db`` and
``db``). The web app never runs a migration, so ``certready db`` is a group that binds
Flask-Migrate when it is run or asked for help; ``init-db`` binds it before upgrading, and only
when the database is not already at the head (``at_head``), which it tells without Alembic.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import Flask
from flask.cli import ScriptInfo

if TYPE_CHECKING:  # SQLAlchemy is imported where used: ``certready --help`` imports this module
    from sqlalchemy import Connection, Engine
    from sqlalchemy.engine import URL

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
"""Where Alembic keeps the revision a database is at (its default; ``env.py`` does not change it)."""
_REVISION_LINE = re.compile(r"""^(revision|down_revision) = (?:"(\d+)"|None)$""", re.MULTILINE)
_DB_HELP = "Perform database migrations (Flask-Migrate; `certready init-db` is all most people need)."


def init_migrate(flask_app: Flask) -> None:
    """Bind Flask-Migrate to ``flask_app`` once, as ``Migrate(app, db)`` in the factory used to."""
    if "migrate" in flask_app.extensions:
        return
    from flask_migrate import Migrate

    from app.extensions import db

    Migrate(flask_app, db, directory=str(MIGRATIONS))


class _LazyMigrateGroup(click.Group):
    """``certready db ...``: Flask-Migrate's own group, imported when this group is used."""

    def _real(self, ctx: click.Context) -> click.Group:
        flask_app = ctx.ensure_object(ScriptInfo).load_app()
        init_migrate(flask_app)
        from flask_migrate.cli import db as migrate_group

        return migrate_group

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Take on the real group's options (--directory, --x-arg) and its callback, which puts
        # them where Flask-Migrate's commands read them.
        real = self._real(ctx)
        self.params = list(real.params)
        self.callback = real.callback
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real(ctx).list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._real(ctx).get_command(ctx, name)


db_group = _LazyMigrateGroup("db", help=_DB_HELP)
"""``certready db``, registered by ``app.cli``."""


def head_revisions() -> frozenset[str] | None:
    """The migration graph's heads, from the ``revision = "0010"`` / ``down_revision = "0009"`` lines.

    What ``alembic.script.ScriptDirectory(...).get_heads()`` returns, without importing Alembic
    (``tests/app/test_migrations.py`` compares the two). ``None`` when a file does not have exactly
    one plain line of each (a merge's tuple of parents, say): then only Alembic can tell.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        found = _REVISION_LINE.findall(path.read_text(encoding="utf-8"))
        names = sorted(name for name, _ in found)
        if names != ["down_revision", "revision"]:
            return None
        values = dict(found)
        if not values["revision"]:
            return None
        revisions.add(values["revision"])
        if values["down_revision"]:
            parents.add(values["down_revision"])
    return frozenset(revisions - parents) if revisions else None


def at_head() -> bool:
    """Whether the current app's database already records every head revision (and nothing else).

    Reads Alembic's version table with SQLAlchemy; a database without one (new, or made by
    ``create_all``) is not at the head.
    """
    from app.extensions import db

    heads = head_revisions()
    if heads is None:
        return False
    with db.engine.connect() as connection:
        return _records_heads(connection, heads)


def _records_heads(connection: Connection, heads: frozenset[str]) -> bool:
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table(VERSION_TABLE):
        return False
    stored = {row[0] for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))}
    return stored == heads


def up_to_date(flask_app: Flask) -> bool:
    """Nothing for ``init-db`` to do: at the head revision, and every programme's tallies built.

    Told with SQLAlchemy Core alone (no Flask-SQLAlchemy, ORM or models; ``init-db`` on an
    up-to-date database is mostly their import otherwise), on the app's engine when the database
    is bound, else on a short-lived engine for the same database. ``False`` whenever unsure: a
    database file not there yet, an in-memory one, a merge in the migrations. Tallies: what
    ``app.designer.tallies.rebuild_missing`` would build (``tests/app/test_migrations.py`` keeps
    the two in agreement).
    """
    heads = head_revisions()
    if heads is None:
        return False
    if "sqlalchemy" in flask_app.extensions:
        return _nothing_to_do(flask_app.extensions["sqlalchemy"].engine, heads)
    url = _database_url(flask_app)
    if url is None:
        return False
    from sqlalchemy import create_engine

    engine = create_engine(url, hide_parameters=True)
    try:
        return _nothing_to_do(engine, heads)
    finally:
        engine.dispose()


def _nothing_to_do(engine: Engine, heads: frozenset[str]) -> bool:
    with engine.connect() as connection:
        return _records_heads(connection, heads) and not _untallied(connection)


def _database_url(flask_app: Flask) -> URL | None:
    """The app's database URL as Flask-SQLAlchemy would open it; ``None`` for a new or in-memory SQLite."""
    from sqlalchemy.engine import make_url

    url = make_url(flask_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return url
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or url.query.get("mode") == "memory":
        return None  # new or in memory, or a URI form this check does not try to read
    path = Path(database)
    if not path.is_absolute():  # Flask-SQLAlchemy opens relative SQLite paths in the instance folder
        path = Path(flask_app.instance_path) / path
    return url.set(database=str(path)) if path.is_file() else None


def _untallied(connection: Connection) -> bool:
    """Whether any programme has cohort rows but no tallies (the table names are the models')."""
    from sqlalchemy import column, exists, select, table

    records = table("cohort_record", column("framework_id"))
    built = table("cohort_tally_state", column("framework_id"))
    missing = select(records.c.framework_id).where(
        ~exists().where(built.c.framework_id == records.c.framework_id)
    )
    return connection.execute(missing.limit(1)).first() is not None


def upgrade(**kwargs: Any) -> None:
    """``flask_migrate.upgrade`` for the current app, binding Flask-Migrate first if needed."""
    from flask import current_app
    from flask_migrate import upgrade as migrate_upgrade

    init_migrate(current_app._get_current_object())  # type: ignore[attr-defined]
    migrate_upgrade(**kwargs)
