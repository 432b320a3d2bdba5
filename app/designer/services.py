"""The designer's writes and lookups: cohort rows on submit, programmes, uploads, scenarios, EIA notes.

Views parse and redirect; this module reads, writes and commits (once, here).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, delete, exists, insert, select, update

from app.designer import tallies
from app.designer.fields import RULE_CATEGORY, masks_for, profile_columns
from app.designer.models import (
    CohortFlag,
    CohortRecord,
    CohortVersion,
    DesignerScenario,
    RequirementJustification,
)
from app.designer.queries import counted
from app.extensions import db
from app.models import Assessment, AuditEvent, FrameworkSnapshot, Profile, User, utcnow
from assessments.errors import FrameworkError
from assessments.framework import (
    MAX_FRAMEWORK_BYTES,
    Framework,
    framework_from_json,
    load_framework_text,
    shipped_framework,
    shipped_frameworks,
)


class UnknownProgramme(LookupError):
    """No shipped or uploaded framework has this id."""


class UploadRejected(Exception):
    """The uploaded framework cannot be stored; ``problems`` are sentences for the designer."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


# --------------------------------------------------------------------------- cohort rows


def record_submission(assessment: Assessment) -> CohortRecord:
    """Write the cohort row and its flags for a just-submitted assessment (caller commits).

    Called inside the journey's submit transaction, after ``result`` and ``profile_snapshot``
    are set, so the row and the submission are stored together or not at all. The row waits for
    the programme's next release batch (``tallies.release_due``): until then the person's earlier
    counted row, if any, keeps counting; if this submission completes a batch, the whole batch
    is released here, in the same transaction.
    """
    if assessment.result is None or assessment.score is None or assessment.band is None:
        raise ValueError("record_submission needs a scored assessment (result, score and band)")
    if assessment.id is None:
        db.session.flush()
    # The scored values checked above; passed on so the row is written from what was checked.
    result, score = assessment.result, assessment.score
    snapshot = assessment.profile_snapshot or {}
    # The designer's tallies follow the change in this same transaction.
    tallies.start_if_new(assessment.framework_id)
    # The new row is not counted and the counted one stays counted: only a release changes figures.
    with tallies.person_changing(assessment.user_id, assessment.framework_id, counted_rows_change=False):
        record = _write_record(assessment, score, result, snapshot)
    tallies.release_due([assessment.framework_id], release_batch())
    return record


def release_batch() -> int:
    """How many consenting people's new or changed submissions designer figures wait for."""
    return int(current_app.config["CERTREADY_RELEASE_BATCH"])


def _write_record(
    assessment: Assessment, score: float, result: dict[str, Any], snapshot: dict[str, Any]
) -> CohortRecord:
    flags = list(result.get("risks") or ())
    flag_mask, high_mask, undetermined_mask = masks_for(flags)
    readiness = result.get("readiness") or {}
    criteria = result.get("criteria") or ()
    db.session.execute(
        update(CohortRecord)
        .where(
            CohortRecord.user_id == assessment.user_id,
            CohortRecord.framework_id == assessment.framework_id,
            CohortRecord.is_latest.is_(True),
        )
        .values(is_latest=False)
    )
    record = CohortRecord(
        assessment_id=assessment.id,
        user_id=assessment.user_id,
        framework_id=assessment.framework_id,
        framework_version=assessment.framework_version,
        submitted_at=assessment.submitted_at or utcnow(),
        is_latest=True,
        released=False,
        counted=False,
        consented=_consents(assessment.user_id),
        score=float(score),
        band=assessment.band,
        no_opportunity_count=int(readiness.get("no_opportunity") or 0),
        answer_count=len(criteria) - int(readiness.get("unrated") or 0),
        flag_mask=flag_mask,
        high_mask=high_mask,
        undetermined_mask=undetermined_mask,
        relevance={row.criterion_id: row.relevance for row in assessment.ratings if row.relevance},
        domain_scores=domain_scores(readiness),
        **profile_columns(snapshot.get("answers") or {}, snapshot.get("equality") or {}),
    )
    db.session.add(record)
    db.session.flush()
    rows = [
        {
            "record_id": record.id,
            "rule": str(flag["rule"]),
            "category": str(flag.get("category") or RULE_CATEGORY.get(str(flag["rule"]), "")),
            "severity": str(flag["severity"]),
        }
        for flag in flags
    ]
    if rows:
        db.session.execute(insert(CohortFlag), rows)
    return record


def domain_scores(readiness: dict[str, Any]) -> dict[str, float] | None:
    """Domain id -> readiness from a stored result's ``readiness``, for the change per domain."""
    scores = {str(domain["id"]): float(domain["score"]) for domain in readiness.get("domains") or ()}
    return scores or None


def _consents(user_id: int) -> bool:
    return bool(db.session.scalar(select(Profile.consent_aggregate).where(Profile.user_id == user_id)))


def set_consent_for_user(user_id: int, consent: bool) -> None:
    """Stop counting every cohort row of this person at once, or count them from the next release.

    The figures read ``CohortRecord.consented`` instead of joining the profile per row, so the
    journey's ``set_consent`` calls this whenever the consent answer is recorded. A withdrawal
    drops the person from every figure as soon as it commits: the law and the person's wishes
    come before release batches. Consent given (again) is published like a submission: the
    person's newest row of each programme they have unconsented rows in waits for that
    programme's next release batch, which this change may complete.
    """
    if not consent:
        with tallies.person_changing(user_id):
            db.session.execute(
                update(CohortRecord).where(CohortRecord.user_id == user_id).values(consented=False)
            )
        return
    # Consent given changes no counted row's consent until the release: only the lock is needed.
    with tallies.person_changing(user_id, counted_rows_change=False):
        programmes = set(
            db.session.scalars(
                select(CohortRecord.framework_id)
                .where(CohortRecord.user_id == user_id, CohortRecord.consented.is_(False))
                .distinct()
            )
        )
        if programmes:
            db.session.execute(
                update(CohortRecord)
                .where(
                    CohortRecord.user_id == user_id,
                    CohortRecord.framework_id.in_(sorted(programmes)),
                    CohortRecord.is_latest.is_(True),
                )
                .values(released=False)
            )
    if programmes:
        tallies.release_due(programmes, release_batch())


def cohort_is_synthetic(framework_id: str) -> bool:
    """Whether any counted row of this programme was made by ``certready demo-cohort``.

    Every designer page, CSV, PDF and Word file then says the figures are synthetic.
    """
    inner = counted(select(CohortRecord.id), framework_id).where(CohortRecord.synthetic.is_(True))
    return bool(db.session.scalar(select(exists(inner))))


def cohort_state(framework_id: str) -> str:
    """A short text that changes whenever the programme's figures or its EIA notes may change.

    Cached designer documents are keyed by it. It is the programme's ``cohort_version`` (one
    primary-key read): every change to counted cohort rows (a release batch, a withdrawal,
    erasing equality answers, deleting an account, a synthetic cohort, a tallies rebuild) and
    every saved justification bumps it in the change's own transaction (``tallies.bump``). A
    submission waiting for its release batch changes no figure and does not bump it.
    """
    # Through the session's connection, not the ORM: a cached download is mostly this read.
    found = db.session.connection().execute(_STATE, {"framework_id": framework_id}).one_or_none()
    return "none" if found is None else f"{found.token}-{found.version}"


_STATE = select(CohortVersion.token, CohortVersion.version).where(
    CohortVersion.framework_id == bindparam("framework_id")
)


# --------------------------------------------------------------------------- programmes


@dataclass(frozen=True)
class ProgrammeVersion:
    """Which content of a programme is current, without the content: all a cache key needs.

    ``fingerprint`` is ``Framework.fingerprint()`` of that content: stored on the snapshot row
    for an upload, worked out once per process for a shipped file.
    """

    id: str
    version: str
    fingerprint: str


# The latest upload of one programme, without its content: a cached download reads only this.
_LATEST_UPLOAD = (
    select(FrameworkSnapshot.version, FrameworkSnapshot.fingerprint)
    .where(FrameworkSnapshot.uploaded.is_(True), FrameworkSnapshot.framework_id == bindparam("framework_id"))
    .order_by(FrameworkSnapshot.created_at.desc(), FrameworkSnapshot.id.desc())
    .limit(1)
)


@cache
def _shipped_versions() -> dict[str, ProgrammeVersion]:
    return {
        framework_id: ProgrammeVersion(framework_id, framework.version, framework.fingerprint())
        for framework_id, framework in shipped_frameworks().items()
    }


@cache
def _shipped_version(framework_id: str) -> ProgrammeVersion | None:
    """One shipped programme's version, reading only its file (``shipped_framework``)."""
    framework = shipped_framework(framework_id)
    if framework is None:
        return None
    return ProgrammeVersion(framework_id, framework.version, framework.fingerprint())


def programme_version(framework_id: str) -> ProgrammeVersion:
    """The current version of one programme (one indexed read); ``UnknownProgramme`` otherwise."""
    found = db.session.connection().execute(_LATEST_UPLOAD, {"framework_id": framework_id}).one_or_none()
    if found is not None:
        return ProgrammeVersion(framework_id, found.version, found.fingerprint)
    shipped = _shipped_version(framework_id)
    if shipped is None:
        raise UnknownProgramme(framework_id)
    return shipped


_PARSED_LIMIT = 64
_parsed: dict[str, Framework] = {}
"""Uploaded frameworks parsed in this process, by fingerprint (a fingerprint names one content)."""


def framework_at(current: ProgrammeVersion) -> Framework:
    """The framework a ``programme_version`` names: shipped, or an upload parsed once per process."""
    shipped = _shipped_version(current.id)
    if shipped == current:
        framework = shipped_framework(current.id)
        if framework is not None:  # always: _shipped_version found it
            return framework
    framework = _parsed.get(current.fingerprint)
    if framework is None:
        content = db.session.scalar(
            select(FrameworkSnapshot.content).where(FrameworkSnapshot.fingerprint == current.fingerprint)
        )
        if content is None:
            raise UnknownProgramme(current.id)
        framework = framework_from_json(content)
        if len(_parsed) >= _PARSED_LIMIT:
            _parsed.clear()
        _parsed[current.fingerprint] = framework
    return framework


def programmes() -> dict[str, Framework]:
    """Every programme a designer can review: shipped ones, replaced by any later upload, by name."""
    uploaded = db.session.execute(
        select(FrameworkSnapshot.framework_id, FrameworkSnapshot.version, FrameworkSnapshot.fingerprint)
        .where(FrameworkSnapshot.uploaded.is_(True))
        .order_by(FrameworkSnapshot.created_at, FrameworkSnapshot.id)
    )
    current = dict(_shipped_versions())
    for row in uploaded:
        current[row.framework_id] = ProgrammeVersion(row.framework_id, row.version, row.fingerprint)
    found = {framework_id: framework_at(version) for framework_id, version in current.items()}
    return dict(sorted(found.items(), key=lambda item: item[1].name.lower()))


def programme(framework_id: str) -> Framework:
    """The current version of one programme; ``UnknownProgramme`` otherwise."""
    return framework_at(programme_version(framework_id))


@dataclass(frozen=True)
class UploadOutcome:
    framework: Framework
    created: bool
    """False when exactly this content was already stored."""
    replaced_version: str | None


def upload_framework(user: User, raw: bytes, filename: str) -> UploadOutcome:
    """Validate and store an uploaded framework as a new version; earlier assessments keep theirs."""
    if len(raw) > MAX_FRAMEWORK_BYTES:
        raise UploadRejected(
            [
                f"{filename}: the file is {len(raw):,} bytes; "
                f"the limit is {MAX_FRAMEWORK_BYTES:,} bytes (1 MiB)"
            ]
        )
    if not raw.strip():
        raise UploadRejected([f"{filename}: the file is empty"])
    try:
        framework = load_framework_text(raw, filename)
    except FrameworkError as problem:
        raise UploadRejected(list(problem.problems)) from None
    fingerprint = framework.fingerprint()
    existing = db.session.scalar(
        select(FrameworkSnapshot).where(FrameworkSnapshot.fingerprint == fingerprint)
    )
    try:
        current = programme(framework.id)
    except UnknownProgramme:
        current = None
    if existing is not None and (existing.uploaded or (current and current.fingerprint() == fingerprint)):
        return UploadOutcome(framework, created=False, replaced_version=None)
    if current is not None and current.version == framework.version and current.fingerprint() != fingerprint:
        raise UploadRejected(
            [
                f"{filename}: version: this file changes {framework.id} but keeps its version "
                f"'{framework.version}'; give the changed file a new version so past assessments "
                "keep the one they were made with"
            ]
        )
    if existing is not None:
        # The same content was stored as a participant's snapshot; mark it as published by upload.
        existing.uploaded = True
        existing.uploaded_by_id = user.id
    else:
        db.session.add(
            FrameworkSnapshot(
                framework_id=framework.id,
                version=framework.version,
                fingerprint=fingerprint,
                content=framework.to_json(),
                uploaded=True,
                uploaded_by_id=user.id,
            )
        )
    _audit(user, "framework.uploaded", framework=framework.id, version=framework.version)
    db.session.commit()
    return UploadOutcome(framework, created=True, replaced_version=current.version if current else None)


# --------------------------------------------------------------------------- scenarios


def save_scenario(
    user: User,
    framework: Framework,
    name: str,
    grouping: str,
    changes: dict[str, Any],
    summary: dict[str, Any],
) -> DesignerScenario:
    scenario = DesignerScenario(
        framework_id=framework.id,
        framework_version=framework.version,
        name=name,
        grouping=grouping,
        changes=changes,
        summary=summary,
        created_by_id=user.id,
    )
    db.session.add(scenario)
    db.session.flush()
    _audit(user, "scenario.saved", framework=framework.id, scenario=scenario.id)
    db.session.commit()
    return scenario


def scenarios(framework_id: str) -> list[DesignerScenario]:
    return list(
        db.session.scalars(
            select(DesignerScenario)
            .where(DesignerScenario.framework_id == framework_id)
            .order_by(DesignerScenario.created_at, DesignerScenario.id)
        )
    )


def scenario(framework_id: str, scenario_id: int) -> DesignerScenario | None:
    return db.session.scalar(
        select(DesignerScenario).where(
            DesignerScenario.id == scenario_id, DesignerScenario.framework_id == framework_id
        )
    )


def delete_scenario(user: User, found: DesignerScenario) -> None:
    db.session.execute(delete(DesignerScenario).where(DesignerScenario.id == found.id))
    _audit(user, "scenario.deleted", framework=found.framework_id, scenario=found.id)
    db.session.commit()


# --------------------------------------------------------------------------- justifications


def justifications(framework_id: str) -> dict[str, RequirementJustification]:
    rows = db.session.scalars(
        select(RequirementJustification).where(RequirementJustification.framework_id == framework_id)
    )
    return {row.rule: row for row in rows}


def save_justification(
    user: User, framework_id: str, rule: str, *, legitimate_aim: str, proportionality: str, mitigations: str
) -> RequirementJustification:
    row = justifications(framework_id).get(rule)
    if row is None:
        row = RequirementJustification(framework_id=framework_id, rule=rule)
        db.session.add(row)
    row.legitimate_aim = legitimate_aim
    row.proportionality = proportionality
    row.mitigations = mitigations
    row.updated_by_id = user.id
    _audit(user, "justification.saved", framework=framework_id, rule=rule)
    # The drafted EIA prints the notes: its cached files must be made again.
    tallies.bump([framework_id])
    db.session.commit()
    return row


def _audit(user: User, action: str, **detail: Any) -> None:
    db.session.add(AuditEvent(actor_id=user.id, action=action, target_type="programme", detail=detail))
