"""The programme designer's inclusivity review (consented, aggregate figures only).

The blueprint is created in ``views`` next to its routes; ``register_commands`` adds
``certready cohort`` and ``certready demo-cohort``.
"""

from app.designer.views import bp

__all__ = ["bp"]
