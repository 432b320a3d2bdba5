"""Consultation services: any sequence of vote changes keeps one budget per person, counted exactly."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.consultation import services
from app.consultation.models import ConsultationParticipant, ConsultationVote
from app.extensions import db
from tests.app.consultation.conftest import item_ids, make_consultation

changes = st.lists(
    st.tuples(st.integers(0, 2), st.lists(st.integers(0, 4), min_size=3, max_size=3)), min_size=1, max_size=12
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=changes)
def test_any_sequence_of_vote_changes_keeps_every_budget(app, changes):
    consultation = make_consultation(
        phase="vote",
        items=[("advantage", "A"), ("advantage", "B"), ("disadvantage", "C")],
        vote_budget=5,
    )
    ids = sorted(item_ids(consultation).values())
    people = [services.join(consultation, None, "clinical", None).participant for _ in range(3)]
    last: dict[int, dict[int, int]] = {person.id: {} for person in people}
    for who, counts in changes:
        person = people[who]
        wanted = dict(zip(ids, counts, strict=True))
        try:
            services.set_votes(consultation, person, wanted)
        except services.OverBudget:
            assert sum(counts) > 5
        else:
            assert sum(counts) <= 5
            last[person.id] = {item: count for item, count in wanted.items() if count}
    db.session.expire_all()
    for person in db.session.scalars(
        select(ConsultationParticipant).where(ConsultationParticipant.consultation_id == consultation.id)
    ):
        stored = dict(
            db.session.execute(
                select(ConsultationVote.item_id, ConsultationVote.votes).where(
                    ConsultationVote.participant_id == person.id
                )
            ).all()
        )
        assert stored == last[person.id]
        assert person.votes_spent == sum(stored.values()) <= person.vote_budget
    counted = services.results(consultation)
    assert counted.votes == sum(sum(votes.values()) for votes in last.values())
