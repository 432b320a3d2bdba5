"""The attacker's audit of "Fit for purpose" (content validity), set beside the dashboard.

A designer sees, for one programme's cohort: the dashboard's participants, its one-way group
sizes for every grouping and its intersections; and on "Fit for purpose" (page, EIA appendix,
designer PDF and ``certready content-validity --json``): how many participants rated at least one
criterion, and for each criterion its raters N, the essential answers nₑ, the CVR (a function of
the two), the critical CVR (a function of N) and a verdict (nₑ at least the critical count, or
not; or fewer than ``min_cell`` raters), overall and within each group of every grouping, with
each group's difference from the rest and Fisher's p-value, and the content validity index.

As in ``test_cohort_disclosure.py`` (with the same attacker, from ``lp_audit.py``) the audit models
the *people*: one unknown count per combination of staff group, sector and answer to each of
two criteria (essential, another answer, or none). Every count is a sum of those; a verdict is
an inequality on nₑ once N is known. For every count of 1 to ``min_cell - 1`` people a reader
might want (essential, other answers and no answer per criterion, overall and per group; people
who rated nothing; group sizes) the reader's range must keep the protection rule: at least
three whole numbers, or 0 or ``min_cell`` included.

Figures worked out from counts (CVR, difference, p-value, CVI) must only appear beside the
counts they come from: a CVR over hidden counts, or a CVI over a hidden CVR, gives them away.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from itertools import product
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import content_validity as cv
from tests.assessments.lp_audit import (
    Attacker,
    CellModel,
    Finding,
    Form,
    Published,
    attack,
    audit_settings,
    publish_dashboard,
)

GROUPINGS: dict[str, tuple[tuple[str | None, float], ...]] = {
    "staff_group": (("clinical", 50), ("non-clinical", 40), (None, 3)),
    "sector": (("nhs-acute", 50), ("social-care", 15), ("primary-care", 6), (None, 2)),
}
"""Two of the page's groupings, with small groups and people who did not answer (None)."""
CRITERIA = ("c1", "c2")
ESSENTIAL, OTHER, NONE = "essential", "other", "none"
ANSWERS = (ESSENTIAL, OTHER, NONE)
PATTERNS = tuple(product(ANSWERS, repeat=len(CRITERIA)))
"""One person's answer to each criterion: essential, another of Lawshe's answers, or none."""

Person = dict[str, Any]


def synthetic_cohort(n: int, seed: int, answering: float, essential: float) -> list[Person]:
    """``n`` people: staff group, sector, and an answer (or none) to each criterion."""
    rng = random.Random(seed)
    people = []
    for _ in range(n):
        person: Person = {
            grouping: rng.choices([v for v, _ in values], [w for _, w in values])[0]
            for grouping, values in GROUPINGS.items()
        }
        answers = rng.random() < answering
        # Social care rates the first (clinical-sounding) criterion essential less often.
        lower = 0.5 if person["sector"] == "social-care" else 1.0
        person["pattern"] = tuple(
            NONE
            if not answers or rng.random() < 0.1
            else ESSENTIAL
            if rng.random() < essential * (lower if i == 0 else 1.0)
            else OTHER
            for i in range(len(CRITERIA))
        )
        people.append(person)
    return people


def rater(person: Person) -> cv.Rater:
    """What ``app.designer.pages.fitness`` reads for a counted person."""
    answers = {g: person[g] for g in GROUPINGS if person[g] is not None}
    ratings: dict[str, cv.Relevance] = {
        c: "essential" if a == ESSENTIAL else "useful"
        for c, a in zip(CRITERIA, person["pattern"], strict=True)
        if a != NONE
    }
    return cv.Rater(answers, ratings)


def group_label(person: Person, grouping: str) -> str:
    return cv.group_of(rater(person), grouping)


class PanelModel(CellModel):
    """The reader's unknowns: people per staff group, sector and answers."""

    def __init__(self, people: Sequence[Person]) -> None:
        labels = {g: sorted({group_label(p, g) for p in people}) for g in GROUPINGS}
        cells = [(tuple(group_label(p, g) for g in GROUPINGS), p["pattern"]) for p in people]
        super().__init__(list(GROUPINGS), labels, PATTERNS, cells)


def answered(criterion: int, *answers: str) -> Callable[[tuple[str, ...]], bool]:
    return lambda pattern: pattern[criterion] in answers


def rated_any(pattern: tuple[str, ...]) -> bool:
    return any(a != NONE for a in pattern)


def figures(people: Sequence[Person], min_cell: int) -> cv.PanelFigures:
    """Everything the page shows, through the domain's one path (``panel_figures``)."""
    return cv.panel_figures(list(CRITERIA), [rater(p) for p in people], min_cell, tuple(GROUPINGS))


def publish(people: Sequence[Person], min_cell: int) -> tuple[Published[PanelModel], list[Finding]]:
    """The dashboard's sizes and the page's figures as a reader sees them, and any derived figure
    shown without the counts it comes from."""
    model = PanelModel(people)
    found = Published(model)
    misplaced: list[Finding] = []
    publish_dashboard(found, [{g: group_label(p, g) for g in GROUPINGS} for p in people], min_cell)
    shown = figures(people, min_cell)
    found.count("panel", model.people({}, rated_any), shown.size)
    overall_shown = {}
    for i, result in enumerate(shown.results):
        name = CRITERIA[i]
        overall_shown[name] = result.overall.essential is not None
        judgement(found, f"{name}", model.people({}), i, result.overall, min_cell, misplaced)
        for grouping, groups in result.by_group.items():
            for group in groups:
                label = f"{name} {grouping} {group.group}"
                judgement(
                    found,
                    label,
                    model.people({grouping: group.group}),
                    i,
                    group.judgement,
                    min_cell,
                    misplaced,
                )
                if (group.cvr_difference is not None or group.p_value is not None) and (
                    group.judgement.essential is None or not overall_shown[name]
                ):
                    misplaced.append(Finding(f"{label}: difference beside hidden counts", -1, -1, -1))
    kept = [r for r in shown.results if r.overall.verdict == "essential"]
    if shown.cvi is not None and any(r.overall.cvr is None for r in kept):
        misplaced.append(Finding("content validity index over a hidden CVR", -1, -1, -1))
    return found, misplaced


def judgement(
    found: Published[PanelModel],
    label: str,
    place: Form,
    criterion: int,
    shown: cv.Judgement,
    min_cell: int,
    misplaced: list[Finding],
) -> None:
    """One judgement's counts, and its verdict as an inequality on the essential answers."""
    model = found.model
    keys = set(place)

    def within(test: Callable[[tuple[str, ...]], bool]) -> Form:
        return {i: 1.0 for (cell, pattern), i in model.index.items() if i in keys and test(pattern)}

    raters = within(answered(criterion, ESSENTIAL, OTHER))
    essential = within(answered(criterion, ESSENTIAL))
    found.count(f"{label}: raters", raters, shown.raters)
    found.count(f"{label}: essential", essential, shown.essential)
    if shown.cvr is not None and (shown.raters is None or shown.essential is None):
        misplaced.append(Finding(f"{label}: CVR beside hidden counts", -1, -1, -1))
    if shown.critical_cvr is not None and shown.raters is None:
        misplaced.append(Finding(f"{label}: critical CVR beside a hidden number of raters", -1, -1, -1))
    if shown.verdict == "too-few-raters":
        found.ranges.append((raters, 0, min_cell - 1))
    elif shown.verdict is not None and shown.raters is not None:
        needed = cv.critical_essential(shown.raters)
        if shown.verdict == "essential":
            assert needed is not None
            found.at_least(essential, needed)
        elif needed is not None:
            found.ranges.append((essential, 0, needed - 1))


def targets(model: PanelModel) -> dict[str, Form]:
    """Every count a reader might want, shown or not."""
    found: dict[str, Form] = {"rated nothing": model.people({}, lambda p: not rated_any(p))}
    places: list[tuple[str, Mapping[str, str]]] = [("everyone", {})]
    places += [(f"{g} {v}", {g: v}) for g, labels in model.labels.items() for v in labels]
    for name, place in places:
        found[f"{name}: people"] = model.people(place)
        found[f"{name}: rated nothing"] = model.people(place, lambda p: not rated_any(p))
        for i, criterion in enumerate(CRITERIA):
            for answer in ANSWERS:
                found[f"{name} {criterion}: {answer}"] = model.people(place, answered(i, answer))
            found[f"{name} {criterion}: raters"] = model.people(place, answered(i, ESSENTIAL, OTHER))
            found[f"{name} {criterion}: not essential"] = model.people(place, answered(i, OTHER, NONE))
    return found


def audit(people: Sequence[Person], min_cell: int) -> list[Finding]:
    found, misplaced = publish(people, min_cell)
    findings, _ = attack(found, min_cell, targets(found.model))
    return misplaced + findings


@audit_settings(max_examples=40)
@given(
    n=st.integers(15, 500),
    seed=st.integers(0, 2**32 - 1),
    answering=st.sampled_from([0.3, 0.9, 1.0]),
    essential=st.sampled_from([0.5, 0.8, 0.97]),
    min_cell=st.sampled_from([5, 10]),
)
def test_no_count_behind_fit_for_purpose_can_be_narrowed_beside_the_dashboard(
    n, seed, answering, essential, min_cell
):
    assert audit(synthetic_cohort(n, seed, answering, essential), min_cell) == []


@pytest.mark.parametrize(
    ("n", "seed", "answering", "essential", "min_cell"),
    [
        # Found on the code before the fix (see the report of issue 12):
        # a criterion's other answers were exactly 4 of 57 (N and nₑ both shown);
        (57, 495423391, 1.0, 0.97, 10),
        # the one person of 475 who rated nothing (the panel's size beside the participants);
        (475, 1418186270, 1.0, 0.5, 10),
        # social care's 8 essential answers (its raters beside the others' and the criterion's);
        (447, 3823568514, 0.3, 0.8, 10),
        # and, after counts were protected, non-clinical's 1 other answer, "1 or 2", from a group
        # verdict (7 raters, not shown essential) beside the criterion's (12 raters, essential).
        (46, 818661757, 0.3, 0.8, 5),
    ],
)
def test_cohorts_where_the_audit_recovered_counts_are_protected_now(n, seed, answering, essential, min_cell):
    assert audit(synthetic_cohort(n, seed, answering, essential), min_cell) == []


def test_the_audit_is_not_vacuous():
    """Shown N and nₑ give away the few who did not say essential."""
    people = synthetic_cohort(57, 495423391, 1.0, 0.97)
    model = PanelModel(people)
    found = Published(model)
    raters = model.people({}, answered(0, ESSENTIAL, OTHER))
    essential = model.people({}, answered(0, ESSENTIAL))
    found.count("raters", raters, round(model.value(raters)))
    found.count("essential", essential, round(model.value(essential)))
    other = model.people({}, answered(0, OTHER))
    true = round(model.value(other))
    assert 0 < true < 10
    assert Attacker(found).audit({"other": other}, 10) == [Finding("other", true, true, true)]


def everyone(*answers: tuple[int, str | None, str]) -> list[cv.Rater]:
    """(how many, staff group or None, answer to c1 or "none")."""
    return [
        cv.Rater(
            {} if group is None else {"staff_group": group},
            {} if answer == NONE else {"c1": answer},  # type: ignore[dict-item]
        )
        for count, group, answer in answers
        for _ in range(count)
    ]


def test_a_criterion_with_few_other_answers_shows_its_raters_and_verdict_but_not_ne():
    # 48 of 50 essential: "nₑ = 48" beside "N = 50" says 2 did not say essential.
    shown = cv.panel_figures(["c1"], everyone((48, "clinical", "essential"), (2, "clinical", "useful")), 10)
    [result] = shown.results
    assert result.overall.raters == 50
    assert result.overall.essential is None
    assert result.overall.cvr is None
    assert result.overall.verdict == "essential"
    assert shown.cvi is None
    assert shown.cvi_hidden


def test_raters_are_hidden_when_few_people_counted_did_not_answer():
    # 40 of the dashboard's 43 rated the criterion: 43 less 40 would be the 3 who did not.
    people = everyone((25, "clinical", "essential"), (15, "clinical", "useful"), (3, "clinical", NONE))
    shown = cv.panel_figures(["c1"], people, 10, ["staff_group"])
    [result] = shown.results
    assert result.overall.raters is None
    assert result.overall.verdict is None
    assert all(group.judgement.raters is None for group in result.by_group["staff_group"])
    assert shown.size is None
    assert shown.cvi_hidden
    people += everyone((10, "non-clinical", NONE))
    shown = cv.panel_figures(["c1"], people, 10, ["staff_group"])
    [result] = shown.results
    assert (result.overall.raters, result.overall.essential, shown.size) == (40, 25, 40)


def test_a_group_whose_raters_beside_the_dashboard_size_give_away_a_few_non_raters_is_hidden():
    # Clinical: 30 on the dashboard, 28 rated. Non-clinical: 30, 20 rated. "28 of 30" says 2 did not rate.
    people = everyone(
        (18, "clinical", "essential"),
        (10, "clinical", "useful"),
        (2, "clinical", NONE),
        (10, "non-clinical", "essential"),
        (10, "non-clinical", "useful"),
        (10, "non-clinical", NONE),
    )
    [result] = cv.panel_figures(["c1"], people, 10, ["staff_group"]).results
    groups = {group.group: group.judgement for group in result.by_group["staff_group"]}
    assert groups["clinical"].raters is None
    assert groups["non-clinical"].raters is None  # or 48 less its 20 would give clinical's 28


def test_version_indexes_are_hidden_when_one_could_split_the_pooled_counts_into_small_ones():
    # c1 pooled over two versions: 77 of 120 essential. The first version's index, with c1 its
    # only criterion kept, is c1's CVR there (60 of 100), so the second's would be 17 and 3.
    first = everyone((60, "clinical", "essential"), (40, "clinical", "useful"))
    second = everyone((17, "clinical", "essential"), (3, "clinical", "useful"))
    assert cv.versions_give_away({"2025.1": first, "2026.1": second}, 10)
    assert not cv.versions_give_away({"2026.1": first}, 10)
    second = everyone((20, "clinical", "essential"), (10, "clinical", "useful"))
    assert not cv.versions_give_away({"2025.1": first, "2026.1": second}, 10)
