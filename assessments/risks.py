"""Exclusion risks: where a programme's delivery or eligibility collides with a person's circumstances.

Each rule is a small pure function that compares one profile with one framework and either
stays silent or returns a ``Flag`` naming the programme requirement, the personal
circumstance it collides with, and what would help. The catalogue is documented rule by rule
in ``docs/risk-rules.md``; the thresholds below are modelled, not published by any provider.

Two promises hold for every rule:

- Unknown answers never raise a flag by themselves. A rule that needs an answer the person
  has not given stays silent, except an eligibility rule, which is listed as ``undetermined``
  and says which answer would decide it.
- Equality answers (``EQUALITY_FIELDS``) are never read. ``evaluate`` strips them before any
  rule runs, because individual flags built from protected characteristics would be an
  individual-level use of special category data (see the privacy notes, section C3).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assessments.framework import QUALIFICATION_ORDER, ROLE_LEVEL_ORDER, Delivery, Framework
from assessments.profile import FULL_TIME_HOURS, Profile
from assessments.results import SEVERITY_ORDER, Flag, Severity

CATEGORIES: tuple[str, ...] = (
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

# --- Modelled thresholds -------------------------------------------------------------------
# None of these numbers is published by a provider or a regulator. They are our model of
# "enough to matter", chosen from the reference notes (section D), and listed in
# docs/risk-rules.md so a programme designer can see and challenge them.

HOURS_PER_DAY = FULL_TIME_HOURS / 5
"""An in-person day counts as a working day: 7.5 hours (modelled)."""
WEEKS_PER_MONTH = 52 / 12

STUDY_SHORTFALL_MEDIUM = 1.25
"""Weekly load at least 1.25 × the study time you have: medium (modelled)."""
STUDY_SHORTFALL_HIGH = 2.0
"""Weekly load at least twice the study time you have: high (modelled)."""

CONTRACTED_SHARE_MEDIUM = 0.25
"""Load above 25% of contracted hours: medium (the reference's modelled threshold)."""
CONTRACTED_SHARE_HIGH = 0.5
"""Load above 50% of contracted hours: high (modelled)."""
REDUCED_HOURS_CONTRACTS: tuple[str, ...] = ("part-time", "job-share", "compressed-hours")

TRAVEL_HOURS_THRESHOLD = 2.0
"""Named venues and a longest journey under 2 hours each way: a travel risk (modelled: we do
not know where you live, only how far you could go)."""

COST_MEDIUM_GBP = 250.0
"""Paying £250 or more yourself: medium (modelled)."""
COST_HIGH_GBP = 1000.0
"""Paying £1,000 or more yourself: high (modelled; £1,000 is also the LDSS reclaim cap)."""
ONGOING_YEARS = 3
"""Annual fees are counted for at least three years, since they continue while you hold the
credential (modelled on the 3-year HIMSS renewal cycle)."""
PAID_CPD_MEDIUM_HOURS = 10.0
"""Ten or more hours a year of CPD that must be bought from approved providers: medium (modelled)."""

EXPERIENCE_NEAR_MISS_YEARS = 1.0
"""Within a year of the requirement: low, since you may meet it by the time you apply (modelled)."""
EXPERIENCE_HIGH_SHORTFALL = 0.5
"""Short by more than half of the years asked for: high (modelled)."""

INFORMAL_SHARE_THRESHOLD = 0.5
"""More than half of your learning routes informal: "mostly informal" (modelled)."""

# Cities the shipped frameworks name as venues, by nation (modelled lookup; a venue we do not
# recognise is treated as unknown, never as "elsewhere").
VENUE_NATIONS: dict[str, str] = {
    "london": "england",
    "york": "england",
    "birmingham": "england",
    "manchester": "england",
    "salford": "england",
    "durham": "england",
    "leeds": "england",
    "bristol": "england",
    "liverpool": "england",
    "newcastle": "england",
    "nottingham": "england",
    "sheffield": "england",
    "oxford": "england",
    "cambridge": "england",
    "edinburgh": "scotland",
    "glasgow": "scotland",
    "aberdeen": "scotland",
    "dundee": "scotland",
    "inverness": "scotland",
    "cardiff": "wales",
    "swansea": "wales",
    "bangor": "wales",
    "wrexham": "wales",
    "belfast": "northern-ireland",
    "derry": "northern-ireland",
    "londonderry": "northern-ireland",
}

UK_NATIONS: tuple[str, ...] = ("england", "wales", "scotland", "northern-ireland")
INFORMAL_ROUTES: tuple[str, ...] = (
    "self-taught",
    "start-up",
    "hackathon",
    "online-community",
    "professional-network",
)
PTWR = "under the Part-time Workers Regulations part-time staff should have equal access to training"

# --- Words -----------------------------------------------------------------------------------

NATION_NAMES = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
    "outside-uk": "outside the UK",
}
SECTOR_NAMES = {
    "nhs-acute": "NHS acute trusts",
    "nhs-mental-health": "NHS mental health trusts",
    "nhs-community": "NHS community services",
    "nhs-ambulance": "NHS ambulance services",
    "primary-care": "primary care",
    "integrated-care-board": "integrated care boards",
    "social-care": "social care",
    "local-authority": "local authorities",
    "independent-sector": "the independent sector",
    "voluntary-sector": "the voluntary sector",
    "supplier": "suppliers to health and care",
    "academia": "universities and research",
    "other": "other sectors",
}
WORKPLACE_NAMES = {
    "nhs-acute": "an NHS acute trust",
    "nhs-mental-health": "an NHS mental health trust",
    "nhs-community": "NHS community services",
    "nhs-ambulance": "an NHS ambulance service",
    "primary-care": "primary care",
    "integrated-care-board": "an integrated care board",
    "social-care": "social care",
    "local-authority": "a local authority",
    "independent-sector": "the independent sector",
    "voluntary-sector": "the voluntary sector",
    "supplier": "a supplier to health and care",
    "academia": "a university or research body",
    "other": "a sector not on our list",
}
QUALIFICATION_NAMES = {
    "none": "no formal qualifications",
    "gcse": "GCSEs",
    "a-level": "A levels",
    "apprenticeship": "an apprenticeship",
    "degree": "a degree",
    "masters": "a master's degree",
    "doctorate": "a doctorate",
}
ROLE_LEVEL_NAMES = {
    "aspiring": "an aspiring leader",
    "middle-manager": "a middle manager",
    "senior-manager": "a senior manager",
    "director": "a director",
    "board": "a board member",
}
CONTRACT_NAMES = {
    "full-time": "full time",
    "part-time": "part time",
    "compressed-hours": "compressed hours",
    "job-share": "in a job share",
    "shift-work": "shifts",
    "bank-or-locum": "bank or locum shifts",
    "self-employed": "for yourself (self-employed)",
}
ROUTE_NAMES = {
    "formal-education": "formal education",
    "apprenticeship": "an apprenticeship",
    "employer-training": "employer training",
    "self-taught": "teaching yourself",
    "start-up": "a start-up",
    "hackathon": "hackathons",
    "online-community": "online communities",
    "professional-network": "professional networks",
}


def _num(value: float) -> str:
    if not math.isfinite(value):
        return "an unlimited number of"
    if abs(value - round(value)) < 0.05:
        return f"{value:,.0f}"
    # Quarter hours (18.75) keep two decimals; anything computed (13.365…) is rounded to one.
    exact = abs(value * 100 - round(value * 100)) < 1e-6 and abs(value * 10 - round(value * 10)) > 1e-6
    return f"{value:,.2f}" if exact else f"{value:,.1f}"


def _count(value: float, unit: str) -> str:
    text = _num(value)
    return f"{text} {unit}" if text == "1" else f"{text} {unit}s"


def _duration(months: float) -> str:
    if months >= 24 and months % 12 == 0:
        return _count(months / 12, "year")
    return _count(months, "month")


def _body(name: str) -> str:
    """'A FEDIP awarding body' reads as 'a FEDIP awarding body' mid-sentence."""
    first, _, rest = name.partition(" ")
    return f"{first.lower()} {rest}" if first in ("A", "An", "The") and rest else name


def _money(value: float) -> str:
    if not math.isfinite(value):
        return "an unlimited sum"
    return f"£{value:,.0f}" if value == round(value) else f"£{value:,.2f}"


def _join(items: Iterable[str], word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _in_nation(nation: str) -> str:
    return NATION_NAMES[nation] if nation == "outside-uk" else f"in {NATION_NAMES[nation]}"


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


# --- The catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    title: str
    rationale: str
    """Why the collision can shut someone out, in plain words; shown as the flag's explanation."""
    reads: tuple[str, ...]
    """The framework keys the rule reads, e.g. ``delivery.study_hours_per_week``."""
    profile_fields: tuple[str, ...]
    """Every profile answer the rule may read (never an equality answer)."""
    mitigations: tuple[str, ...]
    """General help, shown after any mitigations specific to the programme and the person."""
    check: Callable[[Profile, Framework], Flag | None]


@dataclass(frozen=True)
class _Finding:
    severity: Severity
    requirement: str
    circumstance: str
    mitigations: tuple[str, ...] = ()
    """Specific to this programme and person; listed before the rule's general mitigations."""


_Finder = Callable[[Profile, Framework], "_Finding | None"]
_CATALOGUE: list[Rule] = []


def _rule(
    *,
    id: str,
    category: str,
    title: str,
    rationale: str,
    reads: tuple[str, ...],
    profile_fields: tuple[str, ...],
    mitigations: tuple[str, ...],
) -> Callable[[_Finder], _Finder]:
    """Add the decorated finder to the catalogue, in definition order, as a Flag-returning check."""

    def register(finder: _Finder) -> _Finder:
        def check(profile: Profile, framework: Framework) -> Flag | None:
            finding = finder(profile, framework)
            if finding is None:
                return None
            return Flag(
                rule=id,
                category=category,
                severity=finding.severity,
                requirement=finding.requirement,
                circumstance=finding.circumstance,
                explanation=rationale,
                mitigations=tuple(dict.fromkeys((*finding.mitigations, *mitigations))),
            )

        _CATALOGUE.append(Rule(id, category, title, rationale, reads, profile_fields, mitigations, check))
        return finder

    return register


def _soften(severity: Severity, steps: int = 1) -> Severity:
    """One level milder per step, never below low: a mitigation helps but does not remove the risk."""
    order: tuple[Severity, ...] = ("high", "medium", "low")
    return order[min(order.index(severity) + steps, len(order) - 1)]


def _undetermined(requirement: str, unknown: str, answer: str) -> _Finding:
    return _Finding(
        "undetermined",
        requirement,
        f"We don't know {unknown}: tell us {answer} to check this requirement.",
        ("Answer that question in your profile and CertReady will check this requirement for you.",),
    )


# --- Shared calculations ---------------------------------------------------------------------


def weekly_load(delivery: Delivery) -> float:
    """Study hours a week plus in-person days spread over the programme (modelled).

    A programme with no fixed duration (0 months) has nothing to spread its days over, so
    only its weekly study hours count.
    """
    load = delivery.study_hours_per_week
    if delivery.duration_months > 0 and delivery.in_person_days > 0:
        load += delivery.in_person_days * HOURS_PER_DAY / (delivery.duration_months * WEEKS_PER_MONTH)
    return load


def _load_requirement(delivery: Delivery) -> str:
    text = f"About {_count(weekly_load(delivery), 'hour')} of study a week"
    if delivery.duration_months > 0:
        text += f" for {_duration(delivery.duration_months)}"
    if delivery.in_person_days > 0 and delivery.duration_months > 0:
        text += (
            f" ({_num(delivery.study_hours_per_week)} hours of study plus "
            f"{_count(delivery.in_person_days, 'in-person day')} averaged over the programme)"
        )
    return text + "."


def _time_mitigations(profile: Profile, delivery: Delivery) -> tuple[str, ...]:
    if delivery.part_time_pathway:
        first = "This programme has a part-time pathway: ask about it."
    elif profile.contract in REDUCED_HOURS_CONTRACTS:
        first = f"Ask the provider whether study can be spread over a longer period; {PTWR}."
    else:
        first = "Ask the provider whether study can be spread over a longer period or deferred."
    extra: list[str] = []
    if delivery.in_person_days > 0:
        extra.append("Plan the weeks with in-person days early, so you can book leave and cover.")
        if delivery.remote_attendance_option:
            extra.append("The in-person days can be joined remotely, which saves travelling time.")
    return (first, *extra)


def _attendance_required(delivery: Delivery) -> bool:
    """In-person teaching days (exams are covered by the exam-centre rule)."""
    if delivery.format == "exam-only":
        return False
    return (
        delivery.in_person_days > 0 or delivery.residential or delivery.format in ("in-person", "residential")
    )


def _attendance_requirement(delivery: Delivery) -> str:
    days = (
        f"{_count(delivery.in_person_days, 'day')} in person"
        if delivery.in_person_days > 0
        else "Teaching in person"
    )
    where = f" at {_join(delivery.venues)}" if delivery.venues else ""
    stays = ", with overnight stays" if _residential(delivery) else ""
    return f"{days[0].upper()}{days[1:]}{where}{stays}."


def _residential(delivery: Delivery) -> bool:
    return delivery.residential or delivery.format == "residential"


def _reduced_hours(profile: Profile) -> bool:
    return profile.contract in ("part-time", "job-share") or (
        profile.hours_per_week is not None and profile.hours_per_week < FULL_TIME_HOURS
    )


def _you_pay(profile: Profile, delivery: Delivery) -> str | None:
    """'all' or 'part' when you would pay fees yourself; None when you would not, or we don't know."""
    if delivery.fee_payer == "programme" or profile.employer_funding in (None, "unknown", "full"):
        return None
    return "all" if profile.employer_funding == "none" else "part"


def _funding_circumstance(profile: Profile, delivery: Delivery) -> str:
    if profile.employer_funding == "none":
        lead = "You told us your employer would not pay"
    else:
        lead = "You told us your employer would pay only part of the cost"
    if delivery.fee_payer == "employer":
        lead += ", but this programme expects the employer to pay"
    return lead


def _cost_severity(amount: float, share: str, delivery: Delivery) -> Severity:
    severity: Severity = (
        "high" if amount >= COST_HIGH_GBP else "medium" if amount >= COST_MEDIUM_GBP else "low"
    )
    if share == "part":
        severity = _soften(severity)
    if delivery.bursaries:
        severity = _soften(severity)
    return severity


def _cost_mitigations(profile: Profile, delivery: Delivery, *, course: bool) -> tuple[str, ...]:
    found: list[str] = []
    if delivery.bursaries:
        found.append("This programme offers bursaries: ask how to apply and when.")
    if course and profile.sector == "social-care":
        found.append(
            "In adult social care, ask whether the Learning and Development Support Scheme (LDSS) "
            "can reimburse part of the cost."
        )
    return tuple(found)


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


_MEMBERSHIP_FILLER = {"a", "an", "the", "or", "and", "of", "e", "g", "eg", "body", "member", "international"}


def _holds_membership(required: str, memberships: Iterable[str]) -> bool:
    """Matched by name: a listed membership that appears as whole words in the requirement counts."""
    wanted = f" {_normalise(required)} "
    for membership in memberships:
        name = _normalise(membership)
        if not name or name in _MEMBERSHIP_FILLER:
            continue
        if f" {name} " in wanted or f" {_normalise(required)} " in f" {name} ":
            return True
    return False


def _venue_nations(venue: str) -> set[str]:
    return {VENUE_NATIONS[word] for word in _normalise(venue).split() if word in VENUE_NATIONS}


def _informal_routes(profile: Profile) -> list[str]:
    return [route for route in profile.learning_routes or () if route in INFORMAL_ROUTES]


# --- Time commitment -------------------------------------------------------------------------


@_rule(
    id="study-time",
    category="time-commitment",
    title="Study time needed is more than the time you have",
    rationale=(
        "Programmes that expect more study time than people can find lose part-time workers, carers "
        "and people with heavy clinical rotas first, however capable they are."
    ),
    reads=(
        "delivery.study_hours_per_week",
        "delivery.in_person_days",
        "delivery.duration_months",
        "delivery.part_time_pathway",
        "delivery.remote_attendance_option",
    ),
    profile_fields=("study_hours_per_week_available", "contract"),
    mitigations=("Agree protected study time or study leave with your manager before you apply.",),
)
def _study_time(profile: Profile, framework: Framework) -> _Finding | None:
    available = profile.study_hours_per_week_available
    delivery = framework.delivery
    load = weekly_load(delivery)
    if available is None or load <= available:
        return None
    ratio = math.inf if available == 0 else load / available
    severity: Severity = (
        "high" if ratio >= STUDY_SHORTFALL_HIGH else "medium" if ratio >= STUDY_SHORTFALL_MEDIUM else "low"
    )
    if delivery.part_time_pathway:
        severity = _soften(severity)
    have = (
        "You told us you have no time for study in a normal week"
        if available == 0
        else f"You have about {_count(available, 'hour')} a week for study, "
        f"{_num(load - available)} fewer than the programme expects"
    )
    return _Finding(
        severity,
        _load_requirement(delivery),
        f"{have}.",
        _time_mitigations(profile, delivery),
    )


@_rule(
    id="time-vs-contracted-hours",
    category="time-commitment",
    title="Study load is a large share of your contracted hours",
    rationale=(
        "When you have not told us how much study time you have, we compare the load with your "
        "contracted hours. A load that is a quarter or more of a part-time week is hard to fit around "
        "work, and it falls hardest on the people who chose fewer hours because of care or health."
    ),
    reads=(
        "delivery.study_hours_per_week",
        "delivery.in_person_days",
        "delivery.duration_months",
        "delivery.part_time_pathway",
        "delivery.remote_attendance_option",
    ),
    profile_fields=("contract", "hours_per_week", "study_hours_per_week_available"),
    mitigations=("Agree protected study time with your manager, in hours, before you apply.",),
)
def _time_vs_contracted_hours(profile: Profile, framework: Framework) -> _Finding | None:
    hours = profile.hours_per_week
    # The study-time rule decides when the person has told us their study time.
    if profile.study_hours_per_week_available is not None or hours is None:
        return None
    if profile.contract not in REDUCED_HOURS_CONTRACTS and hours >= FULL_TIME_HOURS:
        return None
    delivery = framework.delivery
    load = weekly_load(delivery)
    share = load / hours
    if share <= CONTRACTED_SHARE_MEDIUM:
        return None
    severity: Severity = "high" if share > CONTRACTED_SHARE_HIGH else "medium"
    if delivery.part_time_pathway:
        severity = _soften(severity)
    pattern = f" ({CONTRACT_NAMES[profile.contract]})" if profile.contract in REDUCED_HOURS_CONTRACTS else ""
    return _Finding(
        severity,
        _load_requirement(delivery),
        f"You work {_count(hours, 'hour')} a week{pattern}; the programme's load is about "
        f"{_percent(share)} of your contracted hours.",
        _time_mitigations(profile, delivery),
    )


@_rule(
    id="study-leave-days",
    category="time-commitment",
    title="In-person days are more than your study leave",
    rationale=(
        "In-person days come out of study leave or annual leave. Where study leave is short, people "
        "use holiday or unpaid days, which those with caring or money pressures cannot do."
    ),
    reads=(
        "delivery.format",
        "delivery.in_person_days",
        "delivery.residential",
        "delivery.duration_months",
        "delivery.remote_attendance_option",
        "eligibility.sponsor_required",
    ),
    profile_fields=("study_leave_days_per_year",),
    mitigations=("Ask your employer for extra study leave for the programme's fixed days before you apply.",),
)
def _study_leave_days(profile: Profile, framework: Framework) -> _Finding | None:
    leave = profile.study_leave_days_per_year
    delivery = framework.delivery
    if leave is None or not _attendance_required(delivery) or delivery.in_person_days <= 0:
        return None
    years = max(1.0, delivery.duration_months / 12)
    per_year = delivery.in_person_days / years
    if per_year <= leave:
        return None
    severity: Severity = "low" if per_year - leave <= 1 else "medium"
    specific: list[str] = []
    if framework.eligibility.sponsor_required:
        specific.append(
            "Your executive sponsor is expected to release you for these days: raise it with them."
        )
    if delivery.remote_attendance_option:
        specific.append("Joining remotely saves travel, but you still need the time away from work.")
    return _Finding(
        severity,
        f"About {_count(per_year, 'day')} a year of in-person teaching.",
        f"You get {_count(leave, 'day')} of study leave a year.",
        tuple(specific),
    )


# --- Attendance ------------------------------------------------------------------------------


@_rule(
    id="in-person-attendance",
    category="attendance",
    title="In-person attendance you cannot make",
    rationale=(
        "Compulsory in-person days shut out people who cannot travel or attend without support. "
        "Education providers have an anticipatory duty under the Equality Act 2010 to plan "
        "adjustments in advance."
    ),
    reads=(
        "delivery.format",
        "delivery.in_person_days",
        "delivery.residential",
        "delivery.venues",
        "delivery.reasonable_adjustments",
        "delivery.remote_attendance_option",
    ),
    profile_fields=("can_attend_in_person",),
    mitigations=("Ask the provider before you apply what happens if you miss an in-person day.",),
)
def _in_person_attendance(profile: Profile, framework: Framework) -> _Finding | None:
    delivery = framework.delivery
    answer = profile.can_attend_in_person
    if answer in (None, "yes") or not _attendance_required(delivery):
        return None
    severity: Severity = "high" if answer == "no" else "medium"
    specific: list[str] = []
    if delivery.remote_attendance_option:
        severity = _soften(severity, 2)
        specific.append("In-person sessions can be joined remotely: ask for that when you apply.")
    if delivery.reasonable_adjustments:
        severity = _soften(severity)
        specific.append("The provider offers reasonable adjustments to attendance: ask what they are.")
    else:
        specific.append(
            "The provider publishes no adjustments, but the Equality Act 2010 still requires reasonable "
            "adjustments, free of charge: ask in writing."
        )
    circumstance = (
        "You told us you cannot attend teaching in person."
        if answer == "no"
        else "You told us you can attend in person only with support."
    )
    return _Finding(severity, _attendance_requirement(delivery), circumstance, tuple(specific))


@_rule(
    id="residential-stays",
    category="attendance",
    title="Overnight stays and caring responsibilities",
    rationale=(
        "Residential blocks mean nights away from home. Carers often cannot arrange or afford "
        "overnight cover, so residentials exclude them unless there is another way to take part."
    ),
    reads=(
        "delivery.format",
        "delivery.residential",
        "delivery.in_person_days",
        "delivery.venues",
        "delivery.reasonable_adjustments",
        "delivery.remote_attendance_option",
    ),
    profile_fields=("caring_responsibilities",),
    mitigations=(
        "Ask whether you can attend the daytime sessions without staying overnight.",
        "Ask whether the provider or your employer pays for replacement care while you are away.",
    ),
)
def _residential_stays(profile: Profile, framework: Framework) -> _Finding | None:
    delivery = framework.delivery
    if not profile.caring_responsibilities or not _residential(delivery):
        return None
    severity: Severity = "high"
    specific: list[str] = []
    if delivery.remote_attendance_option:
        severity = _soften(severity, 2)
        specific.append("The residential sessions can be joined remotely: ask for that.")
    elif delivery.reasonable_adjustments:
        severity = _soften(severity)
        specific.append("The provider offers adjustments: ask about attending without staying overnight.")
    return _Finding(
        severity,
        _attendance_requirement(delivery),
        "You told us you have caring responsibilities.",
        tuple(specific),
    )


@_rule(
    id="fixed-dates-vs-rota",
    category="attendance",
    title="Fixed in-person dates and a rota or on-call work",
    rationale=(
        "Fixed dates clash with rotas and on-call duties that are set weeks ahead; bank and locum "
        "staff also lose pay for every shift they give up."
    ),
    reads=(
        "delivery.format",
        "delivery.in_person_days",
        "delivery.residential",
        "delivery.venues",
        "delivery.remote_attendance_option",
    ),
    profile_fields=("on_call", "contract"),
    mitigations=(
        "Ask for all the in-person dates before you apply and give them to your rota co-ordinator early.",
    ),
)
def _fixed_dates_vs_rota(profile: Profile, framework: Framework) -> _Finding | None:
    delivery = framework.delivery
    if not _attendance_required(delivery):
        return None
    reasons: list[str] = []
    if profile.on_call:
        reasons.append("you have on-call or rota commitments")
    if profile.contract in ("shift-work", "bank-or-locum"):
        reasons.append(f"you work {CONTRACT_NAMES[profile.contract]}")
    if not reasons:
        return None
    severity: Severity = "medium"
    specific: list[str] = []
    if delivery.remote_attendance_option:
        severity = _soften(severity)
        specific.append("Sessions can be joined remotely, which makes swapping a shift easier.")
    if profile.contract == "bank-or-locum":
        specific.append("Ask whether the provider or your employer covers lost shifts.")
    text = _join(reasons)
    return _Finding(
        severity,
        _attendance_requirement(delivery),
        f"You told us {text}.",
        tuple(specific),
    )


# --- Travel ----------------------------------------------------------------------------------


@_rule(
    id="venue-travel",
    category="travel",
    title="Named venues far from you",
    rationale=(
        "In-person days at a few named cities favour people who live near them. We do not know "
        "distances, so this rule is modelled: it fires when your longest journey is under two hours, "
        "or when every venue is in another nation."
    ),
    reads=(
        "delivery.format",
        "delivery.in_person_days",
        "delivery.residential",
        "delivery.venues",
        "delivery.remote_attendance_option",
        "delivery.reasonable_adjustments",
    ),
    profile_fields=("max_travel_hours", "nation"),
    mitigations=(
        "Ask whether travel and accommodation are paid, and book early.",
        "Ask whether you can attend the venue nearest to you for every session.",
    ),
)
def _venue_travel(profile: Profile, framework: Framework) -> _Finding | None:
    delivery = framework.delivery
    if not _attendance_required(delivery) or not delivery.venues:
        return None
    reasons: list[str] = []
    travel = profile.max_travel_hours
    if travel is not None and travel < TRAVEL_HOURS_THRESHOLD:
        reasons.append(f"You can travel at most {_count(travel, 'hour')} each way.")
    if profile.nation is not None:
        per_venue = [_venue_nations(venue) for venue in delivery.venues]
        known = all(per_venue)
        if known and not any(profile.nation in nations for nations in per_venue):
            elsewhere = sorted({NATION_NAMES[n] for nations in per_venue for n in nations})
            reasons.append(f"You work {_in_nation(profile.nation)}; every venue is in {_join(elsewhere)}.")
    if not reasons:
        return None
    severity: Severity = "high" if len(reasons) == 2 else "medium"
    specific: list[str] = []
    if delivery.remote_attendance_option:
        severity = _soften(severity)
        specific.append("In-person sessions can be joined remotely: ask for that.")
    if delivery.reasonable_adjustments:
        specific.append("The provider offers adjustments: ask about help with travel or overnight costs.")
    return _Finding(severity, _attendance_requirement(delivery), " ".join(reasons), tuple(specific))


# --- Cost ------------------------------------------------------------------------------------


def _recurring_costs(profile: Profile, framework: Framework) -> tuple[float, bool]:
    """Annual fees and whether a membership you don't hold is needed: what makes costs stack."""
    needs_membership = bool(
        framework.eligibility.membership_required
        and profile.memberships is not None
        and not _holds_membership(framework.eligibility.membership_required, profile.memberships)
    )
    return framework.delivery.annual_fee_gbp, needs_membership


@_rule(
    id="cost-to-self",
    category="cost",
    title="A fee you would pay yourself",
    rationale=(
        "Self-funded fees exclude people on lower pay and people whose employers have no training "
        "budget, such as small care providers and the self-employed."
    ),
    reads=(
        "delivery.fee_gbp",
        "delivery.annual_fee_gbp",
        "delivery.fee_payer",
        "delivery.fees_published",
        "delivery.bursaries",
        "eligibility.membership_required",
    ),
    profile_fields=("employer_funding", "memberships", "sector"),
    mitigations=(
        "Ask your employer about a training budget or a learning agreement before you apply.",
        "Ask the provider whether fees can be paid in instalments.",
    ),
)
def _cost_to_self(profile: Profile, framework: Framework) -> _Finding | None:
    delivery = framework.delivery
    share = _you_pay(profile, delivery)
    annual, needs_membership = _recurring_costs(profile, framework)
    # Costs that recur or stack are the cost-stacking rule's; this one is a single payment.
    if share is None or delivery.fee_gbp <= 0 or annual > 0 or needs_membership:
        return None
    modelled = (
        "" if delivery.fees_published else " The provider does not publish it; this figure is modelled."
    )
    return _Finding(
        _cost_severity(delivery.fee_gbp, share, delivery),
        f"A fee of {_money(delivery.fee_gbp)}.{modelled}",
        f"{_funding_circumstance(profile, delivery)}, so you would pay "
        f"{'the' if share == 'all' else 'part of the'} {_money(delivery.fee_gbp)} yourself.",
        _cost_mitigations(profile, delivery, course=True),
    )


@_rule(
    id="cost-stacking",
    category="cost",
    title="Fees, subscriptions and memberships that add up",
    rationale=(
        "An application fee looks small until annual fees and a required membership are added. "
        "Stacked costs fall on the person year after year, and hit those without employer funding hardest."
    ),
    reads=(
        "delivery.fee_gbp",
        "delivery.annual_fee_gbp",
        "delivery.duration_months",
        "delivery.fee_payer",
        "delivery.fees_published",
        "delivery.bursaries",
        "eligibility.membership_required",
    ),
    profile_fields=("employer_funding", "memberships"),
    mitigations=(
        "Ask your employer whether it pays professional subscriptions; some NHS employers do.",
        "Check whether professional subscriptions qualify for tax relief (HMRC's approved list).",
    ),
)
def _cost_stacking(profile: Profile, framework: Framework) -> _Finding | None:
    delivery = framework.delivery
    share = _you_pay(profile, delivery)
    annual, needs_membership = _recurring_costs(profile, framework)
    if share is None or (annual <= 0 and not needs_membership):
        return None
    # Annual fees run for as long as you keep the credential: count the programme's years or
    # ONGOING_YEARS, whichever is longer.
    years = max(math.ceil(delivery.duration_months / 12), ONGOING_YEARS)
    total = delivery.fee_gbp + annual * years
    parts = []
    if delivery.fee_gbp > 0:
        parts.append(f"a fee of {_money(delivery.fee_gbp)}")
    if annual > 0:
        parts.append(f"{_money(annual)} a year ({_money(total)} over {_count(years, 'year')})")
    body = _body(framework.eligibility.membership_required or "")
    if needs_membership:
        parts.append(f"membership of {body}")
    modelled = (
        "" if delivery.fees_published else " The provider does not publish its fees; these are modelled."
    )
    membership_note = ""
    if needs_membership:
        membership_note = f" You also told us you do not belong to {body}."
    listed = _join(parts)
    return _Finding(
        _cost_severity(total, share, delivery),
        f"{listed[0].upper()}{listed[1:]}.{modelled}",
        f"{_funding_circumstance(profile, delivery)}, so these costs would be "
        f"{'yours' if share == 'all' else 'partly yours'}.{membership_note}",
        _cost_mitigations(profile, delivery, course=False),
    )


@_rule(
    id="unpublished-fees",
    category="cost",
    title="Fees the provider does not publish",
    rationale=(
        "When fees are not published, people cannot plan or ask an employer for funding, and those "
        "who cannot risk an unknown cost do not apply. This flag depends only on the programme, so "
        "it is shown to everyone who might pay, at low severity."
    ),
    reads=("delivery.fees_published", "delivery.fee_payer", "delivery.fee_gbp", "delivery.annual_fee_gbp"),
    profile_fields=(),
    mitigations=(
        "Ask the provider for the full cost in writing: application, exam, annual and renewal fees.",
        "Ask your employer to agree funding before you commit.",
    ),
)
def _unpublished_fees(profile: Profile, framework: Framework) -> _Finding | None:
    delivery = framework.delivery
    if delivery.fees_published or delivery.fee_payer == "programme":
        return None
    figures = [f"a fee of {_money(delivery.fee_gbp)}"] if delivery.fee_gbp > 0 else []
    if delivery.annual_fee_gbp > 0:
        figures.append(f"{_money(delivery.annual_fee_gbp)} a year")
    model = f" Our model uses {_join(figures)}." if figures else ""
    return _Finding(
        "low",
        f"Fees that the provider does not publish.{model}",
        "You cannot yet tell what you would pay, so you cannot plan or ask for funding.",
    )


@_rule(
    id="cpd-approved-providers",
    category="cost",
    title="CPD that must be bought from approved providers",
    rationale=(
        "When renewal CPD must come from paid, approved providers, free learning at work, in "
        "communities or online does not count, so keeping the credential costs money every year."
    ),
    reads=("delivery.cpd_hours_per_year", "delivery.cpd_approved_provider_share"),
    profile_fields=("employer_funding",),
    mitigations=(
        "Ask the provider for free or low-cost approved CPD, and about hardship waivers or extensions.",
        "Keep a record of all your learning; some bodies accept a share from any source.",
    ),
)
def _cpd_approved_providers(profile: Profile, framework: Framework) -> _Finding | None:
    delivery = framework.delivery
    paid_hours = delivery.cpd_hours_per_year * delivery.cpd_approved_provider_share
    if paid_hours <= 0 or profile.employer_funding not in ("none", "partial"):
        return None
    severity: Severity = "medium" if paid_hours >= PAID_CPD_MEDIUM_HOURS else "low"
    if profile.employer_funding == "partial":
        severity = _soften(severity)
    employer = "would not pay" if profile.employer_funding == "none" else "would pay only part of the cost"
    return _Finding(
        severity,
        f"About {_count(paid_hours, 'hour')} a year of the {_num(delivery.cpd_hours_per_year)} CPD hours "
        "must come from paid, approved providers.",
        f"You told us your employer {employer}, so you would buy this CPD yourself.",
    )


# --- Eligibility -----------------------------------------------------------------------------


@_rule(
    id="sector",
    category="eligibility-sector",
    title="Open only to some sectors",
    rationale=(
        "Restricting places to NHS employers shuts out social care, local government, voluntary and "
        "independent providers and start-ups, even where they do the same digital work."
    ),
    reads=("eligibility.sectors",),
    profile_fields=("sector",),
    mitigations=("Look for programmes open to your sector; CertReady's comparison lists them.",),
)
def _sector(profile: Profile, framework: Framework) -> _Finding | None:
    sectors = framework.eligibility.sectors
    if not sectors:
        return None
    requirement = f"Open to people working in {_join([SECTOR_NAMES[s] for s in sectors], 'or')}."
    if profile.sector is None:
        return _undetermined(requirement, "which sector you work in", "your sector")
    if profile.sector in sectors:
        return None
    specific: list[str] = []
    if profile.sector in ("social-care", "local-authority", "voluntary-sector", "independent-sector"):
        specific.append(
            "If your organisation delivers NHS-commissioned services, ask whether that makes you "
            "eligible: earlier cohorts of some programmes admitted such staff."
        )
    if profile.sector == "social-care":
        specific.append("Look at the Level 5 Award in Understanding Digital Leadership in Adult Social Care.")
    return _Finding(
        "high",
        requirement,
        f"You told us you work in {WORKPLACE_NAMES[profile.sector]}.",
        tuple(specific),
    )


@_rule(
    id="nation",
    category="jurisdiction",
    title="Open only in some nations",
    rationale=(
        "Programmes funded by one nation's health service are often closed to people working in the "
        "others, so where you work, not what you can do, decides whether you can take part."
    ),
    reads=("eligibility.nations",),
    profile_fields=("nation",),
    mitigations=(
        "Ask whether a few sponsored places are open UK-wide.",
        "Look for the equivalent programme in your own nation.",
    ),
)
def _nation(profile: Profile, framework: Framework) -> _Finding | None:
    nations = framework.eligibility.nations
    if not nations:
        return None
    requirement = f"Open to people working {_join([_in_nation(n) for n in nations], 'or')}."
    if profile.nation is None:
        return _undetermined(requirement, "where you work", "the nation you work in")
    if profile.nation in nations:
        return None
    return _Finding("high", requirement, f"You told us you work {_in_nation(profile.nation)}.")


@_rule(
    id="us-content",
    category="jurisdiction",
    title="Content built around US law and practice",
    rationale=(
        "An exam set on US law, regulation and health-system practice makes UK candidates learn "
        "material they will not use, and often costs more outside the US."
    ),
    reads=("delivery.content_jurisdiction",),
    profile_fields=("nation",),
    mitigations=(
        "Ask for the exam outline and a UK candidate's view of how much US-specific material it has.",
        "Compare with UK-based credentials that cover the same capabilities.",
    ),
)
def _us_content(profile: Profile, framework: Framework) -> _Finding | None:
    if framework.delivery.content_jurisdiction != "us" or profile.nation not in UK_NATIONS:
        return None
    return _Finding(
        "medium",
        "The content and exam are built around US law, regulation and health-system practice.",
        f"You told us you work in {NATION_NAMES[profile.nation]}.",
    )


@_rule(
    id="staff-group",
    category="eligibility-staff-group",
    title="Open only to one staff group",
    rationale=(
        "Places reserved for clinical (or non-clinical) staff exclude people doing the same digital "
        "leadership work from the other group. Your staff group is always answered, so this rule is "
        "never undetermined."
    ),
    reads=("eligibility.staff_groups",),
    profile_fields=("staff_group",),
    mitigations=(
        "Ask whether there are sponsored or associate places for your staff group.",
        "Look for an equivalent programme open to both staff groups.",
    ),
)
def _staff_group(profile: Profile, framework: Framework) -> _Finding | None:
    groups = framework.eligibility.staff_groups
    if not groups or profile.staff_group in groups:
        return None
    return _Finding(
        "high",
        f"Open to {_join([f'{g} staff' for g in groups], 'or')} only.",
        f"You told us you are {profile.staff_group} staff.",
    )


@_rule(
    id="professional-registration",
    category="eligibility-registration",
    title="Registration with a statutory regulator",
    rationale=(
        "Requiring statutory registration (GMC, NMC, HCPC and others) shuts out non-clinical staff and "
        "clinical staff in unregulated roles, whatever their informatics experience."
    ),
    reads=("eligibility.professional_registration_required",),
    profile_fields=("professional_registration", "staff_group"),
    mitigations=(
        "Ask whether an associate grade or another route admits people without statutory registration.",
    ),
)
def _professional_registration(profile: Profile, framework: Framework) -> _Finding | None:
    if not framework.eligibility.professional_registration_required:
        return None
    requirement = "Registration with a statutory regulator (for example the GMC, NMC or HCPC)."
    if profile.professional_registration is None:
        return _undetermined(
            requirement,
            "whether you are professionally registered",
            "whether you hold a statutory registration",
        )
    if profile.professional_registration:
        return None
    specific: tuple[str, ...] = ()
    if profile.staff_group == "non-clinical":
        specific = ("As non-clinical staff, look for registers built for informatics, such as FEDIP.",)
    return _Finding(
        "high",
        requirement,
        "You told us you are not registered with a statutory regulator.",
        specific,
    )


@_rule(
    id="minimum-qualification",
    category="eligibility-qualification",
    title="A minimum qualification",
    rationale=(
        "Degree requirements exclude capable people who learned through work, apprenticeships, "
        "start-ups or communities. A published alternative route or recognition of prior learning "
        "lowers the risk."
    ),
    reads=(
        "eligibility.min_qualification",
        "eligibility.qualification_alternative_route",
        "eligibility.recognises_prior_learning",
    ),
    profile_fields=("highest_qualification", "learning_routes"),
    mitigations=("Build a portfolio of what you have led or built, with dates, outcomes and references.",),
)
def _minimum_qualification(profile: Profile, framework: Framework) -> _Finding | None:
    eligibility = framework.eligibility
    required = eligibility.min_qualification
    if required == "none":
        return None
    requirement = f"At least {QUALIFICATION_NAMES[required]}, or equivalent."
    held = profile.highest_qualification
    if held is None:
        return _undetermined(requirement, "your highest qualification", "your highest qualification")
    if QUALIFICATION_ORDER.index(held) >= QUALIFICATION_ORDER.index(required):
        return None
    severity: Severity = "high"
    specific: list[str] = []
    if eligibility.qualification_alternative_route:
        severity = _soften(severity)
        specific.append(
            "The programme has a route for people without the usual qualification: ask about it "
            "before you apply."
        )
    if eligibility.recognises_prior_learning:
        severity = _soften(severity)
        specific.append(
            "The programme recognises prior learning: ask about recognition of prior experiential "
            "learning (APEL) for what you learned at work and elsewhere."
        )
    circumstance = f"Your highest qualification is {QUALIFICATION_NAMES[held]}."
    informal = _informal_routes(profile)
    if informal:
        circumstance += (
            f" You also learned through {_join([ROUTE_NAMES[r] for r in informal])}, which does not "
            "show up as a qualification but can be evidenced."
        )
    return _Finding(severity, requirement, circumstance, tuple(specific))


def _experience(profile: Profile, framework: Framework, kind: str) -> _Finding | None:
    """Years in digital change or in leadership, pro-rated for part-time work when the programme does so."""
    eligibility = framework.eligibility
    digital = kind == "digital"
    needed = eligibility.min_years_digital if digital else eligibility.min_years_leadership
    if needed <= 0:
        return None
    years = profile.years_in_digital if digital else profile.years_in_leadership
    what = "digital change" if digital else "leadership roles"
    requirement = f"At least {_count(needed, 'year')} in {what}"
    requirement += ", with part-time years counted pro rata." if eligibility.experience_pro_rated else "."
    if years is None:
        return _undetermined(
            requirement, f"how many years you have worked in {what}", f"your years in {what}"
        )
    counted = years
    notes: list[str] = []
    fte = profile.fte
    if eligibility.experience_pro_rated and fte is not None and fte < 1:
        counted = years * fte
        notes.append(
            f"At {_count(profile.hours_per_week or 0, 'hour')} a week the programme would count them "
            f"as about {_count(counted, 'year')}."
        )
    elif eligibility.experience_pro_rated and fte is None and profile.contract in REDUCED_HOURS_CONTRACTS:
        if years >= needed:
            return _undetermined(
                requirement,
                "your weekly hours, which the programme uses to pro-rate part-time years",
                "your contracted hours a week",
            )
        notes.append("The programme would count part-time years pro rata, possibly as fewer.")
    elif not eligibility.experience_pro_rated and _reduced_hours(profile):
        notes.append("The programme does not pro-rate, so your part-time years may count in full.")
    if counted >= needed:
        return None
    shortfall = needed - counted
    if shortfall <= EXPERIENCE_NEAR_MISS_YEARS:
        severity: Severity = "low"
    elif shortfall / needed > EXPERIENCE_HIGH_SHORTFALL:
        severity = "high"
    else:
        severity = "medium"
    specific: list[str] = []
    if eligibility.recognises_prior_learning:
        specific.append(
            "The programme recognises prior learning: describe experience from unpaid, voluntary, "
            "start-up or community work as well as paid roles."
        )
    return _Finding(
        severity,
        requirement,
        " ".join([f"You told us you have {_count(years, 'year')} in {what}.", *notes]),
        tuple(specific),
    )


@_rule(
    id="years-in-digital",
    category="eligibility-experience",
    title="Years of experience in digital change",
    rationale=(
        "Years-of-experience rules shut out people whose experience is recent, part-time or gained "
        "outside paid roles. Pro-rating part-time years, as AMIA does, is fairer than a flat count, "
        "but it can also mean part-time staff need more calendar years."
    ),
    reads=(
        "eligibility.min_years_digital",
        "eligibility.experience_pro_rated",
        "eligibility.recognises_prior_learning",
    ),
    profile_fields=("years_in_digital", "hours_per_week", "contract"),
    mitigations=(
        "Ask whether 'usually' in the requirement leaves room for strong applicants with fewer years.",
    ),
)
def _years_in_digital(profile: Profile, framework: Framework) -> _Finding | None:
    return _experience(profile, framework, "digital")


@_rule(
    id="years-in-leadership",
    category="eligibility-experience",
    title="Years of experience in leadership",
    rationale=(
        "Counting years in leadership roles favours people who were given titles early, and misses "
        "leadership shown in projects, networks, communities and start-ups."
    ),
    reads=(
        "eligibility.min_years_leadership",
        "eligibility.experience_pro_rated",
        "eligibility.recognises_prior_learning",
    ),
    profile_fields=("years_in_leadership", "hours_per_week", "contract"),
    mitigations=(
        "Count leadership you have shown without the title: projects, networks, volunteering, start-ups.",
    ),
)
def _years_in_leadership(profile: Profile, framework: Framework) -> _Finding | None:
    return _experience(profile, framework, "leadership")


@_rule(
    id="experience-by-job-title",
    category="eligibility-experience",
    title="Experience defined by job title",
    rationale=(
        "Defining experience by title ('CIO or equivalent') rather than by what people did excludes "
        "deputies, specialists, the self-employed and people from start-ups and communities, whose "
        "titles do not match."
    ),
    reads=("eligibility.experience_defined_by_job_title", "eligibility.recognises_prior_learning"),
    profile_fields=("role_level", "contract", "learning_routes"),
    mitigations=(
        "In your application, describe what you did (decisions, budgets, teams, outcomes), "
        "not only your title.",
        "Ask the provider what counts as 'equivalent' before you apply.",
    ),
)
def _experience_by_job_title(profile: Profile, framework: Framework) -> _Finding | None:
    eligibility = framework.eligibility
    if not eligibility.experience_defined_by_job_title:
        return None
    requirement = (
        "Experience counted by job title (for example 'CIO or equivalent') rather than by activities."
    )
    reasons: list[str] = []
    if profile.contract == "self-employed":
        reasons.append("You are self-employed, so your work may not come with the titles it names.")
    if profile.role_level in ("aspiring", "middle-manager"):
        reasons.append(
            f"You told us you are {ROLE_LEVEL_NAMES[profile.role_level]}, so you may be doing the work "
            "without the title."
        )
    outside = [r for r in profile.learning_routes or () if r in ("start-up", "hackathon", "online-community")]
    if outside:
        reasons.append(
            f"Some of your experience comes from {_join([ROUTE_NAMES[r] for r in outside])}, "
            "where job titles rarely match."
        )
    if not reasons:
        if profile.role_level is None:
            return _undetermined(requirement, "your role level", "your current role level")
        return None
    specific: tuple[str, ...] = ()
    if eligibility.recognises_prior_learning:
        specific = ("The programme recognises prior learning: ask whether it assesses what you did instead.",)
    return _Finding("medium", requirement, " ".join(reasons), specific)


@_rule(
    id="minimum-role-level",
    category="eligibility-experience",
    title="A minimum role level",
    rationale=(
        "A minimum grade or role level excludes people who already do senior work without the grade, "
        "often those in smaller organisations, part-time roles or under-promoted groups."
    ),
    reads=("eligibility.min_role_level",),
    profile_fields=("role_level",),
    mitigations=(
        "Ask whether acting, deputy or portfolio roles at that level count.",
        "Look at programmes for aspiring and deputy leaders first; CertReady's comparison lists them.",
    ),
)
def _minimum_role_level(profile: Profile, framework: Framework) -> _Finding | None:
    required = framework.eligibility.min_role_level
    if required == "aspiring":
        return None
    requirement = f"You must be at least {ROLE_LEVEL_NAMES[required]}."
    if profile.role_level is None:
        return _undetermined(requirement, "your role level", "your current role level")
    gap = ROLE_LEVEL_ORDER.index(required) - ROLE_LEVEL_ORDER.index(profile.role_level)
    if gap <= 0:
        return None
    return _Finding(
        "high" if gap >= 2 else "medium",
        requirement,
        f"You told us you are {ROLE_LEVEL_NAMES[profile.role_level]}.",
    )


@_rule(
    id="membership",
    category="eligibility-membership",
    title="Membership of a professional body",
    rationale=(
        "Making membership a condition adds a fee and sometimes a second set of entry criteria, and "
        "favours people already in the right networks."
    ),
    reads=("eligibility.membership_required",),
    profile_fields=("memberships",),
    mitigations=(
        "Check the body's own entry criteria and fee, and whether your employer pays it.",
        "Ask whether a reduced or associate membership is enough.",
    ),
)
def _membership(profile: Profile, framework: Framework) -> _Finding | None:
    required = framework.eligibility.membership_required
    if not required:
        return None
    requirement = f"Membership of {_body(required)}."
    if profile.memberships is None:
        return _undetermined(requirement, "which professional bodies you belong to", "your memberships")
    if _holds_membership(required, profile.memberships):
        return None
    circumstance = (
        f"You told us you belong to {_join(profile.memberships)}, which is not {_body(required)}."
        if profile.memberships
        else "You told us you do not belong to a professional body."
    )
    return _Finding("medium", requirement, circumstance)


# --- Sponsorship -----------------------------------------------------------------------------


def _employer_backing(profile: Profile, requirement: str, need: str) -> _Finding | None:
    if profile.contract == "self-employed" and profile.employer_support != "yes":
        return _Finding(
            "high",
            requirement,
            f"You are self-employed, so there is no employer to {need}.",
            ("Ask whether a client, a professional body or a mentor can act for you.",),
        )
    if profile.employer_support is None:
        return _undetermined(
            requirement,
            f"whether your employer would {need}",
            "whether your employer would support you (yes, no or unsure)",
        )
    if profile.employer_support == "no":
        return _Finding("high", requirement, f"You told us your employer would not {need}.")
    if profile.employer_support == "unsure":
        return _Finding(
            "medium",
            requirement,
            f"You are not sure whether your employer would {need}.",
            ("Ask your manager now: the answer decides whether you can apply.",),
        )
    return None


@_rule(
    id="executive-sponsor",
    category="sponsorship",
    title="An executive sponsor",
    rationale=(
        "Needing a senior sponsor makes access depend on your employer's goodwill, and excludes people "
        "with unsupportive managers, the self-employed and staff of small providers."
    ),
    reads=("eligibility.sponsor_required",),
    profile_fields=("employer_support", "contract"),
    mitigations=(
        "Ask a senior leader outside your line, such as a chief nurse, CCIO or director, to sponsor you.",
        "Ask the provider whether a sponsor from a partner organisation or network is accepted.",
    ),
)
def _executive_sponsor(profile: Profile, framework: Framework) -> _Finding | None:
    if not framework.eligibility.sponsor_required:
        return None
    return _employer_backing(
        profile,
        "A senior (usually executive) sponsor who commits to your learning time and project.",
        "sponsor you",
    )


@_rule(
    id="protected-time",
    category="sponsorship",
    title="Time your employer must protect",
    rationale=(
        "Protected-time conditions depend on the employer agreeing to release you; without it people "
        "study in their own time, which carers and part-time staff often cannot do."
    ),
    reads=("eligibility.protected_time_fte",),
    profile_fields=("employer_support", "contract", "hours_per_week"),
    mitigations=(f"If you work part time, ask for protected time pro rata: {PTWR}.",),
)
def _protected_time(profile: Profile, framework: Framework) -> _Finding | None:
    share = framework.eligibility.protected_time_fte
    if share <= 0:
        return None
    weekly = profile.hours_per_week
    if weekly:
        hours = f"about {_count(share * weekly, 'hour')} a week of your {_num(weekly)}"
    else:
        full = FULL_TIME_HOURS
        hours = f"about {_count(share * full, 'hour')} of a full-time {_num(full)}-hour week"
    requirement = (
        f"Your employer protects {_num(share * 100)}% of your working time for the programme ({hours})."
    )
    return _employer_backing(profile, requirement, "protect that time")


@_rule(
    id="raters",
    category="sponsorship",
    title="Raters or supporters you must find",
    rationale=(
        "360 feedback and supporters' statements assume a line manager, peers and direct reports. "
        "Self-employed people and staff who move between employers may not have them."
    ),
    reads=("delivery.raters_required",),
    profile_fields=("contract",),
    mitigations=("Ask whether clients, collaborators, community members or former colleagues can rate you.",),
)
def _raters(profile: Profile, framework: Framework) -> _Finding | None:
    needed = framework.delivery.raters_required
    if needed <= 0 or profile.contract not in ("self-employed", "bank-or-locum"):
        return None
    people = "1 person" if needed == 1 else f"{needed} people"
    requirement = f"{people} who must rate you or support your application."
    if profile.contract == "self-employed":
        return _Finding(
            "medium",
            requirement,
            "You are self-employed, so you may have no line manager, peers or direct reports to ask.",
        )
    return _Finding(
        "low",
        requirement,
        "You work bank or locum shifts, so you may not have a settled team to ask.",
    )


# --- Prior learning and accessibility -------------------------------------------------------


@_rule(
    id="informal-learning-not-recognised",
    category="prior-learning-recognition",
    title="Informal learning that will not be recognised",
    rationale=(
        "Without recognition of prior learning, what you learned by teaching yourself, in start-ups, "
        "hackathons or online communities does not count, however much it taught you."
    ),
    reads=("eligibility.recognises_prior_learning",),
    profile_fields=("learning_routes",),
    mitigations=(
        "Ask the provider whether it would consider a portfolio of evidence instead.",
        "Keep a portfolio of what you built or led: dates, outcomes and people who can vouch for it.",
    ),
)
def _informal_learning_not_recognised(profile: Profile, framework: Framework) -> _Finding | None:
    routes = profile.learning_routes
    if framework.eligibility.recognises_prior_learning or not routes:
        return None
    informal = _informal_routes(profile)
    if len(informal) / len(routes) <= INFORMAL_SHARE_THRESHOLD:
        return None
    return _Finding(
        "medium",
        "No recognition of prior learning is published: only formal qualifications and paid roles count.",
        f"You learned mostly through {_join([ROUTE_NAMES[r] for r in informal])}.",
    )


@_rule(
    id="reasonable-adjustments",
    category="accessibility",
    title="No published reasonable adjustments",
    rationale=(
        "When a provider publishes nothing about adjustments, disabled people and others who need them "
        "must negotiate alone, and many do not apply. The Equality Act 2010 still requires adjustments."
    ),
    reads=("delivery.reasonable_adjustments",),
    profile_fields=("needs_adjustments",),
    mitigations=(
        "Ask the provider in writing what adjustments it makes; under the Equality Act 2010 they must be "
        "reasonable and free of charge.",
        "Ask for materials in the format you need and extra time well before any deadline or exam.",
    ),
)
def _reasonable_adjustments(profile: Profile, framework: Framework) -> _Finding | None:
    if not profile.needs_adjustments or framework.delivery.reasonable_adjustments:
        return None
    return _Finding(
        "medium",
        "The provider publishes no reasonable-adjustments offer.",
        "You told us you would need adjustments to take part.",
    )


@_rule(
    id="exam-centre-only",
    category="accessibility",
    title="Exams only at a test centre",
    rationale=(
        "Exams that can only be sat at a test centre exclude people who cannot travel or attend in "
        "person, unless the provider offers remote proctoring or adjustments."
    ),
    reads=("delivery.exam_centres_only", "delivery.reasonable_adjustments", "delivery.venues"),
    profile_fields=("can_attend_in_person", "needs_adjustments"),
    mitigations=(
        "Ask whether the exam can be taken online with a remote proctor.",
        "Ask for the nearest test centre and its accessibility before you book.",
    ),
)
def _exam_centre_only(profile: Profile, framework: Framework) -> _Finding | None:
    delivery = framework.delivery
    if not delivery.exam_centres_only:
        return None
    attend = profile.can_attend_in_person
    if attend == "no":
        severity: Severity = "high"
        circumstance = "You told us you cannot attend in person."
    elif attend == "with-support":
        severity = "medium"
        circumstance = "You told us you can attend in person only with support."
    elif profile.needs_adjustments:
        severity = "medium"
        circumstance = "You told us you would need adjustments to take part."
    else:
        return None
    specific: tuple[str, ...] = ()
    if delivery.reasonable_adjustments:
        severity = _soften(severity)
        specific = ("The provider offers reasonable adjustments: ask what it offers for the exam.",)
    where = f", at {_join(delivery.venues, 'or')}" if delivery.venues else " at a test centre"
    return _Finding(severity, f"The exam can only be taken in person{where}.", circumstance, specific)


# --- Public interface ------------------------------------------------------------------------

RULES: tuple[Rule, ...] = tuple(_CATALOGUE)
_BY_ID = {rule.id: rule for rule in RULES}
_RANK = {severity: index for index, severity in enumerate(SEVERITY_ORDER)}


def rule_by_id(rule_id: str) -> Rule:
    """The rule with this id; a clear KeyError naming the known ids otherwise."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"no exclusion-risk rule '{rule_id}'; known rules: {', '.join(_BY_ID)}") from None


def evaluate(profile: Profile, framework: Framework) -> tuple[Flag, ...]:
    """Every flag for this person and programme: high first, then medium, low and undetermined.

    Equality answers are removed before any rule sees the profile, so they cannot change a flag.
    Within a severity, flags keep the catalogue's order.
    """
    safe = profile.without_equality()
    flags = [flag for rule in RULES if (flag := rule.check(safe, framework)) is not None]
    return tuple(sorted(flags, key=lambda flag: _RANK[flag.severity]))
