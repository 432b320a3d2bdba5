import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import scoring
from assessments.areas import CAPABILITY_AREAS
from assessments.errors import RatingsError
from assessments.framework import Framework, parse_framework
from assessments.ratings import Rating
from assessments.scoring import (
    BAND_THRESHOLDS,
    area_levels,
    area_needs,
    band_for,
    coverage,
    estimate,
    fit,
    readiness,
)
from tests.fixtures.frameworks import ALL_MODELLED

AREAS = list(CAPABILITY_AREAS)
NO_OPP = Rating(no_opportunity=True)


# --- builders -------------------------------------------------------------------------------------------


def criterion(cid: str, area: str, required: int, weight: float = 1.0) -> dict[str, Any]:
    return {
        "id": cid,
        "title": f"Criterion {cid}",
        "description": "For tests.",
        "area": area,
        "required_level": required,
        "weight": weight,
    }


def framework_data(domains: dict[str, list[dict[str, Any]]], *, fid: str, max_level: int) -> dict[str, Any]:
    return {
        "id": fid,
        "name": f"Framework {fid}",
        "provider": "Tests",
        "version": "1",
        "source": "https://example.org/framework",
        "provenance": ALL_MODELLED,
        "summary": "Built in the test.",
        "roles": ["any"],
        "levels": [{"value": value, "label": f"Level {value}"} for value in range(max_level + 1)],
        "domains": [
            {"id": domain_id, "title": f"Domain {domain_id}", "criteria": criteria}
            for domain_id, criteria in domains.items()
        ],
        "delivery": {"format": "online", "duration_months": 6, "study_hours_per_week": 3},
    }


def build(domains: dict[str, list[dict[str, Any]]], *, fid: str = "test", max_level: int = 4) -> Framework:
    return parse_framework(framework_data(domains, fid=fid, max_level=max_level), f"{fid}.yaml")


def level(value: int) -> Rating:
    return Rating(level=value)


# --- strategies -----------------------------------------------------------------------------------------

weights = st.floats(min_value=0.01, max_value=10, allow_nan=False, allow_infinity=False)


@st.composite
def frameworks(draw: st.DrawFn, fid: str = "source", one_per_area: bool = False) -> Framework:
    max_level = draw(st.integers(1, 6))
    if one_per_area:
        areas = draw(st.lists(st.sampled_from(AREAS), min_size=1, max_size=len(AREAS), unique=True))
    else:
        areas = draw(st.lists(st.sampled_from(AREAS), min_size=1, max_size=10))
    domain_count = draw(st.integers(1, min(3, len(areas))))
    domains: dict[str, list[dict[str, Any]]] = {f"d{n}": [] for n in range(domain_count)}
    for index, area in enumerate(areas):
        domains[f"d{index % domain_count}"].append(
            criterion(f"c{index}", area, draw(st.integers(0, max_level)), draw(weights))
        )
    return build(domains, fid=fid, max_level=max_level)


def ratings_for(framework: Framework) -> st.SearchStrategy[dict[str, Rating]]:
    answer = st.one_of(
        st.none(), st.just(NO_OPP), st.integers(0, framework.max_level).map(lambda value: Rating(level=value))
    )
    ids = [c.id for _, c in framework.criteria()]
    return st.fixed_dictionaries(dict.fromkeys(ids, answer)).map(
        lambda answers: {cid: rating for cid, rating in answers.items() if rating is not None}
    )


def raise_one(data: st.DataObject, framework: Framework, ratings: dict[str, Rating]) -> dict[str, Rating]:
    """The same ratings with one answer raised, or an unrated / no-opportunity one turned into a level."""
    cid = data.draw(st.sampled_from([c.id for _, c in framework.criteria()]))
    current = ratings[cid].scored_level if cid in ratings else 0
    return {**ratings, cid: Rating(level=data.draw(st.integers(current, framework.max_level)))}


# --- readiness: hand-computed examples ------------------------------------------------------------------


@pytest.fixture
def three() -> Framework:
    return build(
        {
            "d1": [criterion("a", "data", 3, weight=2), criterion("b", "strategy", 2, weight=1)],
            "d2": [criterion("c", "finance", 4, weight=3)],
        }
    )


def test_readiness_weighted_score_matches_hand_calculation(three):
    result = readiness(three, {"a": level(2), "b": level(3), "c": NO_OPP})

    # a: 2 of 3 required, weight 2 -> achievement 2/3
    # b: 3 against 2 required (capped), weight 1 -> 1
    # c: no opportunity scores 0 of 4, weight 3 -> 0
    # overall = 100 * (2 * 2/3 + 1 * 1 + 3 * 0) / (2 + 1 + 3) = 100 * (7/3) / 6 = 38.888…
    assert result.score == pytest.approx(700 / 18)
    assert round(result.score, 1) == 38.9
    assert result.band == "not-yet"
    # d1 = 100 * (2 * 2/3 + 1) / 3 = 77.77…; d2 = 0
    assert [(d.id, d.score) for d in result.domains] == [("d1", pytest.approx(700 / 9)), ("d2", 0.0)]
    # weighted mean levels: d1 = (2*2 + 1*3) / 3, required (2*3 + 1*2) / 3
    assert result.domains[0].mean_level == pytest.approx(7 / 3)
    assert result.domains[0].mean_required == pytest.approx(8 / 3)
    assert [c.gap for c in result.criteria] == [1, 0, 4]


def test_readiness_flags_no_opportunity_and_unrated_apart(three):
    result = readiness(three, {"b": level(1), "c": NO_OPP})

    by_id = {c.id: c for c in result.criteria}
    assert (by_id["a"].unrated, by_id["a"].no_opportunity, by_id["a"].level, by_id["a"].gap) == (
        True,
        False,
        None,
        3,
    )
    assert (by_id["c"].unrated, by_id["c"].no_opportunity, by_id["c"].level, by_id["c"].gap) == (
        False,
        True,
        None,
        4,
    )
    assert (by_id["b"].unrated, by_id["b"].no_opportunity, by_id["b"].level) == (False, False, 1)
    assert (result.gaps, result.no_opportunity, result.unrated) == (3, 1, 1)


def test_readiness_counts_no_opportunity_only_among_gaps_but_every_unrated_criterion():
    framework = build(
        {
            "d": [
                criterion("free", "data", 0),
                criterion("also-free", "change", 0),
                criterion("hard", "data", 2),
            ]
        }
    )

    result = readiness(framework, {"free": NO_OPP, "hard": level(2)})

    # "free" asks for level 0, so saying "no opportunity" holds nobody back; "also-free" is still unanswered.
    assert (result.gaps, result.no_opportunity, result.unrated) == (0, 0, 1)
    assert result.score == 100.0


def test_readiness_keeps_evidence_with_the_criterion(three):
    result = readiness(three, {"a": Rating(level=3, evidence="Led the EPR business case")})

    assert result.criteria[0].evidence == "Led the EPR business case"


def test_priorities_order_by_weighted_gap_then_required_level_then_framework_order():
    framework = build(
        {
            "d1": [
                criterion("p1", "data", 2, weight=2),  # gap 1 x weight 2 = 2, requires 2
                criterion("p2", "data", 3, weight=1),  # gap 2 x weight 1 = 2, requires 3
            ],
            "d2": [
                criterion("p3", "data", 2, weight=1),  # gap 2 x weight 1 = 2, requires 2, after p1
                criterion("p4", "data", 4, weight=1),  # unrated: gap 4 x weight 1 = 4
                criterion("met", "data", 1, weight=9),
            ],
        }
    )

    result = readiness(framework, {"p1": level(1), "p2": level(1), "p3": level(0), "met": level(1)})

    assert [c.id for c in result.priorities] == ["p4", "p2", "p1", "p3"]


def test_strengths_order_by_margin_then_level_and_leave_out_level_zero():
    framework = build(
        {
            "d": [
                criterion("s1", "data", 2),  # rated 3: 1 above
                criterion("s2", "data", 1),  # rated 3: 2 above
                criterion("s3", "data", 2),  # rated 2: exactly met
                criterion("s4", "data", 1),  # rated 2: 1 above, lower level than s1
                criterion("zero", "data", 0),  # rated 0: met, but nothing to build on
                criterion("short", "data", 3),  # rated 1: a gap, not a strength
                criterion("unanswered", "data", 0),
            ]
        }
    )

    result = readiness(
        framework,
        {"s1": level(3), "s2": level(3), "s3": level(2), "s4": level(2), "zero": level(0), "short": level(1)},
    )

    assert [c.id for c in result.strengths] == ["s2", "s1", "s4", "s3"]


def test_readiness_with_no_ratings_scores_zero_unless_nothing_is_required():
    framework = build({"d": [criterion("a", "data", 2), criterion("b", "data", 0, weight=3)]})

    result = readiness(framework, {})

    # only "b" (weight 3 of 4) is met, by asking for level 0
    assert result.score == pytest.approx(75.0)
    assert result.unrated == 2
    assert result.strengths == ()


@pytest.mark.parametrize(
    ("ratings", "problem"),
    [
        ({"zz": Rating(level=1)}, "ratings: zz: not a criterion of test 1"),
        ({"a": Rating(level=7)}, "ratings: a: level 7 is outside 0 to 4 for test"),
        ({"a": 3}, "ratings: a: expected a Rating, not int"),
    ],
)
def test_bad_ratings_are_refused_with_the_criterion_named(three, ratings, problem):
    for function in (readiness, area_levels, area_needs):
        with pytest.raises(RatingsError) as error:
            function(three, ratings)
        assert error.value.problems == [problem]


def test_every_bad_rating_is_reported_at_once(three):
    with pytest.raises(RatingsError) as error:
        readiness(three, {"a": Rating(level=9), "nope": Rating(level=1)})

    assert len(error.value.problems) == 2


# --- bands ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "not-yet"),
        (39.94, "not-yet"),
        (39.96, "developing"),  # shown as 40.0, so banded as 40.0
        (40, "developing"),
        (69.9, "developing"),
        (70, "nearly-ready"),
        (89.94, "nearly-ready"),
        (89.96, "ready"),
        (90, "ready"),
        (100, "ready"),
    ],
)
def test_band_for_applies_thresholds_to_the_score_as_shown(score, band):
    assert band_for(score) == band


def test_band_thresholds_are_descending_and_inside_the_scale():
    thresholds = [threshold for threshold, _ in BAND_THRESHOLDS]
    assert thresholds == sorted(thresholds, reverse=True)
    assert all(0 < threshold <= 100 for threshold in thresholds)


@pytest.mark.parametrize("score", [-0.1, 100.01, math.nan, math.inf, "90", None, True])
def test_band_for_refuses_anything_but_a_score_from_0_to_100(score):
    with pytest.raises(ValueError, match="readiness score must be"):
        band_for(score)


# --- areas ----------------------------------------------------------------------------------------------


def test_area_levels_and_needs_are_weighted_fractions_of_the_top_level():
    framework = build(
        {
            "d": [
                criterion("d1", "data", 3, weight=1),
                criterion("d2", "data", 4, weight=3),
                criterion("s1", "strategy", 2, weight=2),
            ]
        }
    )
    ratings = {"d1": level(4), "d2": NO_OPP}  # s1 unrated

    # data: levels (1 * 4/4 + 3 * 0/4) / 4 = 0.25; gaps (1 * 0/4 + 3 * 4/4) / 4 = 0.75
    # strategy: level 0; gap 2/4 = 0.5
    assert area_levels(framework, ratings) == {"strategy": 0.0, "data": 0.25}
    assert area_needs(framework, ratings) == {"strategy": 0.5, "data": 0.75}


def test_area_maps_list_only_areas_the_framework_covers_in_a_fixed_order():
    framework = build({"d": [criterion("x", "partnerships", 1), criterion("y", "strategy", 1)]})

    assert list(area_levels(framework, {})) == ["strategy", "partnerships"]
    assert list(area_needs(framework, {})) == ["strategy", "partnerships"]


# --- fit ------------------------------------------------------------------------------------------------


@pytest.fixture
def target() -> Framework:
    # total weight 20: data 1 (5%), strategy 4 (20%), technology 15 (75%)
    return build(
        {
            "d": [
                criterion("t-data", "data", 2, weight=1),
                criterion("t-strategy", "strategy", 2, weight=4),
                criterion("t-tech-1", "technology", 2, weight=7.5),
                criterion("t-tech-2", "technology", 2, weight=7.5),
            ]
        },
        fid="target",
    )


def test_fit_weights_coverage_by_need(target):
    result = fit(target, {"data": 0.5, "strategy": 0.25, "finance": 0.0})

    # coverage: data 5% / 10% = 0.5; strategy 20% / 10% capped at 1
    # percent = 100 * (0.5 * 0.5 + 0.25 * 1) / (0.5 + 0.25) = 66.66…
    assert result.framework_id == "target"
    assert result.percent == pytest.approx(200 / 3)
    assert [(a.area, a.title, a.need, a.coverage) for a in result.areas] == [
        ("data", "Data, information and analytics", 0.5, pytest.approx(0.5)),
        ("strategy", "Strategy and vision", 0.25, 1.0),
    ]


def test_fit_is_zero_when_the_programme_covers_none_of_the_needs(target):
    result = fit(target, {"finance": 0.4, "governance": 0.4})

    assert result.percent == 0.0
    # equal needs keep the capability areas' own order
    assert [a.area for a in result.areas] == ["governance", "finance"]


def test_fit_is_none_when_nothing_is_needed(target):
    assert fit(target, {"data": 0.0}) == scoring.Fit(framework_id="target", percent=None, areas=())
    assert fit(target, {}).percent is None


@pytest.mark.parametrize(
    ("needs", "message"),
    [
        ({"cooking": 0.5}, "unknown capability area 'cooking'"),
        ({"data": 1.5}, "the need for 'data' must be a number from 0 to 1, not 1.5"),
        ({"data": -0.1}, "the need for 'data' must be a number from 0 to 1"),
        ({"data": math.nan}, "the need for 'data' must be a number from 0 to 1"),
    ],
)
def test_fit_refuses_unknown_areas_and_needs_outside_0_to_1(target, needs, message):
    with pytest.raises(ValueError, match=message):
        fit(target, needs)


def test_coverage_is_full_from_an_even_share_and_proportional_below(target):
    assert coverage(target, "strategy") == 1.0
    assert coverage(target, "data") == pytest.approx(0.5)
    assert coverage(target, "finance") == 0.0
    with pytest.raises(ValueError, match="unknown capability area"):
        coverage(target, "cooking")


# --- estimate -------------------------------------------------------------------------------------------


def test_estimate_projects_area_levels_onto_another_programme():
    source = build(
        {
            "d": [
                criterion("d1", "data", 3, weight=1),
                criterion("d2", "data", 3, weight=3),
                criterion("s1", "strategy", 2, weight=1),
                criterion("f1", "finance", 2, weight=1),  # never answered
            ]
        },
        max_level=4,
    )
    target = build(
        {
            "d": [
                criterion("t1", "data", 3, weight=2),
                criterion("t2", "strategy", 3, weight=1),
                criterion("t3", "finance", 2, weight=1),
                criterion("t4", "technology", 0, weight=1),
            ]
        },
        fid="other",
        max_level=6,
    )
    ratings = {"d1": level(4), "d2": level(0), "s1": level(2)}

    score, band, basis = estimate(source, ratings, target)

    # area levels: data (1 * 4/4 + 3 * 0) / 4 = 0.25; strategy 2/4 = 0.5; finance 0 (unrated)
    # onto a 0–6 scale: t1 0.25 * 6 = 1.5 of 3 -> 0.5; t2 0.5 * 6 = 3 of 3 -> 1;
    #                   t3 0 of 2 -> 0; t4 asks for 0 -> 1
    # score = 100 * (2 * 0.5 + 1 * 1 + 1 * 0 + 1 * 1) / 5 = 60
    assert score == pytest.approx(60.0)
    assert band == "developing"
    # answered areas (data, strategy) carry 3 of the target's 5 weight
    assert basis == pytest.approx(0.6)


def test_estimate_counts_no_opportunity_as_answered_for_the_basis():
    source = build({"d": [criterion("a", "data", 2)]})
    target = build({"d": [criterion("t", "data", 2), criterion("u", "finance", 2)]}, fid="other")

    assert estimate(source, {"a": NO_OPP}, target) == (0.0, "not-yet", 0.5)
    assert estimate(source, {}, target) == (0.0, "not-yet", 0.0)


def test_estimate_for_the_rated_framework_is_the_real_score(three):
    ratings = {"a": level(2), "b": level(3), "c": NO_OPP}
    same_content = build(framework_data_from(three), fid="test")

    real = readiness(three, ratings)

    assert estimate(three, ratings, three) == (real.score, real.band, 1.0)
    assert estimate(three, ratings, same_content) == (real.score, real.band, 1.0)


def test_estimate_for_a_changed_framework_with_the_same_id_is_projected(three):
    # e.g. a newer version of the same programme: its criteria are not the ones rated
    changed = build({"d": [criterion("new", "data", 4)]}, fid="test")

    # projected: "a" puts the data level at 4/4, so "new" (data, requires 4 of 4) is met -> 100;
    # the real score against the rated framework would be 100 * 2 / 6 = 33.3
    assert readiness(three, {"a": level(4)}).score == pytest.approx(100 / 3)
    assert estimate(three, {"a": level(4)}, changed) == (100.0, "ready", 1.0)


def framework_data_from(framework: Framework) -> dict[str, list[dict[str, Any]]]:
    return {
        domain.id: [criterion(c.id, c.area, c.required_level, c.weight) for c in domain.criteria]
        for domain in framework.domains
    }


# --- invariants -----------------------------------------------------------------------------------------


@given(st.data())
def test_scores_are_between_0_and_100(data):
    framework = data.draw(frameworks())
    result = readiness(framework, data.draw(ratings_for(framework)))

    assert 0 <= result.score <= 100
    assert all(0 <= domain.score <= 100 for domain in result.domains)
    assert result.band == band_for(result.score)
    assert result.gaps == len(result.priorities)
    assert result.no_opportunity <= result.gaps


@given(st.data())
def test_meeting_every_requirement_scores_100_and_ready(data):
    framework = data.draw(frameworks())
    top = framework.max_level
    ratings = {
        c.id: Rating(level=data.draw(st.integers(c.required_level, top))) for _, c in framework.criteria()
    }

    result = readiness(framework, ratings)

    assert result.score == 100.0
    assert all(domain.score == 100.0 for domain in result.domains)
    assert result.band == "ready"
    assert (result.gaps, result.priorities) == (0, ())
    assert set(area_needs(framework, ratings).values()) == {0.0}
    assert fit(framework, area_needs(framework, ratings)).percent is None


@given(st.data())
def test_raising_one_rating_never_lowers_a_score_nor_raises_a_need(data):
    source = data.draw(frameworks())
    target = data.draw(frameworks(fid="target"))
    before = data.draw(ratings_for(source))
    after = raise_one(data, source, before)

    old, new = readiness(source, before), readiness(source, after)
    assert new.score >= old.score
    assert all(n.score >= o.score for o, n in zip(old.domains, new.domains, strict=True))
    assert new.gaps <= old.gaps

    old_needs, new_needs = area_needs(source, before), area_needs(source, after)
    assert all(new_needs[area] <= old_needs[area] for area in old_needs)
    old_levels, new_levels = area_levels(source, before), area_levels(source, after)
    assert all(new_levels[area] >= old_levels[area] for area in old_levels)

    old_score, _, old_basis = estimate(source, before, target)
    new_score, _, new_basis = estimate(source, after, target)
    assert new_score >= old_score
    assert new_basis >= old_basis


@given(st.data())
def test_score_does_not_depend_on_listing_or_answering_order(data):
    framework = data.draw(frameworks())
    ratings = data.draw(ratings_for(framework))
    reversed_framework = build(
        {domain: criteria[::-1] for domain, criteria in reversed(framework_data_from(framework).items())},
        max_level=framework.max_level,
    )
    reversed_ratings = dict(reversed(ratings.items()))

    score = readiness(framework, ratings).score

    assert readiness(framework, reversed_ratings).score == score
    assert readiness(reversed_framework, ratings).score == score


@given(st.data())
def test_estimate_is_bounded_and_basis_is_a_share(data):
    source = data.draw(frameworks())
    target = data.draw(frameworks(fid="target"))

    score, band, basis = estimate(source, data.draw(ratings_for(source)), target)

    assert 0 <= score <= 100
    assert band == band_for(score)
    assert 0 <= basis <= 1


@given(st.data())
def test_estimate_onto_a_copy_reproduces_the_score_when_each_area_has_one_criterion(data):
    # With one criterion per area, the area level *is* the rating, so the projection loses nothing.
    source = data.draw(frameworks(one_per_area=True))
    copy = build(framework_data_from(source), fid="copy", max_level=source.max_level)
    ratings = data.draw(ratings_for(source))

    score, _, _ = estimate(source, ratings, copy)

    assert score == pytest.approx(readiness(source, ratings).score, abs=1e-9)


@given(
    st.data(),
    st.dictionaries(st.sampled_from(AREAS), st.floats(min_value=0, max_value=1, allow_nan=False)),
)
def test_fit_is_a_percentage_or_none(data, needs):
    target = data.draw(frameworks(fid="target"))

    result = fit(target, needs)

    needed = {area for area, need in needs.items() if need > 0}
    if needed:
        assert result.percent is not None
        assert 0 <= result.percent <= 100
    else:
        assert result.percent is None
    assert {a.area for a in result.areas} == needed
    assert [a.need for a in result.areas] == sorted((a.need for a in result.areas), reverse=True)
    assert all(0 <= a.coverage <= 1 for a in result.areas)


@given(st.data())
def test_fit_of_real_needs_is_a_percentage_or_none(data):
    source = data.draw(frameworks())
    target = data.draw(frameworks(fid="target"))
    needs = area_needs(source, data.draw(ratings_for(source)))

    percent = fit(target, needs).percent

    assert percent is None or 0 <= percent <= 100
    assert all(0 <= need <= 1 for need in needs.values())


# --- size -----------------------------------------------------------------------------------------------


class CountingRatings(Mapping[str, Rating]):
    """Counts every read, to show scoring reads each answer a fixed number of times."""

    def __init__(self, ratings: dict[str, Rating]) -> None:
        self._ratings = ratings
        self.reads = 0

    def __getitem__(self, key: str) -> Rating:
        self.reads += 1
        return self._ratings[key]

    def __iter__(self) -> Iterator[str]:
        self.reads += len(self._ratings)
        return iter(self._ratings)

    def __len__(self) -> int:
        return len(self._ratings)


def large_framework(size: int) -> Framework:
    return build(
        {
            f"d{d}": [
                criterion(f"c{d}-{n}", AREAS[n % len(AREAS)], n % 5, weight=1 + n % 3) for n in range(10)
            ]
            for d in range(size // 10)
        }
    )


def test_readiness_work_grows_linearly_with_the_framework(monkeypatch):
    """A sanity check, not a timing: a 60-criterion framework is walked a fixed number of times."""
    walks = 0
    walk = Framework.criteria

    def counting_walk(self: Framework) -> Iterator[Any]:
        nonlocal walks
        walks += 1
        return walk(self)

    monkeypatch.setattr(Framework, "criteria", counting_walk)
    reads_per_criterion = []
    for size in (60, 600):
        framework = large_framework(size)
        ratings = CountingRatings({c.id: Rating(level=2) for _, c in framework.criteria()})
        walks = 0

        result = readiness(framework, ratings)

        assert len(result.criteria) == size
        assert walks <= 2
        reads_per_criterion.append(ratings.reads / size)
    assert reads_per_criterion[0] == reads_per_criterion[1] <= 3


@settings(max_examples=25)
@given(st.data())
def test_sixty_criteria_score_like_six_repeats_of_ten(data):
    # Repeating the same ten criteria and answers six times changes nothing: no size effects.
    ten = [c for _, c in large_framework(10).criteria()]
    answers = [data.draw(st.integers(0, 4)) for _ in ten]
    small = build({"d": [criterion(c.id, c.area, c.required_level, c.weight) for c in ten]})
    big = large_framework(60)

    small_score = readiness(small, {c.id: level(a) for c, a in zip(ten, answers, strict=True)}).score
    big_ratings = {c.id: level(answers[i % 10]) for i, (_, c) in enumerate(big.criteria())}

    assert readiness(big, big_ratings).score == pytest.approx(small_score)


def test_docs_state_the_band_thresholds_and_the_coverage_share_in_use():
    docs = (Path(__file__).parents[2] / "docs" / "scoring.md").read_text()

    rows = dict(re.findall(r"^\| `([a-z-]+)` \| [^|]+ \| ([^|]+) \|$", docs, flags=re.MULTILINE))
    for threshold, band in BAND_THRESHOLDS:
        assert rows[band].startswith(f"{threshold:g} "), band
    assert f"divided by **{scoring.EVEN_SPREAD_SHARE:.2f}**" in docs
