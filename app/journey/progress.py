"""What a person says about taking a programme: read, save and clear (commits here, once).

One row per person and programme (``ProgrammeProgress``). It is theirs alone: exported with their
data and erased with their account (``app.privacy`` walks every table that points at the
account); designers see it only inside consented, suppressed "Impact over time" figures.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from app.extensions import db
from app.models import ProgrammeProgress, User, utcnow
from assessments.impact import STATUS_PHRASES, check_status

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def progress_of(user: User, framework_id: str) -> ProgrammeProgress | None:
    return db.session.scalar(
        select(ProgrammeProgress).where(
            ProgrammeProgress.user_id == user.id, ProgrammeProgress.framework_id == framework_id
        )
    )


def save_progress(user: User, framework_id: str, status: str, year: int, month: int) -> ProgrammeProgress:
    """Record (or replace) the person's answer for the programme."""
    check_status(status)
    row = progress_of(user, framework_id)
    if row is None:
        row = ProgrammeProgress(user_id=user.id, framework_id=framework_id)
        db.session.add(row)
    row.status, row.year, row.month = status, year, month
    row.updated_at = utcnow()
    db.session.commit()
    return row


def clear_progress(user: User, framework_id: str) -> None:
    """Forget the answer ("prefer not to say"): no row is kept."""
    db.session.execute(
        delete(ProgrammeProgress).where(
            ProgrammeProgress.user_id == user.id, ProgrammeProgress.framework_id == framework_id
        )
    )
    db.session.commit()


def describe(row: ProgrammeProgress | None) -> str | None:
    """The answer as the results page reads it back: "You completed it in March 2026"."""
    if row is None:
        return None
    return f"{STATUS_PHRASES[check_status(row.status)]} in {MONTHS[row.month - 1]} {row.year}"
