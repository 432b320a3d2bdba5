"""Job-relevance answers are the person's data: in their download, and gone when they delete the account."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.designer.models import CohortRecord
from app.extensions import db
from app.models import Rating
from assessments.framework import shipped_frameworks
from tests.app.journey.conftest import PROGRAMME, give_profile, start
from tests.app.privacy.conftest import Person, relevance_answer
from tests.fixtures.users import DEFAULT_PASSWORD

FRAMEWORK = shipped_frameworks()[PROGRAMME]
SAID = {criterion.id: relevance_answer(index) for index, (_, criterion) in enumerate(FRAMEWORK.criteria())}


def test_the_download_holds_each_rating_relevance_and_the_version_it_was_given_for(app, person: Person):
    data = json.loads(person.client.get("/account/data.json").get_data(as_text=True))
    [assessment] = data["assessments"]
    assert assessment["programme_version"] == FRAMEWORK.version
    assert {rating["criterion"]: rating["relevance"] for rating in assessment["ratings"]} == SAID
    # The cohort row's copy, written at submission, is the person's data too.
    [record] = data["other_records"]["cohort_record"]
    assert record["relevance"] == {criterion: answer for criterion, answer in SAID.items() if answer}
    assert record["framework_version"] == FRAMEWORK.version


def test_deleting_the_account_erases_the_answers_and_the_cohort_copy(app, person: Person, bystander: Person):
    def answered(assessment_id: int) -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(Rating)
            .where(Rating.assessment_id == assessment_id, Rating.relevance.is_not(None))
        )

    def copies(user_id: int) -> list[dict[str, str] | None]:
        return list(db.session.scalars(select(CohortRecord.relevance).where(CohortRecord.user_id == user_id)))

    user_id = person.user.id
    assert answered(person.assessment_id) == sum(1 for answer in SAID.values() if answer)
    assert copies(user_id) != []
    bystander_copies = copies(bystander.user.id)

    response = person.client.post("/account/delete", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 302

    db.session.expire_all()
    assert answered(person.assessment_id) == 0
    assert (
        db.session.scalar(
            select(func.count()).select_from(Rating).where(Rating.assessment_id == person.assessment_id)
        )
        == 0
    )
    assert copies(user_id) == []
    assert copies(bystander.user.id) == bystander_copies


def test_the_privacy_notice_says_what_the_answer_is_for(pages):
    paragraph = pages.get("main.privacy").find(id="privacy-relevance").get_text(" ", strip=True)
    assert "never change your results" in paragraph
    assert "If you consent" in paragraph
    assert "anonymously" in paragraph
    assert "essential" in paragraph


def test_the_rating_page_and_the_data_page_say_it_too(pages, participant_client, participant):
    give_profile(participant)
    assessment_id = start(participant_client)
    page = pages.get(f"/assessments/{assessment_id}/domains/{FRAMEWORK.domains[0].id}")
    assert "how important each one is to your job. That is optional and never changes your results" in (
        page.get_text(" ", strip=True)
    )
    data_page = pages.get("privacy.your_data").get_text(" ", strip=True)
    assert "how important you said each requirement is to your job" in data_page
