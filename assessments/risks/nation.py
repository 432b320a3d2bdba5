"""Jurisdiction: places open in some nations, and content built around US practice."""

from __future__ import annotations

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.risk_catalogue import (
    UK_NATIONS,
)
from assessments.risks.model import Finder, Finding, undetermined
from assessments.risks.wording import (
    NATION_NAMES,
    in_nation,
    join,
)


def _nation(profile: Profile, framework: Framework) -> Finding | None:
    nations = framework.eligibility.nations
    if not nations:
        return None
    requirement = f"Open to people working {join([in_nation(n) for n in nations], 'or')}."
    conditional = framework.eligibility.conditional_nations
    if conditional is not None:
        requirement = f"{requirement[:-1]}; elsewhere, {conditional.condition}."
    if profile.nation is None:
        return undetermined(requirement, "where you work", "the nation you work in")
    if profile.nation in nations:
        return None
    here = f"You told us you work {in_nation(profile.nation)}."
    home = join([NATION_NAMES[n] for n in nations], "and")
    if conditional is not None and profile.nation in conditional.nations:
        # Some places are open here (for example a few sponsored ones): a real but smaller chance.
        return Finding(
            "medium",
            requirement,
            f"{here} You would need one of the fewer places open outside {home}.",
            (f"Ask the programme how and when to apply for its places outside {home}.",),
        )
    return Finding("high", requirement, here)


def _us_content(profile: Profile, framework: Framework) -> Finding | None:
    if framework.delivery.content_jurisdiction != "us" or profile.nation not in UK_NATIONS:
        return None
    return Finding(
        "medium",
        "The content and exam are built around US law, regulation and health-system practice.",
        f"You told us you work in {NATION_NAMES[profile.nation]}.",
    )


FINDERS: dict[str, Finder] = {
    "nation": _nation,
    "us-content": _us_content,
}
