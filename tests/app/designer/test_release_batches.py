"""Release batches: designer figures change only when enough people's submissions are waiting.

A submission (or retake) waits until at least ``CERTREADY_RELEASE_BATCH`` consenting people are
waiting in its programme; then all of them are released at once, in the transaction of the
submission that completed the batch. A withdrawal of consent, erasing equality answers and
deleting the account still change the figures at once. Whatever the sequence, the tallies agree
with a recount, and every change that is not one of those three moves the figures of no one or
of at least a batch of people.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.designer import queries, services, tallies
from app.designer.models import CohortFlag, CohortRecord, CohortTally, CohortTallyFlag, CohortTallyState
from app.designer.pages import impact
from app.extensions import db
from app.journey import services as journey
from app.models import Profile, User
from app.privacy import services as privacy
from tests.app.designer.conftest import PROGRAMME
from tests.app.designer.test_tallies import OTHER, cohort_changes, run_change, submit
from tests.fixtures.users import DEFAULT_PASSWORD, make_user

GROUPINGS = ("contract", "sex", "staff_group")


def _person(consent: bool = True) -> User:
    user = make_user()
    db.session.add(Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=consent))
    db.session.commit()
    return user


def _figures(framework_id: str = PROGRAMME) -> dict[str, Any]:
    """What the designer figures are made of, read straight from the rows (no tallies, no cache)."""
    return {
        grouping: [
            (g.group, g.n, dict(g.bands), dict(g.flagged), round(g.readiness_sum, 6))
            for g in queries.live_group_counts(framework_id, grouping)
        ]
        for grouping in GROUPINGS
    }


def _participants(framework_id: str = PROGRAMME) -> int:
    return sum(g.n for g in queries.live_group_counts(framework_id, "staff_group"))


def _published() -> dict[tuple[int, str], int]:
    """(person, programme) -> the row the figures count for them, for everyone counted."""
    rows = db.session.execute(
        queries.counted(select(CohortRecord.user_id, CohortRecord.framework_id, CohortRecord.id))
    )
    return {(user_id, framework_id): record_id for user_id, framework_id, record_id in rows}


def _user(user_id: int) -> User:
    """The person again, in the current session (deleting an account ends the session it ran in)."""
    return db.session.get(User, user_id)


def _delete(app, user: User) -> None:
    with app.test_request_context():  # deletion also ends the person's session
        privacy.delete_account(user, DEFAULT_PASSWORD, app.config["CERTREADY_REPORT_CACHE_DIR"])


@pytest.mark.app_config(CERTREADY_RELEASE_BATCH=3)
def test_submissions_wait_for_a_batch_then_count_together(app):
    first, second, third = _person(), _person(), _person()
    submit(first, PROGRAMME, 0, 1, 40.0, 1)
    submit(second, PROGRAMME, 1, 2, 60.0, 0)
    assert _participants() == 0
    assert _published() == {}
    submit(third, PROGRAMME, 2, 3, 80.0, 2)
    assert _participants() == 3
    assert tallies.check() == []


@pytest.mark.app_config(CERTREADY_RELEASE_BATCH=2)
def test_a_waiting_submission_leaves_cached_documents_current_and_a_release_does_not(app):
    submit(_person(), PROGRAMME, 0, 1, 40.0, 1)
    submit(_person(), PROGRAMME, 1, 2, 60.0, 0)
    released = services.cohort_state(PROGRAMME)
    submit(_person(), PROGRAMME, 2, 3, 80.0, 2)
    assert services.cohort_state(PROGRAMME) == released  # figures unchanged: documents still good
    submit(_person(), PROGRAMME, 3, 0, 20.0, 3)
    assert services.cohort_state(PROGRAMME) != released


@pytest.mark.app_config(CERTREADY_RELEASE_BATCH=2)
def test_a_retake_while_waiting_replaces_the_waiting_row_and_is_still_one_person(app):
    counted, other = _person(), _person()
    submit(counted, PROGRAMME, 0, 1, 40.0, 1)
    submit(other, PROGRAMME, 3, 0, 30.0, 0)  # a batch of two: both counted
    before = _figures()
    counted_row = _published()[(counted.id, PROGRAMME)]
    submit(counted, PROGRAMME, 1, 2, 70.0, 0)  # waiting
    submit(counted, PROGRAMME, 2, 3, 90.0, 2)  # a retake while waiting: still one person
    assert _figures() == before
    assert _published()[(counted.id, PROGRAMME)] == counted_row
    newcomer = _person()
    submit(newcomer, PROGRAMME, 1, 1, 55.0, 3)  # the second person: the batch is released
    published = _published()
    newest = db.session.scalar(
        select(CohortRecord.id).where(
            CohortRecord.user_id == counted.id, CohortRecord.is_latest.is_(True), CohortRecord.released
        )
    )
    assert published[(counted.id, PROGRAMME)] == newest != counted_row
    assert (newcomer.id, PROGRAMME) in published
    # The replaced retake was never published: Impact over time never reads it either.
    never = db.session.scalars(
        select(CohortRecord.score).where(CohortRecord.user_id == counted.id, CohortRecord.released.is_(False))
    ).all()
    assert never == [70.0]
    assert tallies.check() == []


@pytest.mark.app_config(CERTREADY_RELEASE_BATCH=2)
def test_a_person_who_withdraws_while_waiting_does_not_make_up_a_batch(app):
    leaving, second, third = _person(), _person(), _person()
    submit(leaving, PROGRAMME, 0, 1, 40.0, 1)
    journey.set_consent(leaving, False)
    submit(second, PROGRAMME, 1, 2, 60.0, 0)
    # Two people wait, but only one consents: releasing them would show one person's answers.
    assert _participants() == 0
    submit(third, PROGRAMME, 2, 3, 80.0, 2)
    assert _participants() == 2
    assert (leaving.id, PROGRAMME) not in _published()
    assert tallies.check() == []


@pytest.mark.app_config(CERTREADY_RELEASE_BATCH=2)
def test_a_waiting_person_who_deletes_their_account_leaves_the_batch(app):
    leaving, second, third = _person(), _person().id, _person().id
    submit(leaving, PROGRAMME, 0, 1, 40.0, 1)
    _delete(app, leaving)
    submit(_user(second), PROGRAMME, 1, 2, 60.0, 0)
    assert _participants() == 0
    submit(_user(third), PROGRAMME, 2, 3, 80.0, 2)
    assert _participants() == 2
    assert tallies.check() == []


@pytest.mark.app_config(CERTREADY_RELEASE_BATCH=3)
def test_withdrawal_erasure_and_deletion_of_a_counted_person_apply_at_once(app):
    people = [_person().id for _ in range(6)]
    for index, user_id in enumerate(people):
        submit(_user(user_id), PROGRAMME, index % 4, index % 4, 40.0 + index, index % 4)
    assert _participants() == 6
    journey.set_consent(_user(people[0]), False)
    assert _participants() == 5
    _delete(app, _user(people[1]))
    assert _participants() == 4
    sexes = {g.group: g.n for g in queries.live_group_counts(PROGRAMME, "sex")}
    privacy.erase_equality_answers(_user(people[2]))  # EQUALITY[2]: prefer not to say
    after = {g.group: g.n for g in queries.live_group_counts(PROGRAMME, "sex")}
    assert after != sexes
    assert sum(after.values()) == 4
    assert tallies.check() == []


@pytest.mark.app_config(CERTREADY_RELEASE_BATCH=2)
def test_consent_given_again_waits_for_the_next_batch(app):
    returning, other = _person(), _person()
    submit(returning, PROGRAMME, 0, 1, 40.0, 1)
    submit(other, PROGRAMME, 1, 2, 60.0, 0)
    journey.set_consent(returning, False)  # at once
    assert _participants() == 1
    journey.set_consent(returning, True)  # waits: one person coming back is one person's answers
    assert _participants() == 1
    assert (returning.id, PROGRAMME) not in _published()
    submit(_person(), PROGRAMME, 2, 3, 80.0, 2)  # completes the batch of two
    assert _participants() == 3
    assert (returning.id, PROGRAMME) in _published()
    assert tallies.check() == []


@pytest.mark.app_config(CERTREADY_RELEASE_BATCH=2)
def test_submissions_of_people_who_do_not_consent_are_released_at_once_and_count_once_they_do(app):
    """Released at once they show in no figure; consent given later brings both into Impact over time."""
    quiet = _person(consent=False)
    submit(quiet, PROGRAMME, 0, 1, 40.0, 1)
    submit(quiet, PROGRAMME, 1, 1, 60.0, 0)
    rows = db.session.execute(
        select(CohortRecord.score, CohortRecord.released, CohortRecord.counted)
        .where(CohortRecord.user_id == quiet.id)
        .order_by(CohortRecord.id)
    ).all()
    assert [tuple(row) for row in rows] == [(40.0, True, False), (60.0, True, True)]
    assert _participants() == 0
    journey.set_consent(quiet, True)  # waits for a batch of two
    assert _participants() == 0
    assert list(impact._people(PROGRAMME, None)) == []
    submit(_person(), PROGRAMME, 2, 3, 80.0, 2)
    assert _participants() == 2
    [repeater] = impact._people(PROGRAMME, None)
    assert repeater.change == pytest.approx(20.0)
    assert tallies.check() == []


def test_with_a_batch_of_one_every_submission_counts_at_once(app):
    user = _person()
    submit(user, PROGRAMME, 0, 1, 40.0, 1)
    assert _participants() == 1
    submit(user, PROGRAMME, 1, 2, 70.0, 0)
    [only] = list(_published().values())
    assert db.session.get(CohortRecord, only).score == 70.0


# --------------------------------------------------------------------------- any sequence


def _wipe() -> None:
    for table in (CohortFlag, CohortRecord, CohortTally, CohortTallyFlag, CohortTallyState):
        db.session.execute(delete(table))
    db.session.commit()


def _waiting_consenting(framework_id: str) -> int:
    waiting = db.session.scalars(
        select(CohortRecord.user_id)
        .join(Profile, Profile.user_id == CohortRecord.user_id)
        .where(
            CohortRecord.framework_id == framework_id,
            CohortRecord.is_latest.is_(True),
            CohortRecord.released.is_(False),
            Profile.consent_aggregate.is_(True),
        )
    ).all()
    return len(set(waiting))


operations = cohort_changes(people=5, max_size=16)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    batch=st.integers(1, 4),
    steps=operations,
    consents=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_any_sequence_keeps_tallies_right_and_moves_figures_only_in_batches(
    app, batch: int, steps: list[tuple[Any, ...]], consents: list[bool]
):
    _wipe()
    app.config["CERTREADY_RELEASE_BATCH"] = batch
    users: list[int | None] = [_person(consent).id for consent in consents]
    for step in steps:
        user_id = users[step[1]]
        if user_id is None:
            continue
        before = _published()
        if run_change(app, db.session.get(User, user_id), step):
            users[step[1]] = None
        after = _published()
        assert tallies.check() == [], step
        changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        if step[0] == "submit" or (step[0] == "consent" and step[2]):
            # Nobody's counted submission changes, or a whole batch's does (per programme).
            for framework_id in (PROGRAMME, OTHER):
                moved = {key for key in changed if key[1] == framework_id}
                assert len(moved) in (0, *range(batch, len(users) + 1)), (step, moved)
        else:
            # Withdrawal, erasure and deletion: at once, and only the person themselves.
            assert {key[0] for key in changed} <= {user_id}, step
        # A batch is released as soon as it is complete: never left waiting.
        for framework_id in (PROGRAMME, OTHER):
            assert _waiting_consenting(framework_id) < batch, step
        # Everyone counted once per programme, on a released row, or on a row whose consent
        # given again waits for the next batch (not in any figure until then).
        counted = db.session.execute(
            select(
                CohortRecord.user_id, CohortRecord.framework_id, CohortRecord.released, CohortRecord.consented
            ).where(CohortRecord.counted.is_(True))
        ).all()
        assert len(counted) == len({(row.user_id, row.framework_id) for row in counted})
        assert all(row.released or not row.consented for row in counted)


def test_the_release_batch_is_read_from_the_settings(app):
    assert services.release_batch() == app.config["CERTREADY_RELEASE_BATCH"] == 1


# --------------------------------------------------------------------------- what designers read

BATCH_TEXT = (
    "Figures are updated in batches: they change only once at least 3 people have new or changed "
    "submissions, so that comparing the pages before and after cannot reveal one person’s answers. "
    "The newest submissions may not be counted yet."
)


@pytest.mark.app_config(CERTREADY_RELEASE_BATCH=3)
def test_the_overview_and_dashboard_say_figures_change_in_batches_without_saying_who_waits(
    app, designer_client, pages
):
    for user in (_person(), _person()):
        submit(user, PROGRAMME, 0, 1, 40.0, 1)  # two people waiting
    pages.client = designer_client
    for path in ("/designer/", f"/designer/programmes/{PROGRAMME}?by=contract"):
        note = pages.get(path).select_one("#release-batches").get_text(" ", strip=True)
        assert note.startswith(BATCH_TEXT), path
        assert "2" not in note  # never how many are waiting


def test_with_a_batch_of_one_the_pages_say_every_submission_counts(app, designer_client, pages):
    pages.client = designer_client
    note = pages.get(f"/designer/programmes/{PROGRAMME}").select_one("#release-batches")
    assert note.get_text(" ", strip=True) == "Figures are updated with every submission."
