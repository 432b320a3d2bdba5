"""Eligibility by staff group and statutory registration."""

from __future__ import annotations

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.risks.model import Finder, Finding, undetermined
from assessments.risks.wording import (
    join,
)


def _staff_group(profile: Profile, framework: Framework) -> Finding | None:
    groups = framework.eligibility.staff_groups
    if not groups or profile.staff_group in groups:
        return None
    return Finding(
        "high",
        f"Open to {join([f'{g} staff' for g in groups], 'or')} only.",
        f"You told us you are {profile.staff_group} staff.",
    )


def _professional_registration(profile: Profile, framework: Framework) -> Finding | None:
    if not framework.eligibility.professional_registration_required:
        return None
    requirement = "Registration with a statutory regulator (for example the GMC, NMC or HCPC)."
    if profile.professional_registration is None:
        return undetermined(
            requirement,
            "whether you are professionally registered",
            "whether you hold a statutory registration",
        )
    if profile.professional_registration:
        return None
    specific: tuple[str, ...] = ()
    if profile.staff_group == "non-clinical":
        specific = ("As non-clinical staff, look for registers built for informatics, such as FEDIP.",)
    return Finding(
        "high",
        requirement,
        "You told us you are not registered with a statutory regulator.",
        specific,
    )


FINDERS: dict[str, Finder] = {
    "staff-group": _staff_group,
    "professional-registration": _professional_registration,
}
