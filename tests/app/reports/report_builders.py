"""Report inputs built by hand: a small framework and an Outcome.to_json()-shaped result.

The result is built here rather than by ``assessments.engine.run`` so renderer tests pin
exactly what the report must print (every number, flag and mitigation comes from here).
``test_report_renderer`` also renders a real ``engine.run`` outcome to catch shape drift.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from app.reports.renderer import ReportInputs
from assessments.framework import Framework, parse_framework
from assessments.results import BAND_LABELS
from tests.fixtures.frameworks import ALL_MODELLED

AREAS = ("strategy", "leadership", "change", "data", "technology", "governance")


def framework_data(*, domains: int = 4, per_domain: int = 3, name: str = "Digital Leaders Programme") -> dict:
    return {
        "id": "test-programme",
        "name": name,
        "provider": "Test Academy",
        "version": "2026.1",
        "source": "https://example.org/programme",
        "sources": [{"title": "Programme handbook", "url": "https://example.org/handbook.pdf"}],
        "provenance": ALL_MODELLED,
        "summary": "A programme used in tests.",
        "roles": ["any"],
        "levels": [
            {"value": 0, "label": "None"},
            {"value": 1, "label": "Aware"},
            {"value": 2, "label": "Working"},
            {"value": 3, "label": "Practitioner"},
            {"value": 4, "label": "Expert"},
        ],
        "domains": [
            {
                "id": f"domain-{d}",
                "title": f"Domain {d} {AREAS[d % len(AREAS)].title()} and delivery",
                "criteria": [
                    {
                        "id": f"d{d}.c{c}",
                        "title": f"Criterion {d}.{c} leads {AREAS[(d + c) % len(AREAS)]} work",
                        "description": f"Leads work of kind {d}.{c} across the organisation.",
                        "area": AREAS[(d + c) % len(AREAS)],
                        "required_level": 3,
                        "weight": 1.0 + c,
                        "actions": [f"Shadow a leader doing {d}.{c} work", f"Lead a small {d}.{c} project"],
                    }
                    for c in range(1, per_domain + 1)
                ],
            }
            for d in range(1, domains + 1)
        ],
        "delivery": {
            "format": "blended",
            "duration_months": 12,
            "study_hours_per_week": 6,
            "fees_published": False,
        },
    }


def framework(**kwargs: Any) -> Framework:
    return parse_framework(framework_data(**kwargs), "test-programme.yaml")


FLAGS = (
    {
        "rule": "in-person-days",
        "category": "attendance",
        "severity": "high",
        "requirement": "Attend 10 in-person days in London",
        "circumstance": "You told us you cannot attend in person",
        "explanation": "Missing residential days can mean not completing.",
        "mitigations": ["Ask about the remote attendance option", "Request reasonable adjustments"],
    },
    {
        "rule": "fees",
        "category": "cost",
        "severity": "medium",
        "requirement": "A fee of £4,000 paid by you",
        "circumstance": "Your employer does not fund development",
        "explanation": "",
        "mitigations": ["Apply for the programme bursary"],
    },
    {
        "rule": "membership",
        "category": "eligibility",
        "severity": "undetermined",
        "requirement": "Membership of a professional body",
        "circumstance": "Whether you are a member",
        "explanation": "",
        "mitigations": [],
    },
)


def result(
    fw: Framework,
    *,
    levels: Mapping[str, int | None] | None = None,
    evidence: Mapping[str, str] | None = None,
    flags: Sequence[Mapping[str, Any]] = FLAGS,
    score: float = 63.4,
    band: str = "developing",
) -> dict[str, Any]:
    """An Outcome.to_json()-shaped dict; ``levels`` maps criterion id to a level or None (no opportunity)."""
    levels = levels or {}
    evidence = evidence or {}
    criteria = []
    for index, (domain, criterion) in enumerate(fw.criteria()):
        level = levels.get(criterion.id, index % 5)
        no_opportunity = criterion.id in levels and levels[criterion.id] is None
        scored = 0 if level is None else level
        criteria.append(
            {
                "id": criterion.id,
                "title": criterion.title,
                "domain_id": domain.id,
                "area": criterion.area,
                "required_level": criterion.required_level,
                "level": level,
                "gap": max(0, criterion.required_level - scored),
                "weight": criterion.weight,
                "no_opportunity": no_opportunity,
                "unrated": False,
                "evidence": evidence.get(criterion.id, ""),
            }
        )
    domains = []
    for number, domain in enumerate(fw.domains):
        mine = [c for c in criteria if c["domain_id"] == domain.id]
        domains.append(
            {
                "id": domain.id,
                "title": domain.title,
                "score": round(40 + number * 7.5, 1),
                "mean_level": round(sum((c["level"] or 0) for c in mine) / len(mine), 2),
                "mean_required": round(sum(c["required_level"] for c in mine) / len(mine), 2),
            }
        )
    priorities = sorted((c for c in criteria if c["gap"]), key=lambda c: -c["gap"] * c["weight"])
    strengths = [c for c in criteria if not c["gap"]]
    counts = {
        severity: sum(f["severity"] == severity for f in flags)
        for severity in ("high", "medium", "low", "undetermined")
    }
    return {
        "schema": 1,
        "framework": fw.id,
        "framework_version": fw.version,
        "framework_name": fw.name,
        "provider": fw.provider,
        "readiness": {
            "score": score,
            "band": band,
            "band_label": BAND_LABELS[band],
            "domains": domains,
            "gaps": len(priorities),
            "no_opportunity": sum(c["no_opportunity"] for c in criteria),
            "unrated": 0,
        },
        "criteria": criteria,
        "priorities": priorities,
        "strengths": strengths,
        "fit": {
            "framework_id": fw.id,
            "percent": 72.5,
            "areas": [{"area": "strategy", "title": "Strategy and vision", "need": 0.4, "coverage": 0.9}],
        },
        "risks": [dict(flag) for flag in flags],
        "risk_counts": counts,
        "estimates": [
            {
                "framework_id": fw.id,
                "framework_name": fw.name,
                "provider": fw.provider,
                "readiness": score,
                "band": band,
                "fit": 72.5,
                "high_flags": counts["high"],
                "flags": len(flags),
                "basis": 1.0,
                "is_estimate": False,
            },
            {
                "framework_id": "other-programme",
                "framework_name": "Other Leadership Award",
                "provider": "Other Body",
                "readiness": 48.2,
                "band": "developing",
                "fit": None,
                "high_flags": 0,
                "flags": 1,
                "basis": 0.625,
                "is_estimate": True,
            },
        ],
    }


def inputs(fw: Framework | None = None, **kwargs: Any) -> ReportInputs:
    fw = fw or framework()
    participant = kwargs.pop("participant", "Alex Example")
    return ReportInputs(
        framework=fw,
        result=result(fw, **kwargs),
        reference="CR-000123",
        assessed_on=date(2026, 11, 25),
        participant=participant,
    )
