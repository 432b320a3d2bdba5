"""The programme designer's inclusivity review (consented, aggregate figures only).

The blueprint is created in ``views`` next to its routes; ``commands`` declares
``certready cohort``, ``demo-cohort`` and ``cohort-tallies`` (listed in ``app.cli.APP_COMMANDS``).
"""

from typing import Any

__all__ = ["bp"]


def __getattr__(name: str) -> Any:
    # The blueprint is loaded on first use (PEP 562), so importing a light module of this
    # package (its choices, fields or services) does not pull in every view and its imports.
    if name == "bp":
        from app.designer.views import bp

        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
