"""Force-field consultations: designers ask the profession about a proposal; people add and weigh
its advantages and disadvantages with a fixed number of votes each.

The blueprint lives in ``views`` with its routes; ``commands`` adds ``certready consultation``.
Counting is pure, in ``assessments.consultation``.
"""

from typing import Any

__all__ = ["bp"]


def __getattr__(name: str) -> Any:
    # The blueprint is loaded on first use (PEP 562), so importing a light module of this
    # package (its services, for ``certready consultation import``) does not pull in every
    # view and its imports.
    if name == "bp":
        from app.consultation.views import bp

        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
