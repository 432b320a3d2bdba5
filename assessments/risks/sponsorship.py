"""Employer backing: a sponsor, protected time and raters."""

from __future__ import annotations

from dataclasses import replace

from assessments.framework import Framework
from assessments.profile import FULL_TIME_HOURS, Profile
from assessments.risks.model import Finder, Finding, undetermined
from assessments.risks.wording import (
    count,
    num,
    percent,
)


def _employer_backing(profile: Profile, requirement: str, need: str) -> Finding | None:
    if profile.contract == "self-employed" and profile.employer_support != "yes":
        return Finding(
            "high",
            requirement,
            f"You are self-employed, so there is no employer to {need}.",
            ("Ask whether a client, a professional body or a mentor can act for you.",),
        )
    if profile.employer_support is None:
        return undetermined(
            requirement,
            f"whether your employer would {need}",
            "whether your employer would support you (yes, no or unsure)",
        )
    if profile.employer_support == "no":
        return Finding("high", requirement, f"You told us your employer would not {need}.")
    if profile.employer_support == "unsure":
        return Finding(
            "medium",
            requirement,
            f"You are not sure whether your employer would {need}.",
            ("Ask your manager now: the answer decides whether you can apply.",),
        )
    return None


def _executive_sponsor(profile: Profile, framework: Framework) -> Finding | None:
    if not framework.eligibility.sponsor_required:
        return None
    return _employer_backing(
        profile,
        "A senior (usually executive) sponsor who commits to your learning time and project.",
        "sponsor you",
    )


def _protected_time(profile: Profile, framework: Framework) -> Finding | None:
    share = framework.eligibility.protected_time_fte
    if share <= 0:
        return None
    # The share is of a full-time week, like the programme's weekly load, which is the same for
    # everyone: a part-time week needs the same hours protected, a larger share of it.
    protected = share * FULL_TIME_HOURS
    requirement = (
        f"Your employer protects about {count(protected, 'hour')} a week for the programme "
        f"({num(share * 100)}% of a full-time {num(FULL_TIME_HOURS)}-hour week)."
    )
    weekly = profile.hours_per_week
    finding = _employer_backing(profile, requirement, "protect that time")
    if finding is None or weekly is None or weekly >= FULL_TIME_HOURS:
        return finding
    part_time = (
        f" You work {count(weekly, 'hour')} a week, so that is about {percent(min(protected / weekly, 1))} "
        "of your week: the programme's weekly load is not smaller for part-time staff."
    )
    return replace(finding, circumstance=finding.circumstance + part_time)


def _raters(profile: Profile, framework: Framework) -> Finding | None:
    needed = framework.delivery.raters_required
    if needed <= 0 or profile.contract not in ("self-employed", "bank-or-locum"):
        return None
    people = "1 person" if needed == 1 else f"{needed} people"
    requirement = f"{people} who must rate you or support your application."
    if profile.contract == "self-employed":
        return Finding(
            "medium",
            requirement,
            "You are self-employed, so you may have no line manager, peers or direct reports to ask.",
        )
    return Finding(
        "low",
        requirement,
        "You work bank or locum shifts, so you may not have a settled team to ask.",
    )


FINDERS: dict[str, Finder] = {
    "executive-sponsor": _executive_sponsor,
    "protected-time": _protected_time,
    "raters": _raters,
}
