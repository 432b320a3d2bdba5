"""Accessibility: reasonable adjustments and exams only at test centres."""

from __future__ import annotations

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.results import Severity
from assessments.risks.model import Finder, Finding, soften
from assessments.risks.wording import (
    join,
)


def _reasonable_adjustments(profile: Profile, framework: Framework) -> Finding | None:
    if not profile.needs_adjustments or framework.delivery.reasonable_adjustments:
        return None
    return Finding(
        "medium",
        "The provider publishes no reasonable-adjustments offer.",
        "You told us you would need adjustments to take part.",
    )


def _exam_centre_only(profile: Profile, framework: Framework) -> Finding | None:
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
        severity = soften(severity)
        specific = ("The provider offers reasonable adjustments: ask what it offers for the exam.",)
    where = f", at {join(delivery.venues, 'or')}" if delivery.venues else " at a test centre"
    return Finding(severity, f"The exam can only be taken in person{where}.", circumstance, specific)


FINDERS: dict[str, Finder] = {
    "reasonable-adjustments": _reasonable_adjustments,
    "exam-centre-only": _exam_centre_only,
}
