import copy
import string
import types
import typing
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from assessments import risks
from assessments.bodies import BODY_IDS
from assessments.framework import Delivery, Eligibility, Framework, parse_framework, shipped_frameworks
from assessments.profile import EQUALITY_FIELDS, Profile
from assessments.results import SEVERITY_ORDER
from assessments.risks import CATEGORIES, RULES, evaluate, rule_by_id, weekly_load
from tests.fixtures.frameworks import all_sourced

BASE: dict[str, Any] = {
    "id": "test-programme",
    "name": "Test programme",
    "provider": "Test provider",
    "version": "1",
    "source": "https://example.test/programme",
    "summary": "A programme that asks for nothing, so each test adds only the requirement it checks.",
    "roles": ["any"],
    "levels": [{"value": 0, "label": "Not yet"}, {"value": 1, "label": "Yes"}],
    "domains": [
        {
            "id": "leading",
            "title": "Leading",
            "criteria": [
                {
                    "id": "leading.vision",
                    "title": "Vision",
                    "description": "Sets a direction.",
                    "area": "strategy",
                    "required_level": 1,
                }
            ],
        }
    ],
    "delivery": {"format": "online", "duration_months": 12, "study_hours_per_week": 0},
    "eligibility": {},
}


def programme(delivery: dict[str, Any] | None = None, eligibility: dict[str, Any] | None = None) -> Framework:
    data = copy.deepcopy(BASE)
    data["delivery"].update(delivery or {})
    data["eligibility"].update(eligibility or {})
    return parse_framework(all_sourced(data), "test-programme.yaml")


def person(**answers: Any) -> Profile:
    return Profile(**({"staff_group": "clinical"} | answers))


# --- Every rule: a flag, no flag, and unknown ----------------------------------------------


@dataclass(frozen=True)
class Case:
    rule: str
    programme: dict[str, dict[str, Any]]
    flagged: dict[str, Any]
    severity: str
    fact: str
    """Words from the personal answer that the circumstance must repeat."""
    clear: dict[str, Any]
    unknown: dict[str, Any] = field(default_factory=dict)
    unknown_severity: str | None = None
    """None: no flag. 'undetermined' for eligibility rules."""
    clear_programme: dict[str, dict[str, Any]] | None = None

    def __str__(self) -> str:
        return self.rule


IN_PERSON = {"format": "blended", "in_person_days": 6, "venues": ["York", "London"]}

CASES = [
    Case(
        "study-time",
        {"delivery": {"study_hours_per_week": 10}},
        {"study_hours_per_week_available": 4},
        "high",
        "4 hours a week",
        {"study_hours_per_week_available": 12},
    ),
    Case(
        "time-vs-contracted-hours",
        {"delivery": {"study_hours_per_week": 8}},
        {"contract": "part-time", "hours_per_week": 15},
        "high",
        "15 hours a week",
        {"contract": "part-time", "hours_per_week": 36},
        unknown={"contract": "part-time"},
    ),
    Case(
        "study-leave-days",
        {"delivery": IN_PERSON},
        {"study_leave_days_per_year": 2},
        "medium",
        "2 days of study leave",
        {"study_leave_days_per_year": 10},
    ),
    Case(
        "in-person-attendance",
        {"delivery": IN_PERSON},
        {"can_attend_in_person": "no"},
        "high",
        "cannot attend",
        {"can_attend_in_person": "yes"},
    ),
    Case(
        "residential-stays",
        {"delivery": {"format": "residential", "in_person_days": 9, "residential": True}},
        {"caring_responsibilities": True},
        "high",
        "caring responsibilities",
        {"caring_responsibilities": False},
    ),
    Case(
        "fixed-dates-vs-rota",
        {"delivery": IN_PERSON},
        {"on_call": True},
        "medium",
        "on-call",
        {"on_call": False, "contract": "full-time"},
    ),
    Case(
        "venue-travel",
        {"delivery": IN_PERSON},
        {"max_travel_hours": 1, "nation": "wales"},
        "medium",  # modelled journeys are never high
        "at most 1 hour each way",
        {"max_travel_hours": 4, "nation": "england"},
    ),
    Case(
        "cost-to-self",
        {"delivery": {"fee_gbp": 1200}},
        {"employer_funding": "none"},
        "high",
        "employer would not pay",
        {"employer_funding": "full"},
        unknown={"employer_funding": "unknown"},
    ),
    Case(
        "cost-stacking",
        {"delivery": {"fee_gbp": 160, "annual_fee_gbp": 46}},
        {"employer_funding": "none"},
        "medium",
        "employer would not pay",
        {"employer_funding": "full"},
    ),
    Case(
        "unpublished-fees",
        {"delivery": {"fees_published": False, "fee_gbp": 100}},
        {"employer_funding": "none"},
        "low",
        "cannot yet tell what you would pay",
        # An unknown fee is no worry to someone whose employer pays in full.
        {"employer_funding": "full"},
        unknown_severity="undetermined",
    ),
    Case(
        "cpd-approved-providers",
        {"delivery": {"cpd_hours_per_year": 45, "cpd_approved_provider_share": 25 / 45}},
        {"employer_funding": "none"},
        "medium",
        "employer would not pay",
        {"employer_funding": "full"},
    ),
    Case(
        "sector",
        {"eligibility": {"sectors": ["nhs-acute", "primary-care"]}},
        {"sector": "social-care"},
        "high",
        "social care",
        {"sector": "primary-care"},
        unknown_severity="undetermined",
    ),
    Case(
        "nation",
        {"eligibility": {"nations": ["england"]}},
        {"nation": "wales"},
        "high",
        "Wales",
        {"nation": "england"},
        unknown_severity="undetermined",
    ),
    Case(
        "us-content",
        {"delivery": {"content_jurisdiction": "us"}},
        {"nation": "scotland"},
        "medium",
        "Scotland",
        {"nation": "outside-uk"},
    ),
    Case(
        "staff-group",
        {"eligibility": {"staff_groups": ["clinical"]}},
        {"staff_group": "non-clinical"},
        "high",
        "non-clinical",
        {"staff_group": "clinical"},
        # staff_group is the one required answer, so with everything else unknown the rule still decides.
        unknown={"staff_group": "non-clinical"},
        unknown_severity="high",
    ),
    Case(
        "professional-registration",
        {"eligibility": {"professional_registration_required": True}},
        {"professional_registration": False},
        "high",
        "not registered",
        {"professional_registration": True},
        unknown_severity="undetermined",
    ),
    Case(
        "minimum-qualification",
        {"eligibility": {"min_qualification": "level-6", "recognises_prior_learning": False}},
        {"highest_qualification": "level-3"},
        "high",
        "A levels",
        {"highest_qualification": "level-7"},
        unknown_severity="undetermined",
    ),
    Case(
        "years-in-digital",
        {"eligibility": {"min_years_digital": 3, "recognises_prior_learning": False}},
        {"years_in_digital": 1},
        "high",
        "1 year in digital change",
        {"years_in_digital": 5},
        unknown_severity="undetermined",
    ),
    Case(
        "years-in-leadership",
        {"eligibility": {"min_years_leadership": 4}},
        {"years_in_leadership": 2},
        "medium",
        "2 years in leadership",
        {"years_in_leadership": 4},
        unknown_severity="undetermined",
    ),
    Case(
        "experience-by-job-title",
        {"eligibility": {"experience_defined_by_job_title": True}},
        {"contract": "self-employed"},
        "medium",
        "self-employed",
        {"contract": "full-time", "role_level": "director"},
        unknown_severity="undetermined",
    ),
    Case(
        "minimum-role-level",
        {"eligibility": {"min_role_level": "director"}},
        {"role_level": "middle-manager"},
        "high",
        "middle manager",
        {"role_level": "board"},
        unknown_severity="undetermined",
    ),
    Case(
        "membership",
        {"eligibility": {"membership_required": "BCS"}},
        {"memberships": ("rcn",)},
        "medium",
        "rcn",
        {"memberships": ("bcs",)},
        unknown_severity="undetermined",
    ),
    Case(
        "executive-sponsor",
        {"eligibility": {"sponsor_required": True}},
        {"employer_support": "no"},
        "high",
        "would not sponsor you",
        {"employer_support": "yes"},
        unknown_severity="undetermined",
    ),
    Case(
        "protected-time",
        {"eligibility": {"protected_time_fte": 0.2}},
        {"employer_support": "no"},
        "high",
        "would not protect",
        {"employer_support": "yes"},
        unknown_severity="undetermined",
    ),
    Case(
        "raters",
        {"delivery": {"raters_required": 5}},
        {"contract": "self-employed"},
        "medium",
        "self-employed",
        {"contract": "full-time"},
    ),
    Case(
        "informal-learning-not-recognised",
        {"eligibility": {"recognises_prior_learning": False}},
        {"learning_routes": ("self-taught", "start-up", "formal-education")},
        "medium",
        "a start-up",
        {"learning_routes": ("formal-education", "self-taught")},
    ),
    Case(
        "reasonable-adjustments",
        {"delivery": {"reasonable_adjustments": False}},
        {"needs_adjustments": True},
        "medium",
        "need adjustments",
        {"needs_adjustments": False},
    ),
    Case(
        "exam-centre-only",
        {
            "delivery": {
                "format": "exam-only",
                "exam_centres_only": True,
                "venues": ["Kryterion test centres"],
            }
        },
        {"can_attend_in_person": "no"},
        "high",
        "cannot attend",
        {"can_attend_in_person": "yes"},
    ),
]


def test_every_rule_has_a_flag_no_flag_and_unknown_case():
    assert sorted(case.rule for case in CASES) == sorted(rule.id for rule in RULES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_flags_when_requirement_and_circumstance_collide(case):
    rule = rule_by_id(case.rule)
    framework = programme(**case.programme)
    flag = rule.check(person(**case.flagged), framework)
    assert flag is not None
    assert (flag.rule, flag.category, flag.severity) == (rule.id, rule.category, case.severity)
    assert case.fact in flag.circumstance
    assert flag.explanation == rule.rationale
    assert set(rule.mitigations) <= set(flag.mitigations)
    assert flag in evaluate(person(**case.flagged), framework)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_is_silent_when_there_is_no_collision(case):
    framework = programme(**(case.clear_programme or case.programme))
    assert rule_by_id(case.rule).check(person(**case.clear), framework) is None


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_with_the_deciding_answer_unknown(case):
    flag = rule_by_id(case.rule).check(person(**case.unknown), programme(**case.programme))
    if case.unknown_severity is None:
        assert flag is None
    else:
        assert flag is not None
        assert flag.severity == case.unknown_severity
    if case.unknown_severity == "undetermined":
        assert flag.circumstance.startswith("We don't know ")
        assert "tell us " in flag.circumstance
        assert flag.mitigations[0].startswith("Answer that question in your profile")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_is_silent_when_the_programme_does_not_ask(case):
    # Not publishing adjustments is itself a programme fact, so the neutral programme publishes them.
    neutral = programme({"reasonable_adjustments": True})
    assert rule_by_id(case.rule).check(person(**case.flagged), neutral) is None


# --- The catalogue itself ----------------------------------------------------------------


def test_categories_are_the_contract_in_order():
    assert CATEGORIES == (
        "time-commitment",
        "attendance",
        "travel",
        "cost",
        "eligibility-sector",
        "eligibility-staff-group",
        "eligibility-registration",
        "eligibility-qualification",
        "eligibility-experience",
        "eligibility-membership",
        "sponsorship",
        "jurisdiction",
        "prior-learning-recognition",
        "accessibility",
    )


def test_catalogue_has_enough_rules_with_unique_ids_in_known_categories():
    ids = [rule.id for rule in RULES]
    assert len(RULES) >= 18
    assert len(ids) == len(set(ids))
    assert {rule.category for rule in RULES} == set(CATEGORIES)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_is_documented_and_names_what_it_reads(rule):
    assert rule.title.strip()
    assert rule.rationale.strip()
    assert rule.mitigations
    assert all(text.strip().endswith(".") for text in rule.mitigations)
    assert rule.reads
    for key in rule.reads:
        part, _, name = key.partition(".")
        model = {"delivery": Delivery, "eligibility": Eligibility}[part]
        assert name in model.model_fields, key
    assert set(rule.profile_fields) <= set(Profile.model_fields)
    assert not set(rule.profile_fields) & set(EQUALITY_FIELDS)


def test_rule_by_id_names_the_known_rules_when_the_id_is_wrong():
    with pytest.raises(KeyError, match="no exclusion-risk rule 'time'; known rules: study-time, "):
        rule_by_id("time")


def test_risk_rules_doc_lists_every_rule():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "risk-rules.md").read_text()
    missing = [rule.id for rule in RULES if f"`{rule.id}`" not in text]
    assert missing == []


# --- Severity, thresholds and mitigations, rule by rule -------------------------------------


def test_weekly_load_spreads_in_person_days_over_the_programme():
    delivery = programme({"study_hours_per_week": 10, "in_person_days": 6, "duration_months": 12}).delivery
    assert weekly_load(delivery) == pytest.approx(10 + 6 * 7.5 / 52)
    no_fixed_length = programme({"study_hours_per_week": 3, "in_person_days": 1, "duration_months": 0})
    assert weekly_load(no_fixed_length.delivery) == 3


@pytest.mark.parametrize(
    ("available", "severity"),
    [(0, "high"), (5, "high"), (5.1, "medium"), (8, "medium"), (8.1, "low"), (9.9, "low"), (10, None)],
)
def test_study_time_severity_follows_the_shortfall_ratio(available, severity):
    flag = rule_by_id("study-time").check(
        person(study_hours_per_week_available=available), programme({"study_hours_per_week": 10})
    )
    assert (flag and flag.severity) == severity


def test_study_time_points_to_a_part_time_pathway_when_there_is_one():
    tired = person(study_hours_per_week_available=4, contract="part-time")
    with_pathway = rule_by_id("study-time").check(
        tired, programme({"study_hours_per_week": 10, "part_time_pathway": True})
    )
    without = rule_by_id("study-time").check(tired, programme({"study_hours_per_week": 10}))
    assert (with_pathway.severity, without.severity) == ("medium", "high")
    assert with_pathway.mitigations[0] == "This programme has a part-time pathway: ask about it."
    assert "Part-time Workers Regulations" in without.mitigations[0]
    assert not any("Part-time Workers" in text for text in with_pathway.mitigations)


@pytest.mark.parametrize(
    ("contract", "hours", "load", "severity"),
    [
        ("part-time", 20, 5, None),  # exactly 25%
        ("part-time", 20, 5.2, "medium"),
        ("job-share", 20, 10, "medium"),  # exactly 50%
        ("job-share", 20, 10.2, "high"),
        # Compressed hours on 37.5 hours are full-time hours in fewer days: treated as full time.
        ("compressed-hours", 37.5, 10, None),
        ("compressed-hours", 30, 10, "medium"),
        ("full-time", 37.5, 20, None),  # the rule is about reduced hours
        (None, 30, 10, "medium"),  # under full-time hours counts as reduced hours
    ],
)
def test_time_vs_contracted_hours_thresholds(contract, hours, load, severity):
    flag = rule_by_id("time-vs-contracted-hours").check(
        person(contract=contract, hours_per_week=hours), programme({"study_hours_per_week": load})
    )
    assert (flag and flag.severity) == severity


def test_time_vs_contracted_hours_defers_to_the_study_time_you_told_us():
    framework = programme({"study_hours_per_week": 10})
    told = person(contract="part-time", hours_per_week=15, study_hours_per_week_available=12)
    assert rule_by_id("time-vs-contracted-hours").check(told, framework) is None
    assert rule_by_id("study-time").check(told, framework) is None


@pytest.mark.parametrize(
    ("answer", "delivery", "severity"),
    [
        ("no", {}, "high"),
        ("no", {"reasonable_adjustments": True}, "medium"),
        ("no", {"remote_attendance_option": True}, "low"),
        ("with-support", {}, "medium"),
        ("with-support", {"reasonable_adjustments": True}, "low"),
    ],
)
def test_in_person_attendance_is_softened_by_adjustments_and_remote_options(answer, delivery, severity):
    flag = rule_by_id("in-person-attendance").check(
        person(can_attend_in_person=answer), programme(IN_PERSON | delivery)
    )
    assert flag.severity == severity
    if delivery.get("remote_attendance_option"):
        assert "joined remotely" in flag.mitigations[0]


def test_in_person_attendance_leaves_exams_to_the_exam_rule():
    exam = programme({"format": "exam-only", "in_person_days": 0.5, "exam_centres_only": True})
    flags = evaluate(person(can_attend_in_person="no"), exam)
    assert [flag.rule for flag in flags] == ["exam-centre-only"]


@pytest.mark.parametrize(
    ("delivery", "severity"),
    [({}, "high"), ({"reasonable_adjustments": True}, "medium"), ({"remote_attendance_option": True}, "low")],
)
def test_residential_stays_severity(delivery, severity):
    residential = {"format": "blended", "in_person_days": 6, "residential": True}
    flag = rule_by_id("residential-stays").check(
        person(caring_responsibilities=True), programme(residential | delivery)
    )
    assert flag.severity == severity
    assert "overnight stays" in flag.requirement


def test_fixed_dates_name_the_contract_and_lost_shifts_for_bank_staff():
    flag = rule_by_id("fixed-dates-vs-rota").check(person(contract="bank-or-locum"), programme(IN_PERSON))
    assert flag.circumstance == "You told us you work bank or locum shifts."
    assert "lost shifts" in flag.mitigations[0]
    remote = programme(IN_PERSON | {"remote_attendance_option": True})
    assert rule_by_id("fixed-dates-vs-rota").check(person(on_call=True), remote).severity == "low"


@pytest.mark.parametrize(
    ("answers", "venues", "severity", "fact"),
    [
        ({"max_travel_hours": 1.5}, ["York"], "medium", "at most 1.5 hours"),
        ({"nation": "scotland"}, ["York", "Birmingham or Manchester"], "medium", "every venue is in England"),
        ({"nation": "england"}, ["York", "Cardiff"], None, None),
        ({"nation": "outside-uk"}, ["Edinburgh"], "medium", "You work outside the UK"),
        # A venue we cannot place is unknown, never "elsewhere".
        ({"nation": "wales"}, ["York", "The Midlands hub"], None, None),
        # Londonderry is in Northern Ireland even though it contains "London".
        ({"nation": "northern-ireland"}, ["Londonderry"], None, None),
        ({"max_travel_hours": 2}, ["York"], None, None),
    ],
)
def test_venue_travel_is_modelled_from_travel_time_and_nation(answers, venues, severity, fact):
    flag = rule_by_id("venue-travel").check(
        person(**answers), programme({"format": "in-person", "venues": venues})
    )
    assert (flag and flag.severity) == severity
    if fact:
        assert fact in flag.circumstance


def test_venue_travel_needs_named_venues_and_is_softened_by_remote_attendance():
    far = person(max_travel_hours=0.5, nation="wales")
    assert rule_by_id("venue-travel").check(far, programme({"format": "in-person"})) is None
    remote = programme(IN_PERSON | {"remote_attendance_option": True})
    assert rule_by_id("venue-travel").check(far, remote).severity == "low"


@pytest.mark.parametrize(
    ("fee", "funding", "delivery", "severity"),
    [
        (249, "none", {}, "low"),
        (250, "none", {}, "medium"),
        (999, "none", {}, "medium"),
        (1000, "none", {}, "high"),
        (1000, "partial", {}, "medium"),
        (1000, "none", {"bursaries": True}, "medium"),
        (1000, "partial", {"bursaries": True}, "low"),
        (1000, "none", {"fee_payer": "programme"}, None),
        (1000, "none", {"fee_payer": "employer"}, "high"),
        (0, "none", {}, None),
    ],
)
def test_cost_to_self_thresholds_and_softening(fee, funding, delivery, severity):
    flag = rule_by_id("cost-to-self").check(
        person(employer_funding=funding), programme({"fee_gbp": fee} | delivery)
    )
    assert (flag and flag.severity) == severity
    if flag and delivery.get("bursaries"):
        assert flag.mitigations[0] == "This programme offers bursaries: ask how to apply and when."


def test_cost_to_self_says_when_the_employer_was_expected_to_pay_and_suggests_ldss_in_social_care():
    flag = rule_by_id("cost-to-self").check(
        person(employer_funding="none", sector="social-care"),
        programme({"fee_gbp": 1000, "fee_payer": "employer", "fees_published": False}),
    )
    assert "but this programme expects the employer to pay" in flag.circumstance
    assert "this figure is modelled" in flag.requirement
    assert any("Learning and Development Support Scheme" in text for text in flag.mitigations)


def test_cost_stacking_adds_annual_fees_over_at_least_three_years_and_needs_the_membership():
    framework = programme({"fee_gbp": 160, "annual_fee_gbp": 46}, {"membership_required": "BCS"})
    flag = rule_by_id("cost-stacking").check(person(employer_funding="none", memberships=("rcn",)), framework)
    assert flag.requirement.startswith("A fee of £160, £46 a year (£298 over 3 years) and membership of BCS.")
    assert "do not belong to BCS" in flag.circumstance
    member = person(employer_funding="none", memberships=("BCS",))
    assert rule_by_id("cost-stacking").check(member, framework).severity == "medium"


def test_one_off_and_stacked_costs_never_flag_twice():
    one_off = programme({"fee_gbp": 500})
    stacked = programme({"fee_gbp": 500, "annual_fee_gbp": 50})
    paying = person(employer_funding="none")
    assert [flag.rule for flag in evaluate(paying, one_off)] == ["cost-to-self"]
    assert [flag.rule for flag in evaluate(paying, stacked)] == ["cost-stacking"]


def test_cost_stacking_counts_a_long_programme_in_full_years():
    flag = rule_by_id("cost-stacking").check(
        person(employer_funding="none"), programme({"annual_fee_gbp": 1000, "duration_months": 50})
    )
    assert "£5,000 over 5 years" in flag.requirement
    assert flag.severity == "high"


@pytest.mark.parametrize(
    ("hours", "share", "funding", "severity"),
    [
        (45, 25 / 45, "none", "medium"),
        (20, 0.25, "none", "low"),
        (45, 25 / 45, "partial", "low"),
        (45, 0, "none", None),
    ],
)
def test_cpd_from_approved_providers(hours, share, funding, severity):
    flag = rule_by_id("cpd-approved-providers").check(
        person(employer_funding=funding),
        programme({"cpd_hours_per_year": hours, "cpd_approved_provider_share": share}),
    )
    assert (flag and flag.severity) == severity


@pytest.mark.parametrize(
    ("required", "held", "matches"),
    [
        ("A FEDIP awarding body (e.g. BCS, AphA, IHRIM, CILIP)", ["bcs"], True),
        ("A FEDIP awarding body (e.g. BCS, AphA, IHRIM, CILIP)", ["Royal College of Nursing"], False),
        ("CHIME or CHIME International", ["CHIME"], True),
        ("BCS", ["BCS, The Chartered Institute for IT"], True),
        ("A FEDIP awarding body (e.g. BCS, AphA, IHRIM, CILIP)", ["the", "body"], False),
        ("CHIME or CHIME International", ["chimera society"], False),
    ],
)
def test_membership_is_matched_by_name(required, held, matches):
    flag = rule_by_id("membership").check(
        person(memberships=tuple(held)), programme(eligibility={"membership_required": required})
    )
    assert (flag is None) == matches


def test_membership_reads_naturally_mid_sentence():
    flag = rule_by_id("membership").check(
        person(memberships=()), programme(eligibility={"membership_required": "A FEDIP awarding body"})
    )
    assert flag.requirement == "Membership of a FEDIP awarding body."
    assert flag.circumstance == "You told us you do not belong to a professional body."


@pytest.mark.parametrize(
    ("eligibility", "severity", "mitigation"),
    [
        ({"recognises_prior_learning": False}, "high", None),
        ({"recognises_prior_learning": False, "qualification_alternative_route": True}, "medium", "route"),
        ({"recognises_prior_learning": True}, "medium", "APEL"),
        ({"recognises_prior_learning": True, "qualification_alternative_route": True}, "low", "route"),
    ],
)
def test_minimum_qualification_is_softened_by_alternative_routes(eligibility, severity, mitigation):
    flag = rule_by_id("minimum-qualification").check(
        person(highest_qualification="level-1-2"),
        programme(eligibility={"min_qualification": "level-6"} | eligibility),
    )
    assert flag.severity == severity
    if mitigation:
        assert mitigation in flag.mitigations[0]


def test_minimum_qualification_mentions_informal_learning_routes():
    flag = rule_by_id("minimum-qualification").check(
        person(
            highest_qualification="level-3", learning_routes=("start-up", "hackathon", "formal-education")
        ),
        programme(eligibility={"min_qualification": "level-6"}),
    )
    assert "You also learned through a start-up and hackathons" in flag.circumstance


def test_qualifications_compare_by_level_whatever_the_route():
    """An apprenticeship counts at its level (h/vocab): a degree apprenticeship (level 6) is a degree."""
    framework = programme(eligibility={"min_qualification": "level-5"})
    check = rule_by_id("minimum-qualification").check
    degree_apprentice = person(highest_qualification="level-6", learning_routes=("apprenticeship",))
    assert check(degree_apprentice, framework) is None
    assert check(person(highest_qualification="level-5"), framework) is None
    assert check(person(highest_qualification="level-3"), framework) is not None


@pytest.mark.parametrize(
    ("years", "severity"), [(0, "high"), (2.9, "high"), (3, "medium"), (4.9, "medium"), (5, "low"), (6, None)]
)
def test_years_in_digital_severity_by_shortfall(years, severity):
    flag = rule_by_id("years-in-digital").check(
        person(years_in_digital=years), programme(eligibility={"min_years_digital": 6})
    )
    assert (flag and flag.severity) == severity


def test_pro_rated_experience_counts_part_time_years_by_fte():
    framework = programme(eligibility={"min_years_digital": 3, "experience_pro_rated": True})
    half_time = person(years_in_digital=4, hours_per_week=18.75, contract="part-time")
    flag = rule_by_id("years-in-digital").check(half_time, framework)
    assert "At 18.75 hours a week the programme would count them as about 2 years." in flag.circumstance
    assert flag.severity == "low"
    full_time = person(years_in_digital=4, hours_per_week=37.5)
    assert rule_by_id("years-in-digital").check(full_time, framework) is None


def test_unpro_rated_experience_tells_part_timers_their_years_may_count_in_full():
    flag = rule_by_id("years-in-leadership").check(
        person(years_in_leadership=1, contract="job-share"),
        programme(eligibility={"min_years_leadership": 3}),
    )
    assert "your part-time years may count in full" in flag.circumstance


def test_pro_rated_experience_with_unknown_hours_asks_for_them():
    framework = programme(eligibility={"min_years_digital": 3, "experience_pro_rated": True})
    flag = rule_by_id("years-in-digital").check(person(years_in_digital=5, contract="part-time"), framework)
    assert flag.severity == "undetermined"
    assert "your contracted hours a week" in flag.circumstance


def test_experience_by_job_title_lists_every_reason_titles_may_not_match():
    flag = rule_by_id("experience-by-job-title").check(
        person(role_level="middle-manager", learning_routes=("start-up", "online-community")),
        programme(eligibility={"experience_defined_by_job_title": True}),
    )
    assert "a middle manager" in flag.circumstance
    assert "a start-up and online communities" in flag.circumstance
    assert flag.mitigations[0].startswith("The programme recognises prior learning")


@pytest.mark.parametrize(
    ("level", "severity"), [("senior-manager", "medium"), ("aspiring", "high"), ("director", None)]
)
def test_minimum_role_level_by_gap(level, severity):
    flag = rule_by_id("minimum-role-level").check(
        person(role_level=level), programme(eligibility={"min_role_level": "director"})
    )
    assert (flag and flag.severity) == severity


@pytest.mark.parametrize("rule_id", ["executive-sponsor", "protected-time"])
@pytest.mark.parametrize(
    ("answers", "severity"),
    [
        ({"employer_support": "unsure"}, "medium"),
        ({"contract": "self-employed"}, "high"),
        ({"contract": "self-employed", "employer_support": "yes"}, None),
    ],
)
def test_employer_backing(rule_id, answers, severity):
    framework = programme(eligibility={"sponsor_required": True, "protected_time_fte": 0.2})
    flag = rule_by_id(rule_id).check(person(**answers), framework)
    assert (flag and flag.severity) == severity


def test_protected_time_is_in_hours_like_the_load_and_part_timers_see_their_share():
    """The share is of a full-time week, as the framework format defines it, so the protected hours
    match the weekly load, which is the same for everyone (before: 20% of a 22.5-hour week, 4.5 hours,
    set against a load that did not shrink)."""
    flag = rule_by_id("protected-time").check(
        person(hours_per_week=22.5, employer_support="no"), programme(eligibility={"protected_time_fte": 0.2})
    )
    assert flag.requirement == (
        "Your employer protects about 7.5 hours a week for the programme (20% of a full-time 37.5-hour week)."
    )
    assert flag.circumstance.endswith(
        "You work 22.5 hours a week, so that is about 33% of your week: the programme's weekly load is "
        "not smaller for part-time staff."
    )
    unknown_hours = rule_by_id("protected-time").check(
        person(employer_support="no"), programme(eligibility={"protected_time_fte": 0.2})
    )
    assert unknown_hours.requirement == flag.requirement
    assert "You work" not in unknown_hours.circumstance


def test_raters_are_a_smaller_risk_for_bank_staff():
    flag = rule_by_id("raters").check(person(contract="bank-or-locum"), programme({"raters_required": 1}))
    assert flag.severity == "low"
    assert flag.requirement.startswith("1 person who must rate you")


@pytest.mark.parametrize(
    ("answers", "delivery", "severity"),
    [
        ({"can_attend_in_person": "with-support"}, {}, "medium"),
        ({"needs_adjustments": True}, {}, "medium"),
        ({"needs_adjustments": True}, {"reasonable_adjustments": True}, "low"),
        ({"can_attend_in_person": "no"}, {"reasonable_adjustments": True}, "medium"),
        ({"can_attend_in_person": "yes", "needs_adjustments": False}, {}, None),
    ],
)
def test_exam_centre_only(answers, delivery, severity):
    flag = rule_by_id("exam-centre-only").check(
        person(**answers), programme({"format": "exam-only", "exam_centres_only": True} | delivery)
    )
    assert (flag and flag.severity) == severity


# --- evaluate ------------------------------------------------------------------------------


def test_evaluate_orders_by_severity_then_catalogue_order():
    framework = programme(
        {"study_hours_per_week": 10, "fees_published": False, "fee_gbp": 100},
        {"sectors": ["nhs-acute"], "min_years_digital": 3, "nations": ["england"]},
    )
    answers = {"study_hours_per_week_available": 9, "nation": "wales", "years_in_digital": 2}
    flags = evaluate(person(**answers, employer_funding="unknown"), framework)
    assert [(flag.severity, flag.rule) for flag in flags] == [
        ("high", "nation"),
        ("low", "study-time"),
        ("low", "unpublished-fees"),
        ("low", "years-in-digital"),
        ("undetermined", "sector"),
    ]


def test_evaluate_on_a_programme_that_asks_nothing_is_empty():
    assert (
        evaluate(person(contract="part-time", hours_per_week=10, can_attend_in_person="no"), programme())
        == ()
    )


def test_every_shipped_programme_evaluates_for_a_sparse_and_a_full_profile():
    full = person(
        contract="part-time",
        hours_per_week=22.5,
        caring_responsibilities=True,
        study_hours_per_week_available=5,
        can_attend_in_person="with-support",
        max_travel_hours=1.5,
        nation="wales",
        sector="social-care",
        employer_support="unsure",
        role_level="middle-manager",
        years_in_digital=4,
        years_in_leadership=2,
        highest_qualification="level-3",
        learning_routes=("self-taught", "hackathon"),
        employer_funding="none",
        memberships=(),
    )
    for framework in shipped_frameworks().values():
        for profile in (person(), full):
            for flag in evaluate(profile, framework):
                assert_well_formed(flag)
                assert "None" not in flag.requirement + flag.circumstance


def assert_well_formed(flag):
    assert flag.severity in SEVERITY_ORDER
    assert flag.category in CATEGORIES
    assert flag.requirement.strip()
    assert flag.circumstance.strip()
    assert flag.explanation.strip()
    assert flag.mitigations
    assert all(text.strip() for text in flag.mitigations)
    assert len(set(flag.mitigations)) == len(flag.mitigations)
    assert "  " not in flag.requirement + flag.circumstance


# --- Properties ----------------------------------------------------------------------------
# deadline=None: the rules are pure and fast, but drawing whole profiles and frameworks is not, and
# a wall-clock deadline only makes these tests flaky when the suite runs in parallel.

# Free text as a person or designer would type it: words separated by single spaces.
WORDS = st.lists(
    st.text(alphabet=string.ascii_letters + "-", min_size=1, max_size=10), min_size=1, max_size=4
).map(" ".join)
MEMBERSHIP_NAMES = st.sampled_from(["bcs", "BCS", "chime", "rcn", "FEDIP", "the"]) | WORDS
VENUES = (
    st.sampled_from(["York", "London", "Birmingham or Manchester", "Cardiff", "Edinburgh", "Belfast"]) | WORDS
)
VENUE_TOWNS = st.lists(
    st.sampled_from(
        ["York", "London", "Birmingham", "Manchester", "Truro", "Inverness", "Cardiff", "Belfast"]
    ),
    min_size=1,
    max_size=3,
    unique=True,
).map(tuple)
LOCATIONS = st.sampled_from(["Leeds", "Truro", "TR18 4AA", "LS6", "Inverness", "Penzance, Cornwall"]) | WORDS
REQUIRED_MEMBERSHIPS = st.sampled_from(
    ["BCS", "CHIME or CHIME International", "A FEDIP awarding body (e.g. BCS, AphA, IHRIM, CILIP)"]
)


def _bounds(metadata: list[Any]) -> dict[str, Any]:
    bounds: dict[str, Any] = {"allow_nan": False, "allow_infinity": False}
    for item in metadata:
        if hasattr(item, "ge"):
            bounds["min_value"] = item.ge
        if hasattr(item, "gt"):
            bounds["min_value"], bounds["exclude_min"] = item.gt, True
        if hasattr(item, "le"):
            bounds["max_value"] = item.le
    bounds.setdefault("max_value", 100_000)
    return bounds


def values_for(annotation: Any, metadata: list[Any], name: str) -> st.SearchStrategy[Any]:
    """A strategy for any valid value of a pydantic field, read from its annotation."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in args if arg is not type(None)]
        return st.none() | values_for(inner[0], metadata, name)
    if origin is typing.Annotated:
        return values_for(args[0], [*metadata, *args[1].metadata], name)
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is tuple:
        items = {
            "memberships": MEMBERSHIP_NAMES,
            "venues": VENUES,
            "membership_bodies": st.sampled_from(BODY_IDS),
            "venue_cities": VENUE_TOWNS,
        }.get(name)
        if items is None:
            items = values_for(args[0], [], name)
        return st.lists(items, max_size=4, unique=True).map(tuple)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        limits = _bounds(metadata)
        return st.integers(limits["min_value"], limits["max_value"])
    if annotation is float:
        return st.floats(**_bounds(metadata))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_answers(annotation)
    if annotation is str:
        if name == "membership_required":
            return REQUIRED_MEMBERSHIPS
        if name == "location":
            return LOCATIONS
        return WORDS
    raise TypeError(f"no strategy for {name}: {annotation!r}; teach values_for about it")


def model_answers(model: type, skip: tuple[str, ...] = ()) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            name: values_for(info.annotation, list(info.metadata), name)
            for name, info in model.model_fields.items()
            if name not in skip
        }
    )


profiles = model_answers(Profile).map(Profile.model_validate)
equality_answers = model_answers(Profile).map(lambda answers: {key: answers[key] for key in EQUALITY_FIELDS})


DELIVERIES = model_answers(Delivery)
ELIGIBILITIES = model_answers(Eligibility)


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    data = copy.deepcopy(BASE)
    data["delivery"] = draw(DELIVERIES)
    eligibility = data["eligibility"] = draw(ELIGIBILITIES)
    for key in ("nations", "sectors"):
        # A conditional list names only values the main list leaves out, and needs a main list.
        conditional = eligibility[f"conditional_{key}"]
        rest = [value for value in (conditional or {}).get(key, ()) if value not in eligibility[key]]
        eligibility[f"conditional_{key}"] = {**conditional, key: rest} if rest and eligibility[key] else None
    return parse_framework(all_sourced(data), "generated.yaml")


@settings(max_examples=200, deadline=None)
@given(profiles, frameworks())
def test_evaluate_never_raises_and_every_flag_is_well_formed(profile, framework):
    flags = evaluate(profile, framework)
    for flag in flags:
        assert_well_formed(flag)
    ranks = [SEVERITY_ORDER.index(flag.severity) for flag in flags]
    assert ranks == sorted(ranks)
    assert len({flag.rule for flag in flags}) == len(flags)


@settings(deadline=None)
@given(profiles, equality_answers, frameworks())
def test_equality_answers_never_change_the_flags(profile, other_equality, framework):
    changed = profile.model_copy(update=other_equality)
    assert evaluate(changed, framework) == evaluate(profile, framework)
    assert evaluate(profile.without_equality(), framework) == evaluate(profile, framework)


@settings(max_examples=200, deadline=None)
@given(first=profiles, second=profiles, framework=frameworks())
def test_rules_read_only_the_profile_answers_they_declare(first, second, framework):
    """Swap in every answer a rule does not declare: its flag must not change."""
    for rule in RULES:
        undeclared = {
            name: getattr(second, name) for name in Profile.model_fields if name not in rule.profile_fields
        }
        swapped = first.model_copy(update=undeclared)
        assert rule.check(swapped, framework) == rule.check(first, framework), rule.id


@settings(max_examples=200, deadline=None)
@given(profile=profiles, first=frameworks(), second=frameworks())
def test_rules_read_only_the_programme_keys_they_declare(profile, first, second):
    """Swap in every delivery and eligibility key a rule does not declare: its flag must not change."""
    for rule in RULES:

        def undeclared(part: str, rule: risks.Rule = rule) -> dict[str, Any]:
            model = getattr(second, part)
            return {
                name: getattr(model, name)
                for name in type(model).model_fields
                if f"{part}.{name}" not in rule.reads
            }

        swapped = first.model_copy(
            update={
                "delivery": first.delivery.model_copy(update=undeclared("delivery")),
                "eligibility": first.eligibility.model_copy(update=undeclared("eligibility")),
            }
        )
        assert rule.check(profile, swapped) == rule.check(profile, first), rule.id


@settings(deadline=None)
@given(st.sampled_from(["clinical", "non-clinical"]), frameworks())
def test_unknown_answers_never_raise_a_flag_by_themselves(staff_group, framework):
    for flag in evaluate(Profile(staff_group=staff_group), framework):
        rule = rule_by_id(flag.rule)
        assert flag.severity == "undetermined" or set(rule.profile_fields) <= {"staff_group"}, flag
