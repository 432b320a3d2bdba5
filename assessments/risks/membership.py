"""Eligibility by membership of a professional body."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.bodies import bodies_named, memberships_held
from assessments.framework import Eligibility, Framework
from assessments.profile import Profile
from assessments.risks.model import Finder, Finding, undetermined
from assessments.risks.shared import normalise
from assessments.risks.wording import join, mid_sentence


@dataclass(frozen=True)
class _Verdict:
    met: bool | None
    """True: a listed membership is one of the bodies; False: none is; None: we cannot tell."""
    unknown: tuple[str, ...] = ()
    """Memberships the person listed that name no body we know."""


def _required_bodies(eligibility: Eligibility) -> frozenset[str]:
    """The bodies the framework names by id, or failing that the known bodies its words name.

    Frameworks written in the designer's form give only words; the shipped ones give ids.
    """
    if eligibility.membership_bodies:
        return frozenset(eligibility.membership_bodies)
    return bodies_named(eligibility.membership_required or "")


def _verdict(eligibility: Eligibility, memberships: tuple[str, ...]) -> _Verdict:
    required = _required_bodies(eligibility)
    held, unknown = memberships_held(memberships)
    if held & required:
        return _Verdict(True)
    if not required:
        # No body we know: only the very words of the requirement count as a match.
        wanted = normalise(eligibility.membership_required or "")
        if any(normalise(membership) == wanted for membership in memberships):
            return _Verdict(True)
        return _Verdict(None if unknown else False, unknown)
    if eligibility.membership_other_bodies and unknown:
        return _Verdict(None, unknown)
    return _Verdict(False, unknown)


def membership_missing(profile: Profile, framework: Framework) -> bool:
    """The programme needs a membership and the person told us theirs, none of which meets it."""
    eligibility = framework.eligibility
    if not eligibility.membership_required or profile.memberships is None:
        return False
    return _verdict(eligibility, profile.memberships).met is False


def _membership(profile: Profile, framework: Framework) -> Finding | None:
    eligibility = framework.eligibility
    required = eligibility.membership_required
    if not required:
        return None
    requirement = f"Membership of {mid_sentence(required)}."
    if profile.memberships is None:
        return undetermined(requirement, "which professional bodies you belong to", "your memberships")
    verdict = _verdict(eligibility, profile.memberships)
    if verdict.met:
        return None
    if verdict.met is None:
        yours = join(verdict.unknown)
        return Finding(
            "undetermined",
            requirement,
            f"You told us you belong to {yours}. We cannot tell whether that counts: "
            "check with the provider before you apply.",
            (f"Ask the provider whether membership of {yours} meets this requirement.",),
        )
    circumstance = (
        f"You told us you belong to {join(profile.memberships)}, which is not {mid_sentence(required)}."
        if profile.memberships
        else "You told us you do not belong to a professional body."
    )
    return Finding("medium", requirement, circumstance)


FINDERS: dict[str, Finder] = {
    "membership": _membership,
}
