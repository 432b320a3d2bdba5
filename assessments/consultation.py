"""Force-field consultations: a group weighs a proposal's advantages and disadvantages with votes.

A consultation lists items (advantages and disadvantages of a proposal) and participants, each of
whom spends up to ``vote_budget`` votes on the items they feel most strongly about. This module
holds the file format (YAML or JSON, documented in ``docs/consultations.md``), its validation,
and the counting: the share of votes on advantages overall and per staff group and working
pattern, the gap between groups, the heaviest items per side and a plain reading.

The web app stores live consultations in its own tables and counts them through ``parse_consultation``
and ``count_votes`` here, so a workshop on paper and one run online give the same figures.

Opinion data is not equality data, but a small group's votes still say what a few people think:
a group with fewer voters than the consultation's ``min_group`` is not split out, and when exactly
one group is hidden the next smallest is hidden too, so the hidden one cannot be worked out by
subtracting the others from the total.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from assessments import vocabulary
from assessments.errors import InputError
from assessments.framework import MAX_FRAMEWORK_BYTES, load_data_file, load_yaml_text
from assessments.profile import PREFER_NOT, Contract, StaffGroup

# --- Vocabularies ----------------------------------------------------------------------------------
# The answers reuse the profile's declarations: a consultation's staff group is the profile's
# staff group plus "prefer not to say", and its working pattern is the profile's contract.
# Clinical and non-clinical are named as the vocabulary names them; only "prefer not to say",
# which the profile's staff group does not offer, is worded here.

Side = Literal["advantage", "disadvantage"]
ConsultationStaffGroup = Literal[StaffGroup, "prefer-not-to-say"]
WorkingPattern = Contract

SIDES: tuple[str, ...] = get_args(Side)
STAFF_GROUPS: tuple[str, ...] = get_args(ConsultationStaffGroup)
WORKING_PATTERNS: tuple[str, ...] = get_args(WorkingPattern)
assert PREFER_NOT in STAFF_GROUPS

SIDE_LABELS: dict[str, str] = {"advantage": "Advantages", "disadvantage": "Disadvantages"}
GROUP_NOUNS: dict[str, str] = {
    **{value: vocabulary.group_phrase("staff_group", value) for value in vocabulary.choices("staff_group")},
    PREFER_NOT: "people who preferred not to say",
}
"""How the plain reading names each staff group in a sentence."""
assert set(GROUP_NOUNS) == set(STAFF_GROUPS)
NOT_GIVEN = "not-given"
"""The working-pattern group of participants who did not give one."""
STAFF_GROUP_LABELS: dict[str, str] = {
    **{value: noun[:1].upper() + noun[1:] for value, noun in GROUP_NOUNS.items() if value != PREFER_NOT},
    PREFER_NOT: "Preferred not to say",
}
"""Short names for tables and charts (the profile questions' labels carry examples, too long here)."""
assert set(STAFF_GROUP_LABELS) == set(STAFF_GROUPS)
SPLITS: tuple[str, ...] = ("staff_group", "working_pattern")

DEFAULT_BUDGET = 5
DEFAULT_MIN_GROUP = 5
MAX_BUDGET = 100
MAX_ITEMS = 500
MAX_PARTICIPANTS = 100_000
ITEM_TEXT_LIMIT = 280
PROPOSAL_LIMIT = 2000
ITEM_ID = r"^[a-z0-9][a-z0-9-]{0,59}$"


class ConsultationError(InputError):
    """A consultation file or mapping is not valid."""


_model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Item(BaseModel):
    model_config = _model_config

    id: Annotated[str, Field(pattern=ITEM_ID)]
    side: Side
    text: Annotated[str, Field(min_length=1, max_length=ITEM_TEXT_LIMIT)]


class Participant(BaseModel):
    model_config = _model_config

    staff_group: ConsultationStaffGroup
    working_pattern: WorkingPattern | None = None
    votes: dict[str, Annotated[StrictInt, Field(ge=0, le=MAX_BUDGET)]] = Field(default_factory=dict)

    @property
    def spent(self) -> int:
        return sum(self.votes.values())


class Consultation(BaseModel):
    model_config = _model_config

    proposal: Annotated[str, Field(min_length=1, max_length=PROPOSAL_LIMIT)]
    vote_budget: Annotated[StrictInt, Field(ge=1, le=MAX_BUDGET)] = DEFAULT_BUDGET
    several_votes_per_item: StrictBool = True
    min_group: Annotated[StrictInt, Field(ge=1, le=1000)] = DEFAULT_MIN_GROUP
    items: Annotated[tuple[Item, ...], Field(max_length=MAX_ITEMS)] = ()
    participants: Annotated[tuple[Participant, ...], Field(max_length=MAX_PARTICIPANTS)] = ()


# --- Loading and validation ------------------------------------------------------------------------


def _where(loc: tuple[int | str, ...], data: Any) -> str:
    """``participant 3, votes, excludes`` rather than ``participants[2].votes.excludes``."""
    parts: list[str] = []
    rest = list(loc)
    if len(rest) >= 2 and rest[0] in ("participants", "items") and isinstance(rest[1], int):
        noun = "participant" if rest[0] == "participants" else "item"
        parts.append(f"{noun} {rest[1] + 1}")
        if rest[0] == "items":
            item_id = _item_id_at(data, rest[1])
            if item_id:
                parts[-1] += f" (‘{item_id}’)"
        rest = rest[2:]
    if len(rest) == 2 and rest[0] == "votes":
        parts.append(f"votes for ‘{rest[1]}’")
        rest = []
    parts += [str(part).replace("_", " ") for part in rest]
    return ", ".join(parts) or "the file"


def _item_id_at(data: Any, index: int) -> str | None:
    try:
        value = data["items"][index]["id"]
    except (KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, str) and len(value) <= 60 else None


_MESSAGES = {
    "extra_forbidden": "is not a recognised key",
    "missing": "is required",
}


def _messages(error: ValidationError, data: Any, name: str) -> list[str]:
    messages = []
    for problem in error.errors(include_url=False):
        kind = problem["type"]
        text = _MESSAGES.get(kind, problem["msg"])
        if kind == "literal_error":
            text = text.replace("Input should be", "must be one of")
        elif kind == "string_pattern_mismatch":
            text = "must be lower-case letters, digits and hyphens (up to 60), like ‘career-path’"
        text = text.removeprefix("Value error, ")
        messages.append(f"{name}: {_where(tuple(problem['loc']), data)}: {text[:1].lower()}{text[1:]}")
    return messages


def _rule_problems(consultation: Consultation, name: str) -> list[str]:
    """What the types cannot check: unique items, known items, one vote per item, the budget."""
    problems = []
    seen: set[str] = set()
    for position, item in enumerate(consultation.items, start=1):
        if item.id in seen:
            problems.append(f"{name}: item {position}: the id ‘{item.id}’ is used by an earlier item")
        seen.add(item.id)
    budget = consultation.vote_budget
    for position, participant in enumerate(consultation.participants, start=1):
        who = f"{name}: participant {position}"
        for item_id, count in participant.votes.items():
            if item_id not in seen:
                problems.append(f"{who}: votes for ‘{item_id}’, which is not an item of this consultation")
            elif count > 1 and not consultation.several_votes_per_item:
                problems.append(
                    f"{who}: puts {count} votes on ‘{item_id}’, but this consultation allows "
                    "one vote per item"
                )
        if participant.spent > budget:
            heaviest = max(participant.votes, key=lambda key: participant.votes[key])
            problems.append(
                f"{who}: spends {participant.spent} votes (most on ‘{heaviest}’), "
                f"over the budget of {_plural(budget, 'vote')}"
            )
    return problems


def parse_consultation(data: Any, name: str = "consultation") -> Consultation:
    """Validate a consultation mapping; raise ``ConsultationError`` listing every problem.

    Each message names the participant by position (counting from 1) and the item by its id, so
    whoever typed up the sticky notes can find the line to fix.
    """
    if not isinstance(data, Mapping):
        raise ConsultationError([f"{name}: a consultation must be a mapping of keys to values"])
    try:
        consultation = Consultation.model_validate(data)
    except ValidationError as error:
        raise ConsultationError(_messages(error, data, name)) from None
    problems = _rule_problems(consultation, name)
    if problems:
        raise ConsultationError(problems)
    return consultation


def load_consultation(path: Path | str) -> Consultation:
    """Load a consultation from a YAML or JSON file (JSON by its suffix)."""
    path = Path(path)
    return parse_consultation(load_data_file(path, ConsultationError), path.name)


def parse_consultation_bytes(raw: bytes, name: str) -> Consultation:
    """A file's bytes, as uploaded: JSON when the name ends in ``.json``, else YAML (at most 1 MiB)."""
    if not name.lower().endswith(".json"):
        return parse_consultation(load_yaml_text(raw, name, error=ConsultationError), name)
    if len(raw) > MAX_FRAMEWORK_BYTES:
        raise ConsultationError([f"{name}: the file is larger than the limit of 1 MiB"])
    try:
        data = json.loads(raw)
    except RecursionError:
        raise ConsultationError([f"{name}: not valid JSON: nested too deeply"]) from None
    except ValueError as problem:
        raise ConsultationError([f"{name}: not valid JSON: {problem}"]) from None
    return parse_consultation(data, name)


def to_mapping(consultation: Consultation) -> dict[str, Any]:
    """The file format as plain data (the web export writes this as YAML or JSON)."""
    data = consultation.model_dump(mode="json")
    for participant in data["participants"]:
        if participant["working_pattern"] is None:
            del participant["working_pattern"]
        participant["votes"] = {key: count for key, count in participant["votes"].items() if count}
    return data


# --- Counting --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupShare:
    """One group's votes. A suppressed group shows none of its figures."""

    group: str
    participants: int
    votes: int
    advantage_votes: int
    suppressed: bool
    voters: int
    """People in the group who cast a vote: a group is shown only with ``min_group`` of them."""

    @property
    def advantage_share(self) -> float | None:
        return share(self.advantage_votes, self.votes)

    def to_json(self) -> dict[str, Any]:
        if self.suppressed:
            return {"participants": None, "votes": None, "advantage_share": None, "suppressed": True}
        return {
            "participants": self.participants,
            "votes": self.votes,
            "advantage_share": self.advantage_share,
            "suppressed": False,
        }


@dataclass(frozen=True)
class Gap:
    """The difference between the groups with the highest and lowest share on advantages."""

    highest: str
    lowest: str
    points: float
    """Percentage points, highest share minus lowest share."""


@dataclass(frozen=True)
class ItemCount:
    id: str
    side: str
    text: str
    votes: int


@dataclass(frozen=True)
class Results:
    proposal: str
    participants: int
    advantage_votes: int
    disadvantage_votes: int
    min_group: int
    by_group: dict[str, tuple[GroupShare, ...]]
    items: tuple[ItemCount, ...]
    """Most votes first; ties keep the order of the file."""

    @property
    def votes(self) -> int:
        return self.advantage_votes + self.disadvantage_votes

    @property
    def advantage_share(self) -> float | None:
        return share(self.advantage_votes, self.votes)

    def shown(self, split: str) -> tuple[GroupShare, ...]:
        """The groups of one split whose figures may be shown."""
        return tuple(group for group in self.by_group[split] if not group.suppressed)

    def any_suppressed(self, split: str) -> bool:
        return any(group.suppressed for group in self.by_group[split])

    def gap(self, split: str) -> Gap | None:
        """The gap between shown groups that have votes, or None with fewer than two of them."""
        voted = [group for group in self.shown(split) if group.votes]
        if len(voted) < 2:
            return None
        high = max(voted, key=lambda group: group.advantage_share or 0.0)
        low = min(voted, key=lambda group: group.advantage_share or 0.0)
        points = ((high.advantage_share or 0.0) - (low.advantage_share or 0.0)) * 100
        return Gap(high.group, low.group, points)

    def top(self, side: str, limit: int = 3) -> tuple[ItemCount, ...]:
        """The items of one side with most votes (items with none are left out)."""
        if side not in SIDES:
            raise ValueError(f"unknown side {side!r}")
        return tuple(item for item in self.items if item.side == side and item.votes)[:limit]

    @property
    def reading(self) -> str:
        return plain_reading(self)

    def to_json(self) -> dict[str, Any]:
        gaps = {}
        for split in SPLITS:
            gap = self.gap(split)
            gaps[split] = (
                None
                if gap is None
                else {"highest": gap.highest, "lowest": gap.lowest, "points": round(gap.points, 1)}
            )
        return {
            "proposal": self.proposal,
            "participants": self.participants,
            "votes": {"advantage": self.advantage_votes, "disadvantage": self.disadvantage_votes},
            "advantage_share": self.advantage_share,
            "min_group": self.min_group,
            "by_group": {
                split: {group.group: group.to_json() for group in groups}
                for split, groups in self.by_group.items()
            },
            "gaps": gaps,
            "items": [
                {"id": item.id, "side": item.side, "text": item.text, "votes": item.votes}
                for item in self.items
            ],
            "reading": self.reading,
        }


def share(part: int, whole: int) -> float | None:
    """``part / whole``, or None when nothing was counted (never a made-up 0% or 50%)."""
    return part / whole if whole else None


def count_votes(consultation: Consultation) -> Results:
    """Count every vote: totals, shares per staff group and working pattern, items by weight."""
    sides = {item.id: item.side for item in consultation.items}
    per_item = dict.fromkeys(sides, 0)
    totals = {"advantage": 0, "disadvantage": 0}
    tallies: dict[str, dict[str, list[int]]] = {split: {} for split in SPLITS}
    for participant in consultation.participants:
        advantage = sum(count for key, count in participant.votes.items() if sides[key] == "advantage")
        spent = participant.spent
        for key, count in participant.votes.items():
            per_item[key] += count
        totals["advantage"] += advantage
        totals["disadvantage"] += spent - advantage
        groups = {
            "staff_group": participant.staff_group,
            "working_pattern": participant.working_pattern or NOT_GIVEN,
        }
        for split, group in groups.items():
            tally = tallies[split].setdefault(group, [0, 0, 0, 0])
            tally[0] += 1
            tally[1] += spent
            tally[2] += advantage
            tally[3] += 1 if spent else 0
    order = {key: position for position, key in enumerate(sides)}
    items = sorted(
        (ItemCount(item.id, item.side, item.text, per_item[item.id]) for item in consultation.items),
        key=lambda item: (-item.votes, order[item.id]),
    )
    by_group = {
        split: _suppress(tallies[split], _vocabulary(split), consultation.min_group) for split in SPLITS
    }
    return Results(
        proposal=consultation.proposal,
        participants=len(consultation.participants),
        advantage_votes=totals["advantage"],
        disadvantage_votes=totals["disadvantage"],
        min_group=consultation.min_group,
        by_group=by_group,
        items=tuple(items),
    )


def _vocabulary(split: str) -> tuple[str, ...]:
    return STAFF_GROUPS if split == "staff_group" else (*WORKING_PATTERNS, NOT_GIVEN)


def _suppress(
    tallies: Mapping[str, list[int]], order: Iterable[str], min_group: int
) -> tuple[GroupShare, ...]:
    """Groups in vocabulary order; small ones hidden, and one more if only one would be hidden.

    ``tallies[group]`` is ``[people, votes, votes on advantages, people who voted]``.
    """
    present = [group for group in order if group in tallies]
    # Counted in people who voted: five who joined but one who voted would show that one's votes.
    hidden = {group for group in present if tallies[group][3] < min_group}
    if len(hidden) == 1 and len(present) > 2:
        # With the total known, one hidden group is the total minus the others: hide the next
        # smallest too. (With only two groups both would go, which says nothing: see below.)
        others = [group for group in present if group not in hidden]
        hidden.add(min(others, key=lambda group: (tallies[group][3], group)))
    elif len(hidden) == 1 and len(present) == 2:
        hidden = set(present)
    shares = []
    for group in present:
        people, votes, advantage, voters = tallies[group]
        shares.append(GroupShare(group, people, votes, advantage, group in hidden, voters))
    return tuple(shares)


# --- Words -----------------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    """A share as a whole percentage (half up), or "no votes"."""
    if value is None:
        return "no votes"
    return f"{int(value * 100 + 0.5)}%"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def people(count: int) -> str:
    return f"{count:,} person" if count == 1 else f"{count:,} people"


def plain_reading(results: Results) -> str:
    """One sentence a workshop can read aloud: the overall balance, then each staff group's.

    "68% of votes favour going ahead; clinical staff 64%, non-clinical staff 70%."
    """
    if not results.votes:
        return "No votes have been cast yet."
    overall = results.advantage_share
    sentence = f"{percent(overall)} of votes favour going ahead"
    if overall is not None and overall < 0.5:
        sentence += f" ({percent(1 - overall)} weigh against it)"
    groups = [group for group in results.shown("staff_group") if group.votes]
    if len(groups) >= 2:
        sentence += "; " + ", ".join(
            f"{GROUP_NOUNS[group.group]} {percent(group.advantage_share)}" for group in groups
        )
    sentence += "."
    if results.any_suppressed("staff_group"):
        sentence += (
            f" Staff groups are not split out where that would show the votes of fewer than "
            f"{people(results.min_group)}."
        )
    return sentence


def slug_for(text: str, taken: Iterable[str] = ()) -> str:
    """A file id from an item's wording: ``Could exclude some people`` -> ``could-exclude-some-people``."""
    words = re.findall(r"[a-z0-9]+", text.lower())[:4]
    base = "-".join(words)[:50].strip("-") or "item"
    used = set(taken)
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
