"""The values scoring and the exclusion-risk rules return.

Plain frozen dataclasses so the web layer, the PDF report, the CLI's JSON and the
cohort snapshot all read one shape. ``to_dict`` gives JSON-ready values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from assessments.risk_catalogue import decides_eligibility

Band = Literal["not-yet", "developing", "nearly-ready", "ready"]
Severity = Literal["high", "medium", "low", "undetermined"]
SEVERITY_ORDER: tuple[Severity, ...] = ("high", "medium", "low", "undetermined")
BAND_LABELS: dict[str, str] = {
    "not-yet": "Not yet ready",
    "developing": "Developing",
    "nearly-ready": "Nearly ready",
    "ready": "Ready",
}


EligibilityStatus = Literal["eligible", "not-eligible", "undetermined"]
ELIGIBILITY_STATUSES: tuple[EligibilityStatus, ...] = ("eligible", "undetermined", "not-eligible")
ELIGIBILITY_LABELS: dict[str, str] = {
    "eligible": "Eligible",
    "undetermined": "Not settled: check what decides it",
    "not-eligible": "Not currently eligible",
}

# How each band reads inside a sentence: "Your skills are nearly ready".
_BAND_PHRASES: dict[str, str] = {
    "not-yet": "not yet ready",
    "developing": "developing",
    "nearly-ready": "nearly ready",
    "ready": "ready",
}


def whole_score(score: float) -> int:
    """A 0–100 score as a page shows it: a whole number, rounded down.

    A self-rating does not support a decimal place. Rounding down (from the one-decimal figure
    the bands use) keeps the shown number inside its band: 89.96 is stored as 90.0 and shows 90,
    but 89.94 shows 89 beside "Nearly ready", never 90.
    """
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise ValueError(f"a score must be a number, not {score!r}")
    return math.floor(round(score, 1))


@dataclass(frozen=True)
class CriterionResult:
    id: str
    title: str
    domain_id: str
    area: str
    required_level: int
    level: int | None
    """The self-rated level; ``None`` when unrated or "no opportunity"."""
    gap: int
    """Levels short of the requirement (0 when met); unrated and no-opportunity count as level 0."""
    weight: float
    no_opportunity: bool = False
    unrated: bool = False
    evidence: str = ""


@dataclass(frozen=True)
class DomainResult:
    id: str
    title: str
    score: float
    """0–100, weighted."""
    mean_level: float
    mean_required: float


@dataclass(frozen=True)
class Readiness:
    score: float
    band: Band
    domains: tuple[DomainResult, ...]
    criteria: tuple[CriterionResult, ...]
    priorities: tuple[CriterionResult, ...]
    """Biggest weighted gaps first."""
    strengths: tuple[CriterionResult, ...]
    gaps: int
    no_opportunity: int
    unrated: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AreaFit:
    area: str
    title: str
    need: float
    """0–1: how far short the person is in this capability area."""
    coverage: float
    """0–1: how strongly the programme covers the area."""


@dataclass(frozen=True)
class Fit:
    framework_id: str
    percent: float | None
    """None when the person has no measurable need to cover."""
    areas: tuple[AreaFit, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Eligibility:
    """Whether the person may apply at all, kept apart from how ready their skills are.

    ``blocking`` holds the eligibility rules with a high flag, ``unknown`` those that could not
    be decided from the answers given. Not eligible wins over undetermined.
    """

    status: EligibilityStatus
    blocking: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    @classmethod
    def from_findings(cls, findings: Sequence[tuple[str, str, Severity]]) -> Eligibility:
        """From ``(rule id, rule category, severity)`` for every flag raised.

        The entry requirements are the catalogue's word (``decides_eligibility``): the eligibility
        categories, and the nation and employer-commitment rules filed under other categories.
        """
        eligibility_flags = [
            (rule, severity) for rule, category, severity in findings if decides_eligibility(rule, category)
        ]
        blocking = tuple(rule for rule, severity in eligibility_flags if severity == "high")
        # A medium flag on an entry requirement is one CertReady cannot settle: a condition to
        # check (a commissioned service, a sponsored place), a figure that is only modelled, or a
        # shortfall the provider may weigh. Saying "eligible" beside it would overstate; saying
        # "not eligible" would shut out someone the programme may accept.
        unknown = tuple(
            rule for rule, severity in eligibility_flags if severity in ("undetermined", "medium")
        )
        status: EligibilityStatus = "not-eligible" if blocking else "undetermined" if unknown else "eligible"
        return cls(status, blocking, unknown)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Eligibility:
        """Read the stored shape back; an unknown status is an error, never a default."""
        status = data.get("status")
        if status not in ELIGIBILITY_STATUSES:
            raise ValueError(
                f"unknown eligibility status {status!r}; expected one of {', '.join(ELIGIBILITY_STATUSES)}"
            )
        return cls(status, tuple(data.get("blocking") or ()), tuple(data.get("unknown") or ()))

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "blocking": list(self.blocking), "unknown": list(self.unknown)}


@dataclass(frozen=True)
class Estimate:
    """Readiness for another programme, projected through the capability areas."""

    framework_id: str
    framework_name: str
    provider: str
    readiness: float
    band: Band
    fit: float | None
    high_flags: int
    flags: int
    basis: float
    """Share (0–1) of the target's criterion weight whose capability area the person rated."""
    eligibility: Eligibility
    is_estimate: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"eligibility": self.eligibility.to_dict()}


@dataclass(frozen=True)
class Flag:
    rule: str
    category: str
    severity: Severity
    requirement: str
    """What the programme asks, in words a participant understands."""
    circumstance: str
    """The personal circumstance it collides with (or, when undetermined, the answer that would decide it)."""
    explanation: str
    mitigations: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def eligibility_of(result: Mapping[str, Any]) -> Eligibility:
    """The eligibility of a stored result (``Outcome.to_json()``).

    Results stored before eligibility was recorded are read from their own flags, which carry
    each rule's category and severity: the same facts the engine uses, never recomputed rules.
    """
    stored = result.get("eligibility")
    if stored is not None:
        return Eligibility.from_json(stored)
    return Eligibility.from_findings(
        [(flag["rule"], flag["category"], flag["severity"]) for flag in result.get("risks") or ()]
    )


@dataclass(frozen=True)
class EligibilityStatement:
    """Readiness and eligibility in one sentence, with the requirements behind it in plain words."""

    status: EligibilityStatus
    headline: str
    reasons: tuple[str, ...]
    """One sentence per blocking or undecided requirement: what the programme asks, and why."""


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def eligibility_statement(result: Mapping[str, Any]) -> EligibilityStatement:
    """ "Your skills are ready; you are not currently eligible because …", from a stored result.

    Every surface that shows a band beside eligibility (results page, comparison, PDF, CLI) says
    it through this, so "Ready" never stands alone beside an ineligibility.
    """
    eligibility = eligibility_of(result)
    band = result["readiness"]["band"]
    if band not in _BAND_PHRASES:
        raise ValueError(f"unknown readiness band {band!r}")
    skills = f"Your skills are {_BAND_PHRASES[band]}"
    flags = {flag["rule"]: flag for flag in result.get("risks") or ()}
    if eligibility.status == "not-eligible":
        count = len(eligibility.blocking)
        headline = (
            f"{skills}; you are not currently eligible for this programme because of "
            f"{_plural(count, 'one entry requirement', f'{count} entry requirements')}."
        )
        reasons = tuple(
            f"{_sentence(flags[rule]['requirement'])} {_sentence(flags[rule]['circumstance'])}"
            for rule in eligibility.blocking
            if rule in flags
        )
    elif eligibility.status == "undetermined":
        count = len(eligibility.unknown)
        missing = all(
            flags[rule]["severity"] == "undetermined" for rule in eligibility.unknown if rule in flags
        )
        because = (
            "on answers you have not given"
            if missing
            else "on something only you, your employer or the provider can confirm"
        )
        headline = (
            f"{skills}; we could not settle whether you are eligible, because "
            f"{_plural(count, 'one entry requirement depends', f'{count} entry requirements depend')} "
            f"{because}."
        )
        reasons = tuple(
            f"{_sentence(flags[rule]['requirement'])} {_what_would_decide(flags[rule])}"
            for rule in eligibility.unknown
            if rule in flags
        )
    else:
        headline = f"{skills}, and you meet every entry requirement we could check."
        reasons = ()
    return EligibilityStatement(eligibility.status, headline, reasons)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _what_would_decide(flag: Mapping[str, Any]) -> str:
    """One sentence saying what would settle an undecided requirement.

    The risk rules write a missing answer (an undetermined flag) as "We don't know X: tell us Y to
    check this requirement."; that reads as "We don't know X, so tell us Y ...", not behind a second
    colon. A medium flag's circumstance is said as it is: its colons introduce other things (the
    reason a figure is modelled), and "so" before them would claim a cause that is not there.
    """
    circumstance = flag["circumstance"]
    known, colon, action = circumstance.strip().partition(": ")
    if colon and flag["severity"] == "undetermined":
        return _sentence(f"{known}, so {_lower_first(action)}")
    return f"What would decide it: {_lower_first(_sentence(circumstance))}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
