"""Experience pro-rated the way a programme says: by hours, or by the share of time in digital work."""

import copy

import pytest

from assessments.framework import parse_framework, shipped_frameworks
from assessments.profile import Profile
from assessments.risks import rule_by_id
from tests.fixtures.frameworks import all_sourced

DIGITAL = rule_by_id("years-in-digital")
LEADERSHIP = rule_by_id("years-in-leadership")


def programme(**eligibility):
    data = copy.deepcopy(shipped_frameworks()["nhs-digital-academy-dhlp"].model_dump(mode="json"))
    data["eligibility"] |= eligibility
    data.pop("modelled")  # worked out from provenance
    # Every figure sourced, so the thresholds are tested rather than the modelled-figure cap.
    return parse_framework(all_sourced(data), "probe.yaml")


def person(**answers) -> Profile:
    return Profile(**({"staff_group": "non-clinical"} | answers))


BY_DIGITAL_TIME = {
    "min_years_digital": 4,
    "experience_pro_rated": True,
    "experience_pro_rated_by": "digital-time",
}


def test_years_count_by_the_share_of_time_in_digital_work_where_the_programme_says_so():
    """Before: five full-time years met four, whatever share of them was digital work."""
    flag = DIGITAL.check(
        person(years_in_digital=5, digital_time_percent=40, hours_per_week=37.5), programme(**BY_DIGITAL_TIME)
    )
    assert flag.severity == "medium"  # 5 × 40% = 2 years of 4
    assert (
        flag.requirement
        == "At least 4 years in digital change, counted by the share of your working time spent on digital "
        "work."
    )
    assert flag.circumstance == (
        "You told us you have 5 years in digital change. With 40% of your working time in digital work, "
        "at 37.5 hours a week, the programme would count them as about 2 years."
    )


def test_a_part_timer_in_digital_work_counts_hours_and_share_together():
    flag = DIGITAL.check(
        person(years_in_digital=10, digital_time_percent=50, hours_per_week=18.75),
        programme(**BY_DIGITAL_TIME),
    )
    assert flag.severity == "medium"  # 10 years × 0.5 FTE × 50% = 2.5 of 4
    assert "about 2.5 years" in flag.circumstance


def test_enough_digital_time_meets_it():
    assert (
        DIGITAL.check(person(years_in_digital=8, digital_time_percent=60), programme(**BY_DIGITAL_TIME))
        is None
    )


def test_unknown_digital_share_is_undetermined_when_it_would_decide():
    flag = DIGITAL.check(person(years_in_digital=6), programme(**BY_DIGITAL_TIME))
    assert flag.severity == "undetermined"
    assert "the share of your working time spent on digital work" in flag.circumstance


def test_unknown_digital_share_with_too_few_years_anyway_is_a_flag_not_a_question():
    assert DIGITAL.check(person(years_in_digital=1), programme(**BY_DIGITAL_TIME)).severity == "high"


def test_digital_share_never_changes_years_in_leadership_or_a_programme_that_pro_rates_by_hours():
    leadership = programme(
        min_years_leadership=3, experience_pro_rated=True, experience_pro_rated_by="digital-time"
    )
    assert LEADERSHIP.check(person(years_in_leadership=3, digital_time_percent=10), leadership) is None
    by_hours = programme(min_years_digital=3, experience_pro_rated=True)
    assert DIGITAL.check(person(years_in_digital=3, digital_time_percent=10), by_hours) is None


@pytest.mark.parametrize("framework_id", sorted(shipped_frameworks()))
def test_no_shipped_programme_pro_rates_by_digital_time(framework_id):
    """None of the programmes' own pages pro-rates that way, so a shipped file saying so would be made up."""
    assert shipped_frameworks()[framework_id].eligibility.experience_pro_rated_by == "hours"
