"""The programme list: a short card per programme, and filters for format and cost.

The filters are a plain GET form, so they work without JavaScript and a filtered list can be
bookmarked. Unknown filter values are refused with a message, never read as "any".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessments.framework import Framework

FORMAT_LABELS: dict[str, str] = {
    "online": "Online",
    "blended": "Online and in person",
    "in-person": "In person",
    "residential": "Residential",
    "self-paced": "Self-paced, in your own time",
    "exam-only": "An exam only",
}
"""How each ``DeliveryFormat`` reads; a test keeps the keys equal to the type's values."""


@dataclass(frozen=True)
class CostBand:
    value: str
    label: str
    most: float
    """The highest first-year cost in the band, in pounds."""


COST_BANDS: tuple[CostBand, ...] = (
    CostBand("no-fee", "No fee", 0),
    CostBand("up-to-500", "Up to £500 in the first year", 500),
    CostBand("up-to-2000", "Up to £2,000 in the first year", 2000),
)


@dataclass(frozen=True)
class ProgrammeFilter:
    format: str | None = None
    cost: str | None = None
    problems: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.format or self.cost)


def parse_filter(args: Mapping[str, str]) -> ProgrammeFilter:
    """Read ``?format=&cost=``; an empty value means any, an unknown one is a problem to show."""
    problems = []
    chosen_format = args.get("format") or None
    if chosen_format is not None and chosen_format not in FORMAT_LABELS:
        problems.append("Choose a format from the list")
        chosen_format = None
    chosen_cost = args.get("cost") or None
    if chosen_cost is not None and chosen_cost not in {band.value for band in COST_BANDS}:
        problems.append("Choose a cost from the list")
        chosen_cost = None
    return ProgrammeFilter(chosen_format, chosen_cost, tuple(problems))


def first_year_cost(framework: Framework) -> float:
    """The fee plus a first year of any annual fee, in pounds (modelled where fees are unpublished)."""
    return framework.delivery.fee_gbp + framework.delivery.annual_fee_gbp


def matches(framework: Framework, chosen: ProgrammeFilter) -> bool:
    if chosen.format and framework.delivery.format != chosen.format:
        return False
    if chosen.cost:
        band = next(band for band in COST_BANDS if band.value == chosen.cost)
        if first_year_cost(framework) > band.most:
            return False
    return True


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _count(value: float, unit: str) -> str:
    return f"{_number(value)} {unit}{'' if value == 1 else 's'}"


def _money(value: float) -> str:
    return f"£{value:,.0f}"


_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])\s+(?=[A-Z(])", re.DOTALL)


@dataclass(frozen=True)
class ProgrammeCard:
    framework: Framework
    what: str
    """The first sentence of the summary: what the programme is."""
    format: str
    time: str
    cost: str
    cost_modelled: bool


def card(framework: Framework) -> ProgrammeCard:
    """The few facts a person compares at a glance; the rest goes behind "More about …"."""
    delivery = framework.delivery
    found = _FIRST_SENTENCE.match(framework.summary)
    what = found.group(1) if found else framework.summary
    form = FORMAT_LABELS[delivery.format]
    if delivery.in_person_days:
        form += f", {_count(delivery.in_person_days, 'day')} in person"
    time = (
        f"{_count(delivery.duration_months, 'month')}, "
        f"about {_count(delivery.study_hours_per_week, 'hour')} a week"
    )
    if delivery.fee_gbp == 0 and delivery.annual_fee_gbp == 0:
        cost = "No fee" if delivery.fee_payer != "programme" else "No fee to you: the programme is funded"
    else:
        parts = [_money(delivery.fee_gbp)] if delivery.fee_gbp else []
        if delivery.annual_fee_gbp:
            parts.append(f"{_money(delivery.annual_fee_gbp)} a year")
        cost = ", then ".join(parts)
        if delivery.fee_payer == "employer":
            cost += " (usually paid by the employer)"
    return ProgrammeCard(framework, what, form, time, cost, cost_modelled=not delivery.fees_published)


def cards(programmes: Sequence[Framework], chosen: ProgrammeFilter) -> list[ProgrammeCard]:
    return [card(framework) for framework in programmes if matches(framework, chosen)]
