"""Web hardening: security headers, role checks, request ids in logs, SQLite pragmas.

Headers come from an ``after_request`` hook rather than Flask-Talisman: we need five fixed headers
and HSTS only over HTTPS, and Talisman's defaults (forced HTTPS redirects, cookie rewriting) would
have to be switched off one by one to get there.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, abort, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.logging_setup import install_email_masking

F = TypeVar("F", bound=Callable[..., Any])

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    # Pages behind sign-in hold personal data: never let a shared cache keep them. Only a user
    # this request already loaded counts: loading one here would query the database again,
    # and raise again when the database is what just failed (the 503 page would become a 500).
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def role_required(*roles: str) -> Callable[[F], F]:
    """Allow only signed-in users with one of ``roles``; others get 403 (anonymous: the sign-in page).

    Use for staff pages (designer, admin). Participant-owned objects answer 404 to other people
    instead, so that ids do not leak; that check belongs in the view's query, not here.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from app.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_roles = roles  # type: ignore[attr-defined]  # read by the access-matrix test
        return wrapper  # type: ignore[return-value]

    return decorate


# Request ids ----------------------------------------------------------------------------------

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _assign_request_id() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    # Accept a proxy's id only if it is harmless in a log line; otherwise make our own.
    g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)


def _echo_request_id(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "-")
    return response


class RequestIdFilter(logging.Filter):
    """Gives every log record a ``request_id`` (``-`` outside a request), so formats can use it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


LOG_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


def configure_logging(flask_app: Flask) -> None:
    """Put the request id in every line the app writes, on the root handlers and the app's own.

    Also masks email addresses in every line and keeps SQL parameters out of database errors
    (``app.logging_setup``).
    """
    request_filter = RequestIdFilter()
    root = logging.getLogger()
    if not root.handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(stream)
    for handler in [*root.handlers, *flask_app.logger.handlers]:
        if not any(isinstance(existing, RequestIdFilter) for existing in handler.filters):
            handler.addFilter(request_filter)
    # Records created by our loggers carry the attribute even when a handler (e.g. pytest's
    # caplog) has no filter of ours.
    for name in ("app", flask_app.logger.name, "certready"):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RequestIdFilter) for existing in logger.filters):
            logger.addFilter(request_filter)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        logging.getLogger("app").setLevel(logging.INFO)
    install_email_masking(flask_app)


# SQLite -----------------------------------------------------------------------------------------


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # WAL lets readers work while one worker writes; busy_timeout makes a second writer wait
        # instead of failing at once with "database is locked". In-memory databases ignore WAL.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_pragmas):
        event.listen(engine, "connect", _sqlite_pragmas)


def init_security(flask_app: Flask) -> None:
    proxies = int(flask_app.config.get("CERTREADY_PROXY_COUNT") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        flask_app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            flask_app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    flask_app.before_request(_assign_request_id)
    flask_app.after_request(_echo_request_id)
    flask_app.after_request(add_security_headers)
    configure_logging(flask_app)
