"""Tables for force-field consultations: the consultation, its items, participants and their votes.

One person, one budget, kept by the database itself: each participant row carries the budget it
joined with and the votes it has spent, and a check constraint keeps ``votes_spent`` between 0
and that budget. ``app.consultation.services.set_votes`` changes a participant's votes with one
conditional ``UPDATE`` of that row before replacing the vote rows, in one transaction, so two
requests at once can never spend more than the budget between them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models import utcnow
from assessments.consultation import ITEM_TEXT_LIMIT, SIDES, STAFF_GROUPS, WORKING_PATTERNS

PHASES = ("draft", "gather", "vote", "closed")
"""A consultation moves forward through these, one step at a time, and never back."""


def _one_of(column: str, values: tuple[str, ...]) -> str:
    # The SQL list is made from the domain's vocabulary, so the two cannot drift apart.
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Consultation(Model):
    __tablename__ = "consultation"
    __table_args__ = (
        CheckConstraint(_one_of("phase", PHASES), name="ck_consultation_phase"),
        # The create form checks the same ranges (app.consultation.forms.ConsultationForm).
        CheckConstraint("vote_budget >= 1 AND vote_budget <= 100", name="ck_consultation_vote_budget"),
        CheckConstraint("min_group >= 1", name="ck_consultation_min_group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    """What participants type to join: ten characters from a 31-letter alphabet."""
    proposal: Mapped[str] = mapped_column(Text)
    framework_id: Mapped[str | None] = mapped_column(String(60))
    vote_budget: Mapped[int] = mapped_column(Integer, default=5)
    several_votes_per_item: Mapped[bool] = mapped_column(Boolean, default=True)
    min_group: Mapped[int] = mapped_column(Integer, default=5)
    phase: Mapped[str] = mapped_column(String(10), default="draft")
    imported: Mapped[bool] = mapped_column(Boolean, default=False)
    """Made from a workshop file (``certready consultation import``): stored closed."""
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    items: Mapped[list[ConsultationItem]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="ConsultationItem.id"
    )


class ConsultationItem(Model):
    """One advantage or disadvantage. ``key`` is its id in the file format."""

    __tablename__ = "consultation_item"
    __table_args__ = (
        UniqueConstraint("consultation_id", "key", name="uq_consultation_item_key"),
        CheckConstraint(_one_of("side", SIDES), name="ck_consultation_item_side"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(60))
    side: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(ITEM_TEXT_LIMIT))
    suggestions: Mapped[int] = mapped_column(Integer, default=1)
    """How many people put this forward: merging duplicates adds theirs to the one kept."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="items")


class ConsultationParticipant(Model):
    """A person taking part: signed in (``user_id``) or anonymous (``token_hash`` of their cookie)."""

    __tablename__ = "consultation_participant"
    __table_args__ = (
        UniqueConstraint("consultation_id", "user_id", name="uq_consultation_participant_user"),
        CheckConstraint(_one_of("staff_group", STAFF_GROUPS), name="ck_consultation_participant_staff_group"),
        CheckConstraint(
            "working_pattern IS NULL OR " + _one_of("working_pattern", WORKING_PATTERNS),
            name="ck_consultation_participant_working_pattern",
        ),
        # One person, one budget: see the module docstring.
        CheckConstraint(
            "votes_spent >= 0 AND votes_spent <= vote_budget", name="ck_consultation_participant_budget"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    # Erasing an account unlinks its votes rather than deleting them: what is left (a staff group,
    # perhaps a working pattern, votes) is as anonymous as any anonymous participant's, and a
    # closed consultation's results do not change after the event.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    staff_group: Mapped[str] = mapped_column(String(20))
    working_pattern: Mapped[str | None] = mapped_column(String(40))
    vote_budget: Mapped[int] = mapped_column(Integer)
    votes_spent: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConsultationVote(Model):
    __tablename__ = "consultation_vote"
    __table_args__ = (CheckConstraint("votes >= 1", name="ck_consultation_vote_votes"),)

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_participant.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_item.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    votes: Mapped[int] = mapped_column(Integer)


class ConsultationRuleLink(Model):
    """A designer's link from a disadvantage to an exclusion-risk rule that addresses it."""

    __tablename__ = "consultation_rule_link"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_item.id", ondelete="CASCADE"), primary_key=True
    )
    rule: Mapped[str] = mapped_column(String(60), primary_key=True)
    """An ``assessments.risks.RULES`` id; shown by its title."""
