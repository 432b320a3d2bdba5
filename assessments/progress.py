"""What a participant can say about taking a programme: the answers, as plain data.

Declared here rather than in ``assessments.impact`` (which checks answers against them) so that
the database models, which constrain stored answers to them, load without the impact statistics
and the cohort module under them: every database command imports the models.
"""

from __future__ import annotations

PROGRAMME_STATUSES: dict[str, str] = {
    "enrolled": "I have enrolled",
    "completed": "I have completed it",
}
"""What a participant can say about a programme, with the words they choose from. Saying nothing
(or clearing the answer) is "prefer not to say": no row is kept."""

EARLIEST_YEAR = 1950
"""The earliest year a participant can give for enrolling or completing (a typing guard)."""
