"""The rule catalogue of one programme: how often each rule fires and what it asks."""

from __future__ import annotations

from dataclasses import dataclass

from app.designer import analytics, eia, services
from app.designer.models import RequirementJustification
from app.designer.pages.common import Labels, min_cell, programme
from assessments.framework import Framework


@dataclass(frozen=True)
class Rules:
    framework: Framework
    catalogue: list[analytics.CatalogueRow]
    """Counts protected within each rule (a hidden count is None)."""
    justifications: dict[str, RequirementJustification]
    requirements: dict[str, eia.Requirement]
    """The programme's own requirements, by rule id; a rule it does not have is absent."""
    synthetic: bool
    labels: Labels


def rules(framework_id: str) -> Rules:
    framework = programme(framework_id)
    return Rules(
        framework=framework,
        catalogue=analytics.catalogue(framework, min_cell()),
        justifications=services.justifications(framework.id),
        requirements={requirement.id: requirement for requirement in eia.requirements(framework)},
        synthetic=services.cohort_is_synthetic(framework.id),
        labels=Labels(),
    )
