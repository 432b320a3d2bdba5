"""Database models (SQLAlchemy 2, typed).

Scoring never lives here: models store answers and snapshots; ``assessments`` computes.
Constraints that forms also check say so on both sides.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Annotated, Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.roles import ROLES
from assessments.progress import EARLIEST_YEAR, PROGRAMME_STATUSES
from assessments.relevance import RELEVANCE, Relevance


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_session_token() -> str:
    return secrets.token_hex(32)


intpk = Annotated[int, mapped_column(primary_key=True)]
timestamp = Annotated[datetime, mapped_column(DateTime(timezone=True), default=utcnow)]

ASSESSMENT_STATUSES = ("in-progress", "submitted")


class User(UserMixin, Model):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("role IN ({})".format(", ".join(f"'{role}'" for role in ROLES)), name="ck_user_role"),
    )

    id: Mapped[intpk]
    # Stored lower-cased; the registration form lower-cases too.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default="participant")
    # Rotated at sign-in, sign-out and password change: Flask-Login's user id is this token,
    # so rotating it ends every other session server-side.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[timestamp]
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    profile: Mapped[Profile | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", uselist=False
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Assessment.id"
    )

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_staff(self) -> bool:
        return self.role in ("designer", "admin")


class Profile(Model):
    """A person's answers about themselves, reused by every later assessment."""

    __tablename__ = "profile"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    # Working pattern, context and background: keys of assessments.profile.Profile.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Equality answers, kept apart: used for nothing but consented aggregate analysis.
    equality: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    consent_aggregate: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[timestamp] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    user: Mapped[User] = relationship(back_populates="profile")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative API


class FrameworkSnapshot(Model):
    """A framework exactly as an assessment saw it, so results never change when a file does."""

    __tablename__ = "framework_snapshot"

    id: Mapped[intpk]
    framework_id: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[str] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(16), unique=True)
    content: Mapped[str] = mapped_column(Text)  # Framework.to_json()
    # True for a framework uploaded by a designer (it then appears in the catalogue).
    uploaded: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]


class Assessment(Model):
    __tablename__ = "assessment"
    __table_args__ = (
        CheckConstraint("status IN ('in-progress', 'submitted')", name="ck_assessment_status"),
        Index("ix_assessment_framework_status", "framework_id", "status"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    framework_id: Mapped[str] = mapped_column(String(60))
    framework_version: Mapped[str] = mapped_column(String(40))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("framework_snapshot.id"))
    status: Mapped[str] = mapped_column(String(20), default="in-progress")
    # Where the person stopped, e.g. "domain:strategy" or "check": resume goes back here.
    current_step: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Filled on submit, from the engine; read by results pages, reports and cohort analytics.
    score: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(20))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    profile_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Optimistic locking: a stale form (another tab saved first) gets a clear message.
    version: Mapped[int] = mapped_column(Integer, default=1)

    user: Mapped[User] = relationship(back_populates="assessments")
    snapshot: Mapped[FrameworkSnapshot] = relationship()
    ratings: Mapped[list[Rating]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Rating.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative API


class Rating(Model):
    __tablename__ = "rating"
    __table_args__ = (
        UniqueConstraint("assessment_id", "criterion_id", name="uq_rating_assessment_criterion"),
        # A rating is a level or "no opportunity", never both (assessments.ratings.Rating agrees).
        CheckConstraint(
            "(level IS NULL AND no_opportunity) OR (level IS NOT NULL AND NOT no_opportunity)",
            name="ck_rating_level_or_no_opportunity",
        ),
        CheckConstraint("level IS NULL OR (level >= 0 AND level <= 6)", name="ck_rating_level_range"),
        CheckConstraint(
            "relevance IS NULL OR relevance IN ({})".format(", ".join(f"'{value}'" for value in RELEVANCE)),
            name="ck_rating_relevance",
        ),
    )

    id: Mapped[intpk]
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(80))
    level: Mapped[int | None] = mapped_column(Integer)
    no_opportunity: Mapped[bool] = mapped_column(Boolean, default=False)
    # Stored exactly as written; escaped on every output (HTML and PDF).
    evidence: Mapped[str] = mapped_column(Text, default="")
    # How important the person judges this criterion to their job (Lawshe's three answers,
    # ``assessments.relevance.RELEVANCE``), or NULL when they did not say. Optional, and
    # read only by the designer's content-validity figures (consented, suppressed).
    relevance: Mapped[Relevance | None] = mapped_column(String(20))  # ck_rating_relevance holds it to these
    updated_at: Mapped[timestamp] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")


class ProgrammeProgress(Model):
    """What a person says about taking a programme: enrolled or completed, and in which month.

    One row per person and programme, replaced when they change it and deleted when they clear
    it ("prefer not to say"). Read by the designer's "Impact over time" figures only for people
    who consent to aggregate analysis (through their cohort rows), and erased with the account.
    The statuses are ``assessments.progress.PROGRAMME_STATUSES``; the form checks the same.
    """

    __tablename__ = "programme_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "framework_id", name="uq_programme_progress_user_programme"),
        CheckConstraint(
            "status IN ({})".format(", ".join(f"'{status}'" for status in PROGRAMME_STATUSES)),
            name="ck_programme_progress_status",
        ),
        CheckConstraint("month >= 1 AND month <= 12", name="ck_programme_progress_month"),
        CheckConstraint(f"year >= {EARLIEST_YEAR}", name="ck_programme_progress_year"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[timestamp] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class AuditEvent(Model):
    """Who changed what and when. Never holds evidence text, equality answers or passwords."""

    __tablename__ = "audit_event"

    id: Mapped[intpk]
    at: Mapped[timestamp]
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
