"""Eligibility by minimum qualification."""

from __future__ import annotations

from assessments.framework import QUALIFICATION_ORDER, Framework
from assessments.profile import Profile
from assessments.results import Severity
from assessments.risks.model import Finder, Finding, soften, undetermined
from assessments.risks.shared import (
    informal_routes,
)
from assessments.risks.wording import (
    QUALIFICATION_NAMES,
    ROUTE_NAMES,
    join,
)


def _minimum_qualification(profile: Profile, framework: Framework) -> Finding | None:
    eligibility = framework.eligibility
    required = eligibility.min_qualification
    if required == "none":
        return None
    name = QUALIFICATION_NAMES[required]
    # Some level names already say "or equivalent" ("a master's degree or equivalent (level 7)").
    requirement = f"At least {name}." if "equivalent" in name else f"At least {name}, or equivalent."
    held = profile.highest_qualification
    if held is None:
        return undetermined(requirement, "your highest qualification", "your highest qualification")
    if QUALIFICATION_ORDER.index(held) >= QUALIFICATION_ORDER.index(required):
        return None
    severity: Severity = "high"
    specific: list[str] = []
    if eligibility.qualification_alternative_route:
        severity = soften(severity)
        specific.append(
            "The programme has a route for people without the usual qualification: ask about it "
            "before you apply."
        )
    if eligibility.recognises_prior_learning:
        severity = soften(severity)
        specific.append(
            "The programme recognises prior learning: ask about recognition of prior experiential "
            "learning (APEL) for what you learned at work and elsewhere."
        )
    circumstance = f"Your highest qualification is {QUALIFICATION_NAMES[held]}."
    informal = informal_routes(profile)
    if informal:
        circumstance += (
            f" You also learned through {join([ROUTE_NAMES[r] for r in informal])}, which does not "
            "show up as a qualification but can be evidenced."
        )
    return Finding(severity, requirement, circumstance, tuple(specific))


FINDERS: dict[str, Finder] = {
    "minimum-qualification": _minimum_qualification,
}
