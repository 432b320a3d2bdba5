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
    eligibility = framework.eligibility
    sectors = eligibility.sectors
    if not sectors:
        return None
    conditional = eligibility.conditional_sectors
    if conditional is not None:
        # The programme's own words: they say who is in, better than our list of sectors could.
        requirement = f"Open to people {conditional.condition}."
    else:
        requirement = f"Open to {join([SECTOR_NAMES[s] for s in sectors], 'or')}."
    if profile.sector is None:
        return undetermined(requirement, "which sector you work in", "your sector")
    if profile.sector in sectors:
        return None
    workplace = WORKPLACE_NAMES[profile.sector]
    if conditional is not None and profile.sector in conditional.sectors:
        # A hospice, social enterprise or care provider may run a service the NHS commissions: whether
        # this person's does is not something their profile can tell, so they are told to check.
        return Finding(
            "medium",
            requirement,
            f"You told us you work in {workplace}. Whether you can apply depends on this condition, "
            "which your answers cannot tell us: check it with your employer and the programme.",
            (f"Ask your employer whether your service meets the condition: {conditional.condition}.",),
        )
    specific: list[str] = []
    if conditional is None and profile.sector in (
        "social-care",
        "local-authority",
        "voluntary-sector",
        "independent-sector",
    ):
        specific.append(
            "If your organisation delivers NHS-commissioned services, ask whether that makes you "
            "eligible: earlier cohorts of some programmes admitted such staff."
        )
    if profile.sector == "social-care":
        specific.append("Look at the Level 5 Award in Understanding Digital Leadership in Adult Social Care.")
    return Finding("high", requirement, f"You told us you work in {workplace}.", tuple(specific))


FINDERS: dict[str, Finder] = {
    "sector": _sector,
}
