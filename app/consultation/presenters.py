"""Words for a consultation's groups and figures: labels from the declared vocabularies, never codes."""

from __future__ import annotations

from app.journey.choices import label as profile_label
from assessments import consultation as domain

SPLIT_LABELS = {"staff_group": "Staff group", "working_pattern": "Working pattern"}
SIDE_NAMES = {"advantage": "Advantage", "disadvantage": "Disadvantage"}
"""One item's side, as a table cell reads it (``domain.SIDE_LABELS`` are the plural headings)."""
assert set(SIDE_NAMES) == set(domain.SIDES)
PHASE_LABELS = {
    "draft": "Not open yet",
    "gather": "Gathering ideas",
    "vote": "Voting",
    "closed": "Closed",
}


def group_label(split: str, group: str) -> str:
    """A group's name as people read it; an unknown value is a bug and raises."""
    if split == "staff_group":
        return domain.STAFF_GROUP_LABELS[group]
    if split == "working_pattern":
        if group == domain.NOT_GIVEN:
            return "Not given"
        if group not in domain.WORKING_PATTERNS:
            raise KeyError(group)
        return profile_label("contract", group)
    raise KeyError(split)


def working_pattern_label(value: str) -> str:
    return group_label("working_pattern", value)


def percent(value: float | None) -> str:
    return domain.percent(value)


def points(value: float) -> str:
    """A gap in percentage points, one decimal: "5.4 percentage points"."""
    return f"{value:.1f} percentage points"


def gap_sentence(results: domain.Results, split: str) -> str | None:
    """ "Gap between groups: 5.4 percentage points (non-clinical staff 70%, clinical staff 64%)." """
    gap = results.gap(split)
    if gap is None:
        return None
    shares = {group.group: group.advantage_share for group in results.shown(split)}
    high = f"{group_label(split, gap.highest).lower()} {percent(shares[gap.highest])}"
    low = f"{group_label(split, gap.lowest).lower()} {percent(shares[gap.lowest])}"
    return f"Gap between groups: {points(gap.points)} ({high}, {low})."
