"""The self-assessment journey: programmes, about you, rate yourself, check, results.

The blueprint is created in ``views`` next to its routes, so importing it here needs no
side-effect import.
"""

from typing import Any

__all__ = ["bp"]


def __getattr__(name: str) -> Any:
    # The blueprint is loaded on first use (PEP 562), so importing a light module of this
    # package (its choices, fields or services) does not pull in every view and its imports.
    if name == "bp":
        from app.journey.views import bp

        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
