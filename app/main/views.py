"""Home, privacy notice and the health check."""

from __future__ import annotations

import logging
import re

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db, limiter

log = logging.getLogger(__name__)

bp = Blueprint("main", __name__)

EMAIL_CONTACT = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@bp.route("/")
def home() -> str:
    return render_template("main/home.html", signed_in=current_user.is_authenticated)


@bp.route("/privacy")
def privacy() -> str:
    contact = (current_app.config.get("CERTREADY_PRIVACY_CONTACT") or "").strip()
    return render_template(
        "main/privacy.html",
        contact=contact,
        contact_is_email=bool(EMAIL_CONTACT.fullmatch(contact)),
        min_cell=int(current_app.config.get("CERTREADY_MIN_CELL", 10)),
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
