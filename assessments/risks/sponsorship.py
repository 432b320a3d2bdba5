"""Employer backing: a sponsor, protected time and raters."""

from __future__ import annotations

from assessments.framework import Framework
from assessments.profile import FULL_TIME_HOURS, Profile
from assessments.risks.model import Finder, Finding, undetermined
from assessments.risks.wording import (
    count,
    num,
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
    weekly = profile.hours_per_week
    if weekly:
        hours = f"about {count(share * weekly, 'hour')} a week of your {num(weekly)}"
    else:
        full = FULL_TIME_HOURS
        hours = f"about {count(share * full, 'hour')} of a full-time {num(full)}-hour week"
    requirement = (
        f"Your employer protects {num(share * 100)}% of your working time for the programme ({hours})."
    )
    return _employer_backing(profile, requirement, "protect that time")


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
