"""What the inclusivity review groups by, and how an assessment becomes a cohort row.

The groupings, their labels and phrases, and the cohort row's columns all come from
``assessments.vocabulary``; this module adds each grouping's SQL expression and maps each rule
to its bit in the stored flag masks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, case, func, literal, not_, or_

from app.designer.models import CohortRecord
from assessments import vocabulary

# The rules' metadata, as plain data: the rule logic and the Pydantic framework and profile models
# are not needed to number, name or group the flags (the what-if imports them when it runs).
from assessments.risk_catalogue import CATEGORIES, RULE_INFO, category_label, high
from assessments.vocabulary import NOT_ANSWERED
from assessments.vocabulary import PREFER_NOT as PREFER_NOT_TO_SAY

if TYPE_CHECKING:
    from assessments.profile import Profile

RULE_BITS: dict[str, int] = {rule.id: 1 << index for index, rule in enumerate(RULE_INFO)}
RULE_CATEGORY: dict[str, str] = {rule.id: rule.category for rule in RULE_INFO}
_RULE_TITLES: dict[str, str] = {rule.id: rule.title for rule in RULE_INFO}
FLAG_FAMILIES: dict[str, str] = {**{category: category for category in CATEGORIES}, **RULE_CATEGORY}
"""Each flag key's category: keys of one category share one pattern of hidden groups (``cohort_table``)."""
FLAGGED_SEVERITIES = ("high", "medium", "low")
"""A person "carries" a flag at these severities; "undetermined" is counted apart."""

RULE_COLUMNS: tuple[str, ...] = tuple(
    column
    for answer in vocabulary.stored_answers()
    if not answer.equality
    for column in vocabulary.answer_columns(answer.key)
)
"""Every column a rule can read (every stored answer but the equality ones), in declaration order:
the what-if groups by these and re-runs the rules once per combination."""


RULE_INPUTS: dict[str, tuple[int, ...]] = {
    rule.id: tuple(
        sorted(
            {
                RULE_COLUMNS.index(column)
                for field in (*rule.profile_fields, "staff_group")
                for column in vocabulary.answer_columns(field)
            }
        )
    )
    for rule in RULE_INFO
}
"""Per rule, the positions in ``RULE_COLUMNS`` of the answers it reads (``Rule.profile_fields``).

A rule's verdict depends only on these, so the what-if evaluates each rule once per distinct
combination of its own inputs. ``staff_group`` is always included: the profile model requires
it. The location is kept as the place it resolves to (``geo.place_key``), so journeys are
modelled from the same town or postcode area the person's own result used; a rule field the
vocabulary does not declare raises ``vocabulary.UnknownAnswer`` here, at import.
"""


@dataclass(frozen=True)
class Grouping:
    key: str
    label: str
    noun: str
    """Used in phrases: "people whose <noun> is …"."""
    equality: bool = False

    def expression(self) -> ColumnElement[str]:
        """The SQL value each row is grouped under; NULL becomes "not-answered"."""
        if self.key == LEARNING_ROUTE:
            return learning_route_expression()
        return func.coalesce(getattr(CohortRecord, self.key), literal(NOT_ANSWERED))


LEARNING_ROUTE = vocabulary.FIELDS["learning_routes"].grouping_key


def learning_route_expression() -> ColumnElement[str]:
    """One label per person from the route columns, so learning routes are a partition too."""
    routes = vocabulary.FIELDS["learning_routes"]
    assert routes.storage is not None

    def column(route: str) -> Any:
        return getattr(CohortRecord, routes.storage.flag_column(route))  # type: ignore[union-attr]

    informal = or_(*(column(route) for route in vocabulary.INFORMAL_ROUTES))
    formal = or_(*(column(route) for route in routes.values if route not in vocabulary.INFORMAL_ROUTES))
    return case(
        (not_(getattr(CohortRecord, routes.storage.column)), literal(NOT_ANSWERED)),
        (and_(formal, informal), literal("mixed")),
        (formal, literal("formal-only")),
        (informal, literal("informal-only")),
        else_=literal("none-given"),
    )


GROUPINGS: dict[str, Grouping] = {
    key: Grouping(key, grouping.label, grouping.noun, grouping.equality)
    for key, grouping in vocabulary.GROUPINGS.items()
}
"""What designers may divide the cohort by: every answer ``assessments.vocabulary`` marks groupable."""
DEFAULT_GROUPING = "contract"
CIRCUMSTANCE_GROUPINGS = tuple(key for key, grouping in GROUPINGS.items() if not grouping.equality)
EQUALITY_GROUPINGS = tuple(key for key, grouping in GROUPINGS.items() if grouping.equality)


def value_label(grouping: str, value: str, second: str | None = None) -> str:
    """Short display text for a group of ``grouping`` (``"contract", "part-time"`` -> "Part time").

    With ``second``, ``value`` is an intersection ("female × part-time") and each part is labelled
    by its own grouping. A value the vocabulary does not declare raises ``UnknownAnswer``.
    """
    if second is not None:
        first_value, _, second_value = value.partition(" × ")
        return f"{value_label(grouping, first_value)} × {value_label(second, second_value)}"
    return vocabulary.designer_label(grouping, value)


def labeller(grouping: str, second: str | None = None) -> Callable[[str], str]:
    """``value_label`` for one grouping (or intersection), for templates and exports."""
    return partial(value_label, grouping, second=second)


def group_phrase(grouping: str, value: str) -> str:
    """Plural noun phrase for headlines: "part-time staff", "people who did not answer"."""
    return vocabulary.group_phrase(grouping, value)


def group_order_key(label: tuple[str, ...]) -> tuple[Any, ...]:
    """Sort key for group labels: "not answered" and "prefer not to say" last, so tables read naturally."""
    return tuple((value in (NOT_ANSWERED, PREFER_NOT_TO_SAY), value) for value in label)


def flag_keys() -> list[str]:
    """Categories, then rules, each followed by its high-severity key."""
    keys: list[str] = []
    for key in (*CATEGORIES, *(rule.id for rule in RULE_INFO)):
        keys += [key, high(key)]
    return keys


def key_label(key: str) -> str:
    """ "Time commitment", "Residential stays (high severity)"."""
    if key.startswith("high:"):
        return f"{key_label(key.removeprefix('high:'))} (high severity)"
    if key in RULE_CATEGORY:
        return _RULE_TITLES[key]
    return category_label(key)


def key_phrase(key: str) -> str:
    return key_label(key)[:1].lower() + key_label(key)[1:]


def headline_labels(grouping: str, values: Iterable[str]) -> dict[str, str]:
    """The ``labels`` mapping ``assessments.cohort.headline_risks`` takes."""
    labels = {value: group_phrase(grouping, value) for value in values}
    labels.update({key: key_phrase(key) for key in flag_keys()})
    return labels


# --------------------------------------------------------------------------- masks


class UnknownFlag(LookupError):
    """A stored flag names a rule or severity the rule catalogue does not have."""


SEVERITIES = (*FLAGGED_SEVERITIES, "undetermined")


def masks_for(flags: Iterable[Mapping[str, Any]]) -> tuple[int, int, int]:
    """(flag_mask, high_mask, undetermined_mask) from flags as stored (``Flag.to_dict()``).

    A flag whose rule or severity is not in the catalogue raises ``UnknownFlag``: counting it
    under some other rule's bit would put wrong figures in front of designers.
    """
    flag_mask = high_mask = undetermined = 0
    for flag in flags:
        rule = flag.get("rule")
        if rule not in RULE_BITS:
            raise UnknownFlag(
                f"a stored flag names the rule {rule!r}, which the rule catalogue does not have"
            )
        bit = RULE_BITS[rule]
        severity = flag.get("severity")
        if severity not in SEVERITIES:
            raise UnknownFlag(
                f"a stored flag of rule {rule!r} has the severity {severity!r}, which is not known"
            )
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


def profile_columns(answers: Mapping[str, Any], equality: Mapping[str, Any]) -> dict[str, Any]:
    """The cohort row's profile columns from stored profile answers (``vocabulary.cohort_row``).

    A key or value the vocabulary does not declare raises ``UnknownAnswer``: it is never dropped.
    """
    return vocabulary.cohort_row(answers, equality)


def profile_from_columns(names: Sequence[str], values: Sequence[Any]) -> Profile:
    """Rebuild the rule-relevant part of a profile from ``RULE_COLUMNS`` values (the what-if's input).

    A row without a staff group, or with a value the vocabulary does not know, raises: the
    profile model requires a staff group and every submitted profile has one.
    """
    from assessments.profile import Profile

    answers = vocabulary.answers_from_row(dict(zip(names, values, strict=True)))
    if "staff_group" not in answers:
        raise vocabulary.UnknownAnswer("a cohort row has no staff group, which every submitted profile has")
    return Profile.model_validate(answers)
