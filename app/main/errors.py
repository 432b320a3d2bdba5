"""Error pages: a clear page for every error, JSON for the health check, never a stack trace.

A database that cannot be reached (``OperationalError``, or a pool timeout) becomes a 503
"service unavailable" page rather than a 500, so monitoring and people both see what it is.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

log = logging.getLogger(__name__)

# status -> (page title, what happened, what to do)
MESSAGES: dict[int, tuple[str, str, str]] = {
    400: (
        "Sorry, there is a problem with your request",
        "We could not understand what your browser sent.",
        "Go back, reload the page and try again.",
    ),
    403: (
        "You do not have permission to see this page",
        "This page is for CertReady staff only.",
        "If you think you should have access, ask your CertReady administrator.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted the web "
        "address, check you copied the entire address.",
        "Go to your assessments or the home page.",
    ),
    405: (
        "Sorry, you cannot do that here",
        "This page does not accept that kind of request.",
        "Go back and use the buttons on the page.",
    ),
    413: (
        "The file or text you sent is too large",
        "CertReady accepts up to 2 MB in one go.",
        "Go back, shorten it and try again.",
    ),
    429: (
        "Too many attempts",
        "There have been too many attempts from your connection or for this account.",
        "Wait a minute, then try again.",
    ),
    500: (
        "Sorry, there is a problem with the service",
        "Something went wrong on our side. Nothing you did caused this.",
        "Try again later. Your saved answers are safe.",
    ),
    503: (
        "Sorry, the service is unavailable",
        "CertReady cannot reach its database at the moment, so nothing was saved from your last action.",
        "Try again in a few minutes. Your earlier answers are safe.",
    ),
}


def _render(status: int) -> tuple[str | Response, int]:
    title, what, todo = MESSAGES.get(status, MESSAGES[500])
    if request.path == "/healthz" or request.accept_mimetypes.best == "application/json":
        return jsonify(status="error", code=status, message=title), status
    try:
        return render_template("errors/error.html", status=status, title=title, what=what, todo=todo), status
    except Exception:  # the layout itself failed (e.g. it needs the database): plain text, still no trace
        log.exception("Could not render the %s error page", status)
        return f"{title}. {what} {todo}", status


CSRF_EXPIRED = (
    "This page has expired",
    "For your security, forms stop working after a while without activity, or after you sign out.",
    "Go back, reload the page and try again. Anything you saved before is safe.",
)


def _csrf_failed(error: CSRFError) -> tuple[str | Response, int]:
    log.info("CSRF check failed on %s %s: %s", request.method, request.path, error.description)
    title, what, todo = CSRF_EXPIRED
    return render_template("errors/error.html", status=400, title=title, what=what, todo=todo), 400


def _http_error(error: HTTPException) -> tuple[str | Response, int]:
    return _render(error.code or 500)


def _database_unavailable(error: Exception) -> tuple[str | Response, int]:
    log.error(
        "Database unavailable while handling %s %s: %s", request.method, request.path, type(error).__name__
    )
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; nothing half-written can be committed anyway
        log.debug("Rollback after a database failure also failed", exc_info=True)
    if request.path == "/healthz":
        return jsonify(status="unavailable", database="unavailable"), 503
    return _render(503)


def _unexpected(error: Exception) -> tuple[str | Response, int]:
    original = getattr(error, "original_exception", None) or error
    if isinstance(original, OperationalError | PoolTimeout) or (
        isinstance(original, DBAPIError) and original.connection_invalidated
    ):
        return _database_unavailable(original)
    log.error("Unhandled error on %s %s", request.method, request.path, exc_info=original)
    try:
        db.session.rollback()
    except Exception:
        log.debug("Rollback after an unhandled error also failed", exc_info=True)
    return _render(500)


def register_error_handlers(flask_app: Flask) -> None:
    for status in MESSAGES:
        if status != 500:
            flask_app.register_error_handler(status, _http_error)
    flask_app.register_error_handler(CSRFError, _csrf_failed)
    flask_app.register_error_handler(OperationalError, _database_unavailable)
    flask_app.register_error_handler(PoolTimeout, _database_unavailable)
    flask_app.register_error_handler(InternalServerError, _unexpected)
