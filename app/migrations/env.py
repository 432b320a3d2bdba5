"""Alembic environment for Flask-Migrate: the app's engine and models' metadata."""

from __future__ import annotations

import logging
from logging.config import fileConfig
from typing import Any

from alembic import context
from flask import current_app

config = context.config

# Configure logging from alembic.ini only when nothing else has (the command line); inside the
# app or the tests keep their handlers, and never disable loggers that already exist.
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def _engine() -> Any:
    return target_db.engine


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``certready db upgrade --sql``) instead of running it."""
    context.configure(
        url=_engine().url.render_as_string(hide_password=False),
        target_metadata=target_db.metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=_engine().dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty_autogenerate(context: Any, revision: Any, directives: list[Any]) -> None:
        # Do not write an empty revision when the models have not changed.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    configure_args = dict(current_app.extensions["migrate"].configure_args)
    configure_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    configure_args.setdefault("compare_type", True)
    # Flask-Migrate passes render_as_batch=True (its default): SQLite cannot ALTER most things, so
    # batch mode copies the table instead; on PostgreSQL batch operations are plain ALTERs.

    with _engine().connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            **configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
