"""The drafted equality impact assessment and the justification a designer writes for a requirement."""

from __future__ import annotations

from dataclasses import dataclass

from app.designer import eia, services
from app.designer.models import RequirementJustification
from app.designer.pages.common import Missing, min_cell, programme
from app.models import User
from assessments import risks
from assessments.framework import Framework


@dataclass(frozen=True)
class EqualityImpact:
    framework: Framework
    draft: eia.Draft
    synthetic: bool
    sign_off_roles: tuple[str, ...]


def equality_impact(framework_id: str) -> EqualityImpact:
    framework = programme(framework_id)
    draft = eia.draft(framework, min_cell())
    return EqualityImpact(
        framework=framework, draft=draft, synthetic=draft.synthetic, sign_off_roles=eia.SIGN_OFF
    )


@dataclass(frozen=True)
class Justify:
    framework: Framework
    rule: risks.Rule
    requirement: eia.Requirement | None
    """What the programme asks, when it has a requirement this rule reads; None otherwise."""
    existing: RequirementJustification | None
    """The justification saved so far, which the form starts from."""


def justify(framework_id: str, rule_id: str) -> Justify:
    framework = programme(framework_id)
    try:
        rule = risks.rule_by_id(rule_id)
    except KeyError:
        raise Missing(f"no rule {rule_id!r}") from None
    return Justify(
        framework=framework,
        rule=rule,
        requirement=next((r for r in eia.requirements(framework) if r.id == rule.id), None),
        existing=services.justifications(framework.id).get(rule.id),
    )


def save_justification(
    user: User, page: Justify, *, legitimate_aim: str, proportionality: str, mitigations: str
) -> None:
    services.save_justification(
        user,
        page.framework.id,
        page.rule.id,
        legitimate_aim=legitimate_aim,
        proportionality=proportionality,
        mitigations=mitigations,
    )
