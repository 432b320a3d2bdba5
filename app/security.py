"""Web hardening: security headers, role checks, request ids in logs, SQLite pragmas.

Headers come from an ``after_request`` hook rather than Flask-Talisman: we need five fixed headers
and HSTS only over HTTPS, and Talisman's defaults (forced HTTPS redirects, cookie rewriting) would
have to be switched off one by one to get there.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, abort, g, has_app_context, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from app.logging_setup import hide_sql_parameters, install_email_masking

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
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
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
    hide_sql_parameters(flask_app)


# SQLite -----------------------------------------------------------------------------------------
#
# How each transaction on a SQLite file begins. A deferred transaction that has read and then
# writes must turn its read snapshot into a write lock; in WAL mode, if another connection
# committed in between, SQLite refuses at once with "database is locked" (SQLITE_BUSY_SNAPSHOT),
# and the busy timeout cannot help, since waiting would not make the snapshot current.
#
# - A request that may change something (any method but GET/HEAD/OPTIONS): BEGIN IMMEDIATE, the
#   write lock before the first read, so a second writer waits on the busy timeout and then reads
#   what the first one committed.
# - A request that only reads: BEGIN, one consistent snapshot for the whole request.
# - A request that checks or hashes a password before it writes (BEGIN_AT_FIRST_WRITE), and
#   anything outside a request (commands, migrations, tests calling services): sqlite3's own
#   behaviour, as before, a deferred BEGIN just before the first INSERT/UPDATE/DELETE. The reads
#   before it run outside the transaction, so the write never meets a stale snapshot. Taking the
#   lock first in those requests would hold it through argon2 (0.1-0.2 s, seconds on a loaded
#   machine) and queue every other writer behind it; an eager plain BEGIN outside requests made
#   concurrent service calls fail. ``sqlite_write_transactions()`` opts work outside a request
#   into BEGIN IMMEDIATE.
#
# This is SQLAlchemy's documented pysqlite recipe ("Serializable isolation / Savepoints /
# Transactional DDL"): sqlite3 stops emitting BEGIN (``isolation_level = None``) and a "begin"
# engine event emits our own. In-memory databases keep sqlite3's behaviour throughout: they have
# a single connection shared by every session (StaticPool), so there is no second writer to wait
# for, and a BEGIN of one session would be a nested BEGIN on another's.

# Methods that must not change anything; every other method may write.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BEGIN_AT_FIRST_WRITE = frozenset(
    {"auth.register", "auth.login", "auth.change_password", "auth.reset_password", "privacy.delete_account"}
)
_WRITE_REQUEST = "_sqlite_write_request"
_override: ContextVar[bool | None] = ContextVar("certready_sqlite_immediate", default=None)


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


def _sqlite_take_over_begin(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.isolation_level = None  # sqlite3 emits no BEGIN; _sqlite_begin decides


def _begin_statement() -> str | None:
    """``BEGIN IMMEDIATE``, ``BEGIN``, or ``None`` for sqlite3's own BEGIN at the first write."""
    immediate = _override.get()
    if immediate is None and has_app_context():
        immediate = g.get(_WRITE_REQUEST)  # set for every request by _mark_write_request
    if immediate is None:
        return None
    return "BEGIN IMMEDIATE" if immediate else "BEGIN"


def _sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return
    dbapi_connection: Any = connection.connection.dbapi_connection
    if dbapi_connection.in_transaction:
        return
    statement = _begin_statement()
    # Setting isolation_level outside a transaction has no other effect (None would commit one).
    dbapi_connection.isolation_level = None if statement else ""
    if statement:
        connection.exec_driver_sql(statement)


def _mark_write_request() -> None:
    immediate: bool | None = request.method not in SAFE_METHODS
    if immediate and request.endpoint in BEGIN_AT_FIRST_WRITE:
        immediate = None
    setattr(g, _WRITE_REQUEST, immediate)


@contextmanager
def sqlite_write_transactions(immediate: bool = True) -> Iterator[None]:
    """SQLite transactions opened inside begin with BEGIN IMMEDIATE (``False``: a plain BEGIN).

    For work outside a web request that reads and then writes while the web app writes too (a
    command, a background job); requests decide from their method. No effect on PostgreSQL.
    """
    token = _override.set(immediate)
    try:
        yield
    finally:
        _override.reset(token)


def _is_file_database(engine: Engine) -> bool:
    database = engine.url.database or ""
    return database not in ("", ":memory:") and engine.url.query.get("mode") != "memory"


def configure_sqlite(engine: Engine) -> None:
    """Pragmas on every SQLite connection; on a SQLite file, our own BEGIN (see above)."""
    if engine.dialect.name != "sqlite":
        return
    listeners: list[tuple[str, Callable[..., None]]] = [("connect", _sqlite_pragmas)]
    if _is_file_database(engine):
        listeners += [("connect", _sqlite_take_over_begin), ("begin", _sqlite_begin)]
    for name, listener in listeners:
        if not event.contains(engine, name, listener):
            event.listen(engine, name, listener)


def init_sqlite_transactions(flask_app: Flask, engine: Engine) -> None:
    """Mark each request as reading or writing, for ``_sqlite_begin`` (SQLite files only).

    Runs before every other ``before_request`` hook: one that read the database before the mark
    was set would open its transaction the old way, and the request's writes would join it.
    """
    if engine.dialect.name == "sqlite" and _is_file_database(engine):
        flask_app.before_request_funcs.setdefault(None, []).insert(0, _mark_write_request)


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
