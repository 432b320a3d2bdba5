"""The designer's tallies agree with the rows they count, through every way those rows change.

The dashboard reads one grouping from ``cohort_tally``/``cohort_tally_flag``; intersections and
programmes not yet tallied read ``cohort_record`` itself (``queries.live_group_counts``). Both
must give the same figures, whatever sequence of submissions, retakes, consent changes,
equality erasures and account deletions came before.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask_migrate import stamp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, func, insert, select, text, update

from app.designer import demo, queries, services, tallies
from app.designer.fields import profile_columns
from app.designer.models import CohortFlag, CohortRecord, CohortTally, CohortTallyFlag, CohortTallyState
from app.extensions import db
from app.journey import services as journey
from app.journey.services import snapshot_for
from app.models import Assessment, Profile, User
from app.privacy import services as privacy
from assessments.cohort import GroupCounts
from assessments.framework import shipped_frameworks
from assessments.scoring import band_for
from tests.app.designer.conftest import PROGRAMME, add_people, scored_assessment
from tests.fixtures.users import DEFAULT_PASSWORD, make_user
from tests.threads import run_together

OTHER = "chime-chcio"
COMPARED = ("contract", "caring", "sex", "learning_route", "staff_group", "ethnic_group")
FLAGS = [
    [],
    [{"rule": "residential-stays", "category": "attendance", "severity": "high"}],
    [
        {"rule": "residential-stays", "category": "attendance", "severity": "medium"},
        {"rule": "minimum-qualification", "category": "eligibility-qualification", "severity": "high"},
    ],
    [{"rule": "minimum-qualification", "category": "eligibility-qualification", "severity": "undetermined"}],
]
ANSWERS = [
    {"staff_group": "clinical", "contract": "full-time", "learning_routes": ["formal-education"]},
    {"staff_group": "clinical", "contract": "part-time", "caring_responsibilities": True},
    {"staff_group": "non-clinical", "contract": "job-share", "learning_routes": ["hackathon", "start-up"]},
    {"staff_group": "non-clinical"},
]
EQUALITY = [{}, {"sex": "female", "ethnic_group": "asian"}, {"sex": "prefer-not-to-say"}, {"sex": "male"}]


def assert_same(tallied: list[GroupCounts], live: list[GroupCounts]) -> None:
    assert tallies.differences(tallied, live) == []


def assert_tallies_match_rows() -> None:
    assert tallies.check() == []
    for framework_id in tallies.built():
        for grouping in COMPARED:
            assert_same(
                queries.group_counts(framework_id, grouping),
                queries.live_group_counts(framework_id, grouping),
            )


def submit(
    user: User, framework_id: str, answers_index: int, equality_index: int, score: float, flags_index: int
):
    """A scored submission recorded as the journey's submit does (``services.record_submission``)."""
    assessment = scored_assessment(
        user,
        ANSWERS[answers_index],
        score,
        FLAGS[flags_index],
        framework_id=framework_id,
        equality=EQUALITY[equality_index],
        no_opportunity=flags_index,
        unrated=answers_index % 2,
        criteria=6,
    )
    services.record_submission(assessment)
    db.session.commit()


def _wipe() -> None:
    for table in (CohortFlag, CohortRecord, CohortTally, CohortTallyFlag, CohortTallyState):
        db.session.execute(delete(table))
    db.session.commit()


def cohort_changes(people: int, max_size: int) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    """Sequences of what can happen to ``people`` people's cohort rows: submit, consent, erase, delete."""
    who = st.integers(0, people - 1)
    return st.lists(
        st.one_of(
            st.tuples(
                st.just("submit"),
                who,
                st.sampled_from([PROGRAMME, OTHER]),
                st.integers(0, 3),
                st.integers(0, 3),
                st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 4)),
                st.integers(0, 3),
            ),
            st.tuples(st.just("consent"), who, st.booleans()),
            st.tuples(st.just("erase"), who),
            st.tuples(st.just("delete"), who),
        ),
        min_size=1,
        max_size=max_size,
    )


def run_change(app, user: User, step: tuple[Any, ...]) -> bool:
    """Carry out one step of ``cohort_changes`` for ``user`` through the services; True if deleted."""
    if step[0] == "submit":
        submit(user, *step[2:])
    elif step[0] == "consent":
        journey.set_consent(user, step[2])
    elif step[0] == "erase":
        privacy.erase_equality_answers(user)
    else:
        with app.test_request_context():  # deletion also ends the person's session
            privacy.delete_account(user, DEFAULT_PASSWORD, app.config["CERTREADY_REPORT_CACHE_DIR"])
        return True
    return False


operations = cohort_changes(people=4, max_size=14)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations, consents=st.lists(st.booleans(), min_size=4, max_size=4))
def test_tallies_follow_every_change_to_the_rows(app, steps: list[tuple[Any, ...]], consents: list[bool]):
    _wipe()
    users: list[int | None] = []
    for consent in consents:
        user = make_user()
        db.session.add(Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=consent))
        users.append(user.id)
    db.session.commit()
    for step in steps:
        user_id = users[step[1]]
        if user_id is None:
            continue
        if run_change(app, db.session.get(User, user_id), step):
            users[step[1]] = None
        assert tallies.check() == [], step
    assert_tallies_match_rows()
    # Every programme that got a submission through the services is tallied from its first one.
    with_rows = set(db.session.scalars(select(CohortRecord.framework_id).distinct()))
    assert with_rows <= tallies.built()


def test_a_retake_moves_the_person_between_groups_and_bands(app, make_user):
    user = make_user()
    db.session.add(Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=True))
    db.session.commit()
    submit(user, PROGRAMME, 0, 1, 35.25, 1)  # full time, emerging, residential (high)
    [group] = queries.group_counts(PROGRAMME, "contract")
    assert (group.group, group.n, dict(group.bands), group.flagged_for("high:attendance")) == (
        "full-time",
        1,
        {band_for(35.25): 1},
        1,
    )
    submit(user, PROGRAMME, 1, 1, 81.5, 0)  # retake: part time, no flags
    [group] = queries.group_counts(PROGRAMME, "contract")
    assert (group.group, group.n, dict(group.bands), dict(group.flagged), group.median) == (
        "part-time",
        1,
        {band_for(81.5): 1},
        {},
        81.5,
    )
    assert group.readiness_sum == pytest.approx(81.5)
    # The full-time rows are still in the table at zero people, and are not shown.
    zero = db.session.scalars(
        select(CohortTally.people).where(CohortTally.grouping == "contract", CohortTally.value == "full-time")
    ).all()
    assert zero == [0]
    assert_tallies_match_rows()


def test_the_overview_reads_the_tallies_and_matches_the_rows(app):
    add_people(
        12,
        answers={"staff_group": "clinical", "contract": "part-time"},
        score=40.0,
        flags={"residential-stays": "high"},
    )
    add_people(8, answers={"staff_group": "non-clinical"}, score=70.0, flags={"residential-stays": "low"})
    add_people(5, answers={"staff_group": "non-clinical"}, score=90.0)
    figures = queries.programme_figures()[PROGRAMME]
    assert (figures.participants, figures.any_flag, figures.any_high) == (25, 20, 12)
    assert figures.readiness_mean == pytest.approx((12 * 40 + 8 * 70 + 5 * 90) / 25)
    assert figures.versions == (shipped_frameworks()[PROGRAMME].version,)


def _raw_rows(count: int, framework_id: str = PROGRAMME) -> None:
    """Rows written behind the tallies' back, as a database upgraded from before tallies holds them."""
    framework = shipped_frameworks()[framework_id]
    snapshot = snapshot_for(framework)
    for index in range(count):
        user = make_user()
        assessment = Assessment(
            user_id=user.id,
            framework_id=framework_id,
            framework_version=framework.version,
            snapshot_id=snapshot.id,
            status="submitted",
            score=30.0 + index,
            band=band_for(30.0 + index),
        )
        db.session.add(assessment)
        db.session.flush()
        db.session.execute(
            insert(CohortRecord).values(
                assessment_id=assessment.id,
                user_id=user.id,
                framework_id=framework_id,
                framework_version=framework.version,
                is_latest=True,
                released=True,
                counted=True,
                consented=True,
                score=30.0 + index,
                band=band_for(30.0 + index),
                flag_mask=0,
                high_mask=0,
                undetermined_mask=0,
                **profile_columns({"staff_group": "clinical", "contract": "part-time"}, {}),
            )
        )
    db.session.commit()


def test_a_programme_with_rows_but_no_tallies_is_read_from_its_rows_until_built(app, make_user):
    _raw_rows(11)
    assert not tallies.is_built(PROGRAMME)
    tallies.start_if_new(PROGRAMME)  # rows exist: starting now would miss them
    assert not tallies.is_built(PROGRAMME)
    user = make_user()
    db.session.add(Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=True))
    db.session.commit()
    submit(user, PROGRAMME, 1, 0, 50.0, 0)  # a submission meanwhile is still counted (from rows)
    assert not tallies.is_built(PROGRAMME)
    [group] = queries.group_counts(PROGRAMME, "contract")
    assert group.n == 12
    assert tallies.rebuild_missing() == [PROGRAMME]
    db.session.commit()
    assert tallies.is_built(PROGRAMME)
    assert tallies.rebuild_missing() == []
    assert_same(queries.group_counts(PROGRAMME, "contract"), [group])
    assert_tallies_match_rows()


def test_init_db_builds_missing_tallies(app):
    _raw_rows(3)
    stamp()  # the test tables are made by create_all: mark them as migrated, so only the build runs
    try:
        result = app.test_cli_runner().invoke(args=["init-db"])
    finally:
        with db.engine.begin() as connection:  # no later test on this database may think it migrated
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    assert result.exit_code == 0, result.output
    assert f"Counted the designer's tallies for {PROGRAMME}." in result.output
    assert tallies.is_built(PROGRAMME)
    assert_tallies_match_rows()


def test_cli_check_finds_a_row_changed_behind_the_tallies_and_rebuild_mends_it(app):
    add_people(10, answers={"staff_group": "clinical", "contract": "part-time"}, score=55.0)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cohort-tallies"])
    assert result.exit_code == 0, result.output
    assert "The tallies of 1 programme(s) match a recount." in result.output
    db.session.execute(
        update(CohortRecord)
        .where(CohortRecord.id == select(func.min(CohortRecord.id)).scalar_subquery())
        .values(contract="full-time")
    )
    db.session.commit()
    result = runner.invoke(args=["cohort-tallies"])
    assert result.exit_code == 1
    # Kept minus recounted: the moved person is still tallied as part time, not yet as full time.
    assert f"{PROGRAMME} contract=full-time band developing score 55.0: off by people -1" in result.output
    assert f"{PROGRAMME} contract=part-time band developing score 55.0: off by people +1" in result.output
    assert "cohort-tallies --rebuild" in result.output
    result = runner.invoke(args=["cohort-tallies", "--rebuild", "--framework", PROGRAMME])
    assert result.exit_code == 0, result.output
    assert f"Rebuilt the tallies of 1 programme(s): {PROGRAMME}." in result.output
    assert runner.invoke(args=["cohort-tallies"]).exit_code == 0
    counts = {group.group: group.n for group in queries.group_counts(PROGRAMME, "contract")}
    assert counts == {"full-time": 1, "part-time": 9}


def test_cli_rejects_an_unknown_programme(app):
    result = app.test_cli_runner().invoke(args=["cohort-tallies", "--framework", "no-such-programme"])
    assert result.exit_code == 2
    assert "unknown framework 'no-such-programme'" in result.output


def test_everyone_withdrawing_leaves_no_group(app):
    ids = add_people(3, answers={"staff_group": "clinical"}, score=50.0, flags={"residential-stays": "high"})
    for user_id in ids:
        journey.set_consent(db.session.get(User, user_id), False)
    assert queries.group_counts(PROGRAMME, "staff_group") == []
    assert PROGRAMME not in queries.programme_figures()
    assert_tallies_match_rows()


LOCK_WAIT_MS = 120_000
"""How long a writer in the concurrent test waits for SQLite's one write lock (the app waits 5 s)."""


def _wait_longer_for_the_write_lock(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")


@pytest.mark.parametrize("batch", [1, 3])
def test_concurrent_changes_leave_the_tallies_exact(app, make_app, tmp_path, batch):
    """Eight people change at once (submit, withdraw, consent again) on separate connections.

    With a release batch of 3, submissions and consent given again also release batches of other
    people's rows while those people change: the tallies must still agree with a recount.

    On SQLite the eight writers queue for one write lock, and SQLite's busy handler is not
    first-come first-served: on a loaded machine a writer could wait longer than the app's 5 s
    ``busy_timeout`` and fail with "database is locked", which says nothing about the tallies.
    So this test's connections wait up to two minutes; what it asserts is unchanged. The file is
    the test's own (``tmp_path``), not one shared by every run in the instance folder.
    """
    if db.engine.dialect.name == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        second = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/concurrent.db")
        with second.app_context():
            # Runs after the app's own pragmas (listeners run in the order they were added).
            event.listen(db.engine, "connect", _wait_longer_for_the_write_lock)
            db.engine.dispose()
            assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == LOCK_WAIT_MS
            db.session.remove()
    else:
        second = app
    second.config["CERTREADY_RELEASE_BATCH"] = batch
    with second.app_context():
        db.create_all()
        users = []
        for _ in range(8):
            user = make_user()
            db.session.add(Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=True))
            users.append(user.id)
        db.session.commit()

    def work(user_id: int, index: int) -> None:
        with second.app_context():
            user = db.session.get(User, user_id)
            for attempt in range(3):
                submit(user, PROGRAMME, index % 4, index % 4, 20.0 + index * 7.25 + attempt, index % 4)
                journey.set_consent(user, attempt % 2 == 1)

    errors = run_together(work, [(user_id, i) for i, user_id in enumerate(users)])
    assert [repr(problem) for problem in errors] == []
    with second.app_context():
        assert tallies.is_built(PROGRAMME)
        assert_tallies_match_rows()
        assert sum(group.n for group in queries.group_counts(PROGRAMME, "contract")) == 0
        for user_id in users[:3]:
            journey.set_consent(db.session.get(User, user_id), True)
        # With a batch of 3 the third consent releases all three at once.
        assert sum(group.n for group in queries.group_counts(PROGRAMME, "contract")) == 3
        assert_tallies_match_rows()


def test_a_large_synthetic_cohort_is_counted_in_as_it_is_written(app):
    framework = shipped_frameworks()[PROGRAMME]
    written = demo.generate(framework, snapshot_for(framework).id, demo.BATCH + 1500, seed=3)
    assert written == demo.BATCH + 1500
    assert tallies.is_built(PROGRAMME)
    assert sum(group.n for group in queries.group_counts(PROGRAMME, "sex")) == written
    assert_tallies_match_rows()


def test_differences_name_what_disagrees():
    a = GroupCounts(group="part-time", n=2, readiness_sum=100.0, readiness_sumsq=5002.0, bands={"ready": 2})
    b = GroupCounts(group="part-time", n=2, readiness_sum=100.01, readiness_sumsq=5002.0, bands={"ready": 2})
    assert tallies.differences([a], [a]) == []
    assert tallies.differences([a], [b]) == ["part-time: score sum 100.0 != 100.01"]
    c = GroupCounts(
        group="part-time", n=2, readiness_sum=100.0, readiness_sumsq=5002.0, bands={"developing": 2}
    )
    assert tallies.differences([a], [c]) == ["part-time: bands {'ready': 2} != {'developing': 2}"]
    assert tallies.differences([a], []) == ["groups ['part-time'] != []"]
