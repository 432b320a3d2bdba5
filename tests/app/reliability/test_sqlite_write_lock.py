"""A request that reads and then writes never fails with "database is locked" on a SQLite file.

In WAL mode a deferred transaction that has read, and then writes after another connection has
committed, is refused at once (SQLITE_BUSY_SNAPSHOT): the busy timeout cannot help. Requests that
may write therefore begin with BEGIN IMMEDIATE (``app.security``). The first test shows the failure
on a bare engine; the others show the app's engine waiting instead, savepoints still working, and
concurrent writers through the real web app getting no 5xx. An in-memory database cannot show any
of this (one shared connection), so every test here uses a file.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, jsonify
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from app import security
from app.extensions import db
from app.journey import services
from app.models import Assessment, Profile
from tests.app.journey.conftest import PROGRAMME, domain_form, give_profile
from tests.fixtures.app import IsolatedClient
from tests.fixtures.users import DEFAULT_PASSWORD, make_user, signed_in

BUSY_TIMEOUT_S = 5.0


def _record_begins(engine: Engine) -> list[str]:
    """Every BEGIN / SAVEPOINT statement the engine sends, in order."""
    seen: list[str] = []

    def statement(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        if sql.upper().startswith(("BEGIN", "SAVEPOINT")):
            seen.append(sql.upper())

    event.listen(engine, "before_cursor_execute", statement)
    return seen


@pytest.fixture
def file_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    flask_app = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'lock.db'}",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 10, "max_overflow": 0},
    )
    flask_app.test_client_class = IsolatedClient
    with flask_app.app_context():
        db.session.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        db.session.execute(text("INSERT INTO counter (n) VALUES (1)"))
        db.session.execute(text("CREATE TABLE item (name TEXT NOT NULL UNIQUE)"))
        db.session.commit()
        db.session.remove()
    return flask_app


def _counter(flask_app: Flask) -> int:
    with flask_app.app_context():
        value = db.session.execute(text("SELECT n FROM counter")).scalar_one()
        db.session.remove()
        return value


class ReadThenWrite:
    """A view that reads the counter, waits for ``proceed``, then writes what it read plus 10."""

    def __init__(self, flask_app: Flask) -> None:
        self.read_done = threading.Event()
        self.proceed = threading.Event()
        flask_app.add_url_rule("/test/counter", "test_counter", self.view, methods=["GET", "POST"])

    def view(self) -> Any:
        value = db.session.execute(text("SELECT n FROM counter")).scalar_one()
        self.read_done.set()
        self.proceed.wait(BUSY_TIMEOUT_S)
        db.session.execute(text("UPDATE counter SET n = :n"), {"n": value + 10})
        db.session.commit()
        return jsonify(read=value)


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        started = time.monotonic()
        try:
            outcome["value"] = work()
        except BaseException as problem:  # checked by the test, on its own thread
            outcome["error"] = problem
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_deferred_transaction_that_read_cannot_write_after_another_commit(tmp_path: Path):
    """The failure itself, on a bare engine with the app's pragmas and a plain (deferred) BEGIN."""
    engine = create_engine(f"sqlite:///{tmp_path / 'bare.db'}")
    event.listen(engine, "connect", security._sqlite_pragmas)
    event.listen(engine, "connect", security._sqlite_take_over_begin)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    with engine.begin() as setup:
        setup.exec_driver_sql("CREATE TABLE counter (n INTEGER NOT NULL)")
        setup.exec_driver_sql("INSERT INTO counter (n) VALUES (1)")
    try:
        with engine.connect() as reader, engine.connect() as other:
            reader.begin()
            assert reader.exec_driver_sql("SELECT n FROM counter").scalar_one() == 1
            with other.begin():
                other.exec_driver_sql("UPDATE counter SET n = 2")
            started = time.monotonic()
            with pytest.raises(OperationalError, match="database is locked"):
                reader.exec_driver_sql("UPDATE counter SET n = 11")
            # Refused at once: the 5 s busy timeout was not even tried.
            assert time.monotonic() - started < BUSY_TIMEOUT_S / 2
            assert reader.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 5000
            reader.rollback()
    finally:
        engine.dispose()
    assert _count_on(tmp_path / "bare.db") == 2


def _count_on(path: Path) -> int:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT n FROM counter").scalar_one()
    finally:
        engine.dispose()


def test_a_get_that_writes_after_another_commit_fails_so_the_mark_is_what_helps(file_app: Flask):
    """The read-then-write view under GET (plain BEGIN) answers 503: POST's BEGIN IMMEDIATE is the fix."""
    view = ReadThenWrite(file_app)
    client = file_app.test_client()
    thread, outcome = _in_thread(lambda: client.get("/test/counter"))
    assert view.read_done.wait(BUSY_TIMEOUT_S)
    with file_app.app_context():
        db.session.execute(text("UPDATE counter SET n = 2"))
        db.session.commit()
        db.session.remove()
    view.proceed.set()
    thread.join(2 * BUSY_TIMEOUT_S)
    assert "error" not in outcome
    assert outcome["value"].status_code == 503
    assert _counter(file_app) == 2


def test_a_post_waits_for_another_writer_and_reads_what_it_committed(file_app: Flask):
    view = ReadThenWrite(file_app)
    view.proceed.set()
    begins = _record_begins(_engine(file_app))
    other = _engine(file_app).connect()
    try:
        with security.sqlite_write_transactions():  # this connection takes the write lock first
            other.begin()
        other.exec_driver_sql("UPDATE counter SET n = 2")
        client = file_app.test_client()
        thread, outcome = _in_thread(lambda: client.post("/test/counter"))
        # The request cannot read while the other writer holds the lock: it waits on busy_timeout.
        assert not view.read_done.wait(0.3)
        other.commit()
        thread.join(2 * BUSY_TIMEOUT_S)
    finally:
        other.close()
    assert "error" not in outcome
    response = outcome["value"]
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.get_json() == {"read": 2}  # it saw the other writer's commit
    assert outcome["seconds"] >= 0.3
    assert _counter(file_app) == 12  # neither write was lost
    assert begins == ["BEGIN IMMEDIATE", "BEGIN IMMEDIATE"]  # the other writer's, then the request's


def test_a_second_writer_waits_for_a_post_that_has_read(file_app: Flask):
    """The sequence of the first test, with the reader inside a POST: the other writer queues behind it."""
    view = ReadThenWrite(file_app)
    client = file_app.test_client()
    request_thread, request_outcome = _in_thread(lambda: client.post("/test/counter"))
    assert view.read_done.wait(BUSY_TIMEOUT_S)

    def other_writer() -> None:
        with file_app.app_context():
            db.session.execute(text("UPDATE counter SET n = n * 2"))
            db.session.commit()
            db.session.remove()

    writer_thread, writer_outcome = _in_thread(other_writer)
    time.sleep(0.3)
    view.proceed.set()
    request_thread.join(2 * BUSY_TIMEOUT_S)
    writer_thread.join(2 * BUSY_TIMEOUT_S)
    assert "error" not in request_outcome
    assert "error" not in writer_outcome, writer_outcome.get("error")
    assert request_outcome["value"].status_code == 200
    assert request_outcome["value"].get_json() == {"read": 1}
    assert writer_outcome["seconds"] >= 0.25  # it waited for the request to commit
    assert _counter(file_app) == (1 + 10) * 2  # the request's write, then the other one


def _engine(flask_app: Flask) -> Engine:
    with flask_app.app_context():
        return db.engine


def _items(flask_app: Flask) -> list[str]:
    with flask_app.app_context():
        names = list(db.session.scalars(text("SELECT name FROM item ORDER BY name")))
        db.session.remove()
        return names


def _insert_b_and_a_again_in_a_savepoint() -> None:
    with db.session.begin_nested():
        db.session.execute(text("INSERT INTO item (name) VALUES ('b')"))
        db.session.execute(text("INSERT INTO item (name) VALUES ('a')"))


def _save_items_with_a_failed_savepoint() -> None:
    db.session.execute(text("INSERT INTO item (name) VALUES ('a')"))
    with pytest.raises(IntegrityError):
        _insert_b_and_a_again_in_a_savepoint()
    db.session.execute(text("INSERT INTO item (name) VALUES ('c')"))
    db.session.commit()


@pytest.mark.parametrize(
    ("method", "first_statements"),
    [
        ("POST", ["BEGIN IMMEDIATE", "SAVEPOINT SA_SAVEPOINT_1"]),
        ("DELETE", ["BEGIN IMMEDIATE", "SAVEPOINT SA_SAVEPOINT_1"]),
        ("GET", ["BEGIN", "SAVEPOINT SA_SAVEPOINT_1"]),
        # Outside a request sqlite3 begins by itself at the first INSERT (not seen by the engine).
        (None, ["SAVEPOINT SA_SAVEPOINT_1"]),
    ],
)
def test_a_failed_savepoint_undoes_only_its_own_rows(file_app: Flask, method, first_statements):
    begins = _record_begins(_engine(file_app))
    if method is None:
        with file_app.app_context():
            _save_items_with_a_failed_savepoint()
            db.session.remove()
    else:

        def view() -> str:
            _save_items_with_a_failed_savepoint()
            return "saved"

        file_app.add_url_rule("/test/items", "test_items", view, methods=[method])
        response = file_app.test_client().open("/test/items", method=method)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert begins == first_statements
    assert _items(file_app) == ["a", "c"]


def test_outside_a_request_reading_then_writing_after_another_commit_still_works(file_app: Flask):
    """Commands and services keep sqlite3's own BEGIN at the first write, so their reads hold no snapshot."""
    with file_app.app_context():
        value = db.session.execute(text("SELECT n FROM counter")).scalar_one()
        _bump_elsewhere(file_app)
        db.session.execute(text("UPDATE counter SET n = :n"), {"n": value + 10})
        db.session.commit()
        db.session.remove()
    assert _counter(file_app) == 11  # read before the other commit: that is what such code asks for


def _bump_elsewhere(flask_app: Flask) -> None:
    thread, outcome = _in_thread(lambda: _bump(flask_app))
    thread.join(2 * BUSY_TIMEOUT_S)
    assert "error" not in outcome


def _bump(flask_app: Flask) -> None:
    with flask_app.app_context():
        db.session.execute(text("UPDATE counter SET n = n + 1"))
        db.session.commit()
        db.session.remove()


def test_write_transactions_outside_a_request_take_the_lock_first(file_app: Flask):
    begins = _record_begins(_engine(file_app))
    with file_app.app_context(), security.sqlite_write_transactions():
        value = db.session.execute(text("SELECT n FROM counter")).scalar_one()
        # Another writer now has to wait until this transaction ends.
        thread, outcome = _in_thread(lambda: _bump(file_app))
        time.sleep(0.3)
        db.session.execute(text("UPDATE counter SET n = :n"), {"n": value + 10})
        db.session.commit()
        db.session.remove()
    thread.join(2 * BUSY_TIMEOUT_S)
    assert "error" not in outcome
    assert outcome["seconds"] >= 0.25
    assert begins[0] == "BEGIN IMMEDIATE"
    assert _counter(file_app) == 12


def test_the_write_mark_runs_before_every_other_request_hook(file_app: Flask):
    assert file_app.before_request_funcs[None][0] is security._mark_write_request


def test_requests_that_hash_a_password_do_not_hold_the_lock_while_hashing(file_app: Flask):
    """Sign-in reads the account, runs argon2, then writes: it keeps sqlite3's BEGIN at the first write."""
    rules = file_app.url_map.iter_rules()
    post_endpoints = {rule.endpoint for rule in rules if "POST" in (rule.methods or ())}
    assert security.BEGIN_AT_FIRST_WRITE - post_endpoints == set()
    with file_app.app_context():
        make_user(email="signs-in@example.org")
        db.session.remove()
    begins = _record_begins(_engine(file_app))
    client = file_app.test_client()
    response = client.post("/login", data={"email": "signs-in@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert begins == []  # sqlite3 began the transaction itself, at the first UPDATE
    assert client.post("/logout").status_code == 302  # other writes still take the lock first
    assert begins[0] == "BEGIN IMMEDIATE"


def test_in_memory_and_postgresql_engines_are_left_to_the_driver(app: Flask):
    """The suite's default engine (in-memory SQLite, or PostgreSQL) gets no BEGIN of ours and no mark."""
    assert not event.contains(db.engine, "begin", security._sqlite_begin)
    assert security._mark_write_request not in app.before_request_funcs.get(None, [])


# --- Through the real web app -------------------------------------------------------------------

PEOPLE = 8


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
    begins = _record_begins(_engine(file_app))
    barrier = threading.Barrier(PEOPLE)
    statuses: list[int] = []
    lock = threading.Lock()

    def person(token: str, assessment_id: int, hours: int) -> None:
        client = signed_in(file_app.test_client(), SimpleNamespace(session_token=token))  # type: ignore[arg-type]
        barrier.wait(BUSY_TIMEOUT_S)
        answers = [
            client.post(f"/assessments/{assessment_id}/domains/{domain.id}", data=domain_form(domain, 1)),
            client.post("/profile/working-pattern", data={"contract": "part-time", "hours_per_week": hours}),
        ]
        with lock:
            statuses.extend(response.status_code for response in answers)

    threads = [
        _in_thread(partial(person, token, assessment_id, 20 + i))
        for i, (token, assessment_id) in enumerate(people)
    ]
    for thread, _ in threads:
        thread.join(4 * BUSY_TIMEOUT_S)
    assert [outcome.get("error") for _, outcome in threads] == [None] * PEOPLE
    assert sorted(statuses) == [302] * (2 * PEOPLE), statuses
    # Every transaction of every save began by taking the write lock.
    assert begins.count("BEGIN IMMEDIATE") >= 2 * PEOPLE
    assert set(begins) == {"BEGIN IMMEDIATE"}, begins
    with file_app.app_context():
        for i, (_, assessment_id) in enumerate(people):
            stored = db.session.get(Assessment, assessment_id)
            assert len(stored.ratings) == len(domain.criteria)
            profile = db.session.scalars(select(Profile).where(Profile.user_id == stored.user_id)).one()
            assert profile.answers["hours_per_week"] == 20 + i
        db.session.remove()
