"""Calculations and phrases several categories share: the weekly load, attendance, reduced hours."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assessments import geo
from assessments.framework import Delivery
from assessments.profile import FULL_TIME_HOURS, Profile
from assessments.risk_catalogue import (
    HOURS_PER_DAY,
    INFORMAL_ROUTES,
    PTWR,
    REDUCED_HOURS_CONTRACTS,
    WEEKS_PER_MONTH,
)
from assessments.risks.wording import (
    count,
    duration,
    join,
    num,
)


def weekly_load(delivery: Delivery) -> float:
    """Study hours a week plus in-person days spread over the programme (modelled).

    A programme with no fixed duration (0 months) has nothing to spread its days over, so
    only its weekly study hours count.
    """
    load = delivery.study_hours_per_week
    if delivery.duration_months > 0 and delivery.in_person_days > 0:
        load += delivery.in_person_days * HOURS_PER_DAY / (delivery.duration_months * WEEKS_PER_MONTH)
    return load


def load_requirement(delivery: Delivery) -> str:
    text = f"About {count(weekly_load(delivery), 'hour')} of study a week"
    if delivery.duration_months > 0:
        text += f" for {duration(delivery.duration_months)}"
    if delivery.in_person_days > 0 and delivery.duration_months > 0:
        text += (
            f" ({num(delivery.study_hours_per_week)} hours of study plus "
            f"{count(delivery.in_person_days, 'in-person day')} averaged over the programme)"
        )
    return text + "."


def time_mitigations(profile: Profile, delivery: Delivery) -> tuple[str, ...]:
    if delivery.part_time_pathway:
        first = "This programme has a part-time pathway: ask about it."
    elif reduced_hours(profile):
        first = f"Ask the provider whether study can be spread over a longer period; {PTWR}."
    else:
        first = "Ask the provider whether study can be spread over a longer period or deferred."
    extra: list[str] = []
    if delivery.in_person_days > 0:
        extra.append("Plan the weeks with in-person days early, so you can book leave and cover.")
        if delivery.remote_attendance_option:
            extra.append("The in-person days can be joined remotely, which saves travelling time.")
    return (first, *extra)


def attendance_required(delivery: Delivery) -> bool:
    """In-person teaching days (exams are covered by the exam-centre rule)."""
    if delivery.format == "exam-only":
        return False
    return (
        delivery.in_person_days > 0 or delivery.residential or delivery.format in ("in-person", "residential")
    )


def attendance_requirement(delivery: Delivery) -> str:
    days = (
        f"{count(delivery.in_person_days, 'day')} in person"
        if delivery.in_person_days > 0
        else "Teaching in person"
    )
    places = delivery.venues or tuple(join(forum, "or") for forum in delivery.venue_cities)
    where = f" at {join(places)}" if places else ""
    stays = ", with overnight stays" if residential(delivery) else ""
    return f"{days[0].upper()}{days[1:]}{where}{stays}."


def residential(delivery: Delivery) -> bool:
    return delivery.residential or delivery.format == "residential"


def reduced_hours(profile: Profile) -> bool:
    """Fewer than full-time hours: by the weekly hours when we know them, else by the contract.

    Compressed hours on 37.5 hours are full-time hours worked in fewer days, so they are not
    reduced hours; a part-time contract with unknown hours is.
    """
    if profile.hours_per_week is not None:
        return profile.hours_per_week < FULL_TIME_HOURS
    return profile.contract in REDUCED_HOURS_CONTRACTS


def informal_routes(profile: Profile) -> list[str]:
    return [route for route in profile.learning_routes or () if route in INFORMAL_ROUTES]


def normalise(text: str) -> str:
    """Lower-case words and digits only, so names compare whatever their case and punctuation."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


# --- Where the person lives, and journeys to venues (modelled: see assessments.geo) -----------


def home(profile: Profile) -> geo.Place | None:
    """Where the person's location answer places them, or None when unanswered or not placeable."""
    return geo.place(profile.location) if profile.location else None


@dataclass(frozen=True)
class Journey:
    forum: tuple[str, ...]
    """The towns one forum or session can be attended in."""
    town: str
    """The nearest of them."""
    hours: float
    """Modelled one-way journey time to it."""

    def phrase(self) -> str:
        """For example "to Birmingham or Manchester (Birmingham is nearer) at about 5.4 hours"."""
        where = join(self.forum, "or")
        if len(self.forum) > 1:
            where += f" ({self.town} is nearer)" if len(self.forum) == 2 else f" ({self.town} is nearest)"
        return f"to {where} at about {count(self.hours, 'hour')}"


def journeys_phrase(found: list[Journey]) -> str:
    """ "the journey to London at about 4.4 hours each way", or several of them."""
    noun = "journey" if len(found) == 1 else "journeys"
    return f"the {noun} {join([journey.phrase() for journey in found])} each way"


def journeys(start: geo.Place, delivery: Delivery) -> list[Journey]:
    """For each forum the person must attend, the modelled journey to its nearest town."""
    found: list[Journey] = []
    for forum in delivery.venue_cities:
        towns = [(name, geo.town(name)) for name in forum]
        timed = [(geo.journey_hours(start, place), name) for name, place in towns if place is not None]
        if timed:
            hours, name = min(timed)
            found.append(Journey(forum, name, hours))
    return found


def estimated_from(start: geo.Place) -> str:
    """How a journey was estimated, said wherever one is shown."""
    where = f"{start.name}, approximately" if start.approximate else start.name
    return (
        f"Journey times are estimates from {where}: the straight-line distance × {geo.DETOUR_FACTOR:g} "
        f"÷ {geo.AVERAGE_SPEED_KMH:g} km/h (a modelled figure, about a road journey, not a timetable: "
        "a train between large cities is often faster, so check your own route)."
    )


PLACE_MITIGATION = (
    "Tell us your town or the first half of your postcode in your profile, so CertReady can estimate "
    "each journey."
)


def unplaced(profile: Profile) -> str:
    """Why we have no home to start from, in words."""
    if profile.location:
        return f"We could not place “{profile.location}” as a UK town or postcode"
    return "We don't know where you live"
