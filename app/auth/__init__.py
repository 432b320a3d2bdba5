"""Accounts: register, sign in and out, change and reset password."""

from app.auth.views import bp

__all__ = ["bp"]
