"""Force-field consultations: the file format, its messages, the counting, suppression and wording."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.consultation import (
    NOT_GIVEN,
    STAFF_GROUPS,
    WORKING_PATTERNS,
    ConsultationError,
    count_votes,
    load_consultation,
    parse_consultation,
    percent,
    slug_for,
    to_mapping,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "consultation-certifying-digital-leaders.yaml"


def consultation(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "proposal": "Certify digital leaders",
        "vote_budget": 5,
        "several_votes_per_item": True,
        "items": [
            {"id": "career-path", "side": "advantage", "text": "Formalises a career path"},
            {"id": "excludes", "side": "disadvantage", "text": "Could exclude some people"},
        ],
        "participants": [
            {
                "staff_group": "clinical",
                "working_pattern": "part-time",
                "votes": {"career-path": 2, "excludes": 3},
            },
            {"staff_group": "non-clinical", "votes": {"career-path": 5}},
        ],
    }
    data.update(changes)
    return data


def problems(data: Any) -> list[str]:
    with pytest.raises(ConsultationError) as raised:
        parse_consultation(data, "workshop.yaml")
    return raised.value.problems


def test_the_issue_example_parses_with_defaults():
    parsed = parse_consultation(consultation())
    assert parsed.min_group == 5
    assert [p.spent for p in parsed.participants] == [5, 5]


def test_over_budget_names_the_participant_and_the_item():
    data = consultation()
    data["participants"][1]["votes"] = {"career-path": 4, "excludes": 2}
    assert problems(data) == [
        "workshop.yaml: participant 2: spends 6 votes (most on ‘career-path’), over the budget of 5 votes"
    ]


def test_several_votes_on_one_item_refused_when_not_allowed():
    rule = "but this consultation allows one vote per item"
    assert problems(consultation(several_votes_per_item=False)) == [
        f"workshop.yaml: participant 1: puts 2 votes on ‘career-path’, {rule}",
        f"workshop.yaml: participant 1: puts 3 votes on ‘excludes’, {rule}",
        f"workshop.yaml: participant 2: puts 5 votes on ‘career-path’, {rule}",
    ]


def test_vote_for_an_unknown_item_is_refused():
    data = consultation()
    data["participants"][0]["votes"] = {"carer-path": 1}
    assert problems(data) == [
        "workshop.yaml: participant 1: votes for ‘carer-path’, which is not an item of this consultation"
    ]


@pytest.mark.parametrize(
    ("where", "key", "value", "expected"),
    [
        ("participants", "staff_group", "doctor", "participant 1, staff group: must be one of 'clinical'"),
        ("participants", "working_pattern", "nights", "participant 1, working pattern: must be one of"),
        ("items", "side", "neutral", "item 1 (‘career-path’), side: must be one of 'advantage' or"),
        ("items", "id", "Career Path", "item 1 (‘Career Path’), id: must be lower-case letters"),
        ("participants", "favourite", 1, "participant 1, favourite: is not a recognised key"),
    ],
)
def test_unknown_answers_name_the_participant_or_item(where, key, value, expected):
    data = consultation()
    data[where][0][key] = value
    found = problems(data)
    assert any(message.startswith(f"workshop.yaml: {expected}") for message in found), found


def test_negative_and_non_integer_votes_are_refused():
    data = consultation()
    data["participants"][0]["votes"] = {"career-path": -1, "excludes": 1.5}
    found = problems(data)
    assert any(
        "participant 1, votes for ‘career-path’: input should be greater than or equal to 0" in m
        for m in found
    )
    assert any("participant 1, votes for ‘excludes’" in m for m in found)


def test_duplicate_item_ids_are_refused():
    data = consultation()
    data["items"].append({"id": "excludes", "side": "advantage", "text": "Again"})
    assert problems(data) == ["workshop.yaml: item 3: the id ‘excludes’ is used by an earlier item"]


def test_a_file_that_is_not_a_mapping_is_refused():
    assert problems(["proposal"]) == ["workshop.yaml: a consultation must be a mapping of keys to values"]


def test_counting_the_issue_example():
    results = count_votes(parse_consultation(consultation()))
    assert (results.advantage_votes, results.disadvantage_votes) == (7, 3)
    assert results.advantage_share == 0.7
    assert [(item.id, item.votes) for item in results.items] == [("career-path", 7), ("excludes", 3)]
    # Two people: both staff groups are under min_group 5, so neither is split out.
    assert all(group.suppressed for group in results.by_group["staff_group"])
    assert results.to_json()["by_group"]["staff_group"]["clinical"] == {
        "participants": None,
        "votes": None,
        "advantage_share": None,
        "suppressed": True,
    }
    assert results.reading == (
        "70% of votes favour going ahead. Staff groups are not split out where that would show the "
        "votes of fewer than 5 people."
    )


def test_min_group_one_splits_out_every_group_with_its_gap():
    results = count_votes(parse_consultation(consultation(min_group=1)))
    shares = {g.group: (g.participants, g.votes, g.advantage_share) for g in results.by_group["staff_group"]}
    assert shares == {"clinical": (1, 5, 0.4), "non-clinical": (1, 5, 1.0)}
    gap = results.gap("staff_group")
    assert (gap.highest, gap.lowest, round(gap.points, 6)) == ("non-clinical", "clinical", 60.0)
    assert results.reading == "70% of votes favour going ahead; clinical staff 40%, non-clinical staff 100%."
    patterns = {g.group: g.participants for g in results.by_group["working_pattern"]}
    assert patterns == {"part-time": 1, NOT_GIVEN: 1}


def test_one_hidden_group_hides_the_next_smallest_so_it_cannot_be_subtracted():
    people = (
        [{"staff_group": "clinical", "votes": {"career-path": 1}}] * 6
        + [{"staff_group": "non-clinical", "votes": {"excludes": 1}}] * 9
        + [{"staff_group": "prefer-not-to-say", "votes": {"excludes": 1}}] * 2
    )
    results = count_votes(parse_consultation(consultation(participants=people)))
    hidden = {g.group: g.suppressed for g in results.by_group["staff_group"]}
    assert hidden == {"clinical": True, "non-clinical": False, "prefer-not-to-say": True}
    assert results.gap("staff_group") is None


def test_the_shipped_workshop_reproduces_its_published_shares():
    results = count_votes(load_consultation(EXAMPLE))
    groups = {g.group: g for g in results.by_group["staff_group"]}
    assert results.participants == 40
    assert (groups["clinical"].participants, groups["non-clinical"].participants) == (8, 32)
    assert percent(results.advantage_share) == "68%"
    assert percent(groups["non-clinical"].advantage_share) == "70%"
    assert percent(groups["clinical"].advantage_share) == "64%"
    assert results.reading == "68% of votes favour going ahead; clinical staff 64%, non-clinical staff 70%."
    heaviest = [item.id for item in results.top("disadvantage", 2)]
    assert heaviest == ["excludes", "fit-for-purpose"]
    assert {item.id for item in results.top("advantage")} == {
        "career-path",
        "patient-safety",
        "professional-status",
    }


def test_people_who_joined_but_did_not_vote_do_not_make_a_group_big_enough():
    people = [{"staff_group": "clinical", "votes": {"career-path": 5}}] + [{"staff_group": "clinical"}] * 4
    people += [{"staff_group": "non-clinical", "votes": {"excludes": 1}}] * 5
    results = count_votes(parse_consultation(consultation(participants=people)))
    clinical = next(g for g in results.by_group["staff_group"] if g.group == "clinical")
    assert (clinical.participants, clinical.voters, clinical.suppressed) == (5, 1, True)


def test_no_votes_reads_plainly():
    data = consultation(participants=[])
    results = count_votes(parse_consultation(data))
    assert results.advantage_share is None
    assert results.reading == "No votes have been cast yet."
    assert results.top("advantage") == ()


def test_mostly_against_says_so():
    data = consultation(
        participants=[{"staff_group": "clinical", "votes": {"excludes": 4, "career-path": 1}}]
    )
    assert count_votes(parse_consultation(data)).reading.startswith(
        "20% of votes favour going ahead (80% weigh"
    )


def test_export_round_trips():
    parsed = load_consultation(EXAMPLE)
    assert parse_consultation(to_mapping(parsed)) == parsed


def test_slug_for_avoids_taken_ids():
    assert slug_for("Could exclude some people!") == "could-exclude-some-people"
    assert (
        slug_for("Could exclude some people", ["could-exclude-some-people"]) == "could-exclude-some-people-2"
    )
    assert slug_for("—") == "item"


# --- Properties -------------------------------------------------------------------------------------

ITEM_IDS = [f"item-{n}" for n in range(6)]


@st.composite
def files(draw: st.DrawFn) -> dict[str, Any]:
    items = [
        {"id": item_id, "side": draw(st.sampled_from(["advantage", "disadvantage"])), "text": f"Item {n}"}
        for n, item_id in enumerate(ITEM_IDS[: draw(st.integers(1, len(ITEM_IDS)))])
    ]
    participant = st.fixed_dictionaries(
        {
            "staff_group": st.sampled_from(STAFF_GROUPS),
            "working_pattern": st.sampled_from([*WORKING_PATTERNS, None]),
            "votes": st.dictionaries(
                st.sampled_from([i["id"] for i in items]), st.integers(0, 4), max_size=4
            ),
        }
    )
    return {
        "proposal": "A proposal",
        "vote_budget": draw(st.integers(1, 8)),
        "several_votes_per_item": draw(st.booleans()),
        "min_group": draw(st.integers(1, 6)),
        "items": items,
        "participants": draw(st.lists(participant, max_size=25)),
    }


@given(files())
def test_accepted_files_never_exceed_a_budget_and_refused_ones_say_why(data):
    over = [
        n
        for n, p in enumerate(data["participants"], start=1)
        if sum(p["votes"].values()) > data["vote_budget"]
    ]
    several = [
        n
        for n, p in enumerate(data["participants"], start=1)
        if not data["several_votes_per_item"] and any(v > 1 for v in p["votes"].values())
    ]
    try:
        parsed = parse_consultation(data)
    except ConsultationError as error:
        named = {int(m.split("participant ")[1].split(":")[0]) for m in error.problems}
        assert named == set(over) | set(several)
        return
    assert not over
    assert not several
    assert all(p.spent <= parsed.vote_budget for p in parsed.participants)


@given(files())
def test_counts_add_up_and_shares_stay_between_nought_and_one(data):
    for participant in data["participants"]:  # keep the file valid: trim to budget and rule
        cap = 4 if data["several_votes_per_item"] else 1
        votes, left = {}, data["vote_budget"]
        for key, count in participant["votes"].items():
            votes[key] = min(count, cap, left)
            left -= votes[key]
        participant["votes"] = votes
    results = count_votes(parse_consultation(data))
    cast = sum(sum(p["votes"].values()) for p in data["participants"])
    assert results.votes == cast == sum(item.votes for item in results.items)
    assert results.advantage_votes == sum(i.votes for i in results.items if i.side == "advantage")
    for split, groups in results.by_group.items():
        assert sum(g.participants for g in groups) == len(data["participants"]), split
        assert sum(g.votes for g in groups) == cast, split
        for group in groups:
            assert group.advantage_share is None or 0 <= group.advantage_share <= 1
            if group.voters < results.min_group:
                assert group.suppressed
        assert len([g for g in groups if g.suppressed]) != 1 or len(groups) == 1
    assert results.advantage_share is None or 0 <= results.advantage_share <= 1
    assert [i.votes for i in results.items] == sorted((i.votes for i in results.items), reverse=True)
