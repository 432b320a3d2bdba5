"""The database goes away mid-journey: a clear 503 page, nothing half-written, and the journey resumes.

The outage is made at the connection: every statement after the chosen point raises
``OperationalError``, as a dropped PostgreSQL connection or an unreadable SQLite file does. It
starts *inside* a save (after its first write), which is the worst moment: a partial save would
show up as some of a page's ratings stored without the others. Database-agnostic, so it runs on
SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from app.extensions import db
from tests.app.journey.conftest import PROGRAMME, domain_form, fresh, give_profile, start

WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass
class Outage:
    """Fails every statement once ``writes_allowed`` writes have run; ``end()`` brings the database back."""

    active: bool = False
    writes_allowed: int = 0
    failed: int = 0

    def begin(self, *, after_writes: int = 0) -> None:
        self.active, self.writes_allowed, self.failed = True, after_writes, 0

    def end(self) -> None:
        self.active = False

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not self.active:
            return
        if statement.lstrip().upper().startswith(WRITES) and self.writes_allowed > 0:
            self.writes_allowed -= 1
            return
        if statement.lstrip().upper().startswith(WRITES) or self.writes_allowed == 0:
            self.failed += 1
            raise OperationalError(
                statement, parameters, Exception("server closed the connection unexpectedly")
            )


@pytest.fixture
def outage(app: Flask) -> Iterator[Outage]:
    hook = Outage()
    event.listen(db.engine, "before_cursor_execute", hook)
    yield hook
    event.remove(db.engine, "before_cursor_execute", hook)


def _assert_clear_503(response) -> None:
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Sorry, the service is unavailable" in page
    assert "nothing was saved from your last action" in page
    for leak in ("Traceback", "OperationalError", "server closed the connection", "INSERT", "SELECT"):
        assert leak not in page


def test_outage_during_a_rating_save_writes_nothing_and_the_save_works_once_it_returns(
    participant_client, participant, framework, outage
):
    give_profile(participant)
    assessment_id = start(participant_client)
    first, second = framework.domains[0], framework.domains[1]
    saved = participant_client.post(
        f"/assessments/{assessment_id}/domains/{first.id}",
        data=domain_form(first, fresh(assessment_id).version),
    )
    assert saved.status_code == 302
    before = fresh(assessment_id)
    stored_before = sorted((r.criterion_id, r.level) for r in before.ratings)
    version_before, step_before = before.version, before.current_step
    form = domain_form(second, version_before, level=lambda criterion: 1)

    outage.begin(after_writes=1)  # the save's first write lands, then the connection drops
    response = participant_client.post(f"/assessments/{assessment_id}/domains/{second.id}", data=form)
    assert outage.failed >= 1, "the outage never hit the save"
    _assert_clear_503(response)

    outage.end()
    after = fresh(assessment_id)
    assert sorted((r.criterion_id, r.level) for r in after.ratings) == stored_before
    assert (after.version, after.current_step) == (version_before, step_before)

    # The person presses the button again: the same page, the same version, now saved whole.
    retry = participant_client.post(f"/assessments/{assessment_id}/domains/{second.id}", data=form)
    assert retry.status_code == 302
    stored = {r.criterion_id: r.level for r in fresh(assessment_id).ratings}
    assert {c.id for c in second.criteria} <= set(stored)
    assert all(stored[c.id] == 1 for c in second.criteria)


def test_outage_while_reading_shows_503_then_the_continue_link_goes_to_the_same_step(
    participant_client, participant, framework, outage
):
    give_profile(participant)
    assessment_id = start(participant_client)
    first = framework.domains[0]
    participant_client.post(
        f"/assessments/{assessment_id}/domains/{first.id}",
        data=domain_form(first, fresh(assessment_id).version),
    )

    outage.begin()
    for path in ("/assessments/", f"/assessments/{assessment_id}/", f"/assessments/{assessment_id}/check"):
        _assert_clear_503(participant_client.get(path))
    outage.end()

    resumed = participant_client.get(f"/assessments/{assessment_id}/")
    assert resumed.status_code == 302
    assert resumed.location.endswith(f"/assessments/{assessment_id}/domains/{framework.domains[1].id}")
    assert participant_client.get(resumed.location).status_code == 200


def test_outage_during_submit_leaves_the_assessment_in_progress_and_submit_works_after(
    participant_client, participant, framework, outage
):
    give_profile(participant)
    assessment_id = start(participant_client)
    for domain in framework.domains:
        response = participant_client.post(
            f"/assessments/{assessment_id}/domains/{domain.id}",
            data=domain_form(domain, fresh(assessment_id).version),
        )
        assert response.status_code == 302
    version = fresh(assessment_id).version

    outage.begin(after_writes=1)  # the assessment row is updated, then the audit insert fails
    _assert_clear_503(
        participant_client.post(f"/assessments/{assessment_id}/check", data={"version": version})
    )
    outage.end()
    assessment = fresh(assessment_id)
    assert (assessment.status, assessment.result, assessment.submitted_at) == ("in-progress", None, None)
    assert assessment.version == version

    done = participant_client.post(f"/assessments/{assessment_id}/check", data={"version": version})
    assert done.status_code == 302
    assert fresh(assessment_id).status == "submitted"


def test_outage_during_an_about_you_save_keeps_the_earlier_answers(participant_client, participant, outage):
    give_profile(participant)
    before = dict(participant.profile.answers)

    outage.begin(after_writes=1)
    response = participant_client.post(
        "/profile/working-pattern", data={"contract": "full-time", "hours_per_week": "40"}
    )
    _assert_clear_503(response)
    outage.end()
    db.session.expire_all()
    assert participant.profile.answers == before

    assert (
        participant_client.post(
            "/profile/working-pattern", data={"contract": "full-time", "hours_per_week": "40"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert participant.profile.answers["hours_per_week"] == 40


@pytest.mark.parametrize("programme", [PROGRAMME])
def test_outage_when_starting_an_assessment_creates_none(participant_client, participant, outage, programme):
    give_profile(participant)
    outage.begin(after_writes=1)
    _assert_clear_503(participant_client.post("/assessments/new", data={"framework_id": programme}))
    outage.end()
    db.session.expire_all()
    assert participant.assessments == []
    assert start(participant_client, programme)
