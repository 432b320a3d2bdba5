"""Attendance: in-person days, overnight stays and fixed dates."""

from __future__ import annotations

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.results import Severity
from assessments.risks.model import Finder, Finding, soften
from assessments.risks.shared import (
    attendance_required,
    attendance_requirement,
    residential,
)
from assessments.risks.wording import (
    CONTRACT_NAMES,
    join,
)


def _in_person_attendance(profile: Profile, framework: Framework) -> Finding | None:
    delivery = framework.delivery
    answer = profile.can_attend_in_person
    if answer in (None, "yes") or not attendance_required(delivery):
        return None
    severity: Severity = "high" if answer == "no" else "medium"
    specific: list[str] = []
    if delivery.remote_attendance_option:
        severity = soften(severity, 2)
        specific.append("In-person sessions can be joined remotely: ask for that when you apply.")
    if delivery.reasonable_adjustments:
        severity = soften(severity)
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
    return Finding(severity, attendance_requirement(delivery), circumstance, tuple(specific))


def _residential_stays(profile: Profile, framework: Framework) -> Finding | None:
    delivery = framework.delivery
    if not profile.caring_responsibilities or not residential(delivery):
        return None
    severity: Severity = "high"
    specific: list[str] = []
    if delivery.remote_attendance_option:
        severity = soften(severity, 2)
        specific.append("The residential sessions can be joined remotely: ask for that.")
    elif delivery.reasonable_adjustments:
        severity = soften(severity)
        specific.append("The provider offers adjustments: ask about attending without staying overnight.")
    return Finding(
        severity,
        attendance_requirement(delivery),
        "You told us you have caring responsibilities.",
        tuple(specific),
    )


def _fixed_dates_vs_rota(profile: Profile, framework: Framework) -> Finding | None:
    delivery = framework.delivery
    if not attendance_required(delivery):
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
        severity = soften(severity)
        specific.append("Sessions can be joined remotely, which makes swapping a shift easier.")
    if profile.contract == "bank-or-locum":
        specific.append("Ask whether the provider or your employer covers lost shifts.")
    text = join(reasons)
    return Finding(
        severity,
        attendance_requirement(delivery),
        f"You told us {text}.",
        tuple(specific),
    )


FINDERS: dict[str, Finder] = {
    "in-person-attendance": _in_person_attendance,
    "residential-stays": _residential_stays,
    "fixed-dates-vs-rota": _fixed_dates_vs_rota,
}
