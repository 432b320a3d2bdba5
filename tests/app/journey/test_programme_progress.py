"""The participant's "Have you enrolled in or completed this programme?" answer: form, export, erasure."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import ProgrammeProgress, utcnow
from tests.app.journey.conftest import PROGRAMME
from tests.app.privacy.conftest import Person, build_person
from tests.fixtures.pages import error_messages, summary_messages
from tests.fixtures.users import DEFAULT_PASSWORD, signed_in


@pytest.fixture
def person(app) -> Person:
    return build_person(app, email="jo.bloggs@example.org")


@pytest.fixture
def bystander(app) -> Person:
    return build_person(app, email="sam.other@example.org")


def _url(person: Person) -> str:
    return f"/assessments/{person.assessment_id}/programme-progress"


def _stored(user_id: int) -> list[tuple[str, str, int, int]]:
    db.session.expire_all()
    return [
        (row.framework_id, row.status, row.year, row.month)
        for row in db.session.scalars(select(ProgrammeProgress).where(ProgrammeProgress.user_id == user_id))
    ]


def test_the_results_page_invites_an_answer_then_reads_it_back(pages, person: Person):
    pages.client = person.client
    page = pages.get(f"/assessments/{person.assessment_id}/results")
    link = page.select_one("#programme-progress-answer a")
    assert link["href"] == _url(person)
    pages.post(
        _url(person),
        {"status": "completed", "month": "3", "year": "2026"},
        redirects_to=f"/assessments/{person.assessment_id}/results",
    )
    assert _stored(person.user.id) == [(PROGRAMME, "completed", 2026, 3)]
    page = pages.get(f"/assessments/{person.assessment_id}/results")
    assert (
        page.select_one("#programme-progress-answer")
        .get_text(" ", strip=True)
        .startswith("You completed it in March 2026. Change")
    )


def test_the_form_shows_the_stored_answer_and_can_change_and_clear_it(pages, person: Person):
    pages.client = person.client
    pages.post(
        _url(person),
        {"status": "enrolled", "month": "11", "year": "2025"},
        redirects_to=f"/assessments/{person.assessment_id}/results",
    )
    page = pages.get(_url(person))
    assert page.select_one("input[name=status][checked]")["value"] == "enrolled"
    assert page.select_one("#month")["value"] == "11"
    assert page.select_one("#year")["value"] == "2025"
    assert page.h1.get_text(strip=True) == "Have you enrolled in or completed this programme?"
    pages.post(
        _url(person),
        {"status": "completed", "month": "1", "year": "2026"},
        redirects_to=f"/assessments/{person.assessment_id}/results",
    )
    assert _stored(person.user.id) == [(PROGRAMME, "completed", 2026, 1)]
    pages.post(
        _url(person),
        {"status": "prefer-not-to-say"},
        redirects_to=f"/assessments/{person.assessment_id}/results",
    )
    assert _stored(person.user.id) == []


NEXT_YEAR = str(utcnow().year + 1)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "status", "Select whether you have enrolled in or completed this programme"),
        ({"status": "graduated"}, "status", "Select an answer from the list"),
        ({"status": "enrolled"}, "month", "Enter the month and year you enrolled"),
        ({"status": "completed", "year": "2025"}, "month", "Enter the month you completed it"),
        ({"status": "completed", "month": "4"}, "year", "Enter the year you completed it"),
        (
            {"status": "enrolled", "month": "May", "year": "2025"},
            "month",
            "The month must be a number from 1 to 12",
        ),
        (
            {"status": "enrolled", "month": "13", "year": "2025"},
            "month",
            "The month must be a number from 1 to 12",
        ),
        ({"status": "enrolled", "month": "5", "year": "25"}, "year", "The year must be 4 numbers, like 2025"),
        ({"status": "enrolled", "month": "5", "year": "1900"}, "year", "The year must be 1950 or later"),
        (
            {"status": "completed", "month": "1", "year": NEXT_YEAR},
            "year",
            "The date you completed it must be this month or in the past",
        ),
    ],
)
def test_each_problem_has_a_clear_message_and_saves_nothing(pages, person: Person, data, field, message):
    pages.client = person.client
    page = pages.post(_url(person), data)
    assert summary_messages(page)[field] == message
    assert message in page.select_one(".nhsuk-error-message").get_text()
    assert page.title.get_text().startswith("Error:")
    assert _stored(person.user.id) == []


def test_someone_elses_assessment_is_404(app, person: Person, bystander: Person):
    response = bystander.client.post(_url(person), data={"status": "enrolled", "month": "1", "year": "2025"})
    assert response.status_code == 404
    assert _stored(bystander.user.id) == []
    assert bystander.client.get(_url(person)).status_code == 404


def test_the_form_needs_sign_in(app, person: Person):
    response = app.test_client().get(_url(person))
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_the_answer_is_in_the_data_export_and_goes_with_the_account(app, pages, person: Person):
    pages.client = person.client
    pages.post(
        _url(person),
        {"status": "completed", "month": "2", "year": "2026"},
        redirects_to=f"/assessments/{person.assessment_id}/results",
    )
    exported = json.loads(person.client.get("/account/data.json").get_data(as_text=True))
    rows = exported["other_records"]["programme_progress"]
    assert [(row["framework_id"], row["status"], row["year"], row["month"]) for row in rows] == [
        (PROGRAMME, "completed", 2026, 2)
    ]
    user_id = person.user.id
    response = person.client.post("/account/delete", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ProgrammeProgress)) == 0
    assert _stored(user_id) == []


def test_the_database_refuses_an_undeclared_status(app, person: Person):
    db.session.add(
        ProgrammeProgress(
            user_id=person.user.id, framework_id=PROGRAMME, status="graduated", year=2025, month=1
        )
    )
    with pytest.raises(IntegrityError, match=r"ck_programme_progress_status|CHECK constraint"):
        db.session.flush()
    db.session.rollback()


def test_a_participant_keeps_one_answer_per_programme(app, person: Person):
    for month in (1, 2):
        signed_in(person.client, person.user)
        person.client.post(_url(person), data={"status": "enrolled", "month": str(month), "year": "2025"})
    assert _stored(person.user.id) == [(PROGRAMME, "enrolled", 2025, 2)]


def test_error_messages_sit_next_to_their_fields(pages, person: Person):
    pages.client = person.client
    page = pages.post(_url(person), {"status": "enrolled", "month": "5", "year": "25"})
    assert error_messages(page)
    assert (
        page.select_one("#when-error").get_text(strip=True).endswith("The year must be 4 numbers, like 2025")
    )
    assert "nhsuk-input--error" in page.select_one("#year")["class"]
