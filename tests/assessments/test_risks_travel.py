"""Travel and overnight stays follow where the person lives: realistic people against the DHLP."""

import copy

import pytest

from assessments.framework import Provenance, parse_framework, shipped_frameworks
from assessments.profile import Profile
from assessments.risks import rule_by_id

TRAVEL = rule_by_id("venue-travel")
STAYS = rule_by_id("residential-stays")


def dhlp():
    return shipped_frameworks()["nhs-digital-academy-dhlp"]


def person(location=None, **answers) -> Profile:
    return Profile(staff_group="clinical", location=location, **answers)


def with_delivery(**changes):
    framework = dhlp()
    return framework.model_copy(update={"delivery": framework.delivery.model_copy(update=changes)})


def test_the_dhlp_names_its_three_forums_each_in_its_own_city():
    assert dhlp().delivery.venue_cities == (("York",), ("London",), ("Birmingham", "Manchester"))


def test_a_leeds_person_with_a_short_limit_is_not_flagged_for_york_or_manchester_only_london():
    flag = TRAVEL.check(person("Leeds", max_travel_hours=1.5), dhlp())
    assert flag.severity == "medium"
    assert "the journey to London at about 4.4 hours each way" in flag.circumstance
    assert "York" not in flag.circumstance
    assert "Manchester" not in flag.circumstance
    assert "estimates from Leeds" in flag.circumstance


def test_a_leeds_person_who_can_reach_london_is_not_flagged_at_all():
    """Before: flagged on a bare travel limit under 2 hours; London is the furthest forum from Leeds."""
    assert TRAVEL.check(person("Leeds", max_travel_hours=5), dhlp()) is None
    assert TRAVEL.check(person("Leeds, West Yorkshire", max_travel_hours=4.5), dhlp()) is None


@pytest.mark.parametrize("location", ["Truro", "TR1 2AB", "Penzance, Cornwall", "TR18"])
def test_a_cornish_person_is_flagged_for_every_forum_and_told_it_is_an_estimate(location):
    flag = TRAVEL.check(person(location, max_travel_hours=4), dhlp())
    assert flag.severity == "medium"
    for forum in (
        "to York at about",
        "to London at about",
        "to Birmingham or Manchester (Birmingham is nearer)",
    ):
        assert forum in flag.circumstance
    assert "a modelled figure" in flag.circumstance


def test_a_postcode_is_said_to_be_approximate():
    flag = TRAVEL.check(person("TR18 4AA", max_travel_hours=2), dhlp())
    assert "estimates from the TR postcode area (Truro), approximately" in flag.circumstance


def test_an_inverness_person_gets_the_nearer_of_the_alternatives():
    flag = TRAVEL.check(person("Inverness", max_travel_hours=3, nation="scotland"), dhlp())
    assert "to Birmingham or Manchester (Manchester is nearer)" in flag.circumstance


def test_travel_is_never_high_because_the_journeys_are_modelled():
    """Before: a short limit and every venue in another nation made it high."""
    flag = TRAVEL.check(person(max_travel_hours=1, nation="wales"), dhlp())
    assert flag.severity == "medium"
    far = TRAVEL.check(person("Lerwick", max_travel_hours=0.5, nation="scotland"), dhlp())
    assert far.severity == "medium"


def test_remote_attendance_softens_the_modelled_travel_flag():
    remote = with_delivery(remote_attendance_option=True)
    assert TRAVEL.check(person("Truro", max_travel_hours=2), remote).severity == "low"


@pytest.mark.parametrize("location", [None, "Nowhereville"])
def test_an_unknown_location_keeps_the_old_rule_said_as_an_estimate(location):
    flag = TRAVEL.check(person(location, max_travel_hours=1.5), dhlp())
    assert flag.severity == "medium"
    assert "so this is an estimate" in flag.circumstance
    assert flag.mitigations[-3].startswith("Tell us your town or the first half of your postcode")
    if location:
        assert "We could not place “Nowhereville”" in flag.circumstance


def test_no_travel_limit_no_travel_flag_even_from_far_away():
    assert TRAVEL.check(person("Truro"), dhlp()) is None


def test_alternative_venues_count_only_the_nearest():
    """A programme whose venues are alternatives: one entry listing them all."""
    alternatives = with_delivery(
        venue_cities=(("York", "London", "Truro"),), venues=("York, London or Truro",)
    )
    assert TRAVEL.check(person("Penzance", max_travel_hours=1), alternatives) is None
    assert TRAVEL.check(person("Inverness", max_travel_hours=1), alternatives).severity == "medium"


# --- Overnight stays and carers -------------------------------------------------------------


def test_a_carer_who_has_not_said_where_they_live_must_check_the_dhlp_forums():
    """Before: the DHLP is not residential, so carers got no flag at all."""
    flag = STAYS.check(person(caring_responsibilities=True), dhlp())
    assert flag.severity == "undetermined"
    assert "nights away from home" in flag.circumstance


def test_a_carer_in_truro_is_told_the_forums_are_beyond_a_day_trip():
    flag = STAYS.check(person("Truro", caring_responsibilities=True), dhlp())
    assert flag.severity in ("medium", "low")  # low: the DHLP discusses adjustments to attendance
    assert "more than a day trip (3 hours each way)" in flag.circumstance
    without_adjustments = with_delivery(reasonable_adjustments=False)
    assert (
        STAYS.check(person("Truro", caring_responsibilities=True), without_adjustments).severity == "medium"
    )


def test_a_carer_near_every_forum_needs_no_stay():
    near = with_delivery(venue_cities=(("York",), ("Manchester",)), venues=("York", "Manchester"))
    assert STAYS.check(person("Leeds", caring_responsibilities=True), near) is None


def test_a_carer_with_one_nearby_venue_and_no_location_is_not_flagged():
    one = with_delivery(venue_cities=(("York",),), venues=("York",))
    assert STAYS.check(person(caring_responsibilities=True), one) is None


def test_a_published_residential_is_still_high_for_a_carer_wherever_they_live():
    residential = with_delivery(residential=True, reasonable_adjustments=False)
    published = residential.model_copy(
        update={
            "provenance": {
                **residential.provenance,
                "delivery.residential": Provenance(sources=("eligibility",)),
            }
        }
    )
    assert STAYS.check(person("York", caring_responsibilities=True), published).severity == "high"
    # The DHLP file itself marks residential as modelled, so the same flag there is not high.
    assert STAYS.check(person("York", caring_responsibilities=True), residential).severity == "medium"


def test_not_a_carer_no_stay_flag():
    assert STAYS.check(person("Truro", caring_responsibilities=False), dhlp()) is None


def test_a_framework_naming_a_town_we_cannot_place_is_refused():
    data = copy.deepcopy(dhlp().model_dump(mode="json"))
    data["delivery"]["venue_cities"] = [["Yrok"]]
    with pytest.raises(Exception, match="'Yrok': not a UK town CertReady can place"):
        parse_framework(data, "dhlp.yaml")


ASK_REMOTE_RESIDENTIAL = "The residential sessions can be joined remotely: ask for that."
ASK_REMOTE_FORUMS = "In-person sessions can be joined remotely, which avoids a night away: ask for that."
ASK_ADJUSTMENTS = "The provider offers adjustments: ask about attending without staying overnight."


@pytest.mark.parametrize(
    ("residential", "remote", "adjustments", "severity", "first_mitigation"),
    [
        (True, False, False, "medium", None),
        (True, False, True, "medium", ASK_ADJUSTMENTS),
        (True, True, False, "low", ASK_REMOTE_RESIDENTIAL),
        (True, True, True, "low", ASK_REMOTE_RESIDENTIAL),
        (False, False, False, "medium", None),
        (False, False, True, "low", ASK_ADJUSTMENTS),
        (False, True, False, "low", ASK_REMOTE_FORUMS),
        (False, True, True, "low", ASK_REMOTE_FORUMS),
    ],
)
def test_a_night_away_is_eased_by_joining_remotely_else_by_adjustments(
    residential, remote, adjustments, severity, first_mitigation
):
    """Residential sessions or forums beyond a day trip: a carer in Truro, whatever the provider offers.

    Joining remotely is the one mitigation said when offered (adjustments then add nothing). The
    DHLP's delivery figures are modelled, so a residential finding is never above medium."""
    framework = with_delivery(
        residential=residential, remote_attendance_option=remote, reasonable_adjustments=adjustments
    )
    flag = STAYS.check(person("Truro", caring_responsibilities=True), framework)
    assert flag.severity == severity
    said = [m for m in flag.mitigations if m in (ASK_REMOTE_RESIDENTIAL, ASK_REMOTE_FORUMS, ASK_ADJUSTMENTS)]
    assert said == ([first_mitigation] if first_mitigation else [])
