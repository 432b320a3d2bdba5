"""Exclusion risks: where a programme's delivery or eligibility collides with a person's circumstances.

Each rule is a small pure function that compares one profile with one framework and either
stays silent or returns a ``Flag`` naming the programme requirement, the personal
circumstance it collides with, and what would help. What each rule is (its id, category,
wording, what it reads, its thresholds) is declared as data in ``assessments.risk_catalogue`` (outside
this package, so that the metadata loads without the rules, the framework or the profile model); how
it decides lives in one module per category; ``docs/risk-rules.md`` is generated from the catalogue.

Two promises hold for every rule:

- Unknown answers never raise a flag by themselves. A rule that needs an answer the person
  has not given stays silent, except an eligibility rule, which is listed as ``undetermined``
  and says which answer would decide it.
- Equality answers (``EQUALITY_FIELDS``) are never read. ``evaluate`` strips them before any
  rule runs, because individual flags built from protected characteristics would be an
  individual-level use of special category data (see the privacy notes, section C3).
"""

from __future__ import annotations

from assessments.framework import Framework
from assessments.profile import Profile
from assessments.results import SEVERITY_ORDER, Flag
from assessments.risk_catalogue import (
    CATEGORIES,
    CATEGORY_LABELS,
    INFORMAL_ROUTES,
    RULE_INFO,
    THRESHOLDS,
    RuleInfo,
    category_label,
)
from assessments.risks import (
    accessibility,
    attendance,
    cost,
    experience,
    membership,
    nation,
    qualification,
    recognition,
    sector,
    sponsorship,
    staff,
    time,
    travel,
)
from assessments.risks.model import Finder, Finding, Rule, make_rule
from assessments.risks.shared import weekly_load

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "INFORMAL_ROUTES",
    "RULES",
    "RULE_INFO",
    "THRESHOLDS",
    "Finding",
    "Rule",
    "RuleInfo",
    "category_label",
    "evaluate",
    "rule_by_id",
    "weekly_load",
]

_MODULES = (
    time,
    attendance,
    travel,
    cost,
    sector,
    nation,
    staff,
    qualification,
    experience,
    membership,
    sponsorship,
    recognition,
    accessibility,
)


def _finders() -> dict[str, Finder]:
    """Every category module's finders by rule id; each id declared once and implemented once."""
    finders: dict[str, Finder] = {}
    for module in _MODULES:
        for rule_id, finder in module.FINDERS.items():
            if rule_id in finders:
                raise RuntimeError(f"two modules implement the exclusion-risk rule '{rule_id}'")
            finders[rule_id] = finder
    declared = [info.id for info in RULE_INFO]
    if len(set(declared)) != len(declared):
        raise RuntimeError("an exclusion-risk rule id is declared twice in the catalogue")
    if set(finders) != set(declared):
        raise RuntimeError(
            "exclusion-risk rules declared without logic, or logic without a declaration: "
            f"{sorted(set(finders) ^ set(declared))}"
        )
    return finders


def _rules() -> tuple[Rule, ...]:
    finders = _finders()
    return tuple(make_rule(info, finders[info.id]) for info in RULE_INFO)


RULES: tuple[Rule, ...] = _rules()
_BY_ID = {rule.id: rule for rule in RULES}
_RANK = {severity: index for index, severity in enumerate(SEVERITY_ORDER)}


def rule_by_id(rule_id: str) -> Rule:
    """The rule with this id; a clear KeyError naming the known ids otherwise."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"no exclusion-risk rule '{rule_id}'; known rules: {', '.join(_BY_ID)}") from None


def evaluate(profile: Profile, framework: Framework) -> tuple[Flag, ...]:
    """Every flag for this person and programme: high first, then medium, low and undetermined.

    Equality answers are removed before any rule sees the profile, so they cannot change a flag.
    Within a severity, flags keep the catalogue's order.
    """
    safe = profile.without_equality()
    flags = [flag for rule in RULES if (flag := rule.check(safe, framework)) is not None]
    return tuple(sorted(flags, key=lambda flag: _RANK[flag.severity]))
