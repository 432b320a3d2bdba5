"""The values scoring and the exclusion-risk rules return.

Plain frozen dataclasses so the web layer, the PDF report, the CLI's JSON and the
cohort snapshot all read one shape. ``to_dict`` gives JSON-ready values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Band = Literal["not-yet", "developing", "nearly-ready", "ready"]
Severity = Literal["high", "medium", "low", "undetermined"]
SEVERITY_ORDER: tuple[Severity, ...] = ("high", "medium", "low", "undetermined")
BAND_LABELS: dict[str, str] = {
    "not-yet": "Not yet ready",
    "developing": "Developing",
    "nearly-ready": "Nearly ready",
    "ready": "Ready",
}


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
    is_estimate: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
