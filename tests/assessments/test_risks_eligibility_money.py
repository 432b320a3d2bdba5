"""Sector, nation and money rules against the programmes' own published terms.

Each case was found by checking realistic people against the shipped programmes: a hospice's
digital lead and the DHLP, a Welsh clinician and the Topol Fellowship, a CIO whose employer pays
in full and an unpublished fee, CHCIO's one-off continuing education units.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.framework import Framework, Nation, Provenance, Sector, parse_framework, shipped_frameworks
from assessments.profile import Funding, Profile
from assessments.risks import evaluate, rule_by_id
from tests.fixtures.frameworks import all_sourced

DHLP = "nhs-digital-academy-dhlp"
TOPOL = "topol-digital-fellowship"
LEVEL5 = "level5-digital-leadership-social-care"
CHCIO = "chime-chcio"
COMMISSIONED = "employed by an NHS organisation or a commissioned NHS service in England"
SPONSORED = "a limited number of sponsored places are available to applicants throughout the UK"
NHS = (
    "nhs-acute",
    "nhs-mental-health",
    "nhs-community",
    "nhs-ambulance",
    "primary-care",
    "integrated-care-board",
)
PROVIDERS = ("voluntary-sector", "independent-sector", "social-care", "local-authority")


def shipped(framework_id: str) -> Framework:
    return shipped_frameworks()[framework_id]


def person(**answers: Any) -> Profile:
    return Profile(**({"staff_group": "clinical"} | answers))


def programme(
    delivery: dict[str, Any] | None = None,
    eligibility: dict[str, Any] | None = None,
    modelled: tuple[str, ...] = (),
) -> Framework:
    """A made-up programme with every figure sourced, except the field paths in ``modelled``."""
    data: dict[str, Any] = {
        "id": "test-programme",
        "name": "Test programme",
        "provider": "Test provider",
        "version": "1",
        "source": "https://example.test/programme",
        "summary": "A programme that asks for nothing but what each test adds.",
        "roles": ["any"],
        "levels": [{"value": 0, "label": "Not yet"}, {"value": 1, "label": "Yes"}],
        "domains": [
            {
                "id": "leading",
                "title": "Leading",
                "criteria": [
                    {"id": "a", "title": "A", "description": "A.", "area": "strategy", "required_level": 1}
                ],
            }
        ],
        "delivery": {"format": "online", "duration_months": 12, "study_hours_per_week": 0} | (delivery or {}),
        "eligibility": eligibility or {},
    }
    sourced = all_sourced(data)
    for path in modelled:
        sourced["provenance"][path] = {"modelled": "The provider does not publish this figure."}
    return parse_framework(sourced, "test-programme.yaml")


def flag_of(rule: str, profile: Profile, framework: Framework) -> Any:
    return rule_by_id(rule).check(profile, framework)


# --- Sector ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("sector", PROVIDERS)
def test_dhlp_commissioned_provider_is_medium_in_the_programmes_own_words(sector: str):
    flag = flag_of("sector", person(sector=sector), shipped(DHLP))
    assert flag is not None
    assert flag.severity == "medium"
    assert flag.requirement == f"Open to people {COMMISSIONED}."
    assert "check it with your employer and the programme" in flag.circumstance
    assert (
        flag.mitigations[0] == f"Ask your employer whether your service meets the condition: {COMMISSIONED}."
    )


@pytest.mark.parametrize(
    ("sector", "severity"), [("supplier", "high"), ("academia", "high"), ("nhs-acute", None)]
)
def test_dhlp_other_sectors_keep_their_answer_with_the_same_wording(sector: str, severity: str | None):
    flag = flag_of("sector", person(sector=sector), shipped(DHLP))
    assert (flag and flag.severity) == severity
    if flag is not None:
        assert flag.requirement == f"Open to people {COMMISSIONED}."


def test_dhlp_sector_not_given_is_undetermined_in_the_programmes_words():
    flag = flag_of("sector", person(), shipped(DHLP))
    assert flag.severity == "undetermined"
    assert flag.requirement == f"Open to people {COMMISSIONED}."


def test_a_programme_without_a_condition_still_shuts_out_other_sectors():
    framework = programme(eligibility={"sectors": list(NHS)})
    flag = flag_of("sector", person(sector="voluntary-sector"), framework)
    assert flag.severity == "high"
    assert flag.requirement.startswith("Open to staff in NHS acute trusts")
    assert "ask whether that makes you eligible" in flag.mitigations[0]


@given(st.sampled_from(get_args(Sector)), st.sets(st.sampled_from(get_args(Sector)), min_size=1))
def test_a_sector_named_in_the_condition_is_never_high(sector: str, conditional: set[str]):
    main = [value for value in NHS if value not in conditional] or ["other"]
    conditional -= set(main)
    if not conditional:
        return
    framework = programme(
        eligibility={
            "sectors": main,
            "conditional_sectors": {"sectors": sorted(conditional), "condition": "if so"},
        }
    )
    flag = flag_of("sector", person(sector=sector), framework)
    if sector in conditional:
        assert flag.severity == "medium"
    elif sector in main:
        assert flag is None
    else:
        assert flag.severity == "high"


@pytest.mark.parametrize("sector", get_args(Sector))
def test_level5_award_has_no_sector_restriction(sector: str):
    assert flag_of("sector", person(sector=sector), shipped(LEVEL5)) is None


# --- Nation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("nation", ["wales", "scotland", "northern-ireland"])
def test_topol_outside_england_is_medium_with_the_sponsored_places(nation: str):
    flag = flag_of("nation", person(nation=nation), shipped(TOPOL))
    assert flag is not None
    assert flag.severity == "medium"
    assert flag.requirement == f"Open to people working in England; elsewhere, {SPONSORED}."
    assert "one of the fewer places open outside England" in flag.circumstance
    assert flag.mitigations[0] == "Ask the programme how and when to apply for its places outside England."


@pytest.mark.parametrize(
    ("nation", "severity"), [("outside-uk", "high"), ("england", None), (None, "undetermined")]
)
def test_topol_other_answers(nation: str | None, severity: str | None):
    flag = flag_of("nation", person(nation=nation), shipped(TOPOL))
    assert (flag and flag.severity) == severity


def test_dhlp_has_no_places_outside_england():
    assert flag_of("nation", person(nation="wales"), shipped(DHLP)).severity == "high"


@given(st.sampled_from(get_args(Nation)))
def test_a_nation_named_in_the_condition_is_never_high(nation: str):
    framework = programme(
        eligibility={
            "nations": ["england"],
            "conditional_nations": {"nations": ["wales", "scotland"], "condition": "a few places are open"},
        }
    )
    flag = flag_of("nation", person(nation=nation), framework)
    expected = {"england": None, "wales": "medium", "scotland": "medium"}.get(nation, "high")
    assert (flag and flag.severity) == expected


# --- Money ----------------------------------------------------------------------------------------

UNPUBLISHED = sorted(
    fid for fid, framework in shipped_frameworks().items() if not framework.delivery.fees_published
)


@pytest.mark.parametrize("framework_id", UNPUBLISHED)
def test_no_unpublished_fee_worry_when_the_employer_pays_in_full(framework_id: str):
    flags = evaluate(person(employer_funding="full"), shipped(framework_id))
    assert "unpublished-fees" not in {flag.rule for flag in flags}


@pytest.mark.parametrize(
    ("funding", "severity"),
    [("full", None), ("partial", "low"), ("none", "low"), ("unknown", "low"), (None, "undetermined")],
)
def test_unpublished_fees_follow_who_would_pay(funding: str | None, severity: str | None):
    framework = programme({"fees_published": False, "fee_gbp": 300, "annual_fee_gbp": 40})
    flag = flag_of("unpublished-fees", person(employer_funding=funding), framework)
    assert (flag and flag.severity) == severity
    if flag is not None:
        assert (
            flag.requirement
            == "Fees that the provider does not publish. Our model uses a fee of £300 and £40 a year."
        )


@given(st.sampled_from(get_args(Funding)), st.sampled_from(["self", "employer"]))
def test_full_employer_funding_never_raises_a_cost_flag(funding: str, payer: str):
    framework = programme(
        {
            "fees_published": False,
            "fee_gbp": 2000,
            "annual_fee_gbp": 100,
            "fee_payer": payer,
            "cpd_hours_per_year": 40,
            "cpd_approved_provider_share": 0.5,
        }
    )
    costs = {
        flag.rule for flag in evaluate(person(employer_funding=funding), framework) if flag.category == "cost"
    }
    assert (costs == set()) == (funding == "full")


def test_chcio_units_are_needed_once_not_every_year():
    flag = flag_of("cpd-approved-providers", person(employer_funding="none"), shipped(CHCIO))
    assert flag is not None
    assert flag.severity == "low"
    assert flag.requirement == (
        "About 12.5 hours of the 25 CPD hours needed once, to gain the award, must come from paid, "
        "approved providers. The provider does not publish this share; it is modelled."
    )
    assert "a year" not in flag.requirement


def test_yearly_and_once_cpd_are_said_together_and_only_yearly_raises_the_severity():
    framework = programme(
        {"cpd_hours_per_year": 40, "cpd_hours_once": 20, "cpd_approved_provider_share": 0.5},
        modelled=("delivery.cpd_approved_provider_share",),
    )
    flag = flag_of("cpd-approved-providers", person(employer_funding="none"), framework)
    assert flag.severity == "medium"
    assert flag.requirement == (
        "About 20 hours a year of the 40 CPD hours and about 10 hours of the 20 CPD hours needed once, "
        "to gain the award, must come from paid, approved providers. The provider does not publish this "
        "share; it is modelled."
    )
    once_only = programme({"cpd_hours_once": 40, "cpd_approved_provider_share": 1})
    assert flag_of("cpd-approved-providers", person(employer_funding="none"), once_only).severity == "low"


def test_chcio_content_is_not_flagged_as_us_for_a_uk_candidate():
    # CHCIO International is "an international version" of the credential; US emphasis is not published.
    assert flag_of("us-content", person(nation="england"), shipped(CHCIO)) is None


def test_published_cpd_share_is_not_called_modelled():
    framework = programme({"cpd_hours_per_year": 40, "cpd_approved_provider_share": 0.5})
    sourced = framework.model_copy(
        update={
            "provenance": {
                **framework.provenance,
                "delivery.cpd_approved_provider_share": Provenance(sources=("x",)),
            }
        }
    )
    flag = flag_of("cpd-approved-providers", person(employer_funding="none"), sourced)
    assert flag.requirement.endswith("must come from paid, approved providers.")


@pytest.mark.parametrize(("published", "severity"), [(True, "high"), (False, "medium")])
def test_a_modelled_fee_is_never_high(published: bool, severity: str):
    framework = programme({"fee_gbp": 25000, "fees_published": published})
    flag = flag_of("cost-to-self", person(employer_funding="none"), framework)
    assert flag.severity == severity
    assert ("this figure is modelled" in flag.requirement) == (not published)


def test_professional_doctorate_placeholder_fee_is_medium_and_says_so():
    flag = flag_of(
        "cost-to-self", person(employer_funding="none"), shipped("prof-doctorate-health-informatics")
    )
    assert flag.severity == "medium"
    assert flag.requirement == "A fee of £25,000. The provider does not publish it; this figure is modelled."
