"""Attendance: in-person days, overnight stays and fixed dates."""

from __future__ import annotations

from assessments import geo
from assessments.framework import Delivery, Framework
from assessments.profile import Profile
from assessments.results import Severity
from assessments.risk_catalogue import HOURS_PER_DAY
from assessments.risks.model import Finder, Finding, soften
from assessments.risks.shared import (
    PLACE_MITIGATION,
    attendance_required,
    attendance_requirement,
    estimated_from,
    home,
    journeys,
    journeys_phrase,
    residential,
    unplaced,
)
from assessments.risks.wording import CONTRACT_NAMES, count, join


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
    if not profile.caring_responsibilities:
        return None
    if residential(delivery):
        return _residential(delivery)
    if not attendance_required(delivery) or not delivery.venue_cities:
        return None
    return _beyond_a_day_trip(profile, delivery)


def _night_away_mitigated(severity: Severity, delivery: Delivery) -> tuple[Severity, tuple[str, ...]]:
    """A night away for a carer, after what the provider offers: joining remotely spares it (two
    steps milder; the caller says how to ask), else adjustments may (one step, and what to ask)."""
    if delivery.remote_attendance_option:
        return soften(severity, 2), ()
    if delivery.reasonable_adjustments:
        return soften(severity), (
            "The provider offers adjustments: ask about attending without staying overnight.",
        )
    return severity, ()


def _residential(delivery: Delivery) -> Finding:
    severity, adjustments = _night_away_mitigated("high", delivery)
    specific: list[str] = []
    if delivery.remote_attendance_option:
        specific.append("The residential sessions can be joined remotely: ask for that.")
    specific.extend(adjustments)
    return Finding(
        severity,
        attendance_requirement(delivery),
        "You told us you have caring responsibilities.",
        tuple(specific),
    )


def _beyond_a_day_trip(profile: Profile, delivery: Delivery) -> Finding | None:
    """Not residential, but a forum too far for a day trip still means a night away from home."""
    start = home(profile)
    specific: list[str] = []
    if delivery.remote_attendance_option:
        specific.append("In-person sessions can be joined remotely, which avoids a night away: ask for that.")
    if start is None:
        if len(delivery.venue_cities) < 2:
            return None
        # Forums in several cities: for most people at least one is too far for a day trip.
        return Finding(
            "undetermined",
            attendance_requirement(delivery),
            f"You told us you have caring responsibilities. {unplaced(profile)}, so we cannot tell "
            "whether reaching these forums in different cities means nights away from home: check "
            "how you would get to each one, and tell us your town or postcode so CertReady can "
            "estimate it.",
            (*specific, PLACE_MITIGATION),
            modelled=True,
        )
    far = [journey for journey in journeys(start, delivery) if journey.hours > geo.DAY_TRIP_HOURS]
    if not far:
        return None
    severity, adjustments = _night_away_mitigated("medium", delivery)
    specific.extend(adjustments)
    return Finding(
        severity,
        attendance_requirement(delivery),
        f"You told us you have caring responsibilities. We estimate {journeys_phrase(far)}: more than a "
        f"day trip ({count(geo.DAY_TRIP_HOURS, 'hour')} each way), so you may need to stay "
        f"overnight. {estimated_from(start)}",
        tuple(specific),
        modelled=True,
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
        if profile.contract == "compressed-hours":
            return _compressed_days(delivery)
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


def _compressed_days(delivery: Delivery) -> Finding:
    """Compressed hours are full-time hours in fewer, longer days: fixed dates meet those days."""
    specific = [
        "Ask your manager now whether you can move your non-working day in the weeks with in-person "
        "days, and whether a teaching day counts as a whole working day."
    ]
    if delivery.remote_attendance_option:
        specific.append("Sessions can be joined remotely, which makes moving a day easier.")
    return Finding(
        "low",
        attendance_requirement(delivery),
        "You told us you work compressed hours: your hours are in fewer, longer days, so a fixed date "
        "may fall on your non-working day, and a teaching day of about "
        f"{count(HOURS_PER_DAY, 'hour')} takes the place of one of your longer working days.",
        tuple(specific),
    )


FINDERS: dict[str, Finder] = {
    "in-person-attendance": _in_person_attendance,
    "residential-stays": _residential_stays,
    "fixed-dates-vs-rota": _fixed_dates_vs_rota,
}
