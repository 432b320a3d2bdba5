"""The CertReady web app: the factory and its named set-up steps."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

_HERE = Path(__file__).resolve().parent


def create_app(
    config: Mapping[str, Any] | None = None, *, pages: bool = True, database: bool = True
) -> Flask:
    """Build the app; ``config`` overrides single settings (tests use it).

    ``pages=False`` builds what ``certready``'s own commands run against: the settings, logging
    and the database, without the web layer (blueprints with their views and forms, sessions,
    CSRF, rate limits, error pages), which is most of what a command would otherwise import.
    The web server and the tests use the whole app. ``database=False`` (only without pages) leaves
    Flask-SQLAlchemy unbound and unimported, for ``init-db``'s first look at a database that is
    usually already up to date (Flask-SQLAlchemy and the ORM are a third of such a command's
    start); ``bind_database`` binds it later.

    Flask, the extensions and the settings are imported here, not at the top of the module, so
    that importing ``app.cli`` for a command that needs no app (``certready frameworks list``)
    does not pay for them.
    """
    if pages and not database:
        raise ValueError("the web app needs its database: pages=True requires database=True")
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
    if database:
        bind_database(flask_app)
    if not pages:
        from app.security import configure_logging

        configure_logging(flask_app)
        return flask_app
    _init_web_extensions(flask_app)
    _init_security(flask_app)
    _register_blueprints(flask_app)
    _register_error_handlers(flask_app)
    _register_template_helpers(flask_app)
    _register_commands(flask_app)
    return flask_app


def _configure_jinja(flask_app: Flask) -> None:
    flask_app.jinja_env.trim_blocks = True
    flask_app.jinja_env.lstrip_blocks = True


def bind_database(flask_app: Flask) -> None:
    """Bind the database (and the password hasher) to ``flask_app``, once."""
    if "sqlalchemy" in flask_app.extensions:
        return
    from app.auth.passwords import init_password_hasher
    from app.extensions import db
    from app.logging_setup import hide_sql_parameters
    from app.security import configure_sqlite

    db.init_app(flask_app)
    with flask_app.app_context():
        configure_sqlite(db.engine)
    hide_sql_parameters(flask_app)  # every binding, the web app's or a command's late one
    init_password_hasher(flask_app)


def _init_web_extensions(flask_app: Flask) -> None:
    from flask_wtf import CSRFProtect

    from app.extensions import login_manager
    from app.rate_limiting import limiter

    CSRFProtect(flask_app)
    login_manager.init_app(flask_app)
    limiter.init_app(flask_app)


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
    from app.cli import register_cli

    register_cli(flask_app)
