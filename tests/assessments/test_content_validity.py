"""Lawshe's content validity ratio, Ayre and Scally's critical values, groups, and panel files."""

from fractions import Fraction
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import binom, fisher_exact

from assessments import content_validity as cv
from assessments.framework import shipped_frameworks

DHLP = shipped_frameworks()["nhs-digital-academy-dhlp"]
FIRST, SECOND = list(DHLP.criteria_by_id)[:2]


# --------------------------------------------------------------------------- the statistics

# Ayre and Scally (2014), table 2 (the published critical values, three decimals).
PUBLISHED = {
    5: 1.0,
    6: 1.0,
    7: 1.0,
    8: 0.75,
    9: 0.778,
    10: 0.8,
    11: 0.636,
    12: 0.667,
    20: 0.5,
    30: 0.333,
    40: 0.3,
}


@pytest.mark.parametrize(("raters", "critical"), PUBLISHED.items())
def test_critical_cvr_matches_ayre_and_scally(raters, critical):
    assert round(float(cv.critical_cvr(raters)), 3) == critical


def test_ten_raters_need_nine_essential():
    assert cv.critical_essential(10) == 9
    assert cv.critical_cvr(10) == Fraction(4, 5)
    assert cv.critical_essential(40) == 26
    assert cv.critical_cvr(40) == Fraction(3, 10)


@pytest.mark.parametrize("raters", [1, 2, 3, 4])
def test_four_or_fewer_raters_can_never_reach_significance(raters):
    # Even unanimous agreement has probability (1/2)^N > 0.05 by chance.
    assert cv.critical_essential(raters) is None
    assert cv.critical_cvr(raters) is None


def test_cvr_is_lawshes_ratio():
    assert cv.cvr(9, 10) == Fraction(4, 5)
    assert cv.cvr(5, 10) == 0
    assert cv.cvr(0, 7) == -1
    assert cv.cvr(7, 7) == 1


@pytest.mark.parametrize(("essential", "raters"), [(-1, 5), (6, 5), (0, 0), (True, 5), (2.0, 5)])
def test_cvr_refuses_impossible_counts(essential, raters):
    with pytest.raises(ValueError, match="must be a whole number"):
        cv.cvr(essential, raters)


@given(st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=130))
def test_binomial_tail_agrees_with_scipy(n, k):
    exact = cv.binomial_upper_tail(k, n)
    assert float(exact) == pytest.approx(binom.sf(k - 1, n, 0.5), rel=1e-9, abs=1e-300)


@given(st.integers(min_value=5, max_value=1500))
def test_critical_value_is_the_smallest_significant_count(n):
    needed = cv.critical_essential(n)
    assert cv.binomial_upper_tail(needed, n) <= cv.ALPHA < cv.binomial_upper_tail(needed - 1, n)
    assert binom.sf(needed - 1, n, 0.5) <= 0.05 < binom.sf(needed - 2, n, 0.5)


@given(
    st.integers(min_value=1, max_value=500).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1)))
)
def test_cvr_is_in_range_and_rises_with_each_essential(case):
    raters, essential = case
    assert -1 <= cv.cvr(essential, raters) < cv.cvr(essential + 1, raters) <= 1


@given(st.integers(min_value=5, max_value=800))
def test_critical_values_as_the_panel_grows(n):
    """What holds (checked): the count needed never falls and rises by at most one per rater;
    the critical CVR is always above 0 and never rises when the panel doubles. It is NOT
    monotone rater by rater (N = 10 needs 0.8, N = 11 only 0.636, N = 12 0.667 again)."""
    now, then = cv.critical_essential(n), cv.critical_essential(n + 1)
    assert now <= then <= now + 1
    assert cv.critical_cvr(n) > 0
    assert cv.critical_cvr(2 * n) <= cv.critical_cvr(n)


def test_critical_cvr_is_not_monotone_rater_by_rater():
    assert cv.critical_cvr(11) < cv.critical_cvr(12)


def test_large_panels_are_quick_and_exact():
    needed = cv.critical_essential(20_000)
    assert cv.binomial_upper_tail(needed, 20_000) <= cv.ALPHA < cv.binomial_upper_tail(needed - 1, 20_000)


def test_verdicts():
    assert cv.judge(9, 10, min_cell=10).verdict == "essential"
    assert cv.judge(8, 10, min_cell=10).verdict == "not-shown-essential"
    small = cv.judge(7, 7, min_cell=10)
    assert small.verdict == "too-few-raters"
    assert (small.essential, small.cvr) == (None, None)  # hidden, as every small figure is
    assert cv.judge(7, 7, min_cell=5).verdict == "essential"


# --------------------------------------------------------------------------- groups


def rater(ratings, **answers):
    return cv.Rater(answers, ratings)


def panel(clinical_essential, clinical, other_essential, other):
    raters = [rater({FIRST: "essential"}, staff_group="clinical") for _ in range(clinical_essential)]
    raters += [rater({FIRST: "useful"}, staff_group="clinical") for _ in range(clinical - clinical_essential)]
    raters += [rater({FIRST: "essential"}, staff_group="non-clinical") for _ in range(other_essential)]
    raters += [
        rater({FIRST: "not-necessary"}, staff_group="non-clinical") for _ in range(other - other_essential)
    ]
    return raters


def test_groups_get_their_own_cvr_a_difference_and_fishers_test():
    raters = panel(28, 40, 12, 40)
    [result] = cv.analyse([FIRST], raters, min_cell=10, groupings=["staff_group"])
    assert result.overall.raters == 80
    assert result.overall.essential == 40
    groups = {group.group: group for group in result.by_group["staff_group"]}
    clinical, other = groups["clinical"], groups["non-clinical"]
    assert clinical.judgement.cvr == Fraction(4, 10)
    assert clinical.judgement.verdict == "essential"
    assert other.judgement.cvr == Fraction(-4, 10)
    assert other.judgement.verdict == "not-shown-essential"
    assert clinical.cvr_difference == Fraction(8, 10)
    assert clinical.p_value == pytest.approx(fisher_exact([[28, 12], [12, 28]])[1], rel=1e-9)


def test_small_groups_are_hidden_with_a_complementary_cell():
    # 3 non-clinical raters: hidden; the not-answered group is hidden too, or 3 could be worked out.
    raters = panel(15, 15, 3, 3) + [rater({FIRST: "useful"}) for _ in range(12)]
    [result] = cv.analyse([FIRST], raters, min_cell=10, groupings=["staff_group"])
    groups = {group.group: group for group in result.by_group["staff_group"]}
    assert groups["non-clinical"].judgement.raters is None
    assert groups["non-clinical"].judgement.cvr is None
    assert groups["not-answered"].judgement.raters is None
    # Clinical's 15 raters are shown, but not its 15 essential answers: the criterion's 18 less
    # those would say the two hidden groups hold exactly 3 essential answers.
    assert groups["clinical"].judgement.raters == 15
    assert groups["clinical"].judgement.essential is None
    assert groups["clinical"].judgement.cvr is None
    assert groups["clinical"].judgement.verdict is None
    assert groups["clinical"].p_value is None


def test_a_group_is_compared_with_hidden_groups_only_together():
    raters = panel(20, 30, 10, 20)
    raters += [rater({FIRST: "useful"}) for _ in range(4)]  # 4 not answered: hidden
    [result] = cv.analyse([FIRST], raters, min_cell=10, groupings=["staff_group"])
    groups = {group.group: group for group in result.by_group["staff_group"]}
    # non-clinical (20) is hidden to protect the 4; clinical's rest (24: 10 essential, 14 not)
    # is two groups together, each of its columns holding at least 10.
    assert groups["not-answered"].judgement.raters is None
    assert groups["non-clinical"].judgement.raters is None
    assert groups["clinical"].judgement.cvr == Fraction(1, 3)
    assert groups["clinical"].p_value is not None


def test_content_validity_index_is_the_mean_cvr_of_kept_criteria():
    raters = [rater({FIRST: "essential", SECOND: "essential"}) for _ in range(20)]
    raters += [rater({FIRST: "essential", SECOND: "useful"}) for _ in range(10)]
    results = cv.analyse([FIRST, SECOND], raters, min_cell=10)
    assert [r.overall.verdict for r in results] == ["essential", "essential"]
    assert cv.content_validity_index(results) == (Fraction(1) + Fraction(1, 3)) / 2
    assert not cv.index_hidden(results)
    nobody = cv.analyse([FIRST], [rater({FIRST: "useful"}) for _ in range(12)], min_cell=10)
    assert cv.content_validity_index(nobody) is None


def test_learning_routes_group_as_the_designer_does():
    assert cv.group_of(rater({}, learning_routes=["formal-education"]), "learning_route") == "formal-only"
    assert cv.group_of(rater({}, learning_routes=[]), "learning_route") == "none-given"
    assert cv.group_of(rater({}), "learning_route") == "not-answered"
    assert cv.group_of(rater({}, caring_responsibilities=True), "caring") == "yes"


# --------------------------------------------------------------------------- panel files


def test_a_good_panel_parses():
    raters = cv.parse_panel(
        {"raters": [{"staff_group": "clinical", "sector": "social-care", "ratings": {FIRST: "essential"}}]},
        DHLP,
    )
    assert raters == [cv.Rater({"staff_group": "clinical", "sector": "social-care"}, {FIRST: "essential"})]
    assert cv.groupings_present(raters) == ["staff_group", "sector"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"raters": []}, "panel: the panel is empty"),
        ({}, "panel: a panel file has one key, 'raters'"),
        ({"raters": [{"ratings": {"dhlp.nope": "essential"}}]}, "rater 1: 'dhlp.nope' is not a criterion of"),
        (
            {"raters": [{"ratings": {FIRST: "vital"}}]},
            f"rater 1, criterion '{FIRST}': 'vital' is not an answer",
        ),
        (
            {"raters": [{"ratings": {FIRST: "useful"}}, {"grade": 7, "ratings": {FIRST: "useful"}}]},
            "rater 2: 'grade' is not a profile answer",
        ),
        (
            {"raters": [{"sector": "nhs-x", "ratings": {FIRST: "useful"}}]},
            "rater 1: 'nhs-x' is not a declared value",
        ),
        ({"raters": [{"staff_group": "clinical"}]}, "rater 1: needs 'ratings'"),
        ({"raters": ["x"]}, "rater 1: must be a mapping"),
        (
            {"raters": [{"hours_per_week": 500, "ratings": {FIRST: "useful"}}]},
            "hours_per_week must be a number",
        ),
        (
            {"raters": [{"ratings": {FIRST: ["essential"]}}]},
            f"criterion '{FIRST}': ['essential'] is not an answer",
        ),
        (
            {"raters": [{"caring_responsibilities": "yes", "ratings": {FIRST: "useful"}}]},
            "must be true or false",
        ),
    ],
)
def test_bad_panels_name_the_rater_and_criterion(data, message):
    with pytest.raises(cv.PanelError) as raised:
        cv.parse_panel(data, DHLP)
    assert any(message in problem for problem in raised.value.problems), raised.value.problems


def test_every_problem_is_reported_at_once():
    data = {"raters": [{"ratings": {"x": "essential"}}, {"ratings": {FIRST: "maybe"}}]}
    with pytest.raises(cv.PanelError) as raised:
        cv.parse_panel(data, DHLP)
    assert len(raised.value.problems) == 2


def test_panel_file_is_read_with_the_safe_loader(tmp_path):
    path = tmp_path / "panel.yaml"
    path.write_text("raters:\n  - ratings: {a: !!python/object:os.system 1}\n")
    with pytest.raises(cv.PanelError):
        cv.load_panel(path, DHLP)


def test_no_comparison_with_a_rest_under_the_limit():
    # 12 clinical and 9 non-clinical with a limit of 9: both shown, but clinical's rest is 9 ...
    [result] = cv.analyse([FIRST], panel(12, 12, 0, 9), min_cell=10, groupings=["staff_group"])
    groups = {group.group: group for group in result.by_group["staff_group"]}
    assert groups["clinical"].judgement.raters is None  # protecting the 9 (complementary)
    [result] = cv.analyse([FIRST], panel(12, 12, 0, 9), min_cell=9, groupings=["staff_group"])
    groups = {group.group: group for group in result.by_group["staff_group"]}
    assert groups["clinical"].p_value is not None
    [result] = cv.analyse([FIRST], panel(12, 12, 0, 8), min_cell=9, groupings=["staff_group"])
    groups = {group.group: group for group in result.by_group["staff_group"]}
    assert groups["clinical"].judgement.raters is None
    assert groups["non-clinical"].judgement.raters is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=12,
)
keys = st.sampled_from(["staff_group", "sector", "contract", "hours_per_week", "memberships", "ratings", "x"])
relevance = st.sampled_from([*cv.RELEVANCE, "vital"]) | json_values
rater_entries = st.dictionaries(keys, json_values, max_size=4) | st.builds(
    lambda answers, ratings: {**answers, "ratings": ratings},
    st.dictionaries(keys.filter(lambda key: key != "ratings"), json_values, max_size=3),
    st.dictionaries(st.sampled_from([FIRST, SECOND, "dhlp.nope"]), relevance, min_size=1, max_size=3),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(json_values, st.builds(lambda raters: {"raters": raters}, st.lists(rater_entries, max_size=4)))
)
def test_any_panel_is_parsed_or_refused_with_panel_errors(data):
    try:
        raters = cv.parse_panel(data, DHLP)
    except cv.PanelError as problem:
        assert problem.problems
        assert all(line.startswith("panel: ") for line in problem.problems)
    else:
        assert raters
        assert all(set(rater.ratings.values()) <= set(cv.RELEVANCE) for rater in raters)


def test_the_relevance_type_and_its_labels_agree():
    assert get_args(cv.Relevance) == tuple(cv.RELEVANCE)
    assert get_args(cv.Verdict) == tuple(cv.VERDICT_LABELS)


SECTORS = ["nhs-acute", "social-care", "primary-care", "local-authority", None]


@settings(max_examples=200, deadline=None)
@given(
    people=st.lists(
        st.tuples(st.sampled_from(SECTORS), st.sampled_from([*cv.RELEVANCE, None])), min_size=0, max_size=80
    ),
    forced=st.sets(st.sampled_from(["nhs-acute", "social-care", "primary-care", "local-authority"])),
    min_cell=st.integers(min_value=2, max_value=12),
)
def test_forced_and_small_groups_stay_hidden_and_protected(people, forced, min_cell):
    """Whatever the cohort: a group hidden elsewhere is never shown here, every shown group has
    0 or at least ``min_cell`` raters and people who did not rate, and the hidden groups'
    raters (and non-raters) are none, or two groups or more holding ``min_cell`` together."""
    raters = [
        cv.Rater({} if sector is None else {"sector": sector}, {} if answer is None else {FIRST: answer})
        for sector, answer in people
    ]
    [result] = cv.analyse([FIRST], raters, min_cell, ["sector"], {"sector": forced})
    groups = result.by_group["sector"]
    counts: dict[str, int] = {}
    for person in raters:
        if FIRST in person.ratings:
            group = cv.group_of(person, "sector")
            counts[group] = counts.get(group, 0) + 1
    sizes: dict[str, int] = {}
    for person in raters:
        group = cv.group_of(person, "sector")
        sizes[group] = sizes.get(group, 0) + 1
    hidden = [group.group for group in groups if group.judgement.raters is None]
    for group in groups:
        if group.judgement.raters is not None:
            assert group.group not in forced
            assert group.judgement.raters == counts.get(group.group, 0)
            for count in (counts.get(group.group, 0), sizes.get(group.group, 0) - counts.get(group.group, 0)):
                assert count == 0 or count >= min_cell
    if counts:
        assert {group.group for group in groups} >= set(counts)
    if hidden and len(hidden) < len(groups):
        for values in (
            [counts.get(group, 0) for group in hidden],
            [sizes.get(group, 0) - counts.get(group, 0) for group in hidden],
        ):
            assert sum(values) == 0 or (len(hidden) >= 2 and sum(values) >= min_cell)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=60))
def test_discoveries_agree_with_scipys_benjamini_hochberg(p_values):
    from scipy.stats import false_discovery_control

    adjusted = false_discovery_control(p_values, method="bh")
    expected = [bool(value <= 0.05 * (1 + 1e-9)) for value in adjusted]
    assert cv.discoveries(p_values) == expected


def test_discoveries_keep_a_strong_signal_among_chance_ones():
    assert cv.discoveries([0.0001, 0.04, 0.3, 0.5, 0.7]) == [True, False, False, False, False]
    assert cv.discoveries([0.01, 0.02, 0.03]) == [True, True, True]
    assert cv.discoveries([]) == []


@pytest.mark.parametrize("alpha", [cv.ALPHA, Fraction(1, 100), Fraction(1, 2)])
def test_the_bounded_start_gives_the_full_walks_answer(alpha):
    for raters in [*range(200, 1200, 7), 5000, 12345]:
        assert cv._critical_essential(raters, alpha) == cv._critical_walk(raters, alpha), raters


def test_a_very_large_panel_is_quick():
    assert cv.critical_essential(100_000) == 50_261
    assert cv.binomial_upper_tail(50_261, 100_000) <= cv.ALPHA < cv.binomial_upper_tail(50_260, 100_000)
