"""Builders for consultation tests: a consultation in any phase, with items and people."""

from __future__ import annotations

from collections.abc import Iterable

from app.consultation import services
from app.consultation.models import Consultation, ConsultationItem
from app.extensions import db
from app.models import User
from tests.fixtures.users import make_user


def make_consultation(
    *,
    phase: str = "draft",
    items: Iterable[tuple[str, str]] = (
        ("advantage", "Formalises a career path"),
        ("disadvantage", "Could exclude some people"),
    ),
    vote_budget: int = 5,
    several: bool = True,
    min_group: int = 5,
    designer: User | None = None,
) -> Consultation:
    owner = designer or make_user(role="designer")
    consultation = services.create(
        owner,
        proposal="Certify digital leaders",
        framework_id=None,
        vote_budget=vote_budget,
        several_votes_per_item=several,
        min_group=min_group,
    )
    for side, text in items:
        services.add_item(consultation, side, text, by_designer=True)
    consultation.phase = phase
    db.session.commit()
    return consultation


def item_ids(consultation: Consultation) -> dict[str, int]:
    db.session.refresh(consultation)
    return {found.text: found.id for found in consultation.items}


def first(consultation: Consultation, side: str) -> ConsultationItem:
    return next(found for found in consultation.items if found.side == side)
