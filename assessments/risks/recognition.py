"""Recognition of prior learning."""

from __future__ import annotations

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.risk_catalogue import (
    INFORMAL_SHARE_THRESHOLD,
)
from assessments.risks.model import Finder, Finding
from assessments.risks.shared import (
    informal_routes,
)
from assessments.risks.wording import (
    ROUTE_NAMES,
    join,
)


def _informal_learning_not_recognised(profile: Profile, framework: Framework) -> Finding | None:
    routes = profile.learning_routes
    if framework.eligibility.recognises_prior_learning or not routes:
        return None
    informal = informal_routes(profile)
    if len(informal) / len(routes) <= INFORMAL_SHARE_THRESHOLD:
        return None
    return Finding(
        "medium",
        "No recognition of prior learning is published: only formal qualifications and paid roles count.",
        f"You learned mostly through {join([ROUTE_NAMES[r] for r in informal])}.",
    )


FINDERS: dict[str, Finder] = {
    "informal-learning-not-recognised": _informal_learning_not_recognised,
}
