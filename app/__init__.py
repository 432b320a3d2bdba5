"""The CertReady web app: the factory and its named set-up steps."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from app.config import settings
from app.extensions import csrf, db, limiter, login_manager, migrate

_HERE = Path(__file__).resolve().parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides single settings (tests use it)."""
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

    _init_extensions(flask_app)
    _register_blueprints(flask_app)
    _register_commands(flask_app)
    return flask_app


def _init_extensions(flask_app: Flask) -> None:
    db.init_app(flask_app)
    migrate.init_app(flask_app, db, directory=str(_HERE / "migrations"))
    csrf.init_app(flask_app)
    login_manager.init_app(flask_app)
    limiter.init_app(flask_app)


def _register_blueprints(flask_app: Flask) -> None:
    from app import auth, journey, main

    for blueprint in (main.bp, auth.bp, journey.bp):
        flask_app.register_blueprint(blueprint)


def _register_commands(flask_app: Flask) -> None:
    from app.cli import register_cli

    register_cli(flask_app)
