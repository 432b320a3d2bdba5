"""Words the rules use for profile answers, and the helpers that put numbers into sentences.

Every label a flag shows for an answer is in this one module, so deriving them from the
profile vocabulary later is a change to this file alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from assessments import vocabulary
from assessments.framework import QUALIFICATION_ORDER

NATION_NAMES = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
    "outside-uk": "outside the UK",
}
SECTOR_NAMES = {
    "nhs-acute": "NHS acute trusts",
    "nhs-mental-health": "NHS mental health trusts",
    "nhs-community": "NHS community services",
    "nhs-ambulance": "NHS ambulance services",
    "primary-care": "primary care",
    "integrated-care-board": "integrated care boards",
    "social-care": "social care",
    "local-authority": "local authorities",
    "independent-sector": "the independent sector",
    "voluntary-sector": "the voluntary sector",
    "supplier": "suppliers to health and care",
    "academia": "universities and research",
    "other": "other sectors",
}
WORKPLACE_NAMES = {
    "nhs-acute": "an NHS acute trust",
    "nhs-mental-health": "an NHS mental health trust",
    "nhs-community": "NHS community services",
    "nhs-ambulance": "an NHS ambulance service",
    "primary-care": "primary care",
    "integrated-care-board": "an integrated care board",
    "social-care": "social care",
    "local-authority": "a local authority",
    "independent-sector": "the independent sector",
    "voluntary-sector": "the voluntary sector",
    "supplier": "a supplier to health and care",
    "academia": "a university or research body",
    "other": "a sector not on our list",
}
QUALIFICATION_NAMES = {
    value: vocabulary.phrase("highest_qualification", value) for value in QUALIFICATION_ORDER
}
ROLE_LEVEL_NAMES = {
    "aspiring": "an aspiring leader",
    "middle-manager": "a middle manager",
    "senior-manager": "a senior manager",
    "director": "a director",
    "board": "a board member",
}
CONTRACT_NAMES = {
    "full-time": "full time",
    "part-time": "part time",
    "compressed-hours": "compressed hours",
    "job-share": "in a job share",
    "shift-work": "shifts",
    "bank-or-locum": "bank or locum shifts",
    "self-employed": "for yourself (self-employed)",
}
ROUTE_NAMES = {
    "formal-education": "formal education",
    "apprenticeship": "an apprenticeship",
    "employer-training": "employer training",
    "self-taught": "teaching yourself",
    "start-up": "a start-up",
    "hackathon": "hackathons",
    "online-community": "online communities",
    "professional-network": "professional networks",
}


def num(value: float) -> str:
    if not math.isfinite(value):
        return "an unlimited number of"
    if abs(value - round(value)) < 0.05:
        return f"{value:,.0f}"
    # Quarter hours (18.75) keep two decimals; anything computed (13.365…) is rounded to one.
    exact = abs(value * 100 - round(value * 100)) < 1e-6 and abs(value * 10 - round(value * 10)) > 1e-6
    return f"{value:,.2f}" if exact else f"{value:,.1f}"


def count(value: float, unit: str) -> str:
    text = num(value)
    return f"{text} {unit}" if text == "1" else f"{text} {unit}s"


def duration(months: float) -> str:
    if months >= 24 and months % 12 == 0:
        return count(months / 12, "year")
    return count(months, "month")


def mid_sentence(name: str) -> str:
    """'A FEDIP awarding body' reads as 'a FEDIP awarding body' mid-sentence."""
    first, _, rest = name.partition(" ")
    return f"{first.lower()} {rest}" if first in ("A", "An", "The") and rest else name


def money(value: float) -> str:
    if not math.isfinite(value):
        return "an unlimited sum"
    return f"£{value:,.0f}" if value == round(value) else f"£{value:,.2f}"


def join(items: Iterable[str], word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def in_nation(nation: str) -> str:
    return NATION_NAMES[nation] if nation == "outside-uk" else f"in {NATION_NAMES[nation]}"


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"
