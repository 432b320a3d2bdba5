"""Accounts: register, sign in and out, change and reset password."""

from typing import Any

__all__ = ["bp"]


def __getattr__(name: str) -> Any:
    # The blueprint is loaded on first use (PEP 562), so importing a light module of this
    # package (its password rules or account services, for ``certready create-user``) does
    # not pull in every view and its imports.
    if name == "bp":
        from app.auth.views import bp

        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
