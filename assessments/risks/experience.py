"""Eligibility by experience: years, job titles and role level."""

from __future__ import annotations

from assessments.framework import ROLE_LEVEL_ORDER, Framework
from assessments.profile import Profile
from assessments.results import Severity
from assessments.risk_catalogue import (
    EXPERIENCE_HIGH_SHORTFALL,
    EXPERIENCE_NEAR_MISS_YEARS,
)
from assessments.risks.model import Finder, Finding, undetermined
from assessments.risks.shared import (
    reduced_hours,
)
from assessments.risks.wording import (
    ROLE_LEVEL_NAMES,
    ROUTE_NAMES,
    count,
    join,
    num,
)


def _experience(profile: Profile, framework: Framework, kind: str) -> Finding | None:
    """Years in digital change or in leadership, pro-rated for part-time work when the programme does so."""
    eligibility = framework.eligibility
    digital = kind == "digital"
    needed = eligibility.min_years_digital if digital else eligibility.min_years_leadership
    if needed <= 0:
        return None
    years = profile.years_in_digital if digital else profile.years_in_leadership
    what = "digital change" if digital else "leadership roles"
    requirement = f"At least {count(needed, 'year')} in {what}"
    by_digital_time = (
        digital and eligibility.experience_pro_rated and eligibility.experience_pro_rated_by == "digital-time"
    )
    if by_digital_time:
        requirement += ", counted by the share of your working time spent on digital work."
    elif eligibility.experience_pro_rated:
        requirement += ", with part-time years counted pro rata."
    else:
        requirement += "."
    if years is None:
        return undetermined(requirement, f"how many years you have worked in {what}", f"your years in {what}")
    counted = years
    notes: list[str] = []
    fte = profile.fte
    if by_digital_time:
        return _digital_time(profile, framework, requirement, years)
    if eligibility.experience_pro_rated and fte is not None and fte < 1:
        counted = years * fte
        notes.append(
            f"At {count(profile.hours_per_week or 0, 'hour')} a week the programme would count them "
            f"as about {count(counted, 'year')}."
        )
    elif eligibility.experience_pro_rated and fte is None and reduced_hours(profile):
        if years >= needed:
            return undetermined(
                requirement,
                "your weekly hours, which the programme uses to pro-rate part-time years",
                "your contracted hours a week",
            )
        notes.append("The programme would count part-time years pro rata, possibly as fewer.")
    elif not eligibility.experience_pro_rated and reduced_hours(profile):
        notes.append("The programme does not pro-rate, so your part-time years may count in full.")
    return _short(
        framework,
        requirement,
        needed,
        counted,
        f"You told us you have {count(years, 'year')} in {what}.",
        notes,
    )


def _digital_time(profile: Profile, framework: Framework, requirement: str, years: float) -> Finding | None:
    """Years in digital work counted as full-time-equivalent digital years: hours × share of time."""
    needed = framework.eligibility.min_years_digital
    told = f"You told us you have {count(years, 'year')} in digital change."
    fte = profile.fte if profile.fte is not None else 1.0
    share = profile.digital_time_percent
    if share is None:
        if years * fte >= needed:
            return undetermined(
                requirement,
                "how much of your working time is digital work, which the programme uses to count your years",
                "the share of your working time spent on digital work",
            )
        return _short(framework, requirement, needed, years * fte, told, [])
    counted = years * fte * share / 100
    hours = f", at {count(profile.hours_per_week, 'hour')} a week" if profile.hours_per_week else ""
    note = (
        f"With {num(share)}% of your working time in digital work{hours}, the programme would count "
        f"them as about {count(counted, 'year')}."
    )
    return _short(framework, requirement, needed, counted, told, [note])


def _short(
    framework: Framework, requirement: str, needed: float, counted: float, told: str, notes: list[str]
) -> Finding | None:
    """The flag for counted years short of the years needed, by how far short."""
    eligibility = framework.eligibility
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
    return Finding(severity, requirement, " ".join([told, *notes]), tuple(specific))


def _years_in_digital(profile: Profile, framework: Framework) -> Finding | None:
    return _experience(profile, framework, "digital")


def _years_in_leadership(profile: Profile, framework: Framework) -> Finding | None:
    return _experience(profile, framework, "leadership")


def _experience_by_job_title(profile: Profile, framework: Framework) -> Finding | None:
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
            f"Some of your experience comes from {join([ROUTE_NAMES[r] for r in outside])}, "
            "where job titles rarely match."
        )
    if not reasons:
        if profile.role_level is None:
            return undetermined(requirement, "your role level", "your current role level")
        return None
    specific: tuple[str, ...] = ()
    if eligibility.recognises_prior_learning:
        specific = ("The programme recognises prior learning: ask whether it assesses what you did instead.",)
    return Finding("medium", requirement, " ".join(reasons), specific)


def _minimum_role_level(profile: Profile, framework: Framework) -> Finding | None:
    required = framework.eligibility.min_role_level
    if required == "aspiring":
        return None
    requirement = f"You must be at least {ROLE_LEVEL_NAMES[required]}."
    if profile.role_level is None:
        return undetermined(requirement, "your role level", "your current role level")
    gap = ROLE_LEVEL_ORDER.index(required) - ROLE_LEVEL_ORDER.index(profile.role_level)
    if gap <= 0:
        return None
    return Finding(
        "high" if gap >= 2 else "medium",
        requirement,
        f"You told us you are {ROLE_LEVEL_NAMES[profile.role_level]}.",
    )


FINDERS: dict[str, Finder] = {
    "years-in-digital": _years_in_digital,
    "years-in-leadership": _years_in_leadership,
    "experience-by-job-title": _experience_by_job_title,
    "minimum-role-level": _minimum_role_level,
}
