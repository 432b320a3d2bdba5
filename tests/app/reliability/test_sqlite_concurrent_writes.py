"""Concurrent writers on a SQLite file: no "database is locked", no lost save, savepoints intact.

In WAL mode a transaction that has *read* and then writes after another connection committed is
refused at once (SQLITE_BUSY_SNAPSHOT), whatever the busy timeout. Python's sqlite3 module (the
driver's default transaction handling, which CertReady keeps) opens the transaction only at the
first INSERT, UPDATE or DELETE, so a request's earlier reads hold no snapshot and its writes wait
on the busy timeout instead. ``BEGIN IMMEDIATE`` for every write request was measured as an
alternative (session 2): it removed nothing that fails here and cost about a fifth of the write
throughput under load, so it was not kept. These tests hold the behaviour that made it unneeded.
An in-memory database cannot show any of this (one shared connection), so they use a file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.journey import services
from app.models import Assessment, Profile
from tests.app.journey.conftest import PROGRAMME, domain_form, give_profile
from tests.fixtures.app import IsolatedClient
from tests.fixtures.users import make_user, signed_in
from tests.threads import run_together

PEOPLE = 8


@pytest.fixture
def file_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    flask_app = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'concurrent.db'}",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 10, "max_overflow": 0},
    )
    flask_app.test_client_class = IsolatedClient
    return flask_app


def test_concurrent_saves_through_the_web_app_get_no_server_error(file_app: Flask):
    """Eight people save a rating page and an about-you page at the same moment: no 5xx, all stored."""
    people: list[tuple[str, int]] = []
    with file_app.app_context():
        for _ in range(PEOPLE):
            user = make_user()
            give_profile(user)
            assessment = services.start_assessment(user, PROGRAMME)
            people.append((user.session_token, assessment.id))
        framework = services.framework_of(db.session.get(Assessment, people[0][1]))
        db.session.remove()
    domain = framework.domains[0]
    barrier = threading.Barrier(PEOPLE)
    statuses: list[int] = []
    lock = threading.Lock()

    def person(token: str, assessment_id: int, hours: int) -> None:
        client = signed_in(file_app.test_client(), SimpleNamespace(session_token=token))  # type: ignore[arg-type]
        barrier.wait(5)
        answers = [
            client.post(f"/assessments/{assessment_id}/domains/{domain.id}", data=domain_form(domain, 1)),
            client.post("/profile/working-pattern", data={"contract": "part-time", "hours_per_week": hours}),
        ]
        with lock:
            statuses.extend(response.status_code for response in answers)

    calls = [(token, assessment_id, 20 + i) for i, (token, assessment_id) in enumerate(people)]
    assert run_together(person, calls, timeout=30) == []
    assert sorted(statuses) == [302] * (2 * PEOPLE), statuses
    with file_app.app_context():
        for i, (_, assessment_id) in enumerate(people):
            stored = db.session.get(Assessment, assessment_id)
            assert len(stored.ratings) == len(domain.criteria)
            profile = db.session.scalars(select(Profile).where(Profile.user_id == stored.user_id)).one()
            assert profile.answers["hours_per_week"] == 20 + i
        db.session.remove()


def _duplicate_in_a_savepoint() -> None:
    with db.session.begin_nested():
        db.session.execute(text("INSERT INTO item (name) VALUES ('b')"))
        db.session.execute(text("INSERT INTO item (name) VALUES ('a')"))


def test_a_failed_savepoint_undoes_only_its_own_rows(file_app: Flask):
    """``snapshot_for`` relies on this: a duplicate insert in a savepoint leaves the rest of the work."""
    with file_app.app_context():
        db.session.execute(text("CREATE TABLE item (name TEXT NOT NULL UNIQUE)"))
        db.session.commit()
        db.session.execute(text("INSERT INTO item (name) VALUES ('a')"))
        with pytest.raises(IntegrityError):
            _duplicate_in_a_savepoint()
        db.session.execute(text("INSERT INTO item (name) VALUES ('c')"))
        db.session.commit()
        assert list(db.session.scalars(text("SELECT name FROM item ORDER BY name"))) == ["a", "c"]
        db.session.remove()
