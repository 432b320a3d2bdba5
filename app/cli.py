"""The ``certready`` command: a Flask CLI group over the app factory.

Domain commands (frameworks, assess, compare) are registered here by ``register_cli``;
web-layer commands (init-db, create-user, demo-data, ...) live in ``app/commands.py``.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def register_cli(flask_app: Flask) -> None:
    """Attach the domain commands to an app, so ``flask --app app`` and ``certready`` both have them."""


def _create_app() -> Flask:
    from app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """CertReady: readiness self-assessment and inclusivity review for digital leadership certification."""
