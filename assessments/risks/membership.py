"""Eligibility by membership of a professional body."""

from __future__ import annotations

from collections.abc import Iterable

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.risks.model import Finder, Finding, undetermined
from assessments.risks.shared import (
    normalise,
)
from assessments.risks.wording import (
    join,
    mid_sentence,
)

_MEMBERSHIP_FILLER = {"a", "an", "the", "or", "and", "of", "e", "g", "eg", "body", "member", "international"}


def holds_membership(required: str, memberships: Iterable[str]) -> bool:
    """Matched by name: a listed membership that appears as whole words in the requirement counts."""
    wanted = f" {normalise(required)} "
    for membership in memberships:
        name = normalise(membership)
        if not name or name in _MEMBERSHIP_FILLER:
            continue
        if f" {name} " in wanted or f" {normalise(required)} " in f" {name} ":
            return True
    return False


def _membership(profile: Profile, framework: Framework) -> Finding | None:
    required = framework.eligibility.membership_required
    if not required:
        return None
    requirement = f"Membership of {mid_sentence(required)}."
    if profile.memberships is None:
        return undetermined(requirement, "which professional bodies you belong to", "your memberships")
    if holds_membership(required, profile.memberships):
        return None
    circumstance = (
        f"You told us you belong to {join(profile.memberships)}, which is not {mid_sentence(required)}."
        if profile.memberships
        else "You told us you do not belong to a professional body."
    )
    return Finding("medium", requirement, circumstance)


FINDERS: dict[str, Finder] = {
    "membership": _membership,
}
