"""Home, privacy notice and the health check."""

from __future__ import annotations

import logging
import re

from flask import Blueprint, current_app, render_template
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.config import PRIVACY_SETTINGS, missing_privacy_settings
from app.extensions import db
from app.rate_limiting import limiter

log = logging.getLogger(__name__)

bp = Blueprint("main", __name__)

EMAIL_CONTACT = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@bp.route("/")
def home() -> str:
    return render_template("main/home.html", signed_in=current_user.is_authenticated)


@bp.record_once
def _check_privacy_settings(state: BlueprintSetupState) -> None:
    """At start-up: refuse a lawful basis the notice cannot state; in production, warn about gaps."""
    config = state.app.config
    missing = missing_privacy_settings(config)
    if missing and config.get("CERTREADY_ENV") != "development" and not config.get("TESTING"):
        log.warning(
            "The privacy notice is incomplete: set %s (see docs/configuration.md)", ", ".join(missing)
        )


def _contact(value: str | None) -> dict[str, str] | None:
    text = (value or "").strip()
    return {"text": text, "email": text if EMAIL_CONTACT.fullmatch(text) else ""} if text else None


def _in_words(items: list[str]) -> str:
    """ "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@bp.route("/privacy")
def privacy() -> str:
    config = current_app.config
    return render_template(
        "main/privacy.html",
        controller=(config.get("CERTREADY_CONTROLLER_NAME") or "").strip(),
        contact=_contact(config.get("CERTREADY_PRIVACY_CONTACT")),
        dpo=_contact(config.get("CERTREADY_DPO_CONTACT")),
        lawful_basis=config.get("CERTREADY_LAWFUL_BASIS"),
        backup_days=config.get("CERTREADY_BACKUP_RETENTION_DAYS"),
        # An obvious placeholder for each gap, only in development (production warns at start-up).
        placeholders=config.get("CERTREADY_ENV") == "development",
        missing=_in_words([PRIVACY_SETTINGS[name] for name in missing_privacy_settings(config)]),
        min_cell=int(config.get("CERTREADY_MIN_CELL", 10)),
    )


@bp.route("/healthz")
@limiter.exempt
def healthz() -> tuple[dict[str, str], int]:
    """For load balancers and monitoring: 200 when the database answers ``SELECT 1``, else 503."""
    try:
        db.session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError):
        log.warning("Health check: the database is unavailable", exc_info=True)
        db.session.rollback()
        return {"status": "unavailable", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}, 200
