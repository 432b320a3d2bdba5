"""Words the rules use for profile answers, and the helpers that put numbers into sentences.

Every answer a flag names is said with the vocabulary's own phrase for that (field, value)
(``assessments.vocabulary``), so no rule repeats a label and a new choice needs no change here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping

from assessments import vocabulary


class _Phrases(Mapping[str, str]):
    """One answer's values in a sentence, looked up in the vocabulary per (field, value).

    ``group`` gives the plural phrase for people ("staff in NHS acute trusts") instead of the
    in-a-sentence one ("an NHS acute trust"). An undeclared value raises ``UnknownAnswer``.
    """

    def __init__(self, key: str, *, group: bool = False) -> None:
        self._key = key
        self._group = group

    def __getitem__(self, value: str) -> str:
        if self._group:
            return vocabulary.group_phrase(self._key, value)
        return vocabulary.phrase(self._key, value)

    def __iter__(self) -> Iterator[str]:
        return iter(vocabulary.choices(self._key))

    def __len__(self) -> int:
        return len(vocabulary.choices(self._key))


NATION_NAMES = _Phrases("nation")
"""'England', 'outside the UK'."""
SECTOR_NAMES = _Phrases("sector", group=True)
"""People in a sector, for who a programme is open to: 'staff in NHS acute trusts'."""
WORKPLACE_NAMES = _Phrases("sector")
"""Where one person works: 'an NHS acute trust'."""
QUALIFICATION_NAMES = _Phrases("highest_qualification")
ROLE_LEVEL_NAMES = _Phrases("role_level")
CONTRACT_NAMES = _Phrases("contract")
"""After 'you work': 'part time', 'in a job share', 'shifts'."""
ROUTE_NAMES = _Phrases("learning_routes")
"""After 'you learned through': 'teaching yourself', 'hackathons'."""


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
