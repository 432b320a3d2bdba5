"""Account services: registration, sign-in, password change and reset, with audit events.

Views call these and never query or commit themselves. Nothing here logs a password, a full
email address or equality data: log lines use ``email_ref``.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from app import mail
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.sessions import end_session, start_session
from app.extensions import db
from app.models import AuditEvent, User, new_session_token, utcnow
from app.roles import ROLES

log = logging.getLogger(__name__)

RESET_TOKEN_MAX_AGE = 60 * 60  # seconds: reset links work for one hour
_RESET_SALT = "certready.password-reset"


class WrongPassword(Exception):
    """The current password given to change a password was not right."""


class AccountExists(Exception):
    """An account with that email already exists (only the CLI says so; the web never does)."""


class UnknownRole(ValueError):
    pass


def email_ref(email: str) -> str:
    """A stable, non-reversible reference for log lines: ``j…@example.test#1a2b3c``."""
    local, _, domain = email.partition("@")
    digest = hashlib.sha256(email.encode()).hexdigest()[:6]
    return f"{local[:1]}…@{domain}#{digest}"


def audit(action: str, actor: User | None, *, target: User | None = None, **detail: Any) -> None:
    """Record an event in the current transaction. ``detail`` must never hold personal data."""
    db.session.add(
        AuditEvent(
            action=action,
            actor_id=actor.id if actor is not None else None,
            target_type="user" if target is not None else None,
            target_id=target.id if target is not None else None,
            detail=detail,
        )
    )


def find_user(email: str) -> User | None:
    return db.session.execute(db.select(User).where(User.email == email.lower())).scalar_one_or_none()


def create_user(
    email: str, password: str, *, role: str = "participant", display_name: str | None = None
) -> User:
    """Create and commit an account; raises ``AccountExists`` or ``UnknownRole``."""
    user = _add_user(email, password, role=role, display_name=display_name)
    db.session.commit()
    return user


def _add_user(email: str, password: str, *, role: str, display_name: str | None) -> User:
    """The account row and its audit record, flushed but not committed."""
    if role not in ROLES:
        raise UnknownRole(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}")
    user = User(
        email=email.lower(),
        password_hash=hash_password(password),
        display_name=display_name or None,
        role=role,
        session_token=new_session_token(),
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:
        # The unique index on email is the real guard; a check before the insert could race.
        db.session.rollback()
        raise AccountExists(email_ref(email)) from error
    audit("user.registered", user, target=user, role=role)
    return user


def register(email: str, password: str, display_name: str | None, *, links: Any = None) -> User | None:
    """Register a participant and sign them in, in one transaction. A taken email returns None.

    For a taken email nothing is created and the account's holder is told, by email (or in
    development, the log), that someone tried: ``links()`` gives the sign-in and reset links.
    """
    existing = find_user(email)
    if existing is not None:
        hash_password(password)  # spend the same time as a real registration
        log.info("Registration attempted for an existing account %s; no account created", email_ref(email))
        _tell_holder_of_registration_attempt(existing, links)
        return None
    try:
        user = _add_user(email, password, role="participant", display_name=display_name)
    except AccountExists:
        log.info("Registration raced for %s; no account created", email_ref(email))
        return None
    _start_signed_in_session(user)
    db.session.commit()
    log.info("Registered account %s (user %s) and signed it in", email_ref(email), user.id)
    return user


def _tell_holder_of_registration_attempt(user: User, links: Any) -> None:
    audit("user.registration_attempted", user, target=user)
    db.session.commit()
    if links is None:
        return
    urls = links()
    body = (
        "Someone tried to create a CertReady account with this email address, which already has one.\n\n"
        f"If it was you, sign in:\n{urls['sign_in']}\n\n"
        f"If you have forgotten your password, reset it:\n{urls['reset']}\n\n"
        "If it was not you, you can ignore this email: nothing about your account has changed.\n"
    )
    _send_or_log(user, "You already have a CertReady account", body, "registration attempt notice")


def _send_or_log(user: User, subject: str, body: str, what: str) -> None:
    """Send through SMTP when it is set; in development or tests, log instead; else log an error."""
    if mail.mail_configured():
        try:
            mail.send_mail(user.email, subject, body)
        except (OSError, mail.smtplib.SMTPException):
            log.exception("Could not send the %s to user %s", what, user.id)
        return
    config = current_app.config
    if config.get("CERTREADY_ENV") == "development" or config.get("TESTING"):
        log.warning("Not sent (no SMTP server configured), %s for user %s:\n%s", what, user.id, body)
    else:
        log.error("Could not send the %s to user %s: CERTREADY_SMTP_HOST is not set", what, user.id)


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password):
        log.info("Failed sign-in for %s", email_ref(email))
        if user is not None:
            audit("user.sign_in_failed", user, target=user)
            db.session.commit()
        return None
    assert user is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def sign_in(user: User) -> None:
    _start_signed_in_session(user)
    db.session.commit()
    log.info("User %s signed in", user.id)


def _start_signed_in_session(user: User) -> None:
    """A fresh session with a rotated token (no fixation), recorded; the caller commits."""
    start_session(user)
    user.last_sign_in_at = utcnow()
    audit("user.signed_in", user, target=user)


def sign_out(user: User | None) -> None:
    end_session(user)
    if user is not None:  # ``user`` must be the model, not the ``current_user`` proxy
        audit("user.signed_out", user, target=user)
        db.session.commit()
        log.info("User %s signed out", user.id)


def change_password(user: User, current: str, new: str) -> None:
    """Change the password and end every other session; the caller's session starts afresh."""
    if not verify_password(user.password_hash, current):
        raise WrongPassword("Your current password is not right")
    user.password_hash = hash_password(new)
    start_session(user)  # rotates the token: other devices are signed out
    audit("user.password_changed", user, target=user)
    db.session.commit()
    log.info("User %s changed their password", user.id)


# Password reset -----------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _hash_fingerprint(user: User) -> str:
    # Binding the token to the current hash makes it single-use: a reset changes the hash.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "h": _hash_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The user a valid, unexpired, unused token belongs to; otherwise None."""
    if len(token) > 512:
        return None
    try:
        payload = _serializer().loads(token, max_age=RESET_TOKEN_MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user = db.session.get(User, payload["u"])
    if user is None or payload.get("h") != _hash_fingerprint(user):
        return None
    return user


def request_password_reset(email: str, link_for: Any) -> None:
    """Send (or in development, log) a reset link if the account exists; say nothing either way.

    ``link_for(token)`` turns a token into an absolute URL.
    """
    user = find_user(email)
    if user is None:
        log.info("Password reset requested for an unknown address %s", email_ref(email))
        return
    link = link_for(make_reset_token(user))
    audit("user.password_reset_requested", user, target=user)
    db.session.commit()
    body = (
        "Someone asked to reset the password for your CertReady account.\n\n"
        f"To choose a new password, open this link within 1 hour:\n{link}\n\n"
        "If it was not you, ignore this email: your password has not changed.\n"
    )
    if mail.mail_configured():
        try:
            mail.send_mail(user.email, "Reset your CertReady password", body)
        except (OSError, mail.smtplib.SMTPException):
            log.exception("Could not send the password reset email to user %s", user.id)
        return
    config = current_app.config
    if config.get("CERTREADY_ENV") == "development" or config.get("TESTING"):
        log.warning("Password reset link for user %s (no SMTP server configured): %s", user.id, link)
    else:
        log.error("Password reset requested by user %s but CERTREADY_SMTP_HOST is not set", user.id)


def reset_password(user: User, new: str) -> None:
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()  # sign out every session that existed before
    end_session(None)
    audit("user.password_reset", user, target=user)
    db.session.commit()
    log.info("User %s reset their password", user.id)
