"""Consultation services: every query and every commit of the consultation pages and commands.

Counting happens in ``assessments.consultation``: a stored consultation is turned into the file
format's mapping (``as_mapping``) and counted there, so the web, the exports and the command
line give the same figures.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.consultation.models import (
    PHASES,
    Consultation,
    ConsultationItem,
    ConsultationParticipant,
    ConsultationRuleLink,
    ConsultationVote,
)
from app.extensions import db
from app.models import AuditEvent, User
from assessments import consultation as domain
from assessments import risks

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I: a code read off a slide is typed right. 32 letters, 10 of them: 50 bits."""
CODE_LENGTH = 10
NEXT_PHASE = {"draft": "gather", "gather": "vote", "vote": "closed"}
assert set(NEXT_PHASE) | set(NEXT_PHASE.values()) == set(PHASES)


class ConsultationProblem(Exception):
    """Something the person asked for cannot be done; the message says why, in plain words."""


class WrongPhase(ConsultationProblem):
    pass


class OverBudget(ConsultationProblem):
    pass


class AlreadyJoined(ConsultationProblem):
    pass


# --------------------------------------------------------------------------- codes and lookups


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed, as stored: upper case, without spaces or hyphens."""
    return "".join(typed.split()).replace("-", "").upper()


def show_code(code: str) -> str:
    """``K7P2QX9M4T`` -> ``K7P2-QX9M-4T``: easier to read aloud and copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def by_code(code: str) -> Consultation | None:
    normal = normalise_code(code)
    if len(normal) != CODE_LENGTH or any(letter not in CODE_ALPHABET for letter in normal):
        return None
    return db.session.scalar(select(Consultation).where(Consultation.code == normal))


def by_id(consultation_id: int) -> Consultation | None:
    return db.session.get(Consultation, consultation_id)


def consultations() -> list[Consultation]:
    return list(db.session.scalars(select(Consultation).order_by(Consultation.created_at.desc())))


def participant_counts() -> dict[int, int]:
    rows = db.session.execute(
        select(ConsultationParticipant.consultation_id, func.count()).group_by(
            ConsultationParticipant.consultation_id
        )
    )
    return dict(rows.all())  # type: ignore[arg-type]  # rows of two columns


def live_items(consultation: Consultation) -> list[ConsultationItem]:
    return list(consultation.items)


def item(consultation: Consultation, item_id: int) -> ConsultationItem | None:
    found = db.session.get(ConsultationItem, item_id)
    return found if found is not None and found.consultation_id == consultation.id else None


# --------------------------------------------------------------------------- the designer's steps


def create(
    user: User,
    *,
    proposal: str,
    framework_id: str | None,
    vote_budget: int,
    several_votes_per_item: bool,
    min_group: int,
) -> Consultation:
    consultation = Consultation(
        code=new_code(),
        proposal=proposal,
        framework_id=framework_id or None,
        vote_budget=vote_budget,
        several_votes_per_item=several_votes_per_item,
        min_group=min_group,
        phase="draft",
        created_by_id=user.id,
    )
    db.session.add(consultation)
    db.session.flush()
    _audit(user, "consultation.created", consultation)
    db.session.commit()
    return consultation


def advance(user: User, consultation: Consultation, expected: str) -> str:
    """Move to the next phase, if the consultation is still in ``expected`` (a stale page is refused)."""
    target = NEXT_PHASE.get(expected)
    if target is None:
        raise WrongPhase("This consultation has closed; it cannot move on.")
    moved = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.phase == expected)
        .values(phase=target)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise WrongPhase("This consultation has already moved on. Here is where it is now.")
    _audit(user, f"consultation.{target}", consultation)
    db.session.commit()
    db.session.refresh(consultation)
    return target


def add_item(
    consultation: Consultation, side: str, text: str, *, by_designer: bool = False
) -> ConsultationItem:
    allowed = ("draft", "gather") if by_designer else ("gather",)
    if consultation.phase not in allowed:
        raise WrongPhase("Advantages and disadvantages can only be added while ideas are being gathered.")
    if side not in domain.SIDES:
        raise ValueError(f"unknown side {side!r}")
    if len(consultation.items) >= domain.MAX_ITEMS:
        # The file format (and so the results) holds at most this many items.
        raise ConsultationProblem(
            f"This consultation already has {domain.MAX_ITEMS} points, the most it can hold. "
            "Ask the person running it to merge some."
        )
    taken = db.session.scalars(
        select(ConsultationItem.key).where(ConsultationItem.consultation_id == consultation.id)
    )
    for _ in range(3):
        found = ConsultationItem(
            consultation_id=consultation.id, key=domain.slug_for(text, set(taken)), side=side, text=text
        )
        db.session.add(found)
        try:
            db.session.commit()
        except IntegrityError:  # someone else's idea took the same key a moment ago
            db.session.rollback()
            taken = db.session.scalars(
                select(ConsultationItem.key).where(ConsultationItem.consultation_id == consultation.id)
            )
        else:
            return found
    raise ConsultationProblem("So many ideas arrived at once that this one was not saved. Send it again.")


def edit_item(user: User, consultation: Consultation, found: ConsultationItem, side: str, text: str) -> None:
    if consultation.phase not in ("draft", "gather"):
        raise WrongPhase("Wording can only change before voting opens, so that no vote changes meaning.")
    found.side, found.text = side, text
    _audit(user, "consultation.item-edited", consultation, item=found.id)
    db.session.commit()


def merge_items(
    user: User, consultation: Consultation, duplicate: ConsultationItem, kept: ConsultationItem
) -> None:
    """Fold ``duplicate`` into ``kept``: its suggestions count for ``kept`` and it goes."""
    if consultation.phase not in ("draft", "gather"):
        raise WrongPhase("Items can only be merged before voting opens.")
    if duplicate.id == kept.id:
        raise ConsultationProblem("Choose two different items to merge.")
    kept.suggestions += duplicate.suggestions
    db.session.delete(duplicate)
    _audit(user, "consultation.items-merged", consultation, kept=kept.id)
    db.session.commit()


# --------------------------------------------------------------------------- taking part


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_participant(
    consultation: Consultation, user: User | None, tokens: Iterable[str]
) -> ConsultationParticipant | None:
    """The person's place in this consultation: by their account, else by a token of their cookie."""
    if user is not None:
        found = db.session.scalar(
            select(ConsultationParticipant).where(
                ConsultationParticipant.consultation_id == consultation.id,
                ConsultationParticipant.user_id == user.id,
            )
        )
        if found is not None:
            return found
    hashes = [token_hash(token) for token in tokens]
    if not hashes:
        return None
    return db.session.scalar(
        select(ConsultationParticipant).where(
            ConsultationParticipant.consultation_id == consultation.id,
            ConsultationParticipant.token_hash.in_(hashes),
        )
    )


@dataclass(frozen=True)
class Joined:
    participant: ConsultationParticipant
    token: str | None
    """For an anonymous participant: the secret their signed cookie carries."""


def join(
    consultation: Consultation, user: User | None, staff_group: str, working_pattern: str | None
) -> Joined:
    if consultation.phase not in ("gather", "vote"):
        raise WrongPhase("This consultation is not open.")
    if staff_group not in domain.STAFF_GROUPS:
        raise ValueError(f"unknown staff group {staff_group!r}")
    if working_pattern is not None and working_pattern not in domain.WORKING_PATTERNS:
        raise ValueError(f"unknown working pattern {working_pattern!r}")
    joined = db.session.scalar(
        select(func.count()).where(ConsultationParticipant.consultation_id == consultation.id)
    )
    if (joined or 0) >= domain.MAX_PARTICIPANTS:
        raise WrongPhase("This consultation is full.")
    token = None if user is not None else secrets.token_urlsafe(24)
    participant = ConsultationParticipant(
        consultation_id=consultation.id,
        user_id=user.id if user is not None else None,
        token_hash=token_hash(token) if token else None,
        staff_group=staff_group,
        working_pattern=working_pattern,
        vote_budget=consultation.vote_budget,
        votes_spent=0,
    )
    db.session.add(participant)
    try:
        db.session.commit()
    except IntegrityError:  # the same account joined in another tab a moment ago
        db.session.rollback()
        raise AlreadyJoined("You have already joined this consultation.") from None
    return Joined(participant, token)


def votes_of(participant: ConsultationParticipant) -> dict[int, int]:
    rows = db.session.execute(
        select(ConsultationVote.item_id, ConsultationVote.votes).where(
            ConsultationVote.participant_id == participant.id
        )
    )
    return dict(rows.all())  # type: ignore[arg-type]  # rows of two columns


def set_votes(
    consultation: Consultation, participant: ConsultationParticipant, votes: Mapping[int, int]
) -> None:
    """Replace the participant's votes, atomically, never over budget and only while voting is open.

    The first statement is a conditional ``UPDATE`` of the participant's row: it sets the new
    total only if it fits the budget and the consultation is still in the vote phase. On
    PostgreSQL it locks the row, on SQLite the database, so a second request for the same person
    waits and then sees this one's total; the check constraint on the row is the last word.
    """
    chosen = {item_id: count for item_id, count in votes.items() if count}
    if any(count < 0 for count in chosen.values()):
        raise ConsultationProblem("Votes cannot be negative.")
    if not consultation.several_votes_per_item and any(count > 1 for count in chosen.values()):
        raise ConsultationProblem("This consultation allows one vote per item.")
    known = {found.id for found in consultation.items}
    if not set(chosen) <= known:
        raise ConsultationProblem("One of those items is no longer part of this consultation.")
    total = sum(chosen.values())
    still_voting = exists().where(Consultation.id == consultation.id, Consultation.phase == "vote")
    changed = db.session.execute(
        update(ConsultationParticipant)
        .where(
            ConsultationParticipant.id == participant.id,
            ConsultationParticipant.vote_budget >= total,
            still_voting,
        )
        .values(votes_spent=total)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        db.session.refresh(consultation)
        if consultation.phase != "vote":
            raise WrongPhase("Voting has closed, so your votes can no longer change.")
        raise OverBudget(f"You have {participant.vote_budget} votes to spend, not {total}.")
    db.session.execute(delete(ConsultationVote).where(ConsultationVote.participant_id == participant.id))
    if chosen:
        db.session.execute(
            insert(ConsultationVote),
            [
                {"participant_id": participant.id, "item_id": item_id, "votes": count}
                for item_id, count in chosen.items()
            ],
        )
    db.session.commit()


# --------------------------------------------------------------------------- results and the file format


def as_mapping(consultation: Consultation) -> dict[str, Any]:
    """The consultation in the file format (``docs/consultations.md``), votes included."""
    keys = {found.id: found.key for found in consultation.items}
    votes: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        select(ConsultationVote.participant_id, ConsultationVote.item_id, ConsultationVote.votes)
        .join(ConsultationParticipant)
        .where(ConsultationParticipant.consultation_id == consultation.id)
    )
    for participant_id, item_id, count in rows:
        votes.setdefault(participant_id, {})[keys[item_id]] = count
    people = db.session.scalars(
        select(ConsultationParticipant)
        .where(ConsultationParticipant.consultation_id == consultation.id)
        .order_by(ConsultationParticipant.id)
    )
    participants = []
    for person in people:
        entry: dict[str, Any] = {"staff_group": person.staff_group}
        if person.working_pattern:
            entry["working_pattern"] = person.working_pattern
        entry["votes"] = votes.get(person.id, {})
        participants.append(entry)
    return {
        "proposal": consultation.proposal,
        "vote_budget": consultation.vote_budget,
        "several_votes_per_item": consultation.several_votes_per_item,
        "min_group": consultation.min_group,
        "items": [{"id": found.key, "side": found.side, "text": found.text} for found in consultation.items],
        "participants": participants,
    }


def results(consultation: Consultation) -> domain.Results:
    """Counted by the domain from the stored rows (a stored row the domain refuses is a bug: it raises)."""
    return domain.count_votes(
        domain.parse_consultation(as_mapping(consultation), f"consultation {consultation.id}")
    )


def import_consultation(parsed: domain.Consultation, user: User | None = None) -> Consultation:
    """Store a workshop's file as a closed consultation, in one transaction."""
    stored = Consultation(
        code=new_code(),
        proposal=parsed.proposal,
        vote_budget=parsed.vote_budget,
        several_votes_per_item=parsed.several_votes_per_item,
        min_group=parsed.min_group,
        phase="closed",
        imported=True,
        created_by_id=user.id if user is not None else None,
    )
    db.session.add(stored)
    db.session.flush()
    ids = {}
    for entry in parsed.items:
        row = ConsultationItem(consultation_id=stored.id, key=entry.id, side=entry.side, text=entry.text)
        db.session.add(row)
        db.session.flush()
        ids[entry.id] = row.id
    for person in parsed.participants:
        participant = ConsultationParticipant(
            consultation_id=stored.id,
            staff_group=person.staff_group,
            working_pattern=person.working_pattern,
            vote_budget=parsed.vote_budget,
            votes_spent=person.spent,
        )
        db.session.add(participant)
        db.session.flush()
        for key, count in person.votes.items():
            if count:
                db.session.add(ConsultationVote(participant_id=participant.id, item_id=ids[key], votes=count))
    if user is not None:
        _audit(user, "consultation.imported", stored)
    db.session.commit()
    return stored


# --------------------------------------------------------------------------- links to exclusion-risk rules


def rule_titles() -> dict[str, str]:
    return {rule.id: rule.title for rule in risks.RULES}


def links(consultation: Consultation) -> dict[int, list[str]]:
    """Item id -> the rule ids linked to it, in catalogue order."""
    order = {rule.id: position for position, rule in enumerate(risks.RULES)}
    rows = db.session.execute(
        select(ConsultationRuleLink.item_id, ConsultationRuleLink.rule)
        .join(ConsultationItem)
        .where(ConsultationItem.consultation_id == consultation.id)
    )
    found: dict[int, list[str]] = {}
    for item_id, rule in rows:
        found.setdefault(item_id, []).append(rule)
    return {
        item_id: sorted(rules, key=lambda rule: order.get(rule, len(order)))
        for item_id, rules in found.items()
    }


def set_links(user: User, consultation: Consultation, found: ConsultationItem, rules: Iterable[str]) -> None:
    chosen = set(rules)
    unknown = chosen - set(rule_titles())
    if unknown:
        raise ConsultationProblem("Choose requirements from the list.")
    if found.side != "disadvantage":
        raise ConsultationProblem("Only disadvantages are linked to exclusion-risk requirements.")
    db.session.execute(delete(ConsultationRuleLink).where(ConsultationRuleLink.item_id == found.id))
    for rule in sorted(chosen):
        db.session.add(ConsultationRuleLink(item_id=found.id, rule=rule))
    _audit(user, "consultation.rules-linked", consultation, item=found.id)
    db.session.commit()


def _audit(user: User, action: str, consultation: Consultation, **detail: Any) -> None:
    db.session.add(
        AuditEvent(
            actor_id=user.id,
            action=action,
            target_type="consultation",
            target_id=consultation.id,
            detail=detail,
        )
    )
