"""The shapes every rule shares: a finding, a rule, and the two ways a finding is built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.results import Flag, Severity
from assessments.risk_catalogue import RuleInfo


@dataclass(frozen=True)
class Finding:
    """What a rule's logic found; the rule adds its id, category, rationale and general mitigations."""

    severity: Severity
    requirement: str
    circumstance: str
    mitigations: tuple[str, ...] = ()
    """Specific to this programme and person; listed before the rule's general mitigations."""
    modelled: bool = False
    """The finding rests only on a modelled or unsourced figure (an estimated journey, a fee the
    provider does not publish): the flag then says so and is never high (see ``make_rule``)."""


MODELLED_NOTE = "This rests on a modelled figure, not one the provider or you gave us."
"""Added to a modelled finding's circumstance when its own words do not already say so."""


MODELLED_FIGURE = "This rests on a figure CertReady modelled, not one the provider publishes:"
"""Introduces the framework's own reason when every figure a flag rests on is modelled."""


def _modelled_reasons(info: RuleInfo, framework: Framework) -> tuple[str, ...]:
    """The framework's reasons, once each, when every figure the rule rests on is modelled."""
    if not info.rests_on:
        return ()
    entries = [framework.provenance_of(key) for key in info.rests_on]
    reasons = [entry.modelled for entry in entries if entry is not None and entry.modelled is not None]
    if len(reasons) < len(entries):
        return ()
    return tuple(dict.fromkeys(reasons))


def _said_modelled(finding: Finding) -> bool:
    text = f"{finding.requirement} {finding.circumstance}".lower()
    return "modelled" in text or "estimate" in text


Finder = Callable[[Profile, Framework], "Finding | None"]


@dataclass(frozen=True)
class Rule(RuleInfo):
    """A rule's declaration (every ``RuleInfo`` field, read from the catalogue) joined to its check."""

    check: Callable[[Profile, Framework], Flag | None] = field(kw_only=True)


def make_rule(info: RuleInfo, finder: Finder) -> Rule:
    """Join a rule's declaration to its logic: a check that turns a finding into a ``Flag``."""

    def check(profile: Profile, framework: Framework) -> Flag | None:
        finding = finder(profile, framework)
        if finding is None:
            return None
        severity = finding.severity
        circumstance = finding.circumstance
        reasons = _modelled_reasons(info, framework) if severity != "undetermined" else ()
        if reasons:
            circumstance = f"{circumstance} {MODELLED_FIGURE} {' '.join(reasons)}"
        if finding.modelled or reasons:
            # A modelled figure can show a risk but cannot show that someone is shut out.
            severity = "medium" if severity == "high" else severity
        if finding.modelled and not reasons and not _said_modelled(finding):
            circumstance = f"{circumstance} {MODELLED_NOTE}"
        return Flag(
            rule=info.id,
            category=info.category,
            severity=severity,
            requirement=finding.requirement,
            circumstance=circumstance,
            explanation=info.rationale,
            mitigations=tuple(dict.fromkeys((*finding.mitigations, *info.mitigations))),
        )

    return Rule(**vars(info), check=check)


def soften(severity: Severity, steps: int = 1) -> Severity:
    """One level milder per step, never below low: a mitigation helps but does not remove the risk."""
    order: tuple[Severity, ...] = ("high", "medium", "low")
    return order[min(order.index(severity) + steps, len(order) - 1)]


def undetermined(requirement: str, unknown: str, answer: str) -> Finding:
    return Finding(
        "undetermined",
        requirement,
        f"We don't know {unknown}: tell us {answer} to check this requirement.",
        ("Answer that question in your profile and CertReady will check this requirement for you.",),
    )
