"""The attacker who differences over time: read everything, wait for one known person, read again.

A designer who knows that one particular person is about to submit (or retake) reads every
figure published about the programme, waits for that submission and reads them all again: any
group or flag that moved by one is that person's answers. With release batches
(``CERTREADY_RELEASE_BATCH``, by default the minimum cell) the second reading is identical to
the first, byte for byte, across everything a designer can reach: the overview, the dashboard
for every grouping, its CSVs, the rules page and its CSV, fit for purpose, impact over time, the
EIA draft and ``certready cohort --json`` for every grouping. Only when ``min_cell - 1`` more
people have submitted do the figures change, and then the change covers at least ``min_cell``
people: the difference is a group of the size the figures may show.

(Withdrawal of consent, erasing equality answers and deleting an account still apply at once;
``tests/app/designer/test_release_batches.py`` covers them. The what-if's and saved scenarios'
differencing across queries is a separate limit: docs/inclusivity-statistics.md.)
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.designer import queries
from app.designer.fields import GROUPINGS
from app.designer.models import CohortRecord
from app.extensions import db
from app.models import Profile, User
from tests.app.designer.conftest import PROGRAMME, add_people
from tests.app.designer.test_tallies import submit
from tests.fixtures.pages import without_csrf_tokens
from tests.fixtures.users import make_user

MIN_CELL = 3
BASE = f"/designer/programmes/{PROGRAMME}"
"""The sign-out form's token carries the time it was made: the only thing on a page that moves."""
SEVERAL = {"residential-stays": "high", "minimum-qualification": "medium"}


def _cohort() -> int:
    """A cohort whose groups are all shown at a minimum cell of 3, and the known person's id."""
    add_people(
        6,
        answers={"staff_group": "clinical", "contract": "full-time"},
        equality={"sex": "female"},
        score=40.0,
        flags=SEVERAL,
    )
    add_people(5, answers={"staff_group": "clinical", "contract": "part-time"}, equality={"sex": "male"})
    add_people(
        4,
        answers={"staff_group": "non-clinical", "contract": "job-share"},
        equality={"sex": "female"},
        score=70.0,
        flags={"residential-stays": "low"},
    )
    [known] = add_people(
        1,
        answers={"staff_group": "clinical", "contract": "full-time"},
        equality={"sex": "female"},
        score=45.0,
        flags=SEVERAL,
    )
    return known


def _snapshot(client: FlaskClient, app: Flask) -> dict[str, Any]:
    """Everything a designer can read about the programme, as they would read it."""
    seen: dict[str, Any] = {}

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, path
        seen[path] = without_csrf_tokens(response.get_data(as_text=True))

    get("/designer/")
    for path in ("", "/rules", "/fit-for-purpose", "/impact", "/equality-impact"):
        get(f"{BASE}{path}")
    for table in ("rules", "equality-impact"):
        get(f"{BASE}/export/{table}.csv")
    runner = app.test_cli_runner()
    for grouping in GROUPINGS:
        get(f"{BASE}?by={grouping}")
        get(f"{BASE}/impact?by={grouping}")
        for table in ("groups", "flags"):
            get(f"{BASE}/export/{table}.csv?by={grouping}")
        result = runner.invoke(args=["cohort", "--framework", PROGRAMME, "--by", grouping, "--json"])
        assert result.exit_code == 0, result.output
        seen[f"certready cohort --by {grouping} --json"] = result.output
    return seen


def _counted_rows() -> dict[int, int]:
    """Person -> the row the figures count for them."""
    rows = db.session.execute(queries.counted(select(CohortRecord.user_id, CohortRecord.id), PROGRAMME))
    return dict(rows.all())


def _newcomer() -> User:
    user = make_user()
    db.session.add(Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=True))
    db.session.commit()
    return user


@pytest.mark.app_config(
    CERTREADY_MIN_CELL=MIN_CELL, CERTREADY_MIN_CELL_FLOOR=MIN_CELL, CERTREADY_RELEASE_BATCH=MIN_CELL
)
def test_one_known_submission_changes_nothing_a_designer_can_read(app, designer_client):
    known = _cohort()
    before = _snapshot(designer_client, app)
    assert _snapshot(designer_client, app) == before  # nothing else on the pages moves
    rows_before = _counted_rows()

    # The known person retakes: part time now, another sex, no flags, a far higher score.
    submit(db.session.get(User, known), PROGRAMME, 1, 3, 92.5, 0)
    after_one = _snapshot(designer_client, app)
    assert [path for path in before if after_one[path] != before[path]] == []

    # min_cell - 1 more people: the batch is complete and every figure may move, together.
    for index in range(MIN_CELL - 1):
        submit(_newcomer(), PROGRAMME, index % 4, index % 4, 30.0 + 20 * index, index % 4)
    after_batch = _snapshot(designer_client, app)
    assert after_batch[f"{BASE}?by=contract"] != before[f"{BASE}?by=contract"]
    rows_after = _counted_rows()
    moved = {
        person
        for person in rows_before.keys() | rows_after.keys()
        if rows_before.get(person) != rows_after.get(person)
    }
    assert known in moved
    assert len(moved) >= MIN_CELL


@pytest.mark.app_config(
    CERTREADY_MIN_CELL=MIN_CELL, CERTREADY_MIN_CELL_FLOOR=MIN_CELL, CERTREADY_RELEASE_BATCH=1
)
def test_without_batches_the_same_attack_reads_the_known_persons_answers(app, designer_client):
    """The control: with a batch of one (every test's setting) the retake shows on the dashboard."""
    known = _cohort()
    page = f"{BASE}?by=contract"
    before = designer_client.get(page).get_data(as_text=True)
    submit(db.session.get(User, known), PROGRAMME, 1, 3, 92.5, 0)
    assert designer_client.get(page).get_data(as_text=True) != before
