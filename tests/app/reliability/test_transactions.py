"""Every multi-row save is one transaction, and several writers share a SQLite file without "locked".

``tests/app/main/test_main_views.py::test_sqlite_file_database_uses_wal_and_a_busy_timeout``
reads the pragmas on one connection; here every connection of a busy pool reports them, and
concurrent saves from several threads all succeed (the busy timeout makes a second writer
wait instead of failing).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import event, select, text

from app.extensions import db
from app.journey import services as journey_services
from app.journey.profile_forms import page_after
from app.models import Assessment, User
from tests.app.journey.conftest import domain_form, fresh, give_profile, start
from tests.fixtures.users import make_user, signed_in
from tests.threads import run_together

WRITES = ("INSERT", "UPDATE", "DELETE")


class Transactions:
    """Records writes and commits on the engine, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def statement(self, conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            self.events.append("write")

    def commit(self, conn) -> None:
        self.events.append("commit")

    def rollback(self, conn) -> None:
        self.events.append("rollback")

    def clear(self) -> None:
        self.events.clear()

    def assert_one_transaction(self, minimum_writes: int) -> None:
        """All writes, then exactly one commit: a failure anywhere in between would leave nothing."""
        writes = self.events.count("write")
        assert writes >= minimum_writes, self.events
        assert self.events.count("commit") == 1, self.events
        assert self.events.index("commit") > max(i for i, kind in enumerate(self.events) if kind == "write")


@pytest.fixture
def transactions(app: Flask) -> Iterator[Transactions]:
    recorder = Transactions()
    event.listen(db.engine, "before_cursor_execute", recorder.statement)
    event.listen(db.engine, "commit", recorder.commit)
    event.listen(db.engine, "rollback", recorder.rollback)
    yield recorder
    event.remove(db.engine, "before_cursor_execute", recorder.statement)
    event.remove(db.engine, "commit", recorder.commit)
    event.remove(db.engine, "rollback", recorder.rollback)


def test_rating_page_save_is_one_transaction(participant_client, participant, framework, transactions):
    give_profile(participant)
    assessment_id = start(participant_client)
    domain = framework.domains[0]
    transactions.clear()
    response = participant_client.post(
        f"/assessments/{assessment_id}/domains/{domain.id}",
        data=domain_form(domain, fresh(assessment_id).version),
    )
    assert response.status_code == 302
    # One row per criterion and the assessment's step and version.
    transactions.assert_one_transaction(minimum_writes=2)
    assert len(fresh(assessment_id).ratings) == len(domain.criteria)

    # Changing some answers and clearing others (save for later) is one transaction too.
    first, *rest = domain.criteria
    form = domain_form(domain, fresh(assessment_id).version, level=lambda c: None if c is first else 1)
    form["action"] = "later"
    transactions.clear()
    assert (
        participant_client.post(f"/assessments/{assessment_id}/domains/{domain.id}", data=form).status_code
        == 302
    )
    transactions.assert_one_transaction(minimum_writes=2)
    assert {r.criterion_id for r in fresh(assessment_id).ratings} == {c.id for c in rest}


def test_submit_is_one_transaction(participant_client, participant, framework, transactions):
    give_profile(participant)
    assessment_id = start(participant_client)
    for domain in framework.domains:
        participant_client.post(
            f"/assessments/{assessment_id}/domains/{domain.id}",
            data=domain_form(domain, fresh(assessment_id).version),
        )
    transactions.clear()
    response = participant_client.post(
        f"/assessments/{assessment_id}/check", data={"version": fresh(assessment_id).version}
    )
    assert response.status_code == 302
    transactions.assert_one_transaction(minimum_writes=2)  # the assessment and its audit record


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/profile/working-pattern", {"contract": "part-time", "hours_per_week": "30"}),
        ("/profile/equality", {"sex": "prefer-not-to-say", "age_band": "prefer-not-to-say"}),
        ("/profile/consent", {"consent": "yes"}),
        ("/assessments/new", {"framework_id": "nhs-digital-academy-dhlp"}),
    ],
)
def test_profile_saves_and_starting_are_one_transaction(
    participant_client, participant, transactions, path, data
):
    give_profile(participant)
    transactions.clear()
    assert participant_client.post(path, data=data).status_code == 302
    transactions.assert_one_transaction(minimum_writes=2)  # the row and its audit record


class Statements:
    """Every statement on the engine, and the position of each commit among them."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def statement(self, conn, cursor, statement, *args) -> None:
        self.events.append(statement.lstrip().split(None, 1)[0].upper())

    def commit(self, conn) -> None:
        self.events.append("COMMIT")


@pytest.mark.parametrize(
    ("slug", "data"),
    [
        ("working-pattern", {"contract": "part-time", "hours_per_week": "30"}),
        ("equality-sex", {"sex": "prefer-not-to-say"}),
        ("equality-sex", {"action": "skip"}),  # nothing stored to clear: only the step moves
        ("consent", {"consent": "yes"}),  # the last page: the step is the first domain to rate
    ],
)
def test_an_about_you_page_inside_an_assessment_is_one_commit_with_its_step_and_no_reload(
    app, participant_client, participant, framework, slug, data
):
    """Answers, audit record and the continue link's step together, and nothing read afterwards.

    Before: the answers were committed, then the assessment reloaded, its step updated and
    committed again, then reloaded once more for the redirect: two write transactions per page.
    """
    give_profile(participant)
    assessment_id = start(participant_client)
    version = fresh(assessment_id).version
    recorder = Statements()
    event.listen(db.engine, "before_cursor_execute", recorder.statement)
    event.listen(db.engine, "commit", recorder.commit)
    try:
        response = participant_client.post(f"/profile/{slug}?assessment={assessment_id}", data=data)
    finally:
        event.remove(db.engine, "before_cursor_execute", recorder.statement)
        event.remove(db.engine, "commit", recorder.commit)
    assert response.status_code == 302
    assert recorder.events.count("COMMIT") == 1, recorder.events
    assert recorder.events[-1] == "COMMIT", recorder.events  # no reload after it
    assert "UPDATE" in recorder.events
    stored = fresh(assessment_id)
    following = page_after(slug)
    expected = f"profile:{following.slug}" if following else "domain:" + framework.domains[0].id
    assert stored.current_step == expected
    # The step is navigation, not an answer: moving it leaves a rating page open elsewhere valid.
    assert stored.version == version


def test_a_conflicting_about_you_save_keeps_neither_the_answers_nor_the_step(
    app, participant_client, participant, monkeypatch
):
    give_profile(participant)
    assessment_id = start(participant_client)
    step_before = fresh(assessment_id).current_step
    original = journey_services.profile_of

    def read_then_changed_elsewhere(user):
        profile = original(user)
        with db.engine.begin() as other:  # another tab saves between our read and our write
            other.execute(text("UPDATE profile SET version = version + 1 WHERE user_id = :u"), {"u": user.id})
        return profile

    monkeypatch.setattr(journey_services, "profile_of", read_then_changed_elsewhere)
    response = participant_client.post(
        f"/profile/working-pattern?assessment={assessment_id}",
        data={"contract": "compressed-hours", "hours_per_week": "30"},
    )
    assert response.status_code == 200
    assert "changed in another window or tab" in response.get_data(as_text=True)
    assert fresh(assessment_id).current_step == step_before
    db.session.expire_all()
    assert participant.profile.answers["contract"] == "part-time"


def test_registration_and_sign_in_are_one_transaction_each(client, transactions):
    password = "a long enough password for this test"
    transactions.clear()
    response = client.post(
        "/register", data={"email": "new@example.org", "password": password, "confirm_password": password}
    )
    assert response.status_code == 302
    # The account, its audit record and the signed-in session it starts with: one transaction.
    transactions.assert_one_transaction(minimum_writes=2)
    client.post("/logout")
    transactions.clear()
    assert client.post("/login", data={"email": "new@example.org", "password": password}).status_code == 302
    transactions.assert_one_transaction(minimum_writes=2)


def test_concurrent_saves_on_a_sqlite_file_all_succeed(make_app, tmp_path: Path):
    """Six people save at the same moment, each on their own connection: WAL and the busy timeout."""
    flask_app = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'busy.db'}",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 8, "max_overflow": 0},
    )
    from tests.fixtures.app import IsolatedClient

    flask_app.test_client_class = IsolatedClient
    from app.journey import services

    people = []
    with flask_app.app_context():
        for _ in range(6):
            user = make_user()
            give_profile(user)
            assessment = services.start_assessment(user, "nhs-digital-academy-dhlp")
            people.append((SimpleNamespace(session_token=user.session_token), assessment.id))
        framework = services.framework_of(db.session.get(Assessment, people[0][1]))
        db.session.remove()

    barrier = threading.Barrier(len(people))
    results: list[tuple[int, list[int]]] = []
    pragmas: list[tuple[str, int]] = []
    lock = threading.Lock()

    def save_everything(user: User, assessment_id: int) -> None:
        client = signed_in(flask_app.test_client(), user)
        statuses = []
        with flask_app.app_context():
            connection_pragmas = (
                db.session.execute(text("PRAGMA journal_mode")).scalar(),
                db.session.execute(text("PRAGMA busy_timeout")).scalar(),
            )
            db.session.remove()
        barrier.wait(10)
        version = 1
        for domain in framework.domains:
            response = client.post(
                f"/assessments/{assessment_id}/domains/{domain.id}", data=domain_form(domain, version)
            )
            statuses.append(response.status_code)
            version += 1
        with lock:
            results.append((assessment_id, statuses))
            pragmas.append(connection_pragmas)

    assert run_together(save_everything, people, timeout=120) == []
    assert len(results) == len(people)
    assert all(statuses == [302] * len(framework.domains) for _, statuses in results), results
    assert set(pragmas) == {("wal", 5000)}
    criteria = sum(len(domain.criteria) for domain in framework.domains)
    with flask_app.app_context():
        for _, assessment_id in people:
            stored = db.session.scalars(select(Assessment).where(Assessment.id == assessment_id)).one()
            assert len(stored.ratings) == criteria
