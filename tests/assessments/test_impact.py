"""Impact over time: the paired interval and Welch's comparison against scipy, and suppression."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from assessments import impact
from assessments.impact import (
    COMPLETERS,
    NON_COMPLETERS,
    PROGRESS_GROUPS,
    ImpactError,
    Person,
    impact_report,
    paired_change,
    progress_group,
    welch_comparison,
)

changes = st.lists(
    st.floats(min_value=-100, max_value=100, allow_nan=False).map(lambda x: round(x, 1)),
    min_size=2,
    max_size=60,
)


@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")
@settings(max_examples=150, deadline=None)
@given(first=changes, confidence=st.sampled_from([0.9, 0.95, 0.99]))
def test_paired_interval_agrees_with_scipy_paired_t_test(first, confidence):
    latest = [value + 3.0 * ((index % 5) - 1) for index, value in enumerate(first)]
    differences = [b - a for a, b in zip(first, latest, strict=True)]
    found = paired_change(differences, confidence)
    if found.ci is None:
        assert found.sd == 0
        return
    expected = stats.ttest_rel(latest, first).confidence_interval(confidence)
    assert found.mean == pytest.approx(float(stats.tmean(differences)), abs=1e-9)
    assert found.ci[0] == pytest.approx(expected.low, rel=1e-8, abs=1e-8)
    assert found.ci[1] == pytest.approx(expected.high, rel=1e-8, abs=1e-8)


@pytest.mark.parametrize(
    ("differences", "low", "high"),
    [
        # By hand: mean 2, sd 1.5811, t(4, 0.975) = 2.7764 → 2 ± 1.9632; mean 0, se 5, t(1) = 12.7062.
        ([0.0, 1.0, 2.0, 3.0, 4.0], 0.0368, 3.9632),
        ([5.0, -5.0], -63.5310, 63.5310),
    ],
)
def test_paired_interval_known_values(differences, low, high):
    found = paired_change(differences)
    assert found.ci == (pytest.approx(low, abs=1e-4), pytest.approx(high, abs=1e-4))


# scipy warns about its own precision when every value is nearly the same; ours is not under test there.
@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")
@settings(max_examples=150, deadline=None)
@given(first=changes, second=changes)
def test_welch_comparison_agrees_with_scipy(first, second):
    found = welch_comparison(first, second)
    if found.ci is None:
        assert found.reason
        return
    expected = stats.ttest_ind(first, second, equal_var=False)
    interval = expected.confidence_interval(0.95)
    assert found.df == pytest.approx(expected.df, rel=1e-8)
    assert found.p_value == pytest.approx(expected.pvalue, rel=1e-6, abs=1e-12)
    assert found.ci[0] == pytest.approx(interval.low, rel=1e-8, abs=1e-8)
    assert found.ci[1] == pytest.approx(interval.high, rel=1e-8, abs=1e-8)


@pytest.mark.parametrize("df", [1, 2, 3.5, 9, 29, 120, 1000])
def test_the_t_quantile_used_is_scipys(df):
    assert impact.t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-10)


def test_too_few_or_no_spread_give_a_reason_not_an_interval():
    assert paired_change([]).reason == "no one has two assessments"
    assert paired_change([4.0]).ci is None
    same = paired_change([2.0, 2.0, 2.0])
    assert (same.mean, same.ci, same.reason) == (2.0, None, "every change is the same, so there is no spread")
    assert welch_comparison([1.0], [2.0, 3.0]).reason.startswith("too few to say")


@pytest.mark.parametrize("bad", [math.nan, math.inf, "3", True])
def test_non_numbers_are_refused(bad):
    with pytest.raises(ImpactError, match="finite number"):
        paired_change([1.0, bad])


@pytest.mark.parametrize(
    ("status", "when", "expected"),
    [
        (None, None, NON_COMPLETERS),
        ("enrolled", (2025, 3), NON_COMPLETERS),
        ("completed", (2024, 12), NON_COMPLETERS),  # before the first: not taken in between
        ("completed", (2025, 1), COMPLETERS),  # the month of the first assessment
        ("completed", (2025, 6), COMPLETERS),  # the month of the latest
        ("completed", (2025, 7), NON_COMPLETERS),  # after the latest: not completed by then
    ],
)
def test_progress_group_places_completion_against_the_two_assessments(status, when, expected):
    assert progress_group(status, when, (2025, 1), (2025, 6)) == expected


def test_an_unknown_status_is_an_error_not_a_default():
    with pytest.raises(ImpactError, match="unknown programme status 'graduated'"):
        progress_group("graduated", (2025, 1), (2025, 1), (2025, 6))


@pytest.mark.parametrize(
    ("year", "month", "problem"),
    [
        (2025, 13, "The month must be a number from 1 to 12"),
        (1900, 5, "The year must be 1950 or later"),
        (2026, 12, "The date must be this month or in the past"),
    ],
)
def test_check_month(year, month, problem):
    assert impact.check_month(year, month, (2026, 11)) == [problem]
    assert impact.check_month(2026, 11, (2026, 11)) == []


def _people(spec):
    """spec: (group, progress, count, change)"""
    return [
        Person(change=change + (index % 3 - 1), progress=progress, group=group, domains={"d1": change / 2})
        for group, progress, count, change in spec
        for index in range(count)
    ]


def test_fewer_than_min_cell_people_shows_nothing():
    report = impact_report(_people([("a", NON_COMPLETERS, 9, 5.0)]), cohort=30, domains=["d1"], min_cell=10)
    assert report.people is None
    assert report.overall is None
    assert report.comparison is None
    assert all(row.suppressed for row in (*report.domains, *report.progress))


def test_small_group_mean_change_is_never_published_and_is_protected_by_a_second_group():
    people = _people(
        [("a", NON_COMPLETERS, 30, 5.0), ("b", NON_COMPLETERS, 20, 2.0), ("c", COMPLETERS, 4, 9.0)]
    )
    sizes = {"a": 40, "b": 25, "c": 12}
    report = impact_report(people, cohort=sum(sizes.values()), group_sizes=sizes, min_cell=10)
    rows = {row.key: row for row in report.groups}
    assert rows["c"].n is None
    assert rows["c"].change is None
    # c's 4 repeaters (and its 8 who took it once) could be worked out from b's and the totals
    # if b were shown: a second group is hidden with it.
    assert rows["b"].n is None
    assert rows["a"].n == 30
    assert rows["a"].change.mean == pytest.approx(5.0)
    # The completers are 4: hidden, with another group, and no comparison is published.
    progress = {row.key: row for row in report.progress}
    assert progress[COMPLETERS].n is None
    assert sum(row.n is None for row in report.progress) >= 2
    assert report.comparison is None


def test_a_group_the_dashboard_hides_is_hidden_here_even_when_its_repeaters_are_many():
    people = _people(
        [("a", NON_COMPLETERS, 60, 5.0), ("b", NON_COMPLETERS, 2, 2.0), ("c", NON_COMPLETERS, 20, 1)]
    )
    # The dashboard hides b (6 people) and, to protect it, c (30): c's 20 repeaters and 10
    # who took it once would be shown otherwise.
    sizes = {"a": 100, "b": 6, "c": 30}
    report = impact_report(people, cohort=sum(sizes.values()), group_sizes=sizes, min_cell=10)
    rows = {row.key: row for row in report.groups}
    assert rows["b"].suppressed
    assert rows["c"].suppressed
    assert rows["a"].n == 60


group_sizes = st.dictionaries(st.sampled_from("abcdef"), st.integers(1, 40), min_size=2, max_size=6)


def _repeaters(repeaters: dict[str, int]) -> list[Person]:
    return [
        Person(change=1.0 + index % 2, progress=NON_COMPLETERS, group=group)
        for group, count in repeaters.items()
        for index in range(count)
    ]


@settings(max_examples=80, deadline=None)
@given(sizes=group_sizes, data=st.data())
def test_no_small_count_can_be_worked_out_from_the_dashboard_sizes(sizes, data):
    """Every shown repeater count and its complement (size minus repeaters) is 0 or at least min_cell,
    and hidden cells in each known line hold at least min_cell people together (two or more).

    Only cohorts whose figures are shown (at least min_cell repeated, and none or at least min_cell
    assessed only once): the others show nothing, the next test."""
    min_cell = 5
    repeaters = {group: data.draw(st.integers(0, size)) for group, size in sizes.items()}
    once = sum(sizes.values()) - sum(repeaters.values())
    assume(sum(repeaters.values()) >= min_cell and not 0 < once < min_cell)
    report = impact_report(
        _repeaters(repeaters), cohort=sum(sizes.values()), group_sizes=sizes, min_cell=min_cell
    )
    assert report.people == sum(repeaters.values())
    assert report.withheld is None
    assert [row.key for row in report.groups] == list(sizes)
    shown = {row.key for row in report.groups if not row.suppressed}
    for group in shown:
        assert next(row.n for row in report.groups if row.key == group) == repeaters[group]
        for count in (repeaters[group], sizes[group] - repeaters[group]):
            assert count == 0 or count >= min_cell
    hidden = set(sizes) - shown
    for column in ("repeated", "once"):
        values = [repeaters[g] if column == "repeated" else sizes[g] - repeaters[g] for g in hidden]
        assert sum(values) == 0 or (len(hidden) >= 2 and sum(values) >= min_cell) or not shown


@settings(max_examples=60, deadline=None)
@given(
    sizes=group_sizes,
    few=st.sampled_from(["repeated", "assessed once"]),
    data=st.data(),
)
def test_nothing_is_shown_when_few_repeated_or_few_assessed_only_once(sizes, few, data):
    """Fewer than min_cell people repeated, or 1 to min_cell - 1 assessed only once: every figure is
    hidden, and when enough repeated, ``withheld`` says why."""
    min_cell = 5
    # One to four people picked from the groups (no more than a group has): the few repeaters, or
    # the few who assessed only once.
    picks = data.draw(st.lists(st.sampled_from(sorted(sizes)), min_size=1, max_size=min_cell - 1))
    chosen = {group: min(picks.count(group), size) for group, size in sizes.items()}
    if few == "repeated":
        repeaters = chosen
    else:
        repeaters = {group: size - chosen[group] for group, size in sizes.items()}
    once = sum(sizes.values()) - sum(repeaters.values())
    assert sum(repeaters.values()) < min_cell or 0 < once < min_cell
    report = impact_report(
        _repeaters(repeaters), cohort=sum(sizes.values()), group_sizes=sizes, min_cell=min_cell
    )
    assert report.people is None
    assert report.overall is None
    assert report.comparison is None
    assert [row.key for row in report.groups] == list(sizes)
    assert all(row.suppressed and row.change is None for row in (*report.groups, *report.progress))
    if sum(repeaters.values()) >= min_cell:
        assert report.withheld == impact.ONLY_ONCE_HIDDEN.format(min_cell=min_cell)
    else:
        assert report.withheld is None
    data = report.to_json()
    assert data["people"] is None
    assert data["withheld"] == report.withheld


def test_comparison_of_completers_and_non_completers():
    people = _people([("a", COMPLETERS, 20, 8.0), ("a", NON_COMPLETERS, 25, 2.0)])
    report = impact_report(people, cohort=len(people), min_cell=10)
    expected = stats.ttest_ind(
        [p.change for p in people if p.progress == COMPLETERS],
        [p.change for p in people if p.progress == NON_COMPLETERS],
        equal_var=False,
    )
    assert report.comparison.difference == pytest.approx(6.0, abs=0.05)
    assert report.comparison.p_value == pytest.approx(expected.pvalue, rel=1e-6)
    data = report.to_json()
    assert [row["progress"] for row in data["by_programme"]] == list(PROGRESS_GROUPS)
    assert data["caveat"] == impact.CAVEAT
    assert "observational" in data["caveat"]
    assert "self-rated" in data["caveat"]


def test_domain_rows_hide_when_few_people_lack_the_domain():
    people = _people([("a", NON_COMPLETERS, 30, 4.0)])
    people += [Person(change=1.0, progress=NON_COMPLETERS, group="a") for _ in range(3)]
    report = impact_report(people, cohort=len(people), domains=["d1"], min_cell=10)
    # 30 have the domain in both assessments, 3 do not: 33 - 30 would give away the 3.
    assert report.domains[0].suppressed
    people += [Person(change=1.0, progress=NON_COMPLETERS, group="a") for _ in range(10)]
    report = impact_report(people, cohort=len(people), domains=["d1"], min_cell=10)
    assert report.domains[0].n == 30
    assert report.domains[0].change.mean == pytest.approx(2.0)


def test_a_person_in_a_group_not_counted_is_an_error():
    with pytest.raises(ImpactError, match="not among the groups counted"):
        impact_report(
            _people([("z", NON_COMPLETERS, 12, 1.0)]), cohort=12, group_sizes={"a": 12}, min_cell=10
        )
    with pytest.raises(ImpactError, match="unknown progress group"):
        Person(change=1.0, progress="finished")
