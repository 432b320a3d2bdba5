"""Tables for the designer's inclusivity review: cohort rows, their flags, scenarios and EIA notes.

``cohort_record`` is a flat copy of what each submitted assessment said about the person's
circumstances, one column per grouping and per answer a rule reads, so every cohort figure is a
``GROUP BY`` over it.

Designer figures change only in release batches (``app.designer.tallies.release_due``), so that
comparing them before and after one known person submits cannot reveal that person's answers. A
submission is written ``released = false, counted = false``; the person's earlier ``counted`` row
keeps counting until a batch of at least ``CERTREADY_RELEASE_BATCH`` consenting people is waiting,
and then all of them are released at once: each person's newest row becomes ``released`` and
``counted``. Figures read ``consented AND counted``; "Impact over time" reads released rows only.

``consented`` is the person's consent to aggregate analysis as the figures show it: a withdrawal
clears it on every row at once, in the same transaction (``app.designer.services.
set_consent_for_user``, called by the journey's ``set_consent``, which the privacy withdrawal goes
through); consent given again waits for the next release, like a submission. The user id is kept
for that and to delete with the account; it is never selected for display.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models import utcnow

Label = String(40)


class CohortRecord(Model):
    __tablename__ = "cohort_record"
    __table_args__ = (
        # The rows that count for one programme, with what the overview and the dashboard's
        # cohort date read, so those come from the index alone.
        Index(
            "ix_cohort_record_counted",
            "framework_id",
            "counted",
            "consented",
            "framework_version",
            "submitted_at",
        ),
        # The people waiting for the next release of a programme (``tallies.release_due``).
        Index("ix_cohort_record_pending", "framework_id", "released", "is_latest", "user_id"),
        Index("ix_cohort_record_user_programme", "user_id", "framework_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(String(60))
    framework_version: Mapped[str] = mapped_column(String(40))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The person's newest submission of the programme (what the participant sees as current).
    is_latest: Mapped[bool] = mapped_column(Boolean, default=True)
    released: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The row has been published to designers in a release batch (see the module docstring).
    False on a person's newest row while it waits for a batch: a new submission, or consent
    given again (then the row may already be ``counted``, with ``consented`` still false)."""
    counted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The person's latest released row of the programme: the one designer figures count."""
    # The person's consent to aggregate analysis as published (see the module docstring).
    consented: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Rows made by ``certready demo-cohort``: never mixed up with real people's.
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(20))
    no_opportunity_count: Mapped[int] = mapped_column(Integer, default=0)
    answer_count: Mapped[int] = mapped_column(Integer, default=0)
    # Bit i set = assessments.risks.RULES[i] raised a flag of that kind (see app.designer.fields).
    flag_mask: Mapped[int] = mapped_column(BigInteger, default=0)
    """Flags of severity high, medium or low."""
    high_mask: Mapped[int] = mapped_column(BigInteger, default=0)
    undetermined_mask: Mapped[int] = mapped_column(BigInteger, default=0)

    # Working pattern, context and background (NULL = not answered). Each column, its name and
    # its encoding are declared in assessments.vocabulary (``Storage``); a test keeps them equal.
    staff_group: Mapped[str | None] = mapped_column(Label)
    contract: Mapped[str | None] = mapped_column(Label)
    caring: Mapped[str | None] = mapped_column(String(3))
    on_call: Mapped[str | None] = mapped_column(String(3))
    sector: Mapped[str | None] = mapped_column(Label)
    role_level: Mapped[str | None] = mapped_column(Label)
    highest_qualification: Mapped[str | None] = mapped_column(Label)
    nation: Mapped[str | None] = mapped_column(Label)
    can_attend_in_person: Mapped[str | None] = mapped_column(Label)
    employer_support: Mapped[str | None] = mapped_column(Label)
    employer_funding: Mapped[str | None] = mapped_column(Label)
    professional_registration: Mapped[str | None] = mapped_column(String(3))
    needs_adjustments: Mapped[str | None] = mapped_column(String(3))
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    study_hours_per_week_available: Mapped[float | None] = mapped_column(Float)
    study_leave_days_per_year: Mapped[float | None] = mapped_column(Float)
    max_travel_hours: Mapped[float | None] = mapped_column(Float)
    years_in_digital: Mapped[float | None] = mapped_column(Float)
    years_in_leadership: Mapped[float | None] = mapped_column(Float)
    digital_time_percent: Mapped[float | None] = mapped_column(Float)
    location_place: Mapped[str | None] = mapped_column(String(160))
    """Where the location answer placed the person (``geo.place_key``: a town or postcode area),
    never what they typed; NULL when unanswered or unplaceable. Read only by the what-if."""
    memberships: Mapped[str | None] = mapped_column(Text)
    """Sorted JSON list of the memberships named, or NULL when not answered."""
    learning_routes_answered: Mapped[bool] = mapped_column(Boolean, default=False)
    route_formal_education: Mapped[bool] = mapped_column(Boolean, default=False)
    route_apprenticeship: Mapped[bool] = mapped_column(Boolean, default=False)
    route_employer_training: Mapped[bool] = mapped_column(Boolean, default=False)
    route_self_taught: Mapped[bool] = mapped_column(Boolean, default=False)
    route_start_up: Mapped[bool] = mapped_column(Boolean, default=False)
    route_hackathon: Mapped[bool] = mapped_column(Boolean, default=False)
    route_online_community: Mapped[bool] = mapped_column(Boolean, default=False)
    route_professional_network: Mapped[bool] = mapped_column(Boolean, default=False)
    relevance: Mapped[dict[str, str] | None] = mapped_column(JSON)
    """Criterion id -> the person's relevance answer (``assessments.relevance.RELEVANCE``), only the
    criteria they judged; NULL for rows written before the question existed."""
    domain_scores: Mapped[dict[str, float] | None] = mapped_column(JSON)
    """Domain id -> readiness for that domain (0–100), copied from the result at submission for
    the designer's "Impact over time" (change per domain); NULL when the result had none."""

    # Equality answers (consented, aggregate use only)
    age_band: Mapped[str | None] = mapped_column(Label)
    sex: Mapped[str | None] = mapped_column(Label)
    gender_same_as_birth: Mapped[str | None] = mapped_column(Label)
    sexual_orientation: Mapped[str | None] = mapped_column(Label)
    ethnic_group: Mapped[str | None] = mapped_column(Label)
    religion: Mapped[str | None] = mapped_column(Label)
    disability: Mapped[str | None] = mapped_column(Label)
    marriage_civil_partnership: Mapped[str | None] = mapped_column(Label)
    pregnancy_maternity: Mapped[str | None] = mapped_column(Label)
    unpaid_care_hours: Mapped[str | None] = mapped_column(Label)
    socio_economic_background: Mapped[str | None] = mapped_column(Label)


class CohortFlag(Model):
    """One flag of one cohort row: the rule catalogue's firing rates read this table."""

    __tablename__ = "cohort_flag"
    __table_args__ = (Index("ix_cohort_flag_rule_severity", "rule", "severity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("cohort_record.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(20))


class CohortTallyState(Model):
    """A programme whose tallies are kept: built from its rows, then kept in step with every change.

    A programme without a row here is read straight from ``cohort_record`` (correct, slower)
    until ``certready cohort-tallies --rebuild`` (also run by ``certready init-db``) builds it.
    """

    __tablename__ = "cohort_tally_state"

    framework_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CohortVersion(Model):
    """A number bumped in the same transaction as every change to a programme's figures or EIA notes.

    Cached designer documents are keyed by it (``services.cohort_state``), so checking that a
    cached file is current is one primary-key read whatever the cohort's size. Every writer goes
    through ``app.designer.tallies.bump`` (``person_changing``, ``release_due``, ``add_rows``,
    ``rebuild``, a saved justification): ``version = version + 1`` in an upsert, so concurrent
    changes are all counted.
    ``token`` is random, set when the row is made: a database made again from scratch never
    reuses another database's (token, version), so a cache directory that outlives its database
    cannot serve the old database's documents.
    """

    __tablename__ = "cohort_version"

    framework_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(BigInteger, default=1)


class CohortTally(Model):
    """Counted people per programme, grouping, group, band and score as shown (in tenths).

    The dashboard reads one grouping's sizes, sums, bands and median from here instead of
    scanning every ``cohort_record`` row; ``app.designer.tallies`` adds and subtracts each
    person's counted rows in the same transaction as any change to them. Scores are summed in
    thousandths (``floor(score * 1000 + 0.5)``) so sums stay exact integers through any number
    of additions and subtractions. Rows may fall to zero people; readers skip them.
    """

    __tablename__ = "cohort_tally"

    framework_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    grouping: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Label, primary_key=True)
    band: Mapped[str] = mapped_column(String(20), primary_key=True)
    tenths: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    people: Mapped[int] = mapped_column(BigInteger, default=0)
    score_milli: Mapped[int] = mapped_column(BigInteger, default=0)
    score_milli_squares: Mapped[int] = mapped_column(BigInteger, default=0)
    no_opportunity: Mapped[int] = mapped_column(BigInteger, default=0)
    answers: Mapped[int] = mapped_column(BigInteger, default=0)


class CohortTallyFlag(Model):
    """Counted people per programme, grouping, group and flag key (rule, category, ``high:`` forms)."""

    __tablename__ = "cohort_tally_flag"

    framework_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    grouping: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Label, primary_key=True)
    flag_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    people: Mapped[int] = mapped_column(BigInteger, default=0)


class DesignerScenario(Model):
    """A saved what-if: the changed delivery and eligibility, and the figures it gave."""

    __tablename__ = "designer_scenario"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[str] = mapped_column(String(60), index=True)
    framework_version: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    grouping: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """``{"delivery": {...}, "eligibility": {...}}``: only the keys that differ from the framework."""
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RequirementJustification(Model):
    """A designer's Equality Act justification for one requirement (one rule) of one programme."""

    __tablename__ = "requirement_justification"
    __table_args__ = (
        Index("uq_requirement_justification_programme_rule", "framework_id", "rule", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[str] = mapped_column(String(60))
    rule: Mapped[str] = mapped_column(String(60))
    legitimate_aim: Mapped[str] = mapped_column(Text, default="")
    proportionality: Mapped[str] = mapped_column(Text, default="")
    mitigations: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
