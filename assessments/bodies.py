"""Professional bodies a programme can require membership of: one declaration each, as data.

A framework names the bodies it accepts by id (``eligibility.membership_bodies``); a person
lists their memberships in their own words ("BCS", "MBCS", "Member of the British Computer
Society"). ``bodies_named`` turns those words into body ids by matching whole words against
each body's known names and abbreviations, so "BCS" is "The Chartered Institute for IT"
and no list of filler words is needed. Sources for each body are in
``shared/reference/certifications.md`` (sections 2, 3 and 8).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    """How the body is named in a sentence, e.g. "BCS, The Chartered Institute for IT"."""
    known_as: tuple[str, ...]
    """Every name, abbreviation and membership post-nominal a person might write for it."""


BODIES: tuple[Body, ...] = (
    Body(
        "bcs",
        "BCS, The Chartered Institute for IT",
        (
            "BCS",
            "British Computer Society",
            "The Chartered Institute for IT",
            "BCS The Chartered Institute for IT",
            # Professional member and fellow written as post-nominals. Associate (AMBCS) is left
            # out on purpose: it does not meet CITP's "MBCS or FBCS", so it is read as unknown.
            "MBCS",
            "FBCS",
        ),
    ),
    Body(
        "chime",
        "CHIME (the College of Healthcare Information Management Executives)",
        ("CHIME", "College of Healthcare Information Management Executives"),
    ),
    Body("chime-international", "CHIME International", ("CHIME International",)),
    Body(
        "apha",
        "AphA (the Association of Professional Healthcare Analysts)",
        ("AphA", "Association of Professional Healthcare Analysts"),
    ),
    Body(
        "ihrim",
        "IHRIM (the Institute of Health Records and Information Management)",
        ("IHRIM", "Institute of Health Records and Information Management"),
    ),
    Body(
        "cilip",
        "CILIP (the Chartered Institute of Library and Information Professionals)",
        ("CILIP", "Chartered Institute of Library and Information Professionals", "MCLIP", "FCLIP"),
    ),
)

BODY_IDS: tuple[str, ...] = tuple(body.id for body in BODIES)
_BY_ID = {body.id: body for body in BODIES}


def body(body_id: str) -> Body:
    """The body with this id; a clear KeyError naming the known ids otherwise."""
    try:
        return _BY_ID[body_id]
    except KeyError:
        raise KeyError(f"no professional body '{body_id}'; known bodies: {', '.join(BODY_IDS)}") from None


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


_NAMES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((_words(name), item.id) for item in BODIES for name in item.known_as),
        key=lambda pair: -len(pair[0]),
    )
)
"""(normalised name, body id), longest first, so "chime international" is read before "chime"."""


def bodies_named(text: str) -> frozenset[str]:
    """The ids of every body whose name or abbreviation appears in ``text`` as whole words.

    Longer names win over the shorter names inside them: "CHIME International" is the
    international body only, and "BCS Health and Care" is BCS.
    """
    remaining = f" {_words(text)} "
    found: set[str] = set()
    for name, body_id in _NAMES:
        if f" {name} " in remaining:
            found.add(body_id)
            remaining = remaining.replace(f" {name} ", " | ")
    return frozenset(found)


def memberships_held(memberships: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """(the bodies a person's listed memberships name, the memberships we do not recognise)."""
    held: set[str] = set()
    unknown: list[str] = []
    for membership in memberships:
        named = bodies_named(membership)
        held |= named
        if not named:
            unknown.append(membership)
    return frozenset(held), tuple(unknown)
