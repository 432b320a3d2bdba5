"""The journey's queries and transactions: views parse and redirect, this module reads and writes.

Every write here is one transaction that commits in one place, and every failure a view
must explain to a person comes back as one of the exceptions below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, load_only
from sqlalchemy.orm.exc import StaleDataError

from app.designer.services import programmes, record_submission, set_consent_for_user
from app.extensions import db
from app.models import Assessment, AuditEvent, FrameworkSnapshot, Profile, Rating, User, utcnow
from assessments import engine
from assessments.errors import ProfileError
from assessments.framework import Domain, Framework, framework_from_json
from assessments.profile import EQUALITY_FIELDS, parse_profile
from assessments.profile import Profile as ProfileAnswers
from assessments.ratings import Rating as RatingAnswer

CHECK_STEP = "check"
RESULTS_STEP = "results"
FIRST_PROFILE_STEP = "profile:working-pattern"


class EditConflict(Exception):
    """Another window or tab saved this assessment after this form was shown."""

    message = (
        "This assessment was changed in another window or tab after you opened this page. "
        "Nothing on this page was saved. Check the answers below and save again."
    )

    def __str__(self) -> str:
        return self.message


class AlreadySubmitted(Exception):
    """A submitted assessment is kept as it was: it cannot be rated or submitted again."""


class UnknownProgramme(Exception):
    """The programme asked for is not in the catalogue."""


class NotReady(Exception):
    """The assessment cannot be submitted yet; ``problems`` are sentences with a link target each."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for message, _ in problems))


# --- Programmes and snapshots -------------------------------------------------------------------


def catalogue() -> dict[str, Framework]:
    """Programmes a person can choose, and compare against, by id.

    The shipped frameworks, each replaced by the latest version a designer uploaded, so a
    changed programme is what new assessments use; earlier assessments keep their snapshot.
    """
    return programmes()


def snapshot_for(framework: Framework) -> FrameworkSnapshot:
    """The snapshot row for this exact framework content, created on first use."""
    fingerprint = framework.fingerprint()
    found = db.session.scalar(select(FrameworkSnapshot).where(FrameworkSnapshot.fingerprint == fingerprint))
    if found is not None:
        return found
    snapshot = FrameworkSnapshot(
        framework_id=framework.id,
        version=framework.version,
        fingerprint=fingerprint,
        content=framework.to_json(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(snapshot)
    except IntegrityError:
        # Another request stored the same content between our read and our insert.
        return db.session.scalars(
            select(FrameworkSnapshot).where(FrameworkSnapshot.fingerprint == fingerprint)
        ).one()
    return snapshot


_frameworks_by_fingerprint: dict[str, Framework] = {}


def framework_of(assessment: Assessment) -> Framework:
    """The framework exactly as the assessment saw it (parsed once per process per snapshot)."""
    snapshot = assessment.snapshot
    framework = _frameworks_by_fingerprint.get(snapshot.fingerprint)
    if framework is None:
        framework = framework_from_json(snapshot.content)
        _frameworks_by_fingerprint[snapshot.fingerprint] = framework
    return framework


def start_assessment(user: User, framework_id: str) -> Assessment:
    """A new assessment for a programme; earlier ones, finished or not, are kept."""
    framework = catalogue().get(framework_id)
    if framework is None:
        raise UnknownProgramme(framework_id)
    snapshot = snapshot_for(framework)
    # A person with no profile yet answers "About you" first; later assessments reuse it.
    first = first_step(framework) if profile_is_complete(profile_of(user)) else FIRST_PROFILE_STEP
    assessment = Assessment(
        user_id=user.id,
        framework_id=framework.id,
        framework_version=framework.version,
        snapshot=snapshot,
        status="in-progress",
        current_step=first,
    )
    db.session.add(assessment)
    db.session.flush()
    _audit(user.id, "assessment.started", assessment, framework=framework.id, version=framework.version)
    db.session.commit()
    return assessment


# --- Reading assessments ------------------------------------------------------------------------


def assessments_of(user: User) -> list[Assessment]:
    """The person's assessments, newest first (without ratings: the list does not show them)."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.user_id == user.id)
            .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        )
    )


def assessment_of(user: User, assessment_id: int) -> Assessment | None:
    """One of the person's own assessments with its ratings, in one query; ``None`` for anyone else's.

    The snapshot's content is left deferred: it is parsed once per process (``framework_of``)
    so most requests never read it.
    """
    statement = (
        select(Assessment)
        .where(Assessment.id == assessment_id, Assessment.user_id == user.id)
        .options(
            joinedload(Assessment.ratings),
            joinedload(Assessment.snapshot).load_only(
                FrameworkSnapshot.id, FrameworkSnapshot.fingerprint, FrameworkSnapshot.framework_id
            ),
        )
    )
    return db.session.execute(statement).unique().scalar_one_or_none()


def previous_submitted(assessment: Assessment) -> Assessment | None:
    """The person's submission for the same programme just before this one, if any."""
    if assessment.submitted_at is None:
        return None
    return db.session.scalars(
        select(Assessment)
        .where(
            Assessment.user_id == assessment.user_id,
            Assessment.framework_id == assessment.framework_id,
            Assessment.status == "submitted",
            Assessment.id != assessment.id,
            Assessment.submitted_at <= assessment.submitted_at,
        )
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(1)
        .options(load_only(Assessment.id, Assessment.result, Assessment.submitted_at, Assessment.score))
    ).first()


def ratings_by_criterion(assessment: Assessment) -> dict[str, Rating]:
    return {rating.criterion_id: rating for rating in assessment.ratings}


def first_step(framework: Framework) -> str:
    return domain_step(framework.domains[0].id)


def domain_step(domain_id: str) -> str:
    return f"domain:{domain_id}"


def step_after(framework: Framework, domain: Domain) -> str:
    ids = [d.id for d in framework.domains]
    position = ids.index(domain.id)
    return domain_step(ids[position + 1]) if position + 1 < len(ids) else CHECK_STEP


# --- Rating -------------------------------------------------------------------------------------


def save_domain_ratings(
    assessment: Assessment,
    domain: Domain,
    answers: Mapping[str, RatingAnswer | None],
    *,
    expected_version: int,
    next_step: str,
) -> None:
    """Store one domain's answers and where the person is, or nothing at all.

    ``None`` means the question was left blank (allowed when saving to come back later), and
    removes any earlier answer, so the stored state is what the page showed when it was sent.
    The version check catches a stale page before we write; ``StaleDataError`` catches a save
    that lands between our read and our write.
    """
    if assessment.status != "in-progress":
        raise AlreadySubmitted
    if expected_version != assessment.version:
        raise EditConflict
    in_domain = {criterion.id for criterion in domain.criteria}
    if set(answers) - in_domain:
        raise ValueError(f"answers for criteria outside {domain.id}: {sorted(set(answers) - in_domain)}")
    existing = ratings_by_criterion(assessment)
    try:
        for criterion_id, answer in answers.items():
            row = existing.get(criterion_id)
            if answer is None:
                if row is not None:
                    assessment.ratings.remove(row)
                continue
            if row is None:
                row = Rating(criterion_id=criterion_id)
                assessment.ratings.append(row)
            row.level = answer.level
            row.no_opportunity = answer.no_opportunity
            row.evidence = answer.evidence
            # Saved with the rating, in this one transaction: NULL when the person did not say.
            row.relevance = answer.relevance
        assessment.current_step = next_step
        # Always touch the row, so its version moves even when only ratings changed.
        assessment.updated_at = utcnow()
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise EditConflict from None


def next_step_after_profile(assessment: Assessment) -> str:
    """After "About you": the first domain with an unanswered question, else check your answers.

    Only works it out: the caller records it with the answers (``save_profile_answers``'s
    ``step``) or with ``record_step``, so the last page makes one write, not two.
    """
    framework = framework_of(assessment)
    rated = ratings_by_criterion(assessment)
    for domain in framework.domains:
        if any(criterion.id not in rated for criterion in domain.criteria):
            return domain_step(domain.id)
    return CHECK_STEP


def assessment_for_profile(user: User, assessment_id: int) -> Assessment | None:
    """One of the person's own assessments, for an About you page reached from it; ``None`` otherwise.

    Unlike ``assessment_of`` it leaves the ratings unloaded: every page but the last only needs
    the id and status (the last loads them on first use to find the next step).
    """
    statement = (
        select(Assessment)
        .where(Assessment.id == assessment_id, Assessment.user_id == user.id)
        .options(
            joinedload(Assessment.snapshot).load_only(
                FrameworkSnapshot.id, FrameworkSnapshot.fingerprint, FrameworkSnapshot.framework_id
            ),
        )
    )
    return db.session.execute(statement).scalar_one_or_none()


@dataclass(frozen=True)
class StepUpdate:
    """Where an in-progress assessment's continue link should point after this write."""

    assessment_id: int
    step: str


def _move_step(update_to: StepUpdate) -> None:
    """Set the step in the current transaction, without touching the version.

    The step is where the continue link goes, not part of what was rated: moving it must not
    make a rating page open in another tab stale, and two tabs moving it at once are both right.
    ``updated_at`` moves as with any change; a submitted assessment keeps its step.
    """
    db.session.execute(
        update(Assessment)
        .where(Assessment.id == update_to.assessment_id, Assessment.status == "in-progress")
        .values(current_step=update_to.step, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def record_step(update_to: StepUpdate) -> None:
    """Remember where the person is when a profile page saved nothing (one small write)."""
    _move_step(update_to)
    db.session.commit()


# --- Submitting ---------------------------------------------------------------------------------


def profile_answers(profile: Profile | None) -> ProfileAnswers:
    """The validated profile (answers and equality merged); ``ProfileError`` when incomplete."""
    data = {**(profile.answers or {}), **(profile.equality or {})} if profile else {}
    return parse_profile(data)


def domain_answers(framework: Framework, rows: Mapping[str, Rating]) -> dict[str, RatingAnswer]:
    return {
        criterion.id: RatingAnswer(
            level=rows[criterion.id].level,
            no_opportunity=rows[criterion.id].no_opportunity,
            evidence=rows[criterion.id].evidence or "",
            relevance=rows[criterion.id].relevance,
        )
        for _, criterion in framework.criteria()
        if criterion.id in rows
    }


def submit(user: User, assessment: Assessment, *, expected_version: int) -> None:
    """Score the assessment and keep the outcome, the profile as it was, and the time, together."""
    if assessment.status != "in-progress":
        raise AlreadySubmitted
    if expected_version != assessment.version:
        raise EditConflict
    framework = framework_of(assessment)
    rows = ratings_by_criterion(assessment)
    problems: list[tuple[str, str]] = []
    for domain, criterion in framework.criteria():
        if criterion.id not in rows:
            problems.append((f"Rate yourself for ‘{criterion.title}’", f"domain:{domain.id}#{criterion.id}"))
    profile = user.profile
    try:
        answers = profile_answers(profile)
    except ProfileError:
        answers = None
        problems.insert(0, ("Tell us which staff group you belong to", "profile:background"))
    if problems or answers is None:
        raise NotReady(problems)
    ratings = domain_answers(framework, rows)
    # Equality answers are validated with the rest but never reach scoring or the risk rules.
    outcome = engine.run(framework, answers.without_equality(), ratings, catalogue())
    result = outcome.to_json()
    assessment.result = result
    assessment.score = result["readiness"]["score"]
    assessment.band = result["readiness"]["band"]
    assessment.profile_snapshot = profile_snapshot(profile)
    assessment.submitted_at = utcnow()
    assessment.status = "submitted"
    assessment.current_step = RESULTS_STEP
    # The anonymous cohort row for designers' figures, in the same transaction as the result.
    record_submission(assessment)
    _audit(user.id, "assessment.submitted", assessment, score=assessment.score, band=assessment.band)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict from None


def profile_snapshot(profile: Profile | None) -> dict[str, Any]:
    if profile is None:
        return {"answers": {}, "equality": {}, "consent_aggregate": False}
    return {
        "answers": dict(profile.answers or {}),
        "equality": dict(profile.equality or {}),
        "consent_aggregate": bool(profile.consent_aggregate),
    }


# --- Profile ------------------------------------------------------------------------------------


def profile_of(user: User) -> Profile | None:
    return db.session.scalar(select(Profile).where(Profile.user_id == user.id))


def profile_is_complete(profile: Profile | None) -> bool:
    try:
        profile_answers(profile)
    except ProfileError:
        return False
    return True


def save_profile_answers(
    user: User,
    values: Mapping[str, Any],
    *,
    equality: bool = False,
    profile: Profile | None = None,
    step: StepUpdate | None = None,
) -> None:
    """Replace the answers on one page; ``None`` removes an answer (it becomes "not answered").

    ``profile`` is the person's profile if the caller has already read it (saves reading it
    again); ``step`` moves the assessment's continue link in the same transaction, so a page is
    one commit: answers, audit record and step together, or nothing (``ProfileConflict``).
    """
    if equality and set(values) - set(EQUALITY_FIELDS):
        raise ValueError(f"not equality questions: {sorted(set(values) - set(EQUALITY_FIELDS))}")
    if not equality and set(values) & set(EQUALITY_FIELDS):
        raise ValueError("equality answers are stored apart from the rest of the profile")
    if profile is not None and profile.user_id != user.id:
        raise ValueError("that profile belongs to someone else")
    profile = profile or profile_of(user) or _new_profile(user)
    stored = dict((profile.equality if equality else profile.answers) or {})
    for key, value in values.items():
        if value is None:
            stored.pop(key, None)
        else:
            stored[key] = value
    # Assign a new dict: JSON columns do not notice changes made in place.
    if equality:
        profile.equality = stored
    else:
        profile.answers = stored
    _audit(
        user.id, "profile.equality-updated" if equality else "profile.updated", profile, keys=sorted(values)
    )
    _commit_profile(step)


def set_consent(
    user: User, consent: bool, *, profile: Profile | None = None, step: StepUpdate | None = None
) -> None:
    """Record the consent answer; a change is timestamped and audited. ``step`` as for answers."""
    if profile is not None and profile.user_id != user.id:
        raise ValueError("that profile belongs to someone else")
    profile = profile or profile_of(user) or _new_profile(user)
    if profile.consent_changed_at is None or profile.consent_aggregate != consent:
        profile.consent_aggregate = consent
        profile.consent_changed_at = utcnow()
        _audit(user.id, "consent.given" if consent else "consent.withdrawn", profile)
    # Designer figures read the consent stored on each cohort row: keep them in step, in this commit.
    # Not flushing the profile first: a concurrent change to it must fail in ``_commit_profile``.
    with db.session.no_autoflush:
        set_consent_for_user(user.id, consent)
    _commit_profile(step)


def _new_profile(user: User) -> Profile:
    profile = Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=False)
    db.session.add(profile)
    return profile


class ProfileConflict(EditConflict):
    message = (
        "Your answers were changed in another window or tab at the same time. Check them and save again."
    )


def _commit_profile(step: StepUpdate | None) -> None:
    """Commit the profile (and move the step) or nothing: a concurrent save is a ``ProfileConflict``.

    The step's ``UPDATE`` flushes the profile first, so a stale profile fails there, before it.
    """
    try:
        if step is not None:
            _move_step(step)
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise ProfileConflict from None


# --- Audit --------------------------------------------------------------------------------------


def _audit(actor_id: int, action: str, target: Assessment | Profile, **detail: Any) -> None:
    """Who did what. ``detail`` must never hold evidence text or equality answers."""
    if target.id is None:
        db.session.flush()
    db.session.add(
        AuditEvent(
            actor_id=actor_id,
            action=action,
            target_type=type(target).__tablename__,
            target_id=target.id,
            detail=detail,
            at=utcnow(),
        )
    )


def as_local_date(moment: datetime | None) -> str:
    return moment.strftime("%-d %B %Y") if moment else ""
