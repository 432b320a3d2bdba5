"""One call from answers to everything a participant is shown.

The CLI's ``assess --json``, the web app's stored result, the PDF report and the
cohort snapshot all come from ``Outcome.to_json()``, so every surface shows the same
numbers. A stored outcome is never recomputed: results stay as they were on the day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assessments import risks, scoring
from assessments.errors import InputError
from assessments.framework import Framework, resolve_framework, shipped_frameworks
from assessments.profile import Profile, load_profile
from assessments.ratings import Rating, load_ratings
from assessments.results import (
    BAND_LABELS,
    ELIGIBILITY_STATUSES,
    SEVERITY_ORDER,
    Eligibility,
    Estimate,
    Fit,
    Flag,
    Readiness,
)

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Outcome:
    framework: Framework
    readiness: Readiness
    fit: Fit
    flags: tuple[Flag, ...]
    eligibility: Eligibility
    """Whether the person may apply, apart from how ready their skills are (issue 11 §4)."""
    estimates: tuple[Estimate, ...]
    """Every programme in the catalogue (this one included, as the real score), best first:
    eligible programmes first, then fewest high flags, then highest readiness."""

    def to_json(self) -> dict[str, Any]:
        """The stored and printed shape (documented in docs/scoring.md)."""
        readiness = self.readiness
        by_severity = dict.fromkeys(SEVERITY_ORDER, 0)
        for flag in self.flags:
            by_severity[flag.severity] += 1
        return {
            "schema": SCHEMA_VERSION,
            "framework": self.framework.id,
            "framework_version": self.framework.version,
            "framework_name": self.framework.name,
            "provider": self.framework.provider,
            "readiness": {
                "score": round(readiness.score, 1),
                "band": readiness.band,
                "band_label": BAND_LABELS[readiness.band],
                "domains": [
                    {
                        "id": domain.id,
                        "title": domain.title,
                        "score": round(domain.score, 1),
                        "mean_level": round(domain.mean_level, 2),
                        "mean_required": round(domain.mean_required, 2),
                    }
                    for domain in readiness.domains
                ],
                "gaps": readiness.gaps,
                "no_opportunity": readiness.no_opportunity,
                "unrated": readiness.unrated,
            },
            "criteria": [asdict(criterion) for criterion in readiness.criteria],
            "priorities": [asdict(criterion) for criterion in readiness.priorities],
            "strengths": [asdict(criterion) for criterion in readiness.strengths],
            "fit": self.fit.to_dict(),
            "risks": [flag.to_dict() for flag in self.flags],
            "risk_counts": by_severity,
            "eligibility": self.eligibility.to_dict(),
            "estimates": [estimate.to_dict() for estimate in self.estimates],
        }


def run(
    framework: Framework,
    profile: Profile,
    ratings: Mapping[str, Rating],
    catalogue: Mapping[str, Framework] | None = None,
) -> Outcome:
    """Score the ratings, check the profile against every programme and rank them for this person."""
    readiness = scoring.readiness(framework, ratings)
    needs = scoring.area_needs(framework, ratings)
    flags = risks.evaluate(profile, framework)
    others = dict(catalogue or {})
    others[framework.id] = framework
    estimates = []
    for target in others.values():
        target_flags = flags if target.id == framework.id else risks.evaluate(profile, target)
        target_eligibility = eligibility(target_flags)
        score, band, basis = scoring.estimate(framework, ratings, target)
        estimates.append(
            Estimate(
                framework_id=target.id,
                framework_name=target.name,
                provider=target.provider,
                readiness=round(score, 1),
                band=band,
                fit=_rounded(scoring.fit(target, needs).percent),
                high_flags=sum(flag.severity == "high" for flag in target_flags),
                flags=sum(flag.severity in ("high", "medium", "low") for flag in target_flags),
                basis=round(basis, 3),
                eligibility=target_eligibility,
                is_estimate=target.id != framework.id,
            )
        )
    estimates.sort(key=_comparison_order)
    return Outcome(
        framework=framework,
        readiness=readiness,
        fit=scoring.fit(framework, needs),
        flags=flags,
        eligibility=eligibility(flags),
        estimates=tuple(estimates),
    )


def eligibility(flags: tuple[Flag, ...]) -> Eligibility:
    """Not eligible when an eligibility rule's flag is high; undetermined when one could not decide.

    Which rules are eligibility rules is the rule catalogue's word (``decides_eligibility``: the
    eligibility categories, plus the nation and employer-commitment rules), not the flag's.
    """
    return Eligibility.from_findings(
        [(flag.rule, risks.rule_by_id(flag.rule).category, flag.severity) for flag in flags]
    )


# ELIGIBILITY_STATUSES runs from "eligible" to "not-eligible": its order is the comparison's.
_ELIGIBILITY_RANK = {status: rank for rank, status in enumerate(ELIGIBILITY_STATUSES)}


def _comparison_order(estimate: Estimate) -> tuple[int, int, float, float, str]:
    """Programmes the person may apply for first, then fewest high flags, then highest readiness."""
    return (
        _ELIGIBILITY_RANK[estimate.eligibility.status],
        estimate.high_flags,
        -estimate.readiness,
        -(estimate.fit or 0),
        estimate.framework_name,
    )


def run_files(
    framework_id_or_file: str,
    profile_path: Path | str,
    ratings_path: Path | str,
    catalogue: Mapping[str, Framework] | None = None,
) -> Outcome:
    """``run`` on files: a shipped framework id or a YAML path, a profile file and a ratings file.

    Problems in the profile and in the ratings are reported together, so one attempt shows
    everything to fix. ``catalogue`` defaults to the shipped frameworks.
    """
    if catalogue is None:  # first: a shipped id is then looked up in it, not read a second time
        catalogue = shipped_frameworks()
    framework = resolve_framework(framework_id_or_file)
    problems: list[str] = []
    profile = ratings = None
    try:
        profile = load_profile(profile_path)
    except InputError as problem:
        problems += problem.problems
    try:
        ratings = load_ratings(ratings_path, framework)
    except InputError as problem:
        problems += problem.problems
    if problems or profile is None or ratings is None:
        raise InputError(problems)
    return run(framework, profile, ratings, catalogue)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
