"""One person, one budget, under concurrent requests on a real SQLite file (WAL, several connections).

The budget holds in the database (a check constraint) and in ``services.set_votes`` (one
conditional UPDATE first), so requests racing each other can never spend more than a budget
between them, and every vote that was saved is counted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from app.consultation import services
from app.consultation.models import ConsultationParticipant, ConsultationVote
from app.extensions import db
from tests.app.consultation.conftest import item_ids, make_consultation
from tests.fixtures.app import IsolatedClient

THREADS = 24


@pytest.fixture
def file_app(make_app: Callable[..., Flask], tmp_path) -> Flask:
    flask_app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'votes.db'}")
    flask_app.test_client_class = IsolatedClient
    return flask_app


def _together(work: list[Callable[[], int]]) -> list[int]:
    """Run every callable at once (released by one barrier); their results, in order."""
    barrier = threading.Barrier(len(work))
    results: list[int] = [0] * len(work)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = work[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _joined_client(flask_app: Flask, code: str, staff_group: str = "clinical"):
    client = flask_app.test_client()
    response = client.post(f"/consultations/join/{code}", data={"staff_group": staff_group})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def test_one_person_racing_themselves_never_exceeds_the_budget(file_app: Flask):
    with file_app.app_context():
        consultation = make_consultation(phase="vote", vote_budget=5)
        code, ids = consultation.code, list(item_ids(consultation).values())
        client = _joined_client(file_app, code)
        # Every request alone fits the budget; any two together would not.
        allocations = [
            {f"votes-{ids[n % 2]}": "5"} if n % 3 else {f"votes-{ids[0]}": "2", f"votes-{ids[1]}": "3"}
            for n in range(THREADS)
        ]
        statuses = _together(
            [
                lambda data=data: client.post(f"/consultations/join/{code}/votes", data=data).status_code
                for data in allocations
            ]
        )
        assert set(statuses) == {302}
        db.session.remove()
        person = db.session.scalars(select(ConsultationParticipant)).one()
        votes = dict(db.session.execute(select(ConsultationVote.item_id, ConsultationVote.votes)).all())
        assert person.votes_spent == sum(votes.values()) == 5
        assert {f"votes-{k}": str(v) for k, v in votes.items()} in allocations


def test_many_people_voting_at_once_lose_no_vote(file_app: Flask):
    with file_app.app_context():
        consultation = make_consultation(phase="vote", vote_budget=5)
        code, ids = consultation.code, list(item_ids(consultation).values())
        clients = [
            _joined_client(file_app, code, "clinical" if n % 4 else "non-clinical") for n in range(THREADS)
        ]
        statuses = _together(
            [
                lambda client=client, n=n: (
                    client.post(
                        f"/consultations/join/{code}/votes",
                        data={f"votes-{ids[0]}": str(n % 6), f"votes-{ids[1]}": str(5 - n % 6)},
                    ).status_code
                )
                for n, client in enumerate(clients)
            ]
        )
        assert statuses == [302] * THREADS
        db.session.remove()
        assert db.session.scalar(select(func.sum(ConsultationVote.votes))) == 5 * THREADS
        assert db.session.scalar(select(func.sum(ConsultationParticipant.votes_spent))) == 5 * THREADS


def test_the_database_refuses_a_total_over_the_budget_whatever_the_code_does(app: Flask):
    consultation = make_consultation(phase="vote", vote_budget=5)
    db.session.add(
        ConsultationParticipant(
            consultation_id=consultation.id, staff_group="clinical", vote_budget=5, votes_spent=0
        )
    )
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE consultation_participant SET votes_spent = 6"))
    db.session.rollback()


def test_the_service_refuses_a_total_over_the_budget_even_without_the_form(app: Flask):
    consultation = make_consultation(phase="vote", vote_budget=5)
    ids = list(item_ids(consultation).values())
    person = ConsultationParticipant(
        consultation_id=consultation.id, staff_group="clinical", vote_budget=5, votes_spent=0
    )
    db.session.add(person)
    db.session.commit()
    with pytest.raises(services.OverBudget, match="You have 5 votes to spend, not 6"):
        services.set_votes(consultation, person, {ids[0]: 3, ids[1]: 3})
    assert db.session.scalar(select(func.count()).select_from(ConsultationVote)) == 0
    consultation.phase = "closed"
    db.session.commit()
    with pytest.raises(services.WrongPhase):
        services.set_votes(consultation, person, {ids[0]: 1})
