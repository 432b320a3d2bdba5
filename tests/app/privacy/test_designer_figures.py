"""Withdrawal and deletion reach the designer's figures at once (app/designer queries join consent)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.designer.models import CohortFlag, CohortRecord
from app.extensions import db
from assessments.profile import EQUALITY_FIELDS
from tests.app.journey.conftest import PROGRAMME
from tests.app.privacy.conftest import EQUALITY, build_person
from tests.fixtures.users import DEFAULT_PASSWORD, make_user, signed_in


def _participants_shown(app) -> str:
    client = signed_in(app.test_client(), make_user(role="designer"))
    response = client.get("/designer/")
    assert response.status_code == 200
    row = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(f"#programme-{PROGRAMME}")
    return row.select("td")[1].get_text(strip=True)


def _records(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(CohortRecord).where(CohortRecord.user_id == user_id)
    )


@pytest.mark.app_config(CERTREADY_MIN_CELL=1)
def test_withdrawing_consent_takes_the_person_out_of_designer_figures_at_once(app):
    person = build_person(app, email="jo@example.org")
    build_person(app, email="sam@example.org")
    assert _records(person.user.id) == 1
    assert _participants_shown(app) == "2"

    assert person.client.post("/account/consent", data={}).status_code == 302
    assert _participants_shown(app) == "1"


@pytest.mark.app_config(CERTREADY_MIN_CELL=1)
def test_deleting_the_account_removes_cohort_rows_and_flags(app):
    person = build_person(app, email="jo@example.org")
    build_person(app, email="sam@example.org")
    user_id = person.user.id
    [record_id] = db.session.scalars(select(CohortRecord.id).where(CohortRecord.user_id == user_id))
    assert person.client.post("/account/delete", data={"password": DEFAULT_PASSWORD}).status_code == 302
    db.session.expire_all()
    assert _records(user_id) == 0
    flags = select(func.count()).select_from(CohortFlag).where(CohortFlag.record_id == record_id)
    assert db.session.scalar(flags) == 0
    assert _participants_shown(app) == "1"


def test_deleting_equality_answers_clears_them_from_cohort_rows(app):
    person = build_person(app, email="jo@example.org")
    record = db.session.scalars(select(CohortRecord).where(CohortRecord.user_id == person.user.id)).one()
    assert (record.age_band, record.sex) == (EQUALITY["age_band"], EQUALITY["sex"])
    assert person.client.post("/account/consent", data={"delete_equality": "y"}).status_code == 302
    db.session.expire_all()
    record = db.session.get(CohortRecord, record.id)
    assert all(getattr(record, name) is None for name in EQUALITY_FIELDS)
    assert record.staff_group == "clinical"  # the rest of the row is not equality data


@pytest.mark.app_config(CERTREADY_MIN_CELL=1, PROPAGATE_EXCEPTIONS=False)
def test_designer_pages_still_work_when_the_last_consenting_person_withdraws(app):
    person = build_person(app, email="jo@example.org")
    designer = signed_in(app.test_client(), make_user(role="designer"))
    assert designer.get(f"/designer/programmes/{PROGRAMME}").status_code == 200
    assert person.client.post("/account/consent", data={}).status_code == 302
    for path in ("", "/export/groups.csv", "/report.pdf"):
        assert designer.get(f"/designer/programmes/{PROGRAMME}{path}").status_code == 200, path
