"""Flask-Migrate (and so Alembic), bound to the app only when a command needs the migrations.

Importing Flask-Migrate imports Alembic, Mako, Pygments and more: about a third of what every
app-building ``certready`` command used to import, for the two that use it (``init-db`` and
``db``). The web app never runs a migration, so ``certready db`` is a group that binds
Flask-Migrate when it is run or asked for help; ``init-db`` binds it before upgrading.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import ScriptInfo

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
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


def upgrade(**kwargs: Any) -> None:
    """``flask_migrate.upgrade`` for the current app, binding Flask-Migrate first if needed."""
    from flask import current_app
    from flask_migrate import upgrade as migrate_upgrade

    init_migrate(current_app._get_current_object())  # type: ignore[attr-defined]
    migrate_upgrade(**kwargs)
