"""Sessions: Flask-Login loads users by a rotating token, so ending a session works server-side.

The session cookie holds ``User.session_token`` (``User.get_id``), never the numeric id. Rotating
the token at sign-in, sign-out and password change makes every older cookie worthless at once.
"""

from __future__ import annotations

from flask import Flask, session
from flask_login import login_user, logout_user

from app.extensions import db, login_manager
from app.models import User, new_session_token


@login_manager.user_loader
def load_user(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(db.select(User).where(User.session_token == token)).scalar_one_or_none()


def start_session(user: User) -> None:
    """A fresh session for ``user``: no data carried over from before sign-in (no fixation)."""
    user.session_token = new_session_token()
    session.clear()
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME without a request
    login_user(user)


def end_session(user: User | None) -> None:
    """Sign out here and everywhere: the old token stops loading any user."""
    if user is not None:
        user.session_token = new_session_token()
    logout_user()
    session.clear()


def init_sessions(flask_app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
