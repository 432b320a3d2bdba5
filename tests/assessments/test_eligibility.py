"""Readiness and eligibility said apart (issue 11 §4): the engine's ``eligibility`` and its wording."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import engine
from assessments.framework import parse_framework
from assessments.profile import Profile
from assessments.ratings import Rating
from assessments.results import (
    SEVERITY_ORDER,
    Eligibility,
    eligibility_of,
    eligibility_statement,
    whole_score,
)
from assessments.risk_catalogue import decides_eligibility
from assessments.risks import RULES
from assessments.scoring import band_for
from tests.assessments.test_risks import BASE
from tests.fixtures.frameworks import all_sourced

ELIGIBILITY_RULES = [rule for rule in RULES if decides_eligibility(rule.id, rule.category)]
OTHER_RULES = [rule for rule in RULES if not decides_eligibility(rule.id, rule.category)]


def programme(
    *, eligibility: dict[str, Any] | None = None, delivery: dict[str, Any] | None = None, id: str = "p"
) -> Any:
    data = copy.deepcopy(BASE)
    data["id"] = id
    data["name"] = f"Programme {id}"
    data["eligibility"].update(eligibility or {})
    data["delivery"].update(delivery or {})
    return parse_framework(all_sourced(data), f"{id}.yaml")


def outcome(framework: Any, level: int = 1, catalogue: dict[str, Any] | None = None, **answers: Any):
    profile = Profile(**({"staff_group": "clinical"} | answers))
    ratings = {"leading.vision": Rating(level=level)}
    return engine.run(framework, profile, ratings, catalogue)


NHS_ONLY = {"sectors": ["nhs-acute"]}


def test_a_high_eligibility_flag_makes_a_ready_person_not_eligible():
    result = outcome(programme(eligibility=NHS_ONLY), sector="social-care").to_json()
    assert result["readiness"]["band"] == "ready"
    assert result["eligibility"] == {"status": "not-eligible", "blocking": ["sector"], "unknown": []}


def test_an_undecided_eligibility_rule_makes_eligibility_undetermined():
    result = outcome(programme(eligibility=NHS_ONLY)).to_json()
    assert result["eligibility"] == {"status": "undetermined", "blocking": [], "unknown": ["sector"]}


def test_blocking_wins_over_unknown_and_both_are_listed():
    framework = programme(eligibility=NHS_ONLY | {"professional_registration_required": True})
    result = outcome(framework, sector="social-care").to_json()
    assert result["eligibility"] == {
        "status": "not-eligible",
        "blocking": ["sector"],
        "unknown": ["professional-registration"],
    }


def test_a_high_flag_that_is_not_about_eligibility_leaves_the_person_eligible():
    # A heavy study load against little time is a high risk, but not a rule about who may apply.
    framework = programme(delivery={"study_hours_per_week": 20})
    result = outcome(framework, sector="social-care", study_hours_per_week_available=1).to_json()
    assert any(flag["severity"] == "high" and flag["rule"] == "study-time" for flag in result["risks"])
    assert result["eligibility"] == {"status": "eligible", "blocking": [], "unknown": []}


def test_every_estimate_carries_its_own_eligibility_and_eligible_programmes_come_first():
    closed = programme(eligibility=NHS_ONLY, id="closed")
    open_ = programme(id="open")
    # The closed programme is rated higher; eligibility still puts the open one first.
    result = outcome(closed, level=1, catalogue={"open": open_}, sector="social-care").to_json()
    assert [(e["framework_id"], e["eligibility"]["status"]) for e in result["estimates"]] == [
        ("open", "eligible"),
        ("closed", "not-eligible"),
    ]


@given(
    st.lists(
        st.tuples(st.sampled_from([rule.id for rule in RULES]), st.sampled_from(SEVERITY_ORDER)),
        unique_by=lambda item: item[0],
    )
)
def test_eligibility_follows_the_rule_catalogues_entry_rules(raised):
    categories = {rule.id: rule.category for rule in RULES}
    found = Eligibility.from_findings([(rule, categories[rule], severity) for rule, severity in raised])
    eligibility_ids = {rule.id for rule in ELIGIBILITY_RULES}
    blocking = [rule for rule, severity in raised if rule in eligibility_ids and severity == "high"]
    # A medium flag on an entry requirement cannot be settled by CertReady (a condition to check, a
    # modelled figure, a shortfall the provider may weigh): never "eligible" beside it.
    unknown = [
        rule
        for rule, severity in raised
        if rule in eligibility_ids and severity in ("undetermined", "medium")
    ]
    assert list(found.blocking) == blocking
    assert list(found.unknown) == unknown
    assert found.status == ("not-eligible" if blocking else "undetermined" if unknown else "eligible")


def test_a_condition_only_the_person_can_confirm_is_undetermined_and_said_so():
    """A hospice or social care lead may join the DHLP if their service is NHS-commissioned."""
    commissioned = {
        "sectors": ["nhs-acute"],
        "conditional_sectors": {
            "sectors": ["voluntary-sector"],
            "condition": "employed by an NHS organisation or a commissioned NHS service in England",
        },
    }
    framework = programme(eligibility=commissioned)
    result = outcome(framework, sector="voluntary-sector").to_json()
    (flag,) = [flag for flag in result["risks"] if flag["rule"] == "sector"]
    assert flag["severity"] == "medium"
    assert result["eligibility"] == {"status": "undetermined", "blocking": [], "unknown": ["sector"]}
    headline = eligibility_statement(result).headline
    assert "we could not settle whether you are eligible" in headline
    assert "only you, your employer or the provider can confirm" in headline


def test_the_catalogue_has_eligibility_rules_and_other_rules():
    assert ELIGIBILITY_RULES
    assert OTHER_RULES


# --- In words -------------------------------------------------------------------------------


def test_statement_says_ready_and_not_eligible_together_with_the_requirement_in_words():
    result = outcome(programme(eligibility=NHS_ONLY), sector="social-care").to_json()
    statement = eligibility_statement(result)
    assert statement.headline.startswith("Your skills are ready; you are not currently eligible")
    assert "one entry requirement" in statement.headline
    (reason,) = statement.reasons
    (flag,) = [flag for flag in result["risks"] if flag["rule"] == "sector"]
    assert reason == f"{flag['requirement'].rstrip('.')}. {flag['circumstance'].rstrip('.')}."
    text = statement.headline + " ".join(statement.reasons)
    assert "sector" not in text.lower().split()  # the rule id never shows
    assert "eligibility-" not in text


def test_statement_for_an_undecided_requirement_says_what_would_decide_it():
    result = outcome(programme(eligibility=NHS_ONLY), level=0).to_json()
    statement = eligibility_statement(result)
    assert statement.status == "undetermined"
    assert statement.headline.startswith("Your skills are not yet ready; we could not settle whether")
    assert "one entry requirement depends on answers you have not given" in statement.headline
    (reason,) = statement.reasons
    # One sentence after the requirement, not "What would decide it: we don't know ...: tell us ...".
    assert reason.count(":") == 0, reason
    assert reason.endswith("so tell us your sector to check this requirement."), reason


def test_statement_when_eligible():
    statement = eligibility_statement(outcome(programme(), sector="social-care").to_json())
    assert statement.headline == "Your skills are ready, and you meet every entry requirement we could check."
    assert statement.reasons == ()


def test_stored_results_from_before_eligibility_read_it_from_their_own_flags():
    result = outcome(programme(eligibility=NHS_ONLY), sector="social-care").to_json()
    del result["eligibility"]
    assert eligibility_of(result) == Eligibility("not-eligible", ("sector",), ())


def test_an_unknown_stored_eligibility_status_is_an_error_not_a_default():
    result = outcome(programme()).to_json()
    result["eligibility"] = {"status": "maybe", "blocking": [], "unknown": []}
    with pytest.raises(ValueError, match="unknown eligibility status 'maybe'"):
        eligibility_of(result)


# --- Whole-number scores ----------------------------------------------------------------------


@given(st.floats(min_value=0, max_value=100))
def test_a_whole_score_never_shows_a_band_the_score_has_not_reached(score):
    shown = whole_score(score)
    assert band_for(shown) == band_for(score)
    assert -0.05 <= score - shown < 1


@pytest.mark.parametrize(("score", "shown"), [(67.6, 67), (89.94, 89), (89.96, 90), (100, 100), (0, 0)])
def test_whole_score_examples(score, shown):
    assert whole_score(score) == shown
