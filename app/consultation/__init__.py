"""Force-field consultations: designers ask the profession about a proposal; people add and weigh
its advantages and disadvantages with a fixed number of votes each.

The blueprint lives in ``views`` with its routes; ``commands`` adds ``certready consultation``.
Counting is pure, in ``assessments.consultation``.
"""

from app.consultation.views import bp

__all__ = ["bp"]
