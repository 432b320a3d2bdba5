"""The counted path (``PanelCounts``) gives exactly the figures of the per-person path.

``panel_figures_counted`` and ``versions_give_away_counted`` read people as numbers per
combination of groups and answers; ``panel_figures`` and ``versions_give_away`` read one
``Rater`` each. On any panel, including small groups, people who rated nothing and criteria
outside the ones analysed, every figure and every suppression decision must be the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import content_validity as cv
from assessments import vocabulary

CRITERIA = ("c1", "c2", "c3")
OUTSIDE = "retired"
"""A criterion some people rated that is not among those analysed (an earlier version's)."""

ROUTES = [choice.value for choice in vocabulary.answer("learning_routes").choices]


def profiles() -> st.SearchStrategy[dict[str, Any]]:
    """Profile answers for the four rater groupings, few values each so groups are small or empty."""
    return st.fixed_dictionaries(
        {},
        optional={
            "staff_group": st.sampled_from(["clinical", "non-clinical"]),
            "sector": st.sampled_from(["nhs-acute", "social-care", "primary-care"]),
            "contract": st.sampled_from(["full-time", "part-time"]),
            "learning_routes": st.lists(st.sampled_from(ROUTES[:2] + ROUTES[-2:]), max_size=2, unique=True),
        },
    )


def ratings() -> st.SearchStrategy[dict[str, cv.Relevance]]:
    return st.dictionaries(
        st.sampled_from([*CRITERIA, OUTSIDE]), st.sampled_from(list(cv.RELEVANCE)), max_size=4
    )


@st.composite
def panels(draw: st.DrawFn) -> list[cv.Rater]:
    """Raters drawn as a few kinds, each repeated: counts near the thresholds, not only ones."""
    kinds = draw(st.lists(st.tuples(profiles(), ratings()), min_size=1, max_size=6))
    people: list[cv.Rater] = []
    for answers, rated in kinds:
        people += [cv.Rater(answers, rated)] * draw(st.integers(1, 14))
    return draw(st.permutations(people))


def counts(people: Sequence[cv.Rater], criteria: Sequence[str], groupings: Sequence[str]) -> cv.PanelCounts:
    """The per-person panel as counts, one person at a time (the counting a database read does)."""
    combination = [tuple(cv.group_of(rater, key) for key in groupings) for rater in people]
    answers: dict[cv.Combination, Counter[tuple[str, str]]] = {}
    for place, rater in zip(combination, people, strict=True):
        answers.setdefault(place, Counter()).update(rater.ratings.items())
    panel = sum(1 for rater in people if set(rater.ratings) & set(criteria))
    return cv.PanelCounts(tuple(groupings), Counter(combination), answers, panel)


@settings(max_examples=300, deadline=None)
@given(people=panels(), min_cell=st.integers(3, 12))
def test_counted_figures_are_the_per_person_figures(people: list[cv.Rater], min_cell: int) -> None:
    groupings = cv.RATER_GROUPINGS
    expected = cv.panel_figures(CRITERIA, people, min_cell, groupings)
    found = cv.panel_figures_counted(CRITERIA, counts(people, CRITERIA, groupings), min_cell)
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(people=panels(), min_cell=st.integers(3, 12))
def test_counted_figures_without_groupings_are_the_per_person_figures(
    people: list[cv.Rater], min_cell: int
) -> None:
    # A version's index: every criterion its people rated, no grouping.
    criteria = sorted({criterion for rater in people for criterion in rater.ratings})
    expected = cv.panel_figures(criteria, people, min_cell)
    found = cv.panel_figures_counted(criteria, counts(people, criteria, ()), min_cell)
    assert (found.size, found.cvi, found.cvi_hidden) == (expected.size, expected.cvi, expected.cvi_hidden)
    assert found.results == expected.results


@settings(max_examples=200, deadline=None)
@given(versions=st.lists(panels(), min_size=1, max_size=3), min_cell=st.integers(3, 12))
def test_counted_version_check_is_the_per_person_check(versions: list[list[cv.Rater]], min_cell: int) -> None:
    by_version = {f"v{place}": raters for place, raters in enumerate(versions)}
    counted = {
        version: Counter(item for rater in raters for item in rater.ratings.items())
        for version, raters in by_version.items()
    }
    assert cv.versions_give_away_counted(counted, min_cell) == cv.versions_give_away(by_version, min_cell)


def test_a_group_the_grouping_does_not_declare_is_an_error_not_a_default() -> None:
    counted = cv.PanelCounts(
        ("staff_group",), {("dentist",): 12}, {("dentist",): {("c1", "essential"): 12}}, 12
    )
    with pytest.raises(KeyError, match="dentist"):
        cv.panel_figures_counted(CRITERIA, counted, 10)
