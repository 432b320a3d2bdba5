"""Time commitment: study load against the time and leave a person has."""

from __future__ import annotations

import math

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.results import Severity
from assessments.risk_catalogue import (
    CONTRACTED_SHARE_HIGH,
    CONTRACTED_SHARE_MEDIUM,
    REDUCED_HOURS_CONTRACTS,
    STUDY_SHORTFALL_HIGH,
    STUDY_SHORTFALL_MEDIUM,
)
from assessments.risks.model import Finder, Finding, soften
from assessments.risks.shared import (
    attendance_required,
    load_requirement,
    reduced_hours,
    time_mitigations,
    weekly_load,
)
from assessments.risks.wording import (
    CONTRACT_NAMES,
    count,
    num,
    percent,
)


def _study_time(profile: Profile, framework: Framework) -> Finding | None:
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
        severity = soften(severity)
    have = (
        "You told us you have no time for study in a normal week"
        if available == 0
        else f"You have about {count(available, 'hour')} a week for study, "
        f"{num(load - available)} fewer than the programme expects"
    )
    return Finding(
        severity,
        load_requirement(delivery),
        f"{have}.",
        time_mitigations(profile, delivery),
    )


def _time_vs_contracted_hours(profile: Profile, framework: Framework) -> Finding | None:
    hours = profile.hours_per_week
    # The study-time rule decides when the person has told us their study time.
    if profile.study_hours_per_week_available is not None or hours is None:
        return None
    if not reduced_hours(profile):
        return None
    delivery = framework.delivery
    load = weekly_load(delivery)
    share = load / hours
    if share <= CONTRACTED_SHARE_MEDIUM:
        return None
    severity: Severity = "high" if share > CONTRACTED_SHARE_HIGH else "medium"
    if delivery.part_time_pathway:
        severity = soften(severity)
    pattern = f" ({CONTRACT_NAMES[profile.contract]})" if profile.contract in REDUCED_HOURS_CONTRACTS else ""
    return Finding(
        severity,
        load_requirement(delivery),
        f"You work {count(hours, 'hour')} a week{pattern}; the programme's load is about "
        f"{percent(share)} of your contracted hours.",
        time_mitigations(profile, delivery),
    )


def _study_leave_days(profile: Profile, framework: Framework) -> Finding | None:
    leave = profile.study_leave_days_per_year
    delivery = framework.delivery
    if leave is None or not attendance_required(delivery) or delivery.in_person_days <= 0:
        return None
    if framework.eligibility.sponsor_required and profile.employer_support == "yes":
        # A required sponsor commits to releasing you for the live sessions (the DHLP's sponsor page):
        # with your employer behind you, the days come out of work time, not your study leave.
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
    return Finding(
        severity,
        f"About {count(per_year, 'day')} a year of in-person teaching.",
        f"You get {count(leave, 'day')} of study leave a year.",
        tuple(specific),
    )


FINDERS: dict[str, Finder] = {
    "study-time": _study_time,
    "time-vs-contracted-hours": _time_vs_contracted_hours,
    "study-leave-days": _study_leave_days,
}
