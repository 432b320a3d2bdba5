"""A person's data rights: export everything, withdraw consent, erase the account.

The export and the erasure walk the foreign keys that point at ``user_account`` instead of naming
tables one by one, so a table added later (the designer's cohort rows, say) is exported and erased
without anyone remembering to add it here. Erasure runs as explicit deletes in one transaction, so
it never depends on the database enforcing ``ON DELETE CASCADE`` (SQLite only does with a pragma).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Table, and_, delete, or_, select, update
from sqlalchemy.orm import selectinload

from app.auth.passwords import verify_password
from app.auth.sessions import end_session
from app.designer import tallies
from app.designer.documents import DocumentCache
from app.extensions import db
from app.journey import services as journey
from app.models import Assessment, AuditEvent, User, utcnow
from app.reports.cache import ReportCache
from assessments.profile import EQUALITY_FIELDS

log = logging.getLogger(__name__)

EXPORT_FORMAT = "certready-personal-data"
EXPORT_VERSION = 1
DELETED_ACTION = "account-deleted"

# Exported in their own sections of the export (with their children), not as "other records".
_OWN_SECTIONS = {"user_account", "profile", "assessment", "rating", "audit_event"}


class WrongPassword(Exception):
    """The password given to confirm a deletion was not right."""

    def __str__(self) -> str:
        return "The password is not right"


# --- Foreign keys -------------------------------------------------------------------------------


def _tables() -> dict[str, Table]:
    return dict(db.metadata.tables)


def _references(parent: Table) -> list[tuple[Table, Any, Any, str | None]]:
    """``(child table, child column, parent column, ondelete)`` for every foreign key into ``parent``."""
    found = []
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table is parent:
                found.append((table, key.parent, key.column, key.ondelete))
    return found


# --- Export -------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-ready copy: dates as ISO 8601 text, decimals as numbers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _audit_filter(user: User, assessment_ids: Iterable[int], profile_id: int | None) -> ColumnElement[bool]:
    """Audit events done by the person or done to their account, profile or assessments."""
    about = [
        AuditEvent.actor_id == user.id,
        and_(AuditEvent.target_type == "user", AuditEvent.target_id == user.id),
    ]
    ids = list(assessment_ids)
    if ids:
        about.append(and_(AuditEvent.target_type == "assessment", AuditEvent.target_id.in_(ids)))
    if profile_id is not None:
        about.append(and_(AuditEvent.target_type == "profile", AuditEvent.target_id == profile_id))
    return or_(*about)


def _assessments(user: User) -> list[Assessment]:
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.user_id == user.id)
            .options(selectinload(Assessment.ratings))
            .order_by(Assessment.id)
        )
    )


def _rows(table: Table, condition: ColumnElement[bool]) -> list[dict[str, Any]]:
    return [_plain(dict(row._mapping)) for row in db.session.execute(select(table).where(condition))]


def _other_records(user: User) -> dict[str, list[dict[str, Any]]]:
    """Rows of any other table that point at the person, and rows of tables that point at those."""
    records: dict[str, list[dict[str, Any]]] = {}
    users = _tables()["user_account"]
    for table, column, _, _ in _references(users):
        if table.name in _OWN_SECTIONS:
            continue
        condition = column == user.id
        rows = _rows(table, condition)
        if not rows:
            continue
        records.setdefault(table.name, []).extend(rows)
        for child, child_column, parent_column, _ in _references(table):
            if child.name in _OWN_SECTIONS:
                continue
            parents = select(parent_column).where(condition).scalar_subquery()
            children = _rows(child, child_column.in_(parents))
            if children:
                records.setdefault(child.name, []).extend(children)
    return records


def export_data(user: User) -> dict[str, Any]:
    """Everything CertReady holds about ``user``, and nothing about anyone else (UK GDPR Art. 15, 20)."""
    profile = user.profile
    assessments = _assessments(user)
    events = db.session.scalars(
        select(AuditEvent)
        .where(_audit_filter(user, (a.id for a in assessments), profile.id if profile else None))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "exported_at": utcnow().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "created_at": _plain(user.created_at),
            "last_sign_in_at": _plain(user.last_sign_in_at),
        },
        "profile": None
        if profile is None
        else {
            "answers": _plain(profile.answers or {}),
            "equality": _plain(profile.equality or {}),
            "consent_aggregate": bool(profile.consent_aggregate),
            "consent_changed_at": _plain(profile.consent_changed_at),
            "updated_at": _plain(profile.updated_at),
        },
        "assessments": [_assessment_data(assessment) for assessment in assessments],
        "audit_events": [
            {
                "at": _plain(event.at),
                "action": event.action,
                # Another person's id (an administrator's, say) is theirs, not this person's data.
                "by": "you" if event.actor_id == user.id else "someone else",
                "target_type": event.target_type,
                "target_id": event.target_id,
                "detail": _plain(event.detail or {}),
            }
            for event in events
        ],
        "other_records": _other_records(user),
    }


def _assessment_data(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.id,
        "programme": assessment.framework_id,
        "programme_version": assessment.framework_version,
        "status": assessment.status,
        "created_at": _plain(assessment.created_at),
        "updated_at": _plain(assessment.updated_at),
        "submitted_at": _plain(assessment.submitted_at),
        "score": assessment.score,
        "band": assessment.band,
        "result": _plain(assessment.result),
        "profile_when_submitted": _plain(assessment.profile_snapshot),
        "ratings": [
            {
                "criterion": rating.criterion_id,
                "level": rating.level,
                "no_opportunity": rating.no_opportunity,
                "evidence": rating.evidence,
                # How important the person said the criterion is to their job (null: not said),
                # against this assessment's programme_version.
                "relevance": rating.relevance,
                "updated_at": _plain(rating.updated_at),
            }
            for rating in assessment.ratings
        ],
    }


# --- Consent ------------------------------------------------------------------------------------


def consent_given(user: User) -> bool:
    profile = journey.profile_of(user)
    return bool(profile and profile.consent_aggregate)


def has_equality_answers(user: User) -> bool:
    profile = journey.profile_of(user)
    return bool(profile and profile.equality)


def withdraw_consent(user: User, *, delete_equality: bool = False) -> None:
    """Stop aggregate analysis of the person at once; optionally erase their equality answers too.

    ``journey.set_consent`` clears the consent on the person's cohort rows in the same commit
    (``app.designer.services.set_consent_for_user``), so they leave every designer figure on the
    next query; nothing is recomputed.
    """
    journey.set_consent(user, False)
    log.info("User %s withdrew consent to aggregate analysis", user.id)
    if delete_equality:
        erase_equality_answers(user)
    else:
        _discard_designer_documents(tallies.programmes_of(user.id))


def erase_equality_answers(user: User) -> None:
    """Remove equality answers everywhere they are held: profile, submitted snapshots, cohort rows."""
    profile = journey.profile_of(user)
    if profile is not None:
        profile.equality = {}
    for assessment in db.session.scalars(
        select(Assessment).where(Assessment.user_id == user.id, Assessment.profile_snapshot.is_not(None))
    ):
        snapshot = dict(assessment.profile_snapshot or {})
        if snapshot.get("equality"):
            assessment.profile_snapshot = {**snapshot, "equality": {}}
    cohort = _tables().get("cohort_record")
    if cohort is not None and "user_id" in cohort.c:
        columns = {name: None for name in EQUALITY_FIELDS if name in cohort.c}
        if columns:
            with tallies.person_changing(user.id):
                db.session.execute(update(cohort).where(cohort.c.user_id == user.id).values(**columns))
    db.session.add(
        AuditEvent(
            actor_id=user.id,
            action="profile.equality-deleted",
            target_type="profile" if profile is not None else None,
            target_id=profile.id if profile is not None else None,
            detail={},
            at=utcnow(),
        )
    )
    db.session.commit()
    _discard_designer_documents(tallies.programmes_of(user.id))
    log.info("User %s deleted their equality answers", user.id)


def _discard_designer_documents(framework_ids: Iterable[str]) -> None:
    """Remove the designer's cached files of programmes whose figures counted someone who has left."""
    cache = DocumentCache(current_app.config["CERTREADY_REPORT_CACHE_DIR"])
    failed = [programme for programme in sorted(framework_ids) if not cache.discard_programme(programme)]
    if failed:
        log.error("Could not remove cached designer documents of %s; remove them by hand", ", ".join(failed))


# --- Deletion -----------------------------------------------------------------------------------


def _erase(table: Table, condition: ColumnElement[bool], depth: int = 0) -> None:
    """Delete ``table`` rows matching ``condition`` and, first, everything that points at them.

    Foreign keys declared ``ON DELETE SET NULL`` (who uploaded a framework, who saved a scenario)
    are cleared instead: those rows are the organisation's work, not the person's data.
    """
    if depth > 8:
        raise RuntimeError(f"foreign keys nest too deeply below {table.name}")
    for child, column, parent_column, ondelete in _references(table):
        parents = select(parent_column).where(condition).scalar_subquery()
        if (ondelete or "").upper() == "SET NULL":
            db.session.execute(update(child).where(column.in_(parents)).values({column.name: None}))
        else:
            _erase(child, column.in_(parents), depth + 1)
    db.session.execute(delete(table).where(condition))


def delete_account(user: User, password: str, report_cache_dir: str) -> None:
    """Erase the account and everything about the person; keep one audit line with nothing identifying.

    Cached report files go first: they are only a cache, so removing them early is harmless if
    the database step then fails, while the other order could leave a report on disk for an id
    the database may later give to someone else.
    """
    if not verify_password(user.password_hash, password):
        raise WrongPassword
    user_id = user.id
    profile = journey.profile_of(user)
    assessment_ids = list(db.session.scalars(select(Assessment.id).where(Assessment.user_id == user_id)))
    cache = ReportCache(report_cache_dir)
    undeleted = [assessment_id for assessment_id in assessment_ids if not cache.discard(assessment_id)]
    if undeleted:
        log.error(
            "Account deletion: could not remove cached reports for assessments %s; remove them by hand",
            undeleted,
        )
    db.session.execute(
        delete(AuditEvent).where(_audit_filter(user, assessment_ids, profile.id if profile else None))
    )
    programmes = tallies.programmes_of(user_id)
    users = _tables()["user_account"]
    # The person leaves the designer's tallies in the same transaction as their rows.
    with tallies.person_changing(user_id):
        _erase(users, users.c.id == user_id)
    db.session.add(AuditEvent(actor_id=None, action=DELETED_ACTION, detail={}, at=utcnow()))
    db.session.commit()
    _discard_designer_documents(programmes)  # after the commit: until then they were still true
    # The ORM objects loaded for this request describe rows that no longer exist.
    db.session.expunge_all()
    end_session(None)
    log.info("An account was deleted")
