"""What the inclusivity review groups by, and how an assessment becomes a cohort row.

One place maps each grouping to its SQL expression, its value labels and the plural phrases the
headline sentences use, and maps each rule to its bit in the stored flag masks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, not_, or_

from app.designer.models import ROUTE_COLUMNS, CohortRecord
from app.journey.choices import LABELS as answer_labels
from assessments import risks
from assessments.cohort import NOT_ANSWERED, PREFER_NOT_TO_SAY, high
from assessments.profile import EQUALITY_FIELDS, Profile
from assessments.risks import CATEGORIES, INFORMAL_ROUTES, RULES

RULE_BITS: dict[str, int] = {rule.id: 1 << index for index, rule in enumerate(RULES)}
RULE_CATEGORY: dict[str, str] = {rule.id: rule.category for rule in RULES}
FLAGGED_SEVERITIES = ("high", "medium", "low")
"""A person "carries" a flag at these severities; "undetermined" is counted apart."""

YES_NO_FIELDS = ("caring", "on_call", "professional_registration", "needs_adjustments")
_YES_NO_SOURCES = {
    "caring": "caring_responsibilities",
    "on_call": "on_call",
    "professional_registration": "professional_registration",
    "needs_adjustments": "needs_adjustments",
}
TEXT_FIELDS = (
    "staff_group",
    "contract",
    "sector",
    "role_level",
    "highest_qualification",
    "nation",
    "can_attend_in_person",
    "employer_support",
    "employer_funding",
)
NUMBER_FIELDS = (
    "hours_per_week",
    "study_hours_per_week_available",
    "study_leave_days_per_year",
    "max_travel_hours",
    "years_in_digital",
    "years_in_leadership",
)
RULE_COLUMNS: tuple[str, ...] = (
    *TEXT_FIELDS,
    *YES_NO_FIELDS,
    *NUMBER_FIELDS,
    "memberships",
    "learning_routes_answered",
    *ROUTE_COLUMNS.values(),
)
"""Every column a rule can read: the what-if groups by these and re-runs the rules once per combination."""


def _columns_for_answer(field: str) -> tuple[str, ...]:
    """The cohort columns a profile answer is stored in (all of them when it is not known here)."""
    if field in TEXT_FIELDS or field in NUMBER_FIELDS or field == "memberships":
        return (field,)
    sources = {source: column for column, source in _YES_NO_SOURCES.items()}
    if field in sources:
        return (sources[field],)
    if field == "learning_routes":
        return ("learning_routes_answered", *ROUTE_COLUMNS.values())
    return RULE_COLUMNS


RULE_INPUTS: dict[str, tuple[int, ...]] = {
    rule.id: tuple(
        sorted(
            {
                RULE_COLUMNS.index(column)
                for field in (*rule.profile_fields, "staff_group")
                for column in _columns_for_answer(field)
            }
        )
    )
    for rule in RULES
}
"""Per rule, the positions in ``RULE_COLUMNS`` of the answers it reads (``Rule.profile_fields``).

A rule's verdict depends only on these, so the what-if evaluates each rule once per distinct
combination of its own inputs. ``staff_group`` is always included: a cohort row without one
is rebuilt with a default (see ``profile_from_columns``).
"""


VALUE_LABELS: dict[str, str] = {
    # Designer tables need shorter words than the participant's questions
    # (app.journey.choices.LABELS, the fallback below), and a few groups of their own.
    NOT_ANSWERED: "Not answered",
    "clinical": "Clinical",
    "non-clinical": "Non-clinical",
    "self-employed": "Self-employed",
    "unsure": "Not sure",
    "formal-only": "Formal routes only",
    "mixed": "Formal and informal routes",
    "informal-only": "Informal routes only",
    "none-given": "No route named",
}


@dataclass(frozen=True)
class Grouping:
    key: str
    label: str
    noun: str
    """Used in phrases: "people whose <noun> is …"."""
    equality: bool = False

    def expression(self) -> ColumnElement[str]:
        """The SQL value each row is grouped under; NULL becomes "not-answered"."""
        if self.key == "learning_route":
            return learning_route_expression()
        return func.coalesce(getattr(CohortRecord, self.key), literal(NOT_ANSWERED))


def learning_route_expression() -> ColumnElement[str]:
    """One label per person from the route columns, so learning routes are a partition too."""
    informal = or_(*(getattr(CohortRecord, ROUTE_COLUMNS[route]) for route in INFORMAL_ROUTES))
    formal = or_(
        *(
            getattr(CohortRecord, column)
            for route, column in ROUTE_COLUMNS.items()
            if route not in INFORMAL_ROUTES
        )
    )
    return case(
        (not_(CohortRecord.learning_routes_answered), literal(NOT_ANSWERED)),
        (and_(formal, informal), literal("mixed")),
        (formal, literal("formal-only")),
        (informal, literal("informal-only")),
        else_=literal("none-given"),
    )


_EQUALITY_LABELS = {
    "age_band": ("Age band", "age band"),
    "sex": ("Sex", "sex"),
    "gender_same_as_birth": ("Gender identity same as sex registered at birth", "answer on gender identity"),
    "sexual_orientation": ("Sexual orientation", "sexual orientation"),
    "ethnic_group": ("Ethnic group", "ethnic group"),
    "religion": ("Religion or belief", "religion or belief"),
    "disability": ("Disability", "answer on disability"),
    "marriage_civil_partnership": ("Marriage or civil partnership", "marital status"),
    "pregnancy_maternity": ("Pregnancy or maternity", "answer on pregnancy or maternity"),
    "unpaid_care_hours": ("Unpaid care (hours a week)", "hours of unpaid care"),
    "socio_economic_background": ("Socio-economic background", "socio-economic background"),
}

GROUPINGS: dict[str, Grouping] = {
    grouping.key: grouping
    for grouping in (
        Grouping("staff_group", "Staff group", "staff group"),
        Grouping("contract", "Working pattern (contract)", "working pattern"),
        Grouping("caring", "Caring responsibilities", "answer on caring responsibilities"),
        Grouping("sector", "Sector", "sector"),
        Grouping("role_level", "Role level", "role level"),
        Grouping("highest_qualification", "Highest qualification", "highest qualification"),
        Grouping("learning_route", "Learning route", "learning route"),
        Grouping("nation", "Nation", "nation"),
        Grouping("can_attend_in_person", "Can attend in person", "answer on attending in person"),
        Grouping("employer_support", "Employer support", "answer on employer support"),
        *(Grouping(key, label, noun, equality=True) for key, (label, noun) in _EQUALITY_LABELS.items()),
    )
}
DEFAULT_GROUPING = "contract"
CIRCUMSTANCE_GROUPINGS = tuple(key for key, grouping in GROUPINGS.items() if not grouping.equality)
EQUALITY_GROUPINGS = tuple(key for key, grouping in GROUPINGS.items() if grouping.equality)

_PHRASES: dict[tuple[str, str], str] = {
    ("contract", "full-time"): "full-time staff",
    ("contract", "part-time"): "part-time staff",
    ("contract", "compressed-hours"): "staff on compressed hours",
    ("contract", "job-share"): "staff in job shares",
    ("contract", "shift-work"): "shift workers",
    ("contract", "bank-or-locum"): "bank and locum staff",
    ("contract", "self-employed"): "self-employed people",
    ("caring", "yes"): "carers",
    ("caring", "no"): "people without caring responsibilities",
    ("staff_group", "clinical"): "clinical staff",
    ("staff_group", "non-clinical"): "non-clinical staff",
    ("sector", "social-care"): "social care staff",
    ("sex", "female"): "women",
    ("sex", "male"): "men",
}


def value_label(value: str) -> str:
    """Short display text for a group value (``part-time`` -> ``Part time``)."""
    if value in VALUE_LABELS:
        return VALUE_LABELS[value]
    if value in answer_labels:
        return answer_labels[value]
    if " × " in value:
        return " × ".join(value_label(part) for part in value.split(" × "))
    return value.replace("-", " ").capitalize()


def group_phrase(grouping: str, value: str) -> str:
    """Plural noun phrase for headlines: "part-time staff", "people who did not answer"."""
    if (grouping, value) in _PHRASES:
        return _PHRASES[(grouping, value)]
    if value == NOT_ANSWERED:
        return "people who did not answer"
    if value == PREFER_NOT_TO_SAY:
        return "people who preferred not to say"
    noun = GROUPINGS[grouping].noun if grouping in GROUPINGS else grouping
    return f"people whose {noun} is “{value_label(value).lower()}”"


def group_order_key(label: tuple[str, ...]) -> tuple[Any, ...]:
    """Sort key for group labels: "not answered" and "prefer not to say" last, so tables read naturally."""
    return tuple((value in (NOT_ANSWERED, PREFER_NOT_TO_SAY), value) for value in label)


def flag_keys() -> list[str]:
    """Categories, then rules, each followed by its high-severity key."""
    keys: list[str] = []
    for key in (*CATEGORIES, *(rule.id for rule in RULES)):
        keys += [key, high(key)]
    return keys


def key_label(key: str) -> str:
    """ "Time commitment", "Residential stays (high severity)"."""
    if key.startswith("high:"):
        return f"{key_label(key.removeprefix('high:'))} (high severity)"
    if key in RULE_CATEGORY:
        return risks.rule_by_id(key).title
    return key.replace("eligibility-", "eligibility: ").replace("-", " ").capitalize()


def key_phrase(key: str) -> str:
    return key_label(key)[:1].lower() + key_label(key)[1:]


def headline_labels(grouping: str, values: Iterable[str]) -> dict[str, str]:
    """The ``labels`` mapping ``assessments.cohort.headline_risks`` takes."""
    labels = {value: group_phrase(grouping, value) for value in values}
    labels.update({key: key_phrase(key) for key in flag_keys()})
    return labels


# --------------------------------------------------------------------------- masks


def masks_for(flags: Iterable[Mapping[str, Any]]) -> tuple[int, int, int]:
    """(flag_mask, high_mask, undetermined_mask) from flags as stored (``Flag.to_dict()``)."""
    flag_mask = high_mask = undetermined = 0
    for flag in flags:
        bit = RULE_BITS.get(str(flag.get("rule")), 0)
        severity = flag.get("severity")
        if severity in FLAGGED_SEVERITIES:
            flag_mask |= bit
        if severity == "high":
            high_mask |= bit
        elif severity == "undetermined":
            undetermined |= bit
    return flag_mask, high_mask, undetermined


def keys_in_mask(flag_mask: int, high_mask: int) -> set[str]:
    """Every flag key a person with these masks carries (rules, categories and ``high:`` forms)."""
    keys: set[str] = set()
    for rule_id, bit in RULE_BITS.items():
        if flag_mask & bit:
            keys.add(rule_id)
            keys.add(RULE_CATEGORY[rule_id])
        if high_mask & bit:
            keys.add(high(rule_id))
            keys.add(high(RULE_CATEGORY[rule_id]))
    return keys


@cache
def mask_keys(flag_mask: int, high_mask: int) -> frozenset[str]:
    """``keys_in_mask``, remembered: cohort queries and the what-if meet the same few patterns often."""
    return frozenset(keys_in_mask(flag_mask, high_mask))


# --------------------------------------------------------------------------- rows


def _yes_no(value: Any) -> str | None:
    return None if value is None else ("yes" if value else "no")


def profile_columns(answers: Mapping[str, Any], equality: Mapping[str, Any]) -> dict[str, Any]:
    """The cohort row's profile columns from stored profile answers (unknown keys are ignored)."""
    row: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = answers.get(name)
        row[name] = str(value) if value is not None else None
    for column, source in _YES_NO_SOURCES.items():
        row[column] = _yes_no(answers.get(source))
    for name in NUMBER_FIELDS:
        value = answers.get(name)
        row[name] = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    memberships = answers.get("memberships")
    row["memberships"] = None if memberships is None else json.dumps(sorted(str(m) for m in memberships))
    routes = answers.get("learning_routes")
    row["learning_routes_answered"] = routes is not None
    chosen = set(routes or ())
    for route, column in ROUTE_COLUMNS.items():
        row[column] = route in chosen
    for name in EQUALITY_FIELDS:
        value = equality.get(name)
        row[name] = str(value) if value is not None else None
    return row


def profile_from_columns(names: Sequence[str], values: Sequence[Any]) -> Profile:
    """Rebuild the rule-relevant part of a profile from ``RULE_COLUMNS`` values (the what-if's input)."""
    row = dict(zip(names, values, strict=True))
    data: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if row.get(name) is not None:
            data[name] = row[name]
    for column, source in _YES_NO_SOURCES.items():
        if row.get(column) is not None:
            data[source] = row[column] == "yes"
    for name in NUMBER_FIELDS:
        if row.get(name) is not None:
            data[name] = row[name]
    if row.get("memberships") is not None:
        data["memberships"] = tuple(json.loads(row["memberships"]))
    if row.get("learning_routes_answered"):
        data["learning_routes"] = tuple(route for route, column in ROUTE_COLUMNS.items() if row.get(column))
    # staff_group is required by the model; a cohort row always has one (profiles need it to submit).
    data.setdefault("staff_group", "non-clinical")
    return Profile.model_validate(data)
