"""The cohort version: every change to a programme's cohort rows or EIA notes bumps it, so a cached
designer document is never served once its figures have changed.

Cached EIA and inclusivity-report files are keyed by ``services.cohort_state`` (the programme's
``cohort_version``). A write path that forgot to bump would serve stale figures, so each path is
exercised here (``WRITE_PATHS``), a scan of the source finds every statement that writes
``cohort_record`` (a new one must be added to the list and bump), a property test checks that
after any sequence of changes the cached Word file equals a fresh one, and concurrent changes are
all counted.
"""

from __future__ import annotations

import ast
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.designer import demo, documents, eia, services, tallies
from app.designer.models import (
    CohortFlag,
    CohortRecord,
    CohortTally,
    CohortTallyFlag,
    CohortTallyState,
    CohortVersion,
    RequirementJustification,
)
from app.designer.pages import fitness
from app.extensions import db
from app.journey import services as journey
from app.journey.services import snapshot_for
from app.models import Profile, User
from app.privacy import services as privacy
from assessments.framework import shipped_frameworks
from tests.app.designer.conftest import PROGRAMME, add_people
from tests.app.designer.test_tallies import submit
from tests.fixtures.users import DEFAULT_PASSWORD, make_user
from tests.threads import run_together

ROOT = Path(__file__).resolve().parents[3]
BASE = f"/designer/programmes/{PROGRAMME}"
MIN_CELL = 1
"""Show every group, so each change below is visible in the drafted EIA."""


def _person(consent: bool = True, submitted: int | None = 0) -> User:
    user = make_user()
    db.session.add(Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=consent))
    db.session.commit()
    if submitted is not None:
        submit(user, PROGRAMME, submitted, 1, 40.0 + submitted, submitted)
    return user


def _delete_account(app: Any, user: User) -> None:
    with app.test_request_context():  # deletion also ends the person's session
        privacy.delete_account(user, DEFAULT_PASSWORD, app.config["CERTREADY_REPORT_CACHE_DIR"])


def _untally() -> None:
    """The programme as a database upgraded from before tallies holds it: rows, no tallies."""
    for table in (CohortTally, CohortTallyFlag, CohortTallyState):
        db.session.execute(delete(table).where(table.framework_id == PROGRAMME))
    db.session.commit()


def _justify(user: User) -> None:
    services.save_justification(
        user,
        PROGRAMME,
        "study-time",
        legitimate_aim="Depth",
        proportionality="Part-time route",
        mitigations="",
    )


def _rebuild() -> None:
    tallies.rebuild([PROGRAMME])
    db.session.commit()


def _release_batch(cohort: Cohort) -> None:
    """Two people submit with a batch of two: the second submission releases both."""
    cohort.app.config["CERTREADY_RELEASE_BATCH"] = 2
    submit(_person(submitted=None), PROGRAMME, 1, 2, 61.0, 1)
    submit(cohort.person, PROGRAMME, 2, 2, 75.5, 0)


def _demo(repeat_share: float = 0.0) -> None:
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, 12, seed=5, repeat_share=repeat_share)


@dataclass
class Cohort:
    """Who a change acts on: a counted person, one who withheld consent, and a designer."""

    app: Any
    person: User
    withheld: User
    designer: User


WRITE_PATHS: dict[str, Callable[[Cohort], object]] = {
    "first submission": lambda c: submit(_person(submitted=None), PROGRAMME, 1, 2, 61.0, 1),
    "first submission to a programme not tallied yet": lambda c: (
        _untally(),
        submit(_person(submitted=None), PROGRAMME, 2, 3, 70.0, 2),
    ),
    "resubmission": lambda c: submit(c.person, PROGRAMME, 2, 2, 75.5, 0),
    "consent withdrawn": lambda c: journey.set_consent(c.person, False),
    "consent withdrawn, programme not tallied yet": lambda c: (
        _untally(),
        journey.set_consent(c.person, False),
    ),
    "consent given": lambda c: journey.set_consent(c.withheld, True),
    "consent withdrawn with equality answers erased": lambda c: privacy.withdraw_consent(
        c.person, delete_equality=True
    ),
    "equality answers erased": lambda c: privacy.erase_equality_answers(c.person),
    "account deleted": lambda c: _delete_account(c.app, c.person),
    "rows added in bulk": lambda c: add_people(
        3, answers={"staff_group": "clinical", "contract": "part-time"}, flags={"study-time": "high"}
    ),
    "synthetic cohort added": lambda c: _demo(),
    "synthetic cohort with repeat assessments added": lambda c: _demo(repeat_share=0.5),
    "tallies rebuilt": lambda c: _rebuild(),
    "release batch completed": lambda c: _release_batch(c),
    "justification saved": lambda c: _justify(c.designer),
}


def _cohort(app: Any, designer: User) -> Cohort:
    person = _person()
    withheld = _person(consent=False, submitted=3)
    for index in range(3):
        _person(submitted=index)
    return Cohort(app, person, withheld, designer)


@pytest.mark.parametrize("path", sorted(WRITE_PATHS))
def test_every_write_path_bumps_the_cohort_state(app, designer, path):
    cohort = _cohort(app, designer)
    before = services.cohort_state(PROGRAMME)
    WRITE_PATHS[path](cohort)
    db.session.rollback()  # what is read next was committed by the change itself
    assert services.cohort_state(PROGRAMME) != before


@pytest.mark.parametrize(
    "path",
    [
        "consent withdrawn",
        "consent given",
        "equality answers erased",
        "account deleted",
        "justification saved",
    ],
)
@pytest.mark.app_config(CERTREADY_MIN_CELL=MIN_CELL)
def test_a_cached_eia_is_made_again_after_each_change(app, designer, designer_client, path):
    """End to end: the Word file downloaded after the change carries the changed figures."""
    cohort = _cohort(app, designer)
    first = _docx_text(designer_client.get(f"{BASE}/equality-impact.docx").data)
    assert _docx_text(designer_client.get(f"{BASE}/equality-impact.docx").data) == first
    WRITE_PATHS[path](cohort)
    db.session.rollback()
    after = _docx_text(designer_client.get(f"{BASE}/equality-impact.docx").data)
    assert after != first
    assert after == _fresh_docx_text()


def test_the_state_is_one_primary_key_read_and_starts_as_none(app):
    assert services.cohort_state(PROGRAMME) == "none"
    _person()
    token, version = db.session.execute(
        select(CohortVersion.token, CohortVersion.version).where(CohortVersion.framework_id == PROGRAMME)
    ).one()
    assert services.cohort_state(PROGRAMME) == f"{token}-{version}"
    assert len(token) == 32
    # Another programme's changes leave this one's state alone.
    submit(_person(submitted=None), "chime-chcio", 0, 0, 50.0, 0)
    assert services.cohort_state(PROGRAMME) == f"{token}-{version}"


def test_a_database_made_again_never_reuses_a_state(app):
    _person()
    first = services.cohort_state(PROGRAMME)
    db.session.execute(delete(CohortVersion))
    db.session.commit()
    _person()
    assert services.cohort_state(PROGRAMME).endswith("-1")
    assert services.cohort_state(PROGRAMME) != first


# --------------------------------------------------------------------------- every write path is listed

KNOWN_WRITERS = {
    # function -> the WRITE_PATHS entries that exercise it
    "app/designer/services.py:_write_record": ["first submission", "resubmission"],
    "app/designer/services.py:set_consent_for_user": ["consent withdrawn", "consent given"],
    # called by release_due in the transaction of the submission or consent that completes a batch
    "app/designer/tallies.py:_release": ["first submission", "release batch completed", "consent given"],
    # called by generate (and its add_repeats), in the same transaction as tallies.add_rows (which bumps)
    "app/designer/demo.py:_insert_records": [
        "synthetic cohort added",
        "synthetic cohort with repeat assessments added",
    ],
    "app/privacy/services.py:erase_equality_answers": ["equality answers erased"],
}
"""Every function that writes ``cohort_record`` by name. Account deletion removes rows through
foreign keys (``privacy.delete_account``), which no scan can see: "account deleted" covers it."""
WRITES = {"insert", "update", "delete"}


def _mentions_cohort_record(node: ast.AST) -> bool:
    text = ast.unparse(node)
    return "CohortRecord" in text or "cohort_record" in text or text == "cohort"


def _writers(path: Path, root: Path = ROOT) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            # ``update(CohortRecord)`` or ``sa.update(...)``; not ``a_set.update(...)``.
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            sql_function = isinstance(func, ast.Name) or (
                isinstance(func, ast.Attribute) and ast.unparse(func.value) in ("sa", "sqlalchemy")
            )
            writes = sql_function and name in WRITES and node.args and _mentions_cohort_record(node.args[0])
            constructs = name == "CohortRecord"
            raw_sql = any(
                isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and "cohort_record" in arg.value.lower()
                and any(word in arg.value.upper() for word in ("INSERT", "UPDATE", "DELETE"))
                for arg in node.args
            )
            if writes or constructs or raw_sql:
                found.add(f"{path.relative_to(root).as_posix()}:{function.name}")
    return found


def test_every_statement_that_writes_cohort_rows_is_a_known_write_path():
    """A new writer must bump the cohort version (go through ``tallies.person_changing`` or
    ``tallies.add_rows``) and be added to ``KNOWN_WRITERS`` and ``WRITE_PATHS``."""
    found: set[str] = set()
    for path in sorted((ROOT / "app").rglob("*.py")):
        if "migrations" not in path.parts:
            found |= _writers(path)
    assert found == set(KNOWN_WRITERS)
    assert {name for names in KNOWN_WRITERS.values() for name in names} <= set(WRITE_PATHS)


def test_the_scan_finds_writers_it_does_not_know(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text(
        "def sneaky(session):\n    session.execute(update(CohortRecord).values(consented=False))\n"
        "def raw(connection):\n    connection.exec_driver_sql('DELETE FROM cohort_record')\n"
        "def reader(session):\n    session.execute(select(CohortRecord.id))\n"
    )
    assert _writers(module, tmp_path) == {"probe.py:sneaky", "probe.py:raw"}


# --------------------------------------------------------------------------- cached equals fresh


def _docx_text(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return lines


def _fresh_docx_text() -> list[str]:
    fitness._FIGURES.clear()  # the appendix's figures counted afresh too, not taken from the process
    framework = services.programme(PROGRAMME)
    return _docx_text(documents.eia_docx(eia.draft(framework, MIN_CELL), today=date.today().isoformat()))


PEOPLE = 4
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("submit"),
            st.integers(0, PEOPLE - 1),
            st.integers(0, 3),
            st.integers(0, 3),
            st.integers(0, 3),
        ),
        st.tuples(st.just("consent"), st.integers(0, PEOPLE - 1), st.booleans()),
        st.tuples(st.just("erase"), st.integers(0, PEOPLE - 1)),
        st.tuples(st.just("delete"), st.integers(0, PEOPLE - 1)),
        st.tuples(
            st.just("justify"),
            st.sampled_from(["study-time", "residential-stays"]),
            st.text(min_size=1, max_size=8, alphabet="abcdefgh "),
        ),
        st.tuples(st.just("bulk"), st.integers(1, 3)),
    ),
    min_size=1,
    max_size=5,
)


@pytest.mark.app_config(CERTREADY_MIN_CELL=MIN_CELL)
@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=steps)
def test_after_any_changes_the_cached_document_equals_a_fresh_one(app, designer, designer_client, changes):
    # Hypothesis reuses the test's database: start each example from an empty one, as a new
    # database (a new version token) would.
    for table in (CohortFlag, CohortRecord, CohortTally, CohortTallyFlag, CohortTallyState, CohortVersion):
        db.session.execute(delete(table))
    db.session.execute(delete(RequirementJustification))
    db.session.commit()
    designer_id = db.session.scalar(select(User.id).where(User.role == "designer"))  # may be detached
    people: list[int | None] = [_person(submitted=index % 4).id for index in range(PEOPLE)]
    designer_client.get(f"{BASE}/equality-impact.docx")  # cached before any change
    for change in changes:
        kind = change[0]
        if kind == "justify":
            services.save_justification(
                db.session.get(User, designer_id),
                PROGRAMME,
                change[1],
                legitimate_aim=change[2],
                proportionality="p",
                mitigations="",
            )
        elif kind == "bulk":
            add_people(change[1], answers={"staff_group": "non-clinical", "contract": "job-share"})
        else:
            user_id = people[change[1]]
            if user_id is None:
                continue
            person = db.session.get(User, user_id)
            if kind == "submit":
                submit(person, PROGRAMME, change[2], change[3], 30.0 + change[4] * 10, change[4])
            elif kind == "consent":
                journey.set_consent(person, change[2])
            elif kind == "erase":
                privacy.erase_equality_answers(person)
            else:
                _delete_account(app, person)
                people[change[1]] = None
        db.session.rollback()
        served = _docx_text(designer_client.get(f"{BASE}/equality-impact.docx").data)
        assert served == _fresh_docx_text(), change


# --------------------------------------------------------------------------- concurrency


def test_concurrent_changes_are_all_counted(app, make_app):
    """Eight people change their consent three times each, at once, on separate connections:
    the version goes up by exactly 24 (no bump is lost to another)."""
    if db.engine.dialect.name == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        second = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{app.instance_path}/versions.db")
    else:
        second = app
    with second.app_context():
        db.create_all()
        users = [_person(submitted=index % 4).id for index in range(8)]
        start = tallies.versions([PROGRAMME])[PROGRAMME][1]
    barrier = threading.Barrier(len(users))

    def work(user_id: int) -> None:
        with second.app_context():
            user = db.session.get(User, user_id)
            barrier.wait()
            for attempt in range(3):
                journey.set_consent(user, attempt % 2 == 1)

    assert run_together(work, [(user_id,) for user_id in users]) == []
    with second.app_context():
        assert tallies.versions([PROGRAMME])[PROGRAMME][1] == start + 3 * len(users)
