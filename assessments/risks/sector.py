"""Eligibility by sector."""

from __future__ import annotations

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.risks.model import Finder, Finding, undetermined
from assessments.risks.wording import (
    SECTOR_NAMES,
    WORKPLACE_NAMES,
    join,
)


def _sector(profile: Profile, framework: Framework) -> Finding | None:
    sectors = framework.eligibility.sectors
    if not sectors:
        return None
    requirement = f"Open to people working in {join([SECTOR_NAMES[s] for s in sectors], 'or')}."
    if profile.sector is None:
        return undetermined(requirement, "which sector you work in", "your sector")
    if profile.sector in sectors:
        return None
    specific: list[str] = []
    if profile.sector in ("social-care", "local-authority", "voluntary-sector", "independent-sector"):
        specific.append(
            "If your organisation delivers NHS-commissioned services, ask whether that makes you "
            "eligible: earlier cohorts of some programmes admitted such staff."
        )
    if profile.sector == "social-care":
        specific.append("Look at the Level 5 Award in Understanding Digital Leadership in Adult Social Care.")
    return Finding(
        "high",
        requirement,
        f"You told us you work in {WORKPLACE_NAMES[profile.sector]}.",
        tuple(specific),
    )


FINDERS: dict[str, Finder] = {
    "sector": _sector,
}
