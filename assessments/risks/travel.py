"""Travel: how long the journey to each venue you must attend is, against how far you can go.

Where we can place both you (your location answer) and the venues (``delivery.venue_cities``),
each forum's nearest town is timed with the modelled journey in ``assessments.geo``; otherwise
the rule falls back to your travel limit and the venues' nations, and says it is an estimate.
Either way the flag rests on modelled figures, so it is never high.
"""

from __future__ import annotations

from assessments import geo
from assessments.framework import Delivery, Framework
from assessments.profile import Profile
from assessments.results import Severity
from assessments.risk_catalogue import (
    TRAVEL_HOURS_THRESHOLD,
)
from assessments.risks.model import Finder, Finding, soften
from assessments.risks.shared import (
    PLACE_MITIGATION,
    attendance_required,
    attendance_requirement,
    estimated_from,
    home,
    journeys,
    journeys_phrase,
    normalise,
    unplaced,
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


def _forum_nations(forum: tuple[str, ...]) -> set[str]:
    return {place.nation for name in forum if (place := geo.town(name)) is not None and place.nation}


def _venue_travel(profile: Profile, framework: Framework) -> Finding | None:
    delivery = framework.delivery
    if not attendance_required(delivery) or not (delivery.venues or delivery.venue_cities):
        return None
    start = home(profile)
    if start is not None and delivery.venue_cities:
        return _beyond_your_limit(profile, delivery, start)
    return _without_distances(profile, delivery)


def _softened(severity: Severity, delivery: Delivery) -> tuple[Severity, list[str]]:
    specific: list[str] = []
    if delivery.remote_attendance_option:
        severity = soften(severity)
        specific.append("In-person sessions can be joined remotely: ask for that.")
    if delivery.reasonable_adjustments:
        specific.append("The provider offers adjustments: ask about help with travel or overnight costs.")
    return severity, specific


def _beyond_your_limit(profile: Profile, delivery: Delivery, start: geo.Place) -> Finding | None:
    """Each forum you must attend, at its nearest town, against how far you told us you can go."""
    limit = profile.max_travel_hours
    if limit is None:
        return None
    beyond = [journey for journey in journeys(start, delivery) if journey.hours > limit]
    if not beyond:
        return None
    severity, specific = _softened("medium", delivery)
    return Finding(
        severity,
        attendance_requirement(delivery),
        f"You can travel at most {count(limit, 'hour')} each way. We estimate {journeys_phrase(beyond)}. "
        f"{estimated_from(start)}",
        tuple(specific),
        modelled=True,
    )


def _without_distances(profile: Profile, delivery: Delivery) -> Finding | None:
    """Where we cannot place you or the venues: your travel limit and the venues' nations only."""
    reasons: list[str] = []
    travel = profile.max_travel_hours
    if travel is not None and travel < TRAVEL_HOURS_THRESHOLD:
        reasons.append(f"You can travel at most {count(travel, 'hour')} each way.")
    if profile.nation is not None and (delivery.venues or delivery.venue_cities):
        per_venue = (
            [_forum_nations(forum) for forum in delivery.venue_cities]
            if delivery.venue_cities
            else [_venue_nations(venue) for venue in delivery.venues]
        )
        known = all(per_venue)
        if known and not any(profile.nation in nations for nations in per_venue):
            elsewhere = sorted({NATION_NAMES[n] for nations in per_venue for n in nations})
            reasons.append(f"You work {in_nation(profile.nation)}; every venue is in {join(elsewhere)}.")
    if not reasons:
        return None
    # Before journeys were modelled, two reasons made this high; both rest on modelled figures.
    severity, specific = _softened("medium", delivery)
    estimate = (
        f"{unplaced(profile)}, so this is an estimate: "
        f"some venues may be more than {count(TRAVEL_HOURS_THRESHOLD, 'hour')} from you."
    )
    return Finding(
        severity,
        attendance_requirement(delivery),
        " ".join([*reasons, estimate]),
        (*specific, PLACE_MITIGATION),
        modelled=True,
    )


FINDERS: dict[str, Finder] = {
    "venue-travel": _venue_travel,
}
