"""The CertReady web app: the factory and its named set-up steps."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

_HERE = Path(__file__).resolve().parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides single settings (tests use it).

    Flask, the extensions and the settings are imported here, not at the top of the module, so
    that importing ``app.cli`` for a command that needs no app (``certready frameworks list``)
    does not pay for them.
    """
    from flask import Flask

    from app.config import settings

    flask_app = Flask(
        __name__,
        template_folder=str(_HERE.parent / "templates"),
        static_folder=str(_HERE / "static"),
        instance_relative_config=True,
    )
    instance = Path(flask_app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    flask_app.config.update(settings(instance))
    flask_app.config.update(config or {})

    _configure_jinja(flask_app)
    _init_extensions(flask_app)
    _init_security(flask_app)
    _register_blueprints(flask_app)
    _register_error_handlers(flask_app)
    _register_template_helpers(flask_app)
    _register_commands(flask_app)
    return flask_app


def _configure_jinja(flask_app: Flask) -> None:
    flask_app.jinja_env.trim_blocks = True
    flask_app.jinja_env.lstrip_blocks = True


def _init_extensions(flask_app: Flask) -> None:
    from app.auth.passwords import init_password_hasher
    from app.extensions import csrf, db, limiter, login_manager
    from app.security import configure_sqlite

    db.init_app(flask_app)
    with flask_app.app_context():
        configure_sqlite(db.engine)
    csrf.init_app(flask_app)
    login_manager.init_app(flask_app)
    limiter.init_app(flask_app)
    init_password_hasher(flask_app)


def _init_security(flask_app: Flask) -> None:
    from app.auth.sessions import init_sessions
    from app.security import init_security

    init_security(flask_app)
    init_sessions(flask_app)


def _register_blueprints(flask_app: Flask) -> None:
    from app import auth, consultation, designer, journey, main, privacy, reports

    for blueprint in (main.bp, auth.bp, journey.bp, reports.bp, privacy.bp, designer.bp):
        flask_app.register_blueprint(blueprint)
    flask_app.register_blueprint(consultation.bp)


def _register_error_handlers(flask_app: Flask) -> None:
    from app.main.errors import register_error_handlers

    register_error_handlers(flask_app)


def _register_template_helpers(flask_app: Flask) -> None:
    from app.main.navigation import navigation_urls

    flask_app.context_processor(navigation_urls)


def _register_commands(flask_app: Flask) -> None:
    from app import commands
    from app.cli import register_cli
    from app.consultation import commands as consultation_commands
    from app.designer import commands as designer_commands
    from app.journey import commands as journey_commands
    from app.migrating import register_migrate_command

    register_cli(flask_app)
    register_migrate_command(flask_app)
    commands.register_commands(flask_app)
    journey_commands.register_commands(flask_app)
    designer_commands.register_commands(flask_app)
    consultation_commands.register_commands(flask_app)
