"""The self-assessment journey: programmes, about you, rate yourself, check, results.

The blueprint is created in ``views`` next to its routes, so importing it here needs no
side-effect import.
"""

from app.journey.views import bp

__all__ = ["bp"]
