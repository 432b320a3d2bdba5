"""Database constraints that back up the forms, and the cascades that make deletion complete."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import Assessment, AuditEvent, FrameworkSnapshot, Profile, Rating, User
from tests.fixtures.users import make_user


def _assessment(user: User) -> Assessment:
    snapshot = FrameworkSnapshot(framework_id="demo", version="1", fingerprint=f"fp-{user.id}", content="{}")
    assessment = Assessment(user=user, framework_id="demo", framework_version="1", snapshot=snapshot)
    db.session.add(assessment)
    db.session.commit()
    return assessment


def _fails_to_commit(*objects: object) -> bool:
    db.session.add_all(objects)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return True
    return False


def test_new_users_get_distinct_session_tokens(app):
    first = User(email="a@example.org", password_hash="x")
    second = User(email="b@example.org", password_hash="x")
    db.session.add_all([first, second])
    db.session.commit()
    assert len(first.session_token) == 64
    assert first.session_token != second.session_token
    assert first.role == "participant"
    assert first.get_id() == first.session_token


def test_email_is_unique(app):
    make_user(email="a@example.org")
    assert _fails_to_commit(User(email="a@example.org", password_hash="x"))


def test_role_must_be_known(app):
    assert _fails_to_commit(User(email="a@example.org", password_hash="x", role="superuser"))


@pytest.mark.parametrize(
    ("level", "no_opportunity", "fails"),
    [
        (3, False, False),
        (None, True, False),
        (None, False, True),
        (2, True, True),
        (7, False, True),
        (-1, False, True),
    ],
    ids=["level", "no-opportunity", "neither", "both", "above-6", "negative"],
)
def test_rating_is_a_level_or_no_opportunity(app, level, no_opportunity, fails):
    assessment = _assessment(make_user())
    rating = Rating(assessment=assessment, criterion_id="c1", level=level, no_opportunity=no_opportunity)
    assert _fails_to_commit(rating) is fails


@pytest.mark.parametrize(
    ("relevance", "fails"),
    [(None, False), ("essential", False), ("useful", False), ("not-necessary", False), ("vital", True)],
)
def test_a_rating_relevance_is_one_of_lawshes_answers(app, relevance, fails):
    assessment = _assessment(make_user())
    rating = Rating(assessment=assessment, criterion_id="c1", level=2, relevance=relevance)
    assert _fails_to_commit(rating) is fails


def test_one_rating_per_criterion(app):
    assessment = _assessment(make_user())
    db.session.add(Rating(assessment=assessment, criterion_id="c1", level=1))
    db.session.commit()
    assert _fails_to_commit(Rating(assessment=assessment, criterion_id="c1", level=2))


def test_assessment_status_must_be_known(app):
    assessment = _assessment(make_user())
    assessment.status = "abandoned"
    assert _fails_to_commit(assessment)


def test_deleting_a_user_removes_everything_they_own(app):
    user = make_user()
    assessment = _assessment(user)
    db.session.add(Rating(assessment=assessment, criterion_id="c1", level=2, evidence="ran a hackathon"))
    db.session.add(Profile(user=user, answers={"hours": 20}, equality={"age": "35-44"}))
    db.session.add(AuditEvent(action="user.registered", actor_id=user.id))
    db.session.commit()
    db.session.delete(user)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Assessment)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Rating)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Profile)) == 0
    (event,) = db.session.scalars(db.select(AuditEvent))
    assert event.actor_id is None  # the trail keeps a non-identifying record


def test_stale_assessment_save_is_refused(app):
    assessment = _assessment(make_user())
    assessment_id = assessment.id
    db.session.expunge_all()
    first = db.session.get(Assessment, assessment_id)
    # Another tab saves first: the row's version moves on behind this session's back.
    db.session.execute(
        db.update(Assessment).where(Assessment.id == assessment_id).values(version=Assessment.version + 1),
        execution_options={"synchronize_session": False},
    )
    first.current_step = "check"
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()
