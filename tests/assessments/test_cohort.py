import json
import math
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assessments import cohort
from assessments.cohort import (
    ALPHA,
    NOT_ANSWERED,
    PREFER_NOT_TO_SAY,
    SUPPRESSED_TEXT,
    CohortError,
    GroupCounts,
    ReferenceHidden,
    adverse_impact,
    cohort_table,
    combine,
    fisher_exact,
    group_summary,
    headline_risks,
    high,
    intersection,
    readiness_gap,
    suppress,
    suppress_table,
    t_quantile,
    t_upper_tail,
    wilson_interval,
)
from assessments.profile import PREFER_NOT

TC = "time-commitment"
HIGH_TC = high(TC)


# --- builders -------------------------------------------------------------------------------------------


def group(
    label: str,
    n: int,
    flagged: dict[str, int] | None = None,
    *,
    mean: float = 60.0,
    variance: float = 100.0,
    bands: dict[str, int] | None = None,
    no_opportunity: int = 0,
    answers: int = 0,
    median: float | None = None,
    parts: tuple[str, ...] = (),
) -> GroupCounts:
    """A group whose readiness has the given mean and sample variance, as SQL would sum it."""
    total = mean * n
    squares = variance * (n - 1) + total * total / n if n else 0.0
    return GroupCounts(
        group=label,
        n=n,
        readiness_sum=total,
        readiness_sumsq=squares,
        bands=bands or {},
        flagged=flagged or {},
        no_opportunity=no_opportunity,
        answers=answers,
        median=median,
        parts=parts,
    )


def from_scores(label: str, scores: Sequence[float]) -> GroupCounts:
    return GroupCounts(
        group=label,
        n=len(scores),
        readiness_sum=sum(scores),
        readiness_sumsq=sum(score * score for score in scores),
    )


def exact_fisher(a: int, b: int, c: int, d: int) -> Fraction:
    """An independent two-sided Fisher p-value with exact integer arithmetic."""
    row1, row2, col1 = a + b, c + d, a + c

    def probability(x: int) -> Fraction:
        return Fraction(math.comb(row1, x) * math.comb(row2, col1 - x), math.comb(row1 + row2, col1))

    observed = probability(a)
    support = range(max(0, col1 - row2), min(row1, col1) + 1)
    return sum((probability(x) for x in support if probability(x) <= observed), Fraction(0))


def contract_cohort() -> list[GroupCounts]:
    """Four contract groups of 40/25/12/6: the last two hidden (6 is small, 12 protects it).

    Each shown group's flags are all at high severity or none are: a group's flagged count less
    its high-severity count (people flagged at medium severity) is protected like any count.
    """
    return [
        group(
            "full-time",
            40,
            {TC: 10, HIGH_TC: 0},
            mean=70,
            variance=100,
            bands={"not-yet": 10, "developing": 10, "nearly-ready": 10, "ready": 10},
            no_opportunity=8,
            answers=400,
            median=71.5,
        ),
        group(
            "part-time",
            25,
            {TC: 15, HIGH_TC: 15},
            mean=55,
            variance=144,
            bands={"not-yet": 10, "developing": 15},
            no_opportunity=25,
            answers=250,
            median=54,
        ),
        group("compressed-hours", 12, {}, mean=60, variance=25, bands={"developing": 12}),
        group("job-share", 6, {}, mean=50, variance=16, bands={"developing": 6}),
    ]


LABELS = {
    "full-time": "full-time staff",
    "part-time": "part-time staff",
    TC: "time commitment",
}


# --- statistics against known values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        pytest.param((3, 1, 1, 3), 0.4857142857, id="lady-tasting-tea"),
        pytest.param((1, 9, 11, 3), 0.0027594562, id="dieting-teenagers"),
        pytest.param((15, 10, 10, 30), 0.0082432309, id="part-time-vs-full-time"),
        pytest.param((0, 5, 0, 5), 1.0, id="nobody-flagged"),
        pytest.param((5, 0, 5, 0), 1.0, id="everybody-flagged"),
    ],
)
def test_fisher_exact_matches_published_two_sided_values(table, expected):
    assert fisher_exact(*table) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=200)
@given(st.lists(st.integers(0, 25), min_size=4, max_size=4))
def test_fisher_exact_agrees_with_exact_integer_arithmetic(table):
    assume(sum(table) > 0)
    assert fisher_exact(*table) == pytest.approx(float(exact_fisher(*table)), abs=1e-9)


def exact_fisher_with_tolerance(a: int, b: int, c: int, d: int) -> Fraction:
    """The two-sided p-value in whole numbers, counting tables within 1e-7 of the observed one as R does.

    Every table's weight C(row1, x) * C(row2, col1 - x) comes from its neighbour by an exact
    integer ratio, so big tables need no factorials.
    """
    row1, row2, col1 = a + b, c + d, a + c
    low, top = max(0, col1 - row2), min(row1, col1)
    weights = [math.comb(row1, low) * math.comb(row2, col1 - low)]
    for x in range(low, top):
        weights.append(weights[-1] * (row1 - x) * (col1 - x) // ((x + 1) * (row2 - col1 + x + 1)))
    observed = weights[a - low]
    counted = sum(w for w in weights if w * 10**7 <= observed * (10**7 + 1))
    return Fraction(counted, math.comb(row1 + row2, col1))


@settings(max_examples=300)
@given(st.lists(st.integers(0, 80), min_size=4, max_size=4))
def test_fisher_exact_is_relatively_exact_even_for_tiny_p_values(table):
    """Not just within 1e-9 absolute: tiny p-values (far-apart groups) keep their digits too."""
    assume(sum(table) > 0)
    expected = float(exact_fisher_with_tolerance(*table))
    assert fisher_exact(*table) == pytest.approx(expected, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(
    "table",
    [
        pytest.param((1_200, 3_800, 3_000, 12_000), id="flagged-24-vs-20-percent"),
        pytest.param((1_600, 3_400, 3_000, 12_000), id="flagged-32-vs-20-percent-p-near-1e-64"),
        pytest.param((3_050, 11_950, 1_000, 4_000), id="small-difference-p-near-0.6"),
        pytest.param((40, 9_960, 10, 29_990), id="rare-flag"),
        pytest.param((20_000, 0, 19_990, 10), id="nearly-everyone-flagged"),
    ],
)
def test_fisher_exact_on_cohort_sized_tables_matches_whole_number_arithmetic(table):
    """Tables the size of real cohorts (tens of thousands), where summing every table would be slow."""
    expected = exact_fisher_with_tolerance(*table)
    assert fisher_exact(*table) == pytest.approx(float(expected), rel=1e-9, abs=1e-300)


def test_fisher_exact_rejects_negative_counts():
    with pytest.raises(CohortError, match="four counts"):
        fisher_exact(1, -1, 2, 3)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high_"),
    [
        (8, 20, 0.2188065, 0.6134185),  # Wilson (1927) as tabulated by Newcombe (1998)
        (0, 10, 0.0, 0.2775328),  # z² / (n + z²) with z = 1.959964
        (10, 10, 0.7224672, 1.0),
    ],
)
def test_wilson_interval_matches_known_values(successes, n, low, high_):
    assert wilson_interval(successes, n) == pytest.approx((low, high_), abs=1e-6)


def test_wilson_interval_ends_are_exact_at_none_and_all():
    assert wilson_interval(0, 40)[0] == 0.0
    assert wilson_interval(40, 40)[1] == 1.0


def test_wilson_interval_refuses_an_empty_group():
    with pytest.raises(CohortError, match="n > 0"):
        wilson_interval(0, 0)


@pytest.mark.parametrize(
    ("df", "expected"),
    [
        (10, 2.228138851986274),
        (30, 2.042272456301238),
        (1, 12.706204736174698),
        (2, 4.302652729749464),
        (5, 2.570581835636314),
        (1000, 1.962339),
        (1e8, 1.959963985 + 2.3726e-8),  # z + (z³ + z) / (4 df)
    ],
)
def test_t_quantile_matches_tables(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-6 if df == 1000 else 1e-9)


@given(st.floats(0.0005, 0.9995))
def test_t_quantile_matches_closed_forms_for_one_and_two_degrees_of_freedom(p):
    assert t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-9, abs=1e-9)
    assert t_quantile(p, 2) == pytest.approx((2 * p - 1) / math.sqrt(2 * p * (1 - p)), rel=1e-9, abs=1e-9)


@given(st.floats(0.001, 0.999), st.floats(0.5, 5000))
def test_t_quantile_inverts_the_tail(p, df):
    assert t_upper_tail(t_quantile(p, df), df) == pytest.approx(1 - p, abs=1e-9)


@pytest.mark.parametrize(("p", "df"), [(0, 10), (1, 10), (0.5, 0), (0.5, -1)])
def test_t_quantile_rejects_impossible_arguments(p, df):
    with pytest.raises(CohortError):
        t_quantile(p, df)


# --- suppression -------------------------------------------------------------------------------------------


def test_suppress_hides_a_small_count_and_the_next_smallest_to_protect_it():
    shown = suppress({"full-time": 40, "part-time": 25, "compressed-hours": 12, "job-share": 6}, 10)
    assert shown == {"full-time": 40, "part-time": 25, "compressed-hours": None, "job-share": None}


def test_suppress_cannot_be_undone_from_the_total():
    counts = {"a": 40, "b": 25, "c": 12, "d": 6}
    shown = suppress(counts, 10)
    total = sum(counts.values())
    hidden = [key for key, value in shown.items() if value is None]
    remainder = total - sum(value for value in shown.values() if value is not None)
    # The attacker learns only that the hidden groups share `remainder` people between them.
    assert len(hidden) >= 2
    assert remainder >= 10
    for key in hidden:
        possible = range(0, remainder + 1)
        assert counts[key] in possible
        assert len(possible) > 1


def test_suppress_shows_zero_because_it_describes_nobody():
    assert suppress({"a": 0, "b": 30, "c": 20}, 10) == {"a": 0, "b": 30, "c": 20}


def test_suppress_hides_a_zero_only_when_a_second_cell_is_all_that_is_missing():
    # b alone is large enough, but one hidden cell could be read from the total: hide the cheapest other.
    assert suppress({"a": 3, "b": 0, "c": 50, "d": 60}, 10) == {"a": None, "b": 0, "c": None, "d": 60}
    assert suppress({"a": 3, "b": 8, "c": 50}, 10) == {"a": None, "b": None, "c": 50}


def test_suppress_hides_everything_when_the_whole_row_is_small():
    assert suppress({"a": 3, "b": 0, "c": 4}, 10) == {"a": None, "b": None, "c": None}


def test_suppress_with_min_cell_one_hides_nothing():
    assert suppress({"a": 1, "b": 2}, 1) == {"a": 1, "b": 2}


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "10"])
def test_suppress_rejects_a_bad_min_cell(bad):
    with pytest.raises(CohortError, match="min_cell must be a whole number"):
        suppress({"a": 1}, bad)


def test_suppress_rejects_a_negative_count():
    with pytest.raises(CohortError, match="count for 'a'"):
        suppress({"a": -1}, 10)


def line_is_safe(values: Sequence[int], hidden: Sequence[bool], min_cell: int) -> bool:
    """The guarantee: hidden cells sum to 0, or are >= 2 summing to >= min_cell, or are the whole line."""
    hidden_values = [value for value, gone in zip(values, hidden, strict=True) if gone]
    return (
        not hidden_values
        or sum(hidden_values) == 0
        or (len(hidden_values) >= 2 and sum(hidden_values) >= min_cell)
        or len(hidden_values) == len(values)
    )


@settings(max_examples=300)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=8), st.integers(1, 15))
def test_suppress_never_shows_a_small_count_and_never_leaves_one_recoverable(values, min_cell):
    counts = {f"g{i}": value for i, value in enumerate(values)}
    shown = suppress(counts, min_cell)
    assert all(value is None or value == 0 or value >= min_cell for value in shown.values())
    assert all(shown[key] in (None, counts[key]) for key in counts)
    assert line_is_safe(values, [shown[key] is None for key in counts], min_cell)


@settings(max_examples=200)
@given(
    st.integers(1, 4).flatmap(
        lambda rows: st.lists(
            st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=rows, max_size=rows
        )
    ),
    st.integers(2, 12),
)
def test_suppress_table_protects_every_row_and_column(grid, min_cell):
    cells = {(f"r{r}", f"c{c}"): value for r, row in enumerate(grid) for c, value in enumerate(row)}
    shown = suppress_table(cells, min_cell)
    assert all(value is None or value == 0 or value >= min_cell for value in shown.values())
    for r, row in enumerate(grid):
        assert line_is_safe(row, [shown[(f"r{r}", f"c{c}")] is None for c in range(3)], min_cell)
    for c in range(3):
        column = [row[c] for row in grid]
        assert line_is_safe(column, [shown[(f"r{r}", f"c{c}")] is None for r in range(len(grid))], min_cell)


def test_suppress_table_protects_a_small_cell_through_its_row_and_column():
    cells = {("a", "x"): 4, ("a", "y"): 30, ("b", "x"): 20, ("b", "y"): 25}
    shown = suppress_table(cells, 10)
    # With the row totals and column totals known, any single hidden cell would be recoverable.
    assert shown == {("a", "x"): None, ("a", "y"): None, ("b", "x"): None, ("b", "y"): None}


# --- adverse impact on a worked cohort ---------------------------------------------------------------------


def test_adverse_impact_worked_cohort_figures():
    rows = {row.group: row for row in adverse_impact(contract_cohort(), TC, 10)}
    full, part = rows["full-time"], rows["part-time"]
    assert (full.verdict, full.reference, full.n, full.flagged) == ("reference", "full-time", 40, 10)
    assert (full.impact_ratio, full.relative_likelihood, full.gap_pp) == (1.0, 1.0, 0.0)
    assert (part.n, part.flagged, part.reference) == (25, 15, "full-time")
    assert part.flag_rate == pytest.approx(15 / 25)
    assert part.pass_rate == pytest.approx(10 / 25)
    assert part.impact_ratio == pytest.approx((10 / 25) / (30 / 40))  # 0.5333
    assert part.relative_likelihood == pytest.approx((15 / 25) / (10 / 40))  # 2.4
    assert part.gap_pp == pytest.approx(35.0)
    assert part.p_value == pytest.approx(float(exact_fisher(15, 10, 10, 30)))
    assert part.ci == pytest.approx(wilson_interval(15, 25))
    assert part.below_four_fifths is True
    assert part.verdict == "adverse"
    for hidden in ("compressed-hours", "job-share"):
        assert rows[hidden].verdict == "suppressed"
        assert (rows[hidden].n, rows[hidden].flagged, rows[hidden].impact_ratio) == (None, None, None)


def test_adverse_impact_reference_with_nobody_flagged_has_no_finite_relative_likelihood():
    rows = {row.group: row for row in adverse_impact(contract_cohort(), HIGH_TC, 10)}
    assert rows["full-time"].verdict == "reference"
    part = rows["part-time"]
    assert part.impact_ratio == pytest.approx(0.4)
    assert part.relative_likelihood is None
    assert part.gap_pp == pytest.approx(60.0)
    assert part.verdict == "adverse"


def test_adverse_impact_designer_reference_is_used():
    groups = [group("a", 40, {TC: 10}), group("b", 30, {TC: 3 * 10}), group("c", 50, {TC: 20})]
    rows = {row.group: row for row in adverse_impact(groups, TC, 10, reference="c")}
    assert rows["c"].verdict == "reference"
    assert rows["a"].reference == "c"
    assert rows["a"].impact_ratio == pytest.approx(0.75 / 0.6)
    assert rows["a"].relative_likelihood == pytest.approx(0.25 / 0.4)
    assert rows["a"].gap_pp == pytest.approx(-15.0)
    assert rows["a"].below_four_fifths is False
    assert rows["b"].impact_ratio == 0.0
    assert rows["b"].verdict == "adverse"


def test_adverse_impact_default_reference_has_the_highest_pass_rate():
    groups = [group("a", 40, {TC: 10}), group("b", 20, {TC: 0}), group("c", 50, {TC: 20})]
    assert {row.reference for row in adverse_impact(groups, TC, 10)} == {"b"}


def test_adverse_impact_ties_for_the_reference_go_to_the_larger_group():
    groups = [group("a", 20, {TC: 10}), group("b", 40, {TC: 20}), group("c", 30, {TC: 20})]
    assert adverse_impact(groups, TC, 10)[0].reference == "b"


def test_adverse_impact_hidden_designer_reference_is_an_error():
    with pytest.raises(
        ReferenceHidden, match=r"reference group 'job-share' cannot be used for 'time-commitment'"
    ):
        adverse_impact(contract_cohort(), TC, 10, reference="job-share")


def test_adverse_impact_unknown_designer_reference_names_the_groups():
    with pytest.raises(CohortError, match=r"'locum' is not one of the groups: full-time, part-time"):
        adverse_impact(contract_cohort(), TC, 10, reference="locum")


def test_adverse_impact_ratio_of_exactly_four_fifths_is_not_below_the_line():
    # 0.6 / 0.75 is 0.7999999999999999 in floating point; the comparison is exact.
    groups = [group("ref", 400, {TC: 100}), group("g", 400, {TC: 160})]
    row = adverse_impact(groups, TC, 10)[1]
    assert row.impact_ratio == pytest.approx(0.8)
    assert row.below_four_fifths is False


def test_adverse_impact_significant_gap_above_the_line_is_not_called_fair():
    groups = [group("ref", 1000, {TC: 10}), group("g", 1000, {TC: 150})]
    row = adverse_impact(groups, TC, 10)[1]
    assert row.impact_ratio > 0.8
    assert row.p_value < 0.001
    assert row.verdict == "clear-difference"
    assert cohort.VERDICT_LABELS[row.verdict] == "Clear difference: flagged more often"


def test_adverse_impact_small_below_line_difference_that_could_be_chance_is_possible_adverse():
    groups = [group("ref", 30, {TC: 10}), group("g", 20, {TC: 10})]
    row = adverse_impact(groups, TC, 10)[1]
    assert row.impact_ratio == pytest.approx(0.75)
    assert row.p_value == pytest.approx(float(exact_fisher(10, 10, 10, 20)))
    assert row.p_value > 0.05
    assert row.verdict == "possible-adverse"


def test_adverse_impact_small_group_with_nobody_flagged_is_too_few_to_tell_not_fair():
    # 0 of 12 flagged looks perfect, but 12 people cannot rule out a pass rate of 76%.
    groups = [group("ref", 200, {TC: 10}), group("small", 12, {TC: 0}), group("other", 30, {TC: 0})]
    rows = {row.group: row for row in adverse_impact(groups, TC, 10, reference="ref")}
    assert rows["small"].impact_ratio > 1
    assert rows["small"].verdict == "too-few-to-tell"
    assert rows["other"].verdict == "no-evidence-of-adverse-impact"


def test_adverse_impact_group_with_hidden_flag_count_is_too_few_to_tell():
    groups = [group("a", 40, {TC: 20}), group("b", 30, {TC: 15}), group("c", 20, {TC: 5})]
    rows = {row.group: row for row in adverse_impact(groups, TC, 10)}
    assert (rows["c"].n, rows["c"].flagged, rows["c"].verdict) == (20, None, "too-few-to-tell")
    # c's 5 could be worked out from the column total, so a second group's figures are hidden too.
    assert sum(row.flagged is None for row in rows.values()) >= 2


def test_adverse_impact_with_no_usable_group_has_no_reference():
    rows = adverse_impact([group("a", 15, {TC: 5}), group("b", 15, {TC: 7})], TC, 10)
    assert [row.verdict for row in rows] == ["too-few-to-tell", "too-few-to-tell"]
    assert {row.reference for row in rows} == {None}


def test_adverse_impact_everyone_flagged_everywhere_excludes_almost_everyone():
    rows = adverse_impact([group("a", 40, {TC: 40}), group("b", 50, {TC: 50})], TC, 10)
    assert rows[1].reference == "b"  # a tie: the larger group
    assert rows[0].impact_ratio == 1.0
    assert rows[0].relative_likelihood == 1.0
    assert {row.verdict for row in rows} == {"excludes-almost-everyone"}


def test_nearly_everyone_flagged_in_every_group_is_not_called_adverse_impact():
    """100% against 97% flagged: the impact ratio of those not flagged is 0.00, but that says nothing."""
    rows = adverse_impact([group("full-time", 5880, {TC: 5704}), group("part-time", 400, {TC: 400})], TC, 10)
    part_time = rows[1]
    assert part_time.impact_ratio == 0.0
    assert part_time.p_value < ALPHA
    assert [row.verdict for row in rows] == ["excludes-almost-everyone"] * 2
    assert [round(row.flag_rate, 2) for row in rows] == [0.97, 1.0]
    assert "excludes almost everyone" in part_time.note
    label = cohort.VERDICT_LABELS["excludes-almost-everyone"]
    assert label == "Excludes almost everyone, whatever their group"


def test_a_large_group_with_no_clear_difference_is_not_too_few_to_tell():
    """5,880 full-time staff can rule in or out a difference: their verdict is never "too few"."""
    groups = [group("part-time", 3000, {TC: 2400}), group("full-time", 5880, {TC: 4750})]
    row = adverse_impact(groups, TC, 10, reference="part-time")[1]
    assert row.p_value >= ALPHA
    assert row.verdict in ("no-clear-difference", "no-evidence-of-adverse-impact")
    assert row.verdict != "too-few-to-tell"


def test_the_three_answers_too_few_no_clear_difference_and_clear_difference():
    reference = group("ref", 400, {TC: 200})
    small = adverse_impact([reference, group("small", 12, {TC: 6})], TC, 10)[1]
    unclear = adverse_impact([reference, group("unclear", 300, {TC: 165})], TC, 10)[1]
    clear = adverse_impact([reference, group("clear", 300, {TC: 250})], TC, 10)[1]
    assert (small.verdict, unclear.verdict, clear.verdict) == (
        "too-few-to-tell",
        "no-clear-difference",
        "adverse",
    )
    assert [cohort.VERDICT_LABELS[v] for v in ("too-few-to-tell", "no-clear-difference", "adverse")] == [
        "Too few people to tell",
        "No clear difference",
        "Clear difference: adverse impact",
    ]


def test_a_hidden_group_says_why_without_saying_which_figure_is_small():
    groups = [group("big", 297, {TC: 290}), group("other", 300, {TC: 100}), group("more", 200, {TC: 60})]
    rows = {row.group: row for row in adverse_impact(groups, TC, 10)}
    assert rows["big"].flagged is None
    assert rows["big"].n == 297
    assert rows["big"].note == (
        "Not shown: in this group the number flagged, or the number not flagged, is below 10, "
        "or would let a number that small be worked out from the totals."
    )
    summary = cohort_table([group("tiny", 3), group("a", 40), group("b", 50)], [TC], 10).groups[0]
    assert summary.suppressed
    assert "fewer than 10 people" in summary.note


@pytest.mark.parametrize("key", ["", "high:", None])
def test_adverse_impact_rejects_a_bad_key(key):
    with pytest.raises(CohortError, match="flag key"):
        adverse_impact(contract_cohort(), key, 10)


def test_adverse_impact_rejects_repeated_groups():
    with pytest.raises(CohortError, match="repeated: a"):
        adverse_impact([group("a", 10), group("a", 20)], TC, 10)


def test_adverse_impact_rejects_no_groups():
    with pytest.raises(CohortError, match="no groups"):
        adverse_impact([], TC, 10)


# --- properties over random cohorts -------------------------------------------------------------------------


@st.composite
def cohorts(draw, *, similar: bool = False):
    """Random cohorts; ``similar`` draws every group's flags near one rate, so "fair" verdicts occur."""
    sizes = draw(st.lists(st.integers(0, 200 if similar else 80), min_size=1, max_size=6))
    rate = draw(st.floats(0, 1))
    groups = []
    for index, n in enumerate(sizes):
        if similar:
            flagged = min(n, max(0, round(n * rate) + draw(st.integers(-2, 2))))
        else:
            flagged = draw(st.integers(0, n))
        groups.append(group(f"g{index}", n, {TC: flagged}))
    return groups, draw(st.integers(1, 15))


@settings(max_examples=300)
@given(st.one_of(cohorts(), cohorts(similar=True)))
def test_adverse_impact_invariants(case):
    groups, min_cell = case
    rows = adverse_impact(groups, TC, min_cell)
    truth = {g.group: g for g in groups}
    # The flagged and not-flagged columns may have published totals: neither gives a hidden cell away.
    hidden = [row.flagged is None for row in rows]
    assert line_is_safe([g.flagged_for(TC) for g in groups], hidden, min_cell)
    assert line_is_safe([g.n - g.flagged_for(TC) for g in groups], hidden, min_cell)
    assert line_is_safe([g.n for g in groups], [row.n is None for row in rows], min_cell)
    references = [row for row in rows if row.verdict == "reference"]
    assert len(references) <= 1
    for row in rows:
        source = truth[row.group]
        # Nothing small is ever shown: group sizes, flagged and not flagged.
        for shown in (row.n, row.flagged, None if row.flagged is None else row.n - row.flagged):
            assert shown is None or shown == 0 or shown >= min_cell
        assert row.n in (None, source.n)
        assert row.flagged in (None, source.flagged_for(TC))
        if row.impact_ratio is not None:
            assert 0 <= row.impact_ratio < math.inf
        if row.relative_likelihood is not None:
            assert 0 <= row.relative_likelihood < math.inf
        if row.verdict == "reference":
            assert row.impact_ratio == 1.0
            assert row.relative_likelihood == 1.0
        if row.verdict == "no-evidence-of-adverse-impact":
            ref = truth[row.reference]
            assert row.n >= min_cell
            assert row.flagged is not None
            assert row.impact_ratio >= 0.8
            # Fair only when the group's plausible pass rates all clear the four-fifths line.
            assert 1 - row.ci[1] >= 0.8 * (1 - ref.flagged_for(TC) / ref.n) - 1e-12
        if row.verdict in ("adverse", "possible-adverse", "no-evidence-of-adverse-impact"):
            assert row.n >= min_cell
            assert row.flagged is not None
            assert row.reference is not None


@settings(max_examples=200)
@given(cohorts())
def test_headlines_never_mention_a_hidden_or_small_group(case):
    groups, min_cell = case
    table = cohort_table(groups, [TC], min_cell)
    sentences = " ".join(headline_risks(table, n=10))
    for row in table.impact[TC]:
        if row.verdict in ("suppressed", "too-few-to-tell"):
            assert f"“{row.group}”" not in sentences


@settings(max_examples=200)
@given(cohorts())
def test_cohort_table_json_never_shows_a_small_number(case):
    groups, min_cell = case
    data = json.loads(json.dumps(cohort_table(groups, [TC], min_cell).to_json()))
    for entry in data["groups"]:
        for shown in (entry["participants"], entry["flag_rates"][TC]["flagged"]):
            assert shown is None or shown == 0 or shown >= min_cell
        assert (entry["participants"] is None) == entry["suppressed"]
        assert (entry["flag_rates"][TC]["flagged"] is None) == entry["flag_rates"][TC]["suppressed"]


# --- group summaries and readiness gaps ---------------------------------------------------------------------


def test_group_summary_shows_a_large_group():
    summary = group_summary(contract_cohort()[0], 10)
    assert (summary.n, summary.mean, summary.median, summary.suppressed) == (
        40,
        pytest.approx(70),
        71.5,
        False,
    )
    assert dict(summary.bands) == {"not-yet": 0.25, "developing": 0.25, "nearly-ready": 0.25, "ready": 0.25}
    assert summary.no_opportunity_share == pytest.approx(8 / 400)


def test_group_summary_hides_a_small_group_entirely():
    summary = group_summary(group("x", 9, bands={"ready": 9}, median=50), 10)
    assert summary.suppressed is True
    assert (summary.n, summary.mean, summary.median, summary.share) == (None, None, None, None)
    assert dict(summary.bands) == {"ready": None}


def test_group_summary_protects_a_small_band_with_another():
    summary = group_summary(group("x", 30, bands={"not-yet": 3, "developing": 12, "ready": 15}), 10)
    assert dict(summary.bands) == {"not-yet": None, "developing": None, "ready": 0.5}


def test_cohort_table_group_without_band_counts_shows_no_bands_rather_than_zeros():
    groups = [group("a", 20, bands={"ready": 20}), group("b", 30)]
    summaries = {summary.group: summary for summary in cohort_table(groups, [TC], 10).groups}
    assert dict(summaries["a"].bands) == {"ready": 1.0}
    assert dict(summaries["b"].bands) == {}


def test_readiness_gap_equal_variances_matches_the_student_interval():
    first = from_scores("a", [50, 60, 70, 80, 90, 55, 65, 75, 85, 95])  # mean 72.5
    second = from_scores("b", [40, 50, 60, 70, 80, 45, 55, 65, 75, 85])  # mean 62.5, same spread
    gap = readiness_gap(first, second, 10)
    # Both sample variances are 229.1667; se = sqrt(2 * 229.1667 / 10) = 6.770; df = 18; t = 2.100922
    assert gap.difference == pytest.approx(10.0)
    assert gap.df == pytest.approx(18.0)
    assert gap.ci == pytest.approx((10 - 2.100922 * 6.770032, 10 + 2.100922 * 6.770032), abs=1e-4)
    assert gap.reason is None


def test_readiness_gap_unequal_variances_uses_welch_degrees_of_freedom():
    small, large = group("g", 10, mean=60, variance=100), group("rest", 20, mean=50, variance=400)
    gap = readiness_gap(small, large, 10)
    # se² = 100/10 + 400/20 = 30; df = 30² / (10²/9 + 20²/19) = 27.98
    assert gap.df == pytest.approx(900 / (100 / 9 + 400 / 19))
    assert gap.difference == pytest.approx(10.0)
    assert gap.ci == pytest.approx((10 - t_quantile(0.975, gap.df) * math.sqrt(30), 10 + 11.2207), abs=1e-3)


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        (group("g", 9), group("r", 50), "fewer than 10 people in the group"),
        (group("g", 50), group("r", 9), "fewer than 10 people in the rest of the cohort"),
        (group("g", 20, variance=0), group("r", 20, variance=0), "no spread"),
    ],
)
def test_readiness_gap_says_too_few_to_say(first, second, reason):
    gap = readiness_gap(first, second, 10)
    assert (gap.difference, gap.ci) == (None, None)
    assert gap.reason.startswith("too few to say")
    assert reason in gap.reason


def test_combine_pools_counts_and_sums():
    pooled = combine(contract_cohort()[1:])
    assert pooled.n == 43
    assert pooled.readiness_sum == pytest.approx(25 * 55 + 12 * 60 + 6 * 50)
    assert pooled.flagged_for(TC) == 15
    assert pooled.bands == {"not-yet": 10, "developing": 33}
    assert pooled.median is None


# --- the whole table ---------------------------------------------------------------------------------------


def test_cohort_table_worked_cohort():
    table = cohort_table(contract_cohort(), [TC, HIGH_TC], 10)
    assert table.participants == 83
    summaries = {summary.group: summary for summary in table.groups}
    assert summaries["full-time"].share == pytest.approx(40 / 83)
    assert summaries["part-time"].share == pytest.approx(25 / 83)
    assert dict(summaries["part-time"].bands) == {
        "not-yet": 0.4,
        "developing": 0.6,
        "nearly-ready": 0.0,
        "ready": 0.0,
    }
    # A hidden group lists every band, so the names cannot say which bands it has people in.
    assert dict(summaries["job-share"].bands) == dict.fromkeys(summaries["full-time"].bands)
    assert summaries["part-time"].no_opportunity_share == pytest.approx(0.1)
    assert summaries["compressed-hours"].suppressed
    assert summaries["job-share"].suppressed
    assert table.references == {TC: "full-time", HIGH_TC: "full-time"}
    assert table.row(TC, "part-time").relative_likelihood == pytest.approx(2.4)
    gap = table.gaps["part-time"]
    assert gap.difference == pytest.approx(55 - (40 * 70 + 12 * 60 + 6 * 50) / 58)
    assert gap.ci[0] < gap.difference < gap.ci[1] < 0
    assert table.gaps["job-share"].reason == "not shown: small numbers"


def test_cohort_table_headlines_in_plain_english():
    table = cohort_table(contract_cohort(), [TC, HIGH_TC], 10)
    assert headline_risks(table, labels=LABELS) == [
        "60% of part-time staff are flagged for time commitment (high severity), "
        "against none of full-time staff.",
        "Part-time staff are 2.4 times as likely as full-time staff to be flagged for time commitment "
        "(60% against 25%).",
    ]
    assert headline_risks(table, n=1, labels=LABELS) == headline_risks(table, labels=LABELS)[:1]


def test_headlines_default_wording_and_chance_caveat():
    groups = [group("ref", 30, {TC: 10}), group(PREFER_NOT_TO_SAY, 20, {TC: 10})]
    table = cohort_table(groups, [TC], 10)
    assert headline_risks(table) == [
        "People who preferred not to say are 1.5 times as likely as people in the “ref” group to be "
        "flagged for time commitment (50% against 33%); with numbers this size it could be chance."
    ]


def test_cohort_table_prefer_not_to_say_and_not_answered_are_groups_with_shares():
    assert PREFER_NOT_TO_SAY == PREFER_NOT
    groups = [group("female", 40), group("male", 30), group(PREFER_NOT_TO_SAY, 12), group(NOT_ANSWERED, 10)]
    table = cohort_table(groups, [TC], 10)
    shares = {summary.group: summary.share for summary in table.groups}
    assert shares == pytest.approx(
        {"female": 40 / 92, "male": 30 / 92, PREFER_NOT_TO_SAY: 12 / 92, NOT_ANSWERED: 10 / 92}
    )


def test_cohort_table_intersections_protect_both_margins():
    cells = {
        ("female", "part-time"): 4,
        ("female", "full-time"): 30,
        ("male", "part-time"): 20,
        ("male", "full-time"): 25,
    }
    groups = [group(intersection(a, b), n, parts=(a, b)) for (a, b), n in cells.items()]
    table = cohort_table(groups, [TC], 10)
    # The female row total and the part-time column total are published in their own tables,
    # so the 4 would be recoverable from either unless its row and column partners are hidden.
    assert {summary.group: summary.n for summary in table.groups} == {
        "female × part-time": None,
        "female × full-time": None,
        "male × part-time": None,
        "male × full-time": None,
    }
    assert table.participants == 79


def test_cohort_table_designer_reference_hidden_for_one_key_is_hidden_for_every_key():
    # "a" has 3 flagged for travel: its flag figures are hidden for every key (shown for time
    # commitment, they would bound travel's through the links between flags), so no key can use it.
    groups = [group("a", 40, {TC: 10, "travel": 3}), group("b", 50, {TC: 20, "travel": 20}), group("c", 30)]
    table = cohort_table(groups, [TC, "travel"], 10, reference="a")
    assert table.references == {TC: None, "travel": None}
    assert "cannot be used for 'travel'" in table.unavailable["travel"]
    assert f"cannot be used for {TC!r}" in table.unavailable[TC]
    for key in (TC, "travel"):
        assert {row.verdict for row in table.impact[key]} <= {"too-few-to-tell", "suppressed"}


def test_cohort_table_hidden_designer_reference_is_an_error():
    with pytest.raises(ReferenceHidden, match="its size is hidden"):
        cohort_table(contract_cohort(), [TC], 10, reference="compressed-hours")


def test_cohort_table_small_cohort_hides_its_total():
    table = cohort_table([group("a", 5), group("b", 3)], [TC], 10)
    assert table.participants is None
    assert all(summary.suppressed for summary in table.groups)
    assert table.to_json()["suppressed"] is True


def test_cohort_table_rejects_mixed_intersections():
    with pytest.raises(CohortError, match="either every group is an intersection"):
        cohort_table([group("a", 10), group("b × c", 10, parts=("b", "c"))], [TC], 10)


def test_cohort_table_json_contract():
    data = cohort_table(contract_cohort(), [TC, HIGH_TC], 10).to_json(labels=LABELS)
    json.dumps(data)  # plain JSON values only
    entries = {entry["group"]: entry for entry in data["groups"]}
    part = entries["part-time"]
    assert part["participants"] == 25
    assert part["readiness_mean"] == 55.0
    assert part["flag_rates"][TC] == {
        "flagged": 15,
        "rate": 0.6,
        "ci_low": round(wilson_interval(15, 25)[0], 4),
        "ci_high": round(wilson_interval(15, 25)[1], 4),
        "suppressed": False,
    }
    assert part["adverse_impact"][TC]["impact_ratio"] == 0.533
    assert part["adverse_impact"][TC]["relative_likelihood"] == 2.4
    assert part["adverse_impact"][TC]["verdict"] == "adverse"
    hidden = entries["job-share"]
    assert hidden["suppressed"] is True
    assert hidden["participants"] is None
    assert hidden["readiness_mean"] is None
    assert hidden["flag_rates"][TC]["flagged"] is None
    assert hidden["flag_rates"][TC]["suppressed"] is True
    assert hidden["adverse_impact"][TC]["verdict"] == "suppressed"
    assert data["references"] == {TC: "full-time", HIGH_TC: "full-time"}
    assert len(data["headlines"]) == 2


def test_every_verdict_has_a_label_and_is_explained_in_the_docs():
    docs = (Path(__file__).parents[2] / "docs" / "inclusivity-statistics.md").read_text(encoding="utf-8")
    assert set(cohort.VERDICT_LABELS) == set(get_args(cohort.Verdict))
    for label in cohort.VERDICT_LABELS.values():
        assert f"| **{label}** |" in docs


def test_suppressed_text_does_not_claim_fewer_than_ten():
    # A protecting cell may hold 12 people: "fewer than 10" would be untrue of it.
    assert "fewer than" not in SUPPRESSED_TEXT


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"n": -1}, "n must be a whole number of people"),
        ({"n": 3.5}, "n must be a whole number of people"),
        ({"n": 5, "flagged": {TC: 6}}, "flagged['time-commitment'] is 6, more than the 5 people"),
        ({"n": 5, "flagged": {TC: -1}}, "must be a whole number"),
        ({"n": 5, "bands": {"ready": 3}}, "band counts add up to 3, not to the 5 people"),
        ({"n": 5, "readiness_sum": 100, "readiness_sumsq": 10}, "readiness_sumsq (10) is too small"),
        ({"n": 5, "readiness_sum": math.nan}, "readiness_sum must be a finite number"),
        ({"n": 5, "no_opportunity": 4, "answers": 3}, "no_opportunity (4) is more than the 3 answers"),
        ({"n": 0, "readiness_sum": 5}, "must be 0 for a group of 0 people"),
        ({"n": 5, "parts": ("a",)}, "parts must be two non-empty labels"),
    ],
)
def test_group_counts_rejects_inconsistent_counts(fields, message):
    with pytest.raises(CohortError, match="group 'x'") as problem:
        GroupCounts(group="x", **fields)
    assert message in str(problem.value)


def test_group_counts_rejects_an_empty_label():
    with pytest.raises(CohortError, match="group label"):
        GroupCounts(group=" ", n=1)


def test_group_counts_accepts_decimal_sums_from_postgresql():
    from decimal import Decimal

    counts = GroupCounts(group="x", n=2, readiness_sum=Decimal("120.5"), readiness_sumsq=Decimal("7300.25"))
    assert counts.mean == pytest.approx(60.25)
    assert isinstance(counts.readiness_sum, float)


def test_headline_risks_rejects_a_negative_count():
    with pytest.raises(CohortError, match="number of headlines"):
        headline_risks(cohort_table(contract_cohort(), [TC], 10), n=-1)


def test_module_stays_free_of_web_and_numeric_libraries():
    with open(cohort.__file__, encoding="utf-8") as module:
        source = module.read()
    for banned in ("import flask", "import sqlalchemy", "import numpy", "import scipy"):
        assert banned not in source


def test_cohort_table_of_an_empty_cohort_is_empty_not_an_error():
    table = cohort_table([], ["time-commitment"], min_cell=10)
    assert table.participants == 0
    assert table.groups == ()
    assert table.impact["time-commitment"] == ()
    assert table.references["time-commitment"] is None
    assert headline_risks(table) == []
