"""Travel: named venues and how far a person can go."""

from __future__ import annotations

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.results import Severity
from assessments.risks.catalogue import (
    TRAVEL_HOURS_THRESHOLD,
)
from assessments.risks.model import Finder, Finding, soften
from assessments.risks.shared import (
    attendance_required,
    attendance_requirement,
    normalise,
)
from assessments.risks.wording import (
    NATION_NAMES,
    count,
    in_nation,
    join,
)

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


def _venue_nations(venue: str) -> set[str]:
    return {VENUE_NATIONS[word] for word in normalise(venue).split() if word in VENUE_NATIONS}


def _venue_travel(profile: Profile, framework: Framework) -> Finding | None:
    delivery = framework.delivery
    if not attendance_required(delivery) or not delivery.venues:
        return None
    reasons: list[str] = []
    travel = profile.max_travel_hours
    if travel is not None and travel < TRAVEL_HOURS_THRESHOLD:
        reasons.append(f"You can travel at most {count(travel, 'hour')} each way.")
    if profile.nation is not None:
        per_venue = [_venue_nations(venue) for venue in delivery.venues]
        known = all(per_venue)
        if known and not any(profile.nation in nations for nations in per_venue):
            elsewhere = sorted({NATION_NAMES[n] for nations in per_venue for n in nations})
            reasons.append(f"You work {in_nation(profile.nation)}; every venue is in {join(elsewhere)}.")
    if not reasons:
        return None
    severity: Severity = "high" if len(reasons) == 2 else "medium"
    specific: list[str] = []
    if delivery.remote_attendance_option:
        severity = soften(severity)
        specific.append("In-person sessions can be joined remotely: ask for that.")
    if delivery.reasonable_adjustments:
        specific.append("The provider offers adjustments: ask about help with travel or overnight costs.")
    return Finding(severity, attendance_requirement(delivery), " ".join(reasons), tuple(specific))


FINDERS: dict[str, Finder] = {
    "venue-travel": _venue_travel,
}
