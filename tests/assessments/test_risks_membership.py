"""Membership requirements name bodies; a person's memberships are read against the bodies' names."""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.bodies import BODIES, BODY_IDS, bodies_named, body
from assessments.errors import FrameworkError
from assessments.framework import parse_framework, shipped_frameworks
from assessments.profile import Profile
from assessments.risks import rule_by_id
from tests.fixtures.frameworks import all_sourced

MEMBERSHIP = rule_by_id("membership")
STACKING = rule_by_id("cost-stacking")


def person(*memberships: str, **answers) -> Profile:
    return Profile(staff_group="non-clinical", memberships=memberships, **answers)


def shipped(framework_id: str):
    return shipped_frameworks()[framework_id]


@pytest.mark.parametrize(
    "written",
    ["MBCS", "FBCS", "British Computer Society", "The Chartered Institute for IT", "BCS Health and Care"],
)
def test_every_name_of_bcs_meets_citp(written):
    assert MEMBERSHIP.check(person(written), shipped("bcs-citp")) is None


@pytest.mark.parametrize(
    "written",
    ["British Computer Society", "Association of Professional Healthcare Analysts", "AphA", "MCLIP", "IHRIM"],
)
def test_any_fedip_awarding_body_by_any_of_its_names_meets_fedip(written):
    assert MEMBERSHIP.check(person(written), shipped("fedip-practitioner")) is None


@pytest.mark.parametrize("written", ["CHIME", "CHIME International", "chime international member"])
def test_chime_or_chime_international_meets_chcio(written):
    assert MEMBERSHIP.check(person(written), shipped("chime-chcio")) is None


@pytest.mark.parametrize(
    "written", ["member", "international", "the body", "chimera society", "Royal College"]
)
def test_words_that_name_no_body_never_meet_a_closed_list(written):
    flag = MEMBERSHIP.check(person(written), shipped("chime-chcio"))
    assert flag.severity == "medium"
    assert (
        flag.circumstance
        == f"You told us you belong to {written}, which is not CHIME or CHIME International."
    )


def test_an_unrecognised_body_where_others_may_count_is_a_question_not_a_miss():
    """CITP is also awarded through other licensed bodies: an IET member must check, not be told no."""
    flag = MEMBERSHIP.check(person("IET"), shipped("bcs-citp"))
    assert flag.severity == "undetermined"
    assert "We cannot tell whether that counts" in flag.circumstance
    assert flag.mitigations[0] == "Ask the provider whether membership of IET meets this requirement."
    # and no stacked membership cost is assumed for it
    assert "membership of" not in (
        STACKING.check(person("IET", employer_funding="none"), shipped("bcs-citp")).requirement
    )


def test_bcs_associate_grade_is_not_read_as_citp_membership():
    assert MEMBERSHIP.check(person("AMBCS"), shipped("bcs-citp")).severity == "undetermined"


def test_a_known_body_that_is_not_accepted_is_a_miss_even_where_others_may_count():
    flag = MEMBERSHIP.check(person("CHIME"), shipped("bcs-citp"))
    assert flag.severity == "medium"


def test_cost_stacking_counts_the_membership_only_when_it_is_really_missing():
    member = STACKING.check(person("MBCS", employer_funding="none"), shipped("bcs-citp"))
    assert "membership of" not in member.requirement
    not_member = STACKING.check(person("CHIME", employer_funding="none"), shipped("bcs-citp"))
    assert "membership of bcs" in not_member.requirement.lower()


def test_longer_names_are_read_before_the_shorter_names_inside_them():
    assert bodies_named("CHIME International") == {"chime-international"}
    assert bodies_named("CHIME; BCS") == {"chime", "bcs"}
    assert bodies_named("chimera") == frozenset()


@given(st.sampled_from(BODIES), st.data())
def test_every_known_name_of_a_body_names_it_whatever_the_case_and_punctuation(item, data):
    name = data.draw(st.sampled_from(item.known_as))
    styled = data.draw(st.sampled_from([name, name.upper(), name.lower(), f"  {name}.", f"({name})"]))
    assert item.id in bodies_named(styled)


def test_body_ids_are_unique_and_body_lookup_names_the_known_ids():
    assert len(set(BODY_IDS)) == len(BODY_IDS)
    with pytest.raises(KeyError, match="known bodies: bcs, chime"):
        body("bsc")


def _with(eligibility):
    data = copy.deepcopy(
        {
            "id": "t",
            "name": "T",
            "provider": "P",
            "version": "1",
            "source": "https://example.test",
            "summary": "S",
            "roles": ["any"],
            "levels": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}],
            "domains": [
                {
                    "id": "d",
                    "title": "D",
                    "criteria": [
                        {"id": "c", "title": "C", "description": "D", "area": "strategy", "required_level": 1}
                    ],
                }
            ],
            "delivery": {"format": "online", "duration_months": 1, "study_hours_per_week": 1},
        }
    )
    data["eligibility"] = eligibility
    return parse_framework(all_sourced(data), "t.yaml")


def test_a_framework_naming_an_unknown_body_is_refused_with_the_known_ids():
    with pytest.raises(FrameworkError, match="unknown professional body 'bsc'; known bodies: bcs"):
        _with({"membership_required": "BCS", "membership_bodies": ["bsc"]})


def test_bodies_apply_only_with_the_requirement_in_words():
    """The words switch the requirement on: clearing them (as the designer's what-if can) removes it."""
    framework = _with({"membership_bodies": ["bcs"], "membership_other_bodies": True})
    assert MEMBERSHIP.check(person("RCN"), framework) is None
    assert STACKING.check(person("RCN", employer_funding="none"), framework) is None


def test_no_shipped_framework_names_bodies_without_words():
    for framework in shipped_frameworks().values():
        eligibility = framework.eligibility
        if eligibility.membership_bodies or eligibility.membership_other_bodies:
            assert eligibility.membership_required, framework.id


def test_a_designer_written_requirement_is_read_through_the_bodies_it_names():
    """Frameworks from the designer's form give only words; known bodies in them still count."""
    framework = _with({"membership_required": "BCS or CILIP"})
    assert (
        MEMBERSHIP.check(person("Chartered Institute of Library and Information Professionals"), framework)
        is None
    )
    assert MEMBERSHIP.check(person("RCN"), framework).severity == "medium"


def test_a_requirement_naming_no_known_body_matches_only_its_own_words_and_asks_otherwise():
    framework = _with({"membership_required": "Royal College of Nursing"})
    assert MEMBERSHIP.check(person("royal college of nursing"), framework) is None
    assert MEMBERSHIP.check(person("RCN"), framework).severity == "undetermined"
    assert MEMBERSHIP.check(person(), framework).severity == "medium"
