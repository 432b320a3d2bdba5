"""Log hygiene: no full email addresses and no SQL parameter values in any log line.

The app's own log calls already avoid personal data (``app.auth.services.email_ref``, ids rather
than text). Two places could still leak it without anyone writing a careless log call:

* a database error's message, which SQLAlchemy fills with the statement's parameters - evidence
  text or equality answers, when an insert of a rating or a profile fails. ``hide_parameters``
  keeps them out of the exception, and so out of the traceback we log;
* a third-party library that logs an address it was given. ``EmailMaskingFilter`` on every
  handler rewrites ``jo.bloggs@example.org`` to ``j***@example.org`` before a line is written.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]"  # what RFC 5322 allows unquoted before the @
EMAIL = re.compile(rf"(?<!{_LOCAL})({_LOCAL}){_LOCAL}*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


# PostgreSQL puts the failing row's values in its error's DETAIL line ("Failing row contains
# (..., evidence, ...)", "Key (email)=(...) already exists"); hide_parameters cannot reach it.
_DB_DETAIL = re.compile(r"^(\s*)DETAIL:.*$", re.MULTILINE)


def hide_database_details(text: str) -> str:
    """Drop the database server's DETAIL lines, which can quote a row's personal data."""
    return _DB_DETAIL.sub(r"\1DETAIL: (hidden: it can quote personal data)", text)


def mask_emails(text: str) -> str:
    """``jo.bloggs@example.org`` -> ``j***@example.org``: enough to tell a domain, not a person."""
    return EMAIL.sub(r"\1***@\2", text)


class EmailMaskingFilter(logging.Filter):
    """Masks email addresses, and hides database DETAIL lines, in a message and its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it for logging to report as usual
            return True
        masked = hide_database_details(mask_emails(message))
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = hide_database_details(mask_emails(record.exc_text))
        return True


def install_email_masking(flask_app: Flask) -> None:
    """Add the filter to the root logger's handlers and the app logger's, once each."""
    masking = EmailMaskingFilter()
    # On the app's logger too, so its records are clean before any handler (ours or a host's) sees them.
    for filterer in [*logging.getLogger().handlers, *flask_app.logger.handlers, flask_app.logger]:
        if not any(isinstance(existing, EmailMaskingFilter) for existing in filterer.filters):
            filterer.addFilter(masking)


def hide_sql_parameters(flask_app: Flask) -> None:
    """Keep statement parameters (evidence, equality answers, emails) out of database errors.

    Called by ``app.bind_database`` when it binds the database; an unbound app has no engine yet.
    """
    if "sqlalchemy" not in flask_app.extensions:
        return
    from app.extensions import db

    with flask_app.app_context():
        for engine in db.engines.values():
            engine.hide_parameters = True
