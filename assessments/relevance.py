"""How important a criterion is to a person's job (Lawshe's three answers), as plain data.

Declared here, apart from ``assessments.content_validity`` (which re-exports it), so that what
stores the answer (the app's models) can check it without importing the framework model.
"""

from __future__ import annotations

from typing import Literal

Relevance = Literal["essential", "useful", "not-necessary"]
RELEVANCE: dict[str, str] = {
    "essential": "Essential to my job",
    "useful": "Useful but not essential",
    "not-necessary": "Not needed for my job",
}
"""Lawshe's three answers, declared once: the value a file or form stores and what a person reads.
The words name the job, so that under a criterion they never read as one of a framework's level
labels (DHLP's level 1 is "Essential")."""
