"""Self-ratings: a level, or "no opportunity yet", and optional evidence, per criterion.

A ratings file maps criterion id to a level (``3``), to ``no-opportunity``, or to a
mapping ``{level: 3, evidence: "..."}``. ``no-opportunity`` scores like a gap but is
reported apart: missing opportunity is how part-time, social care and specialist staff
get held back, and it is not the same as missing ability.

A rating may also carry the person's judgement of how important the criterion is to their job
(Lawshe's three answers, ``assessments.relevance.RELEVANCE``): in the app beside each rating, in a
file as an optional ``relevance`` in the mapping form. It never changes a score; it feeds the
designer's content-validity figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from assessments.errors import RatingsError
from assessments.framework import Framework, load_data_file
from assessments.relevance import RELEVANCE, Relevance

NO_OPPORTUNITY = "no-opportunity"
MAX_EVIDENCE_CHARS = 5000


@dataclass(frozen=True)
class Rating:
    level: int | None = None
    """The self-rated level; ``None`` when the person answered "no opportunity"."""
    no_opportunity: bool = False
    evidence: str = ""
    relevance: Relevance | None = None
    """How important the person judges the criterion to their job; ``None`` when they did not say."""

    def __post_init__(self) -> None:
        if self.no_opportunity == (self.level is not None):
            raise ValueError("a rating is either a level or no-opportunity, not both or neither")
        if self.relevance is not None and self.relevance not in RELEVANCE:
            raise ValueError(f"relevance must be one of {', '.join(RELEVANCE)} (got {self.relevance!r})")

    @property
    def scored_level(self) -> int:
        return 0 if self.level is None else self.level


Ratings = Mapping[str, Rating]


FILE_KEYS = ("level", "evidence", "relevance")
"""The keys of a criterion's mapping in a ratings file; only ``level`` is required."""
_FILE_KEYS_TEXT = ", ".join(FILE_KEYS[:-1]) + " and " + FILE_KEYS[-1]


def _relevance(value: object) -> Relevance | None:
    """``value`` as one of Lawshe's answers, or ``None`` when it is not one (the caller refuses it)."""
    if isinstance(value, str) and value in RELEVANCE:
        return cast(Relevance, value)  # one of RELEVANCE's keys, which are Relevance's values
    return None


def parse_ratings(data: Any, framework: Framework, name: str = "ratings") -> dict[str, Rating]:
    """Validate ratings against a framework: every problem is reported, by criterion id."""
    if not isinstance(data, dict):
        raise RatingsError([f"{name}: ratings must be a mapping of criterion id to level"])
    known = framework.criteria_by_id
    top = framework.max_level
    problems: list[str] = []
    ratings: dict[str, Rating] = {}
    for key, value in data.items():
        where = f"{name}: {key}"
        if key not in known:
            problems.append(f"{where}: not a criterion of {framework.id} {framework.version}")
            continue
        evidence: Any = ""
        relevance: Relevance | None = None
        if isinstance(value, dict):
            extra = set(value) - set(FILE_KEYS)
            if extra:
                problems.append(f"{where}: unknown keys {sorted(map(str, extra))}; use {_FILE_KEYS_TEXT}")
                continue
            if "level" not in value:
                problems.append(f"{where}.level: is required")
                continue
            if "relevance" in value:
                relevance = _relevance(value["relevance"])
                if relevance is None:
                    problems.append(
                        f"{where}.relevance: {value['relevance']!r} is not an answer; "
                        f"use one of {', '.join(RELEVANCE)}, or leave it out"
                    )
                    continue
            evidence = value.get("evidence") or ""
            value = value["level"]
        if not isinstance(evidence, str):
            problems.append(f"{where}.evidence: must be text")
            continue
        if len(evidence) > MAX_EVIDENCE_CHARS:
            problems.append(f"{where}.evidence: must be {MAX_EVIDENCE_CHARS:,} characters or fewer")
            continue
        if value == NO_OPPORTUNITY:
            ratings[key] = Rating(no_opportunity=True, evidence=evidence, relevance=relevance)
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= top:
            ratings[key] = Rating(level=value, evidence=evidence, relevance=relevance)
        else:
            problems.append(f"{where}: level must be a whole number from 0 to {top}, or '{NO_OPPORTUNITY}'")
    if problems:
        raise RatingsError(problems)
    return ratings


def load_ratings(path: Path | str, framework: Framework) -> dict[str, Rating]:
    """Load ratings for ``framework`` from a YAML or JSON file."""
    path = Path(path)
    return parse_ratings(load_data_file(path, RatingsError), framework, path.name)
