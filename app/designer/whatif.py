"""What-if: the same cohort against a redesigned programme, before any real change.

The cohort is fetched as distinct combinations of the answers the rules read (``GROUP BY`` with
``COUNT(*)``). Hours, days and years make almost every person's combination unique (about
97,000 combinations for 100,000 synthetic people), so each rule is evaluated once per distinct
combination of the few answers *it* reads, against both the current and the changed framework,
and cached; a combination's flags are then a union of cached verdicts, and people are added up
per group and flag pattern. A what-if over 100,000 people takes a few seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from app.designer import queries
from app.designer.fields import (
    FLAG_FAMILIES,
    FLAGGED_SEVERITIES,
    RULE_BITS,
    RULE_COLUMNS,
    RULE_INPUTS,
    flag_keys,
    group_order_key,
    key_label,
    mask_keys,
    profile_from_columns,
)
from assessments import risks, vocabulary
from assessments.cohort import SUPPRESSED_TEXT, CohortTable, scenario_figures
from assessments.framework import Framework

Progress = Callable[[int, int], None]


def apply_changes(framework: Framework, changes: Mapping[str, Mapping[str, Any]]) -> Framework:
    """The framework with delivery and eligibility values replaced, validated like a loaded file."""
    data = framework.model_dump(mode="json")
    for section in ("delivery", "eligibility"):
        data[section] = {**data[section], **dict(changes.get(section) or {})}
    return Framework.model_validate(data)


@dataclass(frozen=True)
class KeyChange:
    key: str
    before: int | None
    after: int | None
    lost: int | None
    """People who carry the flag now and would not after the change."""
    gained: int | None


@dataclass(frozen=True)
class GroupChange:
    group: str
    key: str
    ratio_before: float | None
    ratio_after: float | None
    rate_before: float | None
    rate_after: float | None
    verdict_before: str
    verdict_after: str
    lost: int | None


@dataclass(frozen=True)
class WhatIfResult:
    framework: Framework
    modified: Framework
    grouping: str
    participants: int
    combinations: int
    changes: dict[str, dict[str, Any]]
    keys: tuple[KeyChange, ...]
    groups: tuple[GroupChange, ...]
    before: CohortTable
    after: CohortTable

    def summary(self) -> dict[str, Any]:
        """A JSON-able record kept with a saved scenario (suppressed values stay ``None``)."""
        return {
            "participants": self.participants,
            "grouping": self.grouping,
            "keys": [vars(change) for change in self.keys],
            "groups": [vars(change) for change in self.groups],
        }


def run(
    framework: Framework,
    modified: Framework,
    grouping: str,
    *,
    min_cell: int,
    progress: Progress | None = None,
) -> WhatIfResult:
    """Flags for every consenting participant under both frameworks, added up per group."""
    return _finish(framework, modified, grouping, min_cell, _collect(framework, modified, grouping, progress))


def run_steps(
    framework: Framework,
    modified: Framework,
    grouping: str,
    combos: list[tuple[str, tuple[Any, ...], int]],
    *,
    min_cell: int,
    steps: int = 10,
) -> Iterator[tuple[int, int, WhatIfResult | None]]:
    """``run`` as a generator over combinations already fetched (``queries.rule_combinations``).

    Yields (done, total, None) as it goes and (total, total, result) last. It needs no app
    context, so a streamed response can drive it after the request's context has gone.
    """
    total = len(combos)
    every = max(1, total // steps)
    collected = _Collected()
    for index, combo in enumerate(combos, start=1):
        collected.add(framework, modified, combo)
        if index % every == 0 and index < total:
            yield index, total, None
    yield total, total, _finish(framework, modified, grouping, min_cell, collected)


class _Collected:
    """People per group and per pair of flag patterns (before, after), built one combination at a time.

    Each rule is evaluated once per distinct combination of the answers it reads
    (``fields.RULE_INPUTS``), under both frameworks: the continuous answers (hours, days,
    years) make almost every person's full combination unique, but each rule reads only a
    few of them, so a few thousand rule evaluations serve a hundred thousand people.
    """

    def __init__(self) -> None:
        self.patterns: dict[tuple[str, int, int, int, int], int] = defaultdict(int)
        self.sizes: dict[str, int] = defaultdict(int)
        # Keyed by (rule set's index, the answers its rules read: one value, or a tuple of several).
        self.verdicts: dict[tuple[int, Any], tuple[int, int, int, int]] = {}
        self.masks: dict[tuple[Any, ...], tuple[int, int, int, int]] = {}
        self.combinations = 0
        self._folded: tuple[dict[str, dict[str, int]], ...] | None = None

    def add(self, framework: Framework, modified: Framework, combo: tuple[str, tuple[Any, ...], int]) -> None:
        group, values, count = combo
        self.combinations += 1
        masks = self.masks.get(values)
        if masks is None:
            masks = self.masks[values] = self._masks(framework, modified, values)
        self.sizes[group] += count
        self.patterns[(group, *masks)] += count
        self._folded = None

    def _masks(
        self, framework: Framework, modified: Framework, values: tuple[Any, ...]
    ) -> tuple[int, int, int, int]:
        """(flag, high) masks before and after the change for one combination of answers."""
        flag_before = high_before = flag_after = high_after = 0
        profile = None
        for index, (inputs, rules) in enumerate(_RULE_SETS):
            key = (index, inputs(values))
            verdict = self.verdicts.get(key)
            if verdict is None:
                if profile is None:
                    profile = profile_from_columns(RULE_COLUMNS, values).without_equality()
                verdict = self.verdicts[key] = _verdicts(rules, profile, framework, modified)
            flag_before |= verdict[0]
            high_before |= verdict[1]
            flag_after |= verdict[2]
            high_after |= verdict[3]
        return flag_before, high_before, flag_after, high_after

    def _fold(self) -> tuple[dict[str, dict[str, int]], ...]:
        if self._folded is None:
            before, after, lost, gained = (_counts_by_group() for _ in range(4))
            for (group, flag_before, high_before, flag_after, high_after), count in self.patterns.items():
                keys_before = mask_keys(flag_before, high_before)
                keys_after = mask_keys(flag_after, high_after)
                for key in keys_before:
                    before[group][key] += count
                for key in keys_after:
                    after[group][key] += count
                for key in keys_before - keys_after:
                    lost[group][key] += count
                for key in keys_after - keys_before:
                    gained[group][key] += count
            self._folded = (before, after, lost, gained)
        return self._folded

    @property
    def before(self) -> dict[str, dict[str, int]]:
        return self._fold()[0]

    @property
    def after(self) -> dict[str, dict[str, int]]:
        return self._fold()[1]

    @property
    def lost(self) -> dict[str, dict[str, int]]:
        return self._fold()[2]

    @property
    def gained(self) -> dict[str, dict[str, int]]:
        return self._fold()[3]


def _rule_sets() -> list[tuple[Callable[[tuple[Any, ...]], Any], tuple[risks.Rule, ...]]]:
    """Rules that read the same answers, with a getter for those answers from a combination."""
    by_inputs: dict[tuple[int, ...], list[risks.Rule]] = defaultdict(list)
    for rule in risks.RULES:
        by_inputs[RULE_INPUTS[rule.id]].append(rule)
    return [(itemgetter(*inputs), tuple(rules)) for inputs, rules in by_inputs.items()]


_RULE_SETS = _rule_sets()


def _counts_by_group() -> dict[str, dict[str, int]]:
    """People per group and flag key, every count starting at 0."""
    return defaultdict(lambda: defaultdict(int))


def _verdicts(
    rules: tuple[risks.Rule, ...], profile: Any, framework: Framework, modified: Framework
) -> tuple[int, int, int, int]:
    """(flag, high) bits of these rules before and after the change, as ``fields.masks_for`` stores them."""
    bits = [0, 0, 0, 0]
    for rule in rules:
        bit = RULE_BITS[rule.id]
        for offset, version in ((0, framework), (2, modified)):
            flag = rule.check(profile, version)
            if flag is not None and flag.severity in FLAGGED_SEVERITIES:
                bits[offset] |= bit
            if flag is not None and flag.severity == "high":
                bits[offset + 1] |= bit
    return bits[0], bits[1], bits[2], bits[3]


def _collect(
    framework: Framework, modified: Framework, grouping: str, progress: Progress | None
) -> _Collected:
    combos = queries.rule_combinations(framework.id, grouping)
    collected = _Collected()
    for index, combo in enumerate(combos, start=1):
        collected.add(framework, modified, combo)
        if progress and (index % 500 == 0 or index == len(combos)):
            progress(index, len(combos))
    return collected


def _finish(
    framework: Framework, modified: Framework, grouping: str, min_cell: int, collected: _Collected
) -> WhatIfResult:
    labels = sorted(collected.sizes, key=lambda g: group_order_key((g,)))
    keys = [
        key
        for key in flag_keys()
        if any(collected.before[g].get(key) or collected.after[g].get(key) for g in labels)
    ]

    figures = scenario_figures(
        {g: collected.sizes[g] for g in labels},
        collected.before,
        collected.after,
        collected.lost,
        collected.gained,
        keys,
        min_cell=min_cell,
        families=FLAG_FAMILIES,
    )
    before, after = figures.before, figures.after
    participants = sum(collected.sizes.values())
    key_changes = [
        KeyChange(
            key,
            figures.totals[key]["before"],
            figures.totals[key]["after"],
            figures.totals[key]["lost"],
            figures.totals[key]["gained"],
        )
        for key in keys
    ]
    group_changes = [
        GroupChange(
            group=row_before.group,
            key=key,
            ratio_before=row_before.impact_ratio,
            ratio_after=row_after.impact_ratio,
            rate_before=row_before.flag_rate,
            rate_after=row_after.flag_rate,
            verdict_before=row_before.verdict,
            verdict_after=row_after.verdict,
            lost=figures.lost[(row_before.group, key)],
        )
        for key in keys
        for row_before, row_after in zip(before.impact[key], after.impact[key], strict=True)
    ]
    return WhatIfResult(
        framework=framework,
        modified=modified,
        grouping=grouping,
        participants=participants,
        combinations=collected.combinations,
        changes={},
        keys=tuple(key_changes),
        groups=tuple(group_changes),
        before=before,
        after=after,
    )


def describe_changes(changes: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The changes in words, for the results page and exports: the form's question, then the answer.

    "Protected time required (share of full time, 0 to 1): 0", "Sectors accepted: NHS acute
    trust, Social care"; never the framework's field name or a stored code.
    """
    questions = _form_labels()
    lines = []
    for section in ("delivery", "eligibility"):
        for key, value in (changes.get(section) or {}).items():
            if key in _FOLLOWS_FROM_WORDS:
                continue
            if isinstance(value, bool):
                shown = "yes" if value else "no"
            elif isinstance(value, list):
                shown = ", ".join(_answer_label(key, str(item)) for item in value) if value else "open to all"
            elif value is None:
                shown = "none"
            elif isinstance(value, int | float):
                shown = f"{value:g}"
            else:
                shown = _answer_label(key, str(value))
            question = questions.get(key) or key.replace("_", " ").capitalize()
            lines.append(f"{question}: {shown}")
    return lines


_FOLLOWS_FROM_WORDS = frozenset({"membership_bodies", "membership_other_bodies"})
"""Settings the form derives from the membership words (``ScenarioForm.changes``): the words say them."""

_ANSWER_OF_SETTING = {
    "sectors": "sector",
    "nations": "nation",
    "staff_groups": "staff_group",
    "min_qualification": "highest_qualification",
    "min_role_level": "role_level",
}
"""The profile answer whose values a programme setting lists, so a change reads in its words."""


def _answer_label(setting: str, value: str) -> str:
    answer = _ANSWER_OF_SETTING.get(setting)
    return vocabulary.designer_label(answer, value) if answer else value


def _form_labels() -> dict[str, str]:
    """The what-if form's question for each change it can make (the same names as the framework's)."""
    from wtforms.fields.core import UnboundField

    from app.designer.forms import ScenarioForm

    found = {}
    for name in dir(ScenarioForm):
        field = getattr(ScenarioForm, name, None)
        if isinstance(field, UnboundField) and field.args and isinstance(field.args[0], str):
            found[name] = field.args[0]
    return found


def cell(value: int | float | None, *, percent: bool = False, ratio: bool = False) -> str:
    if value is None:
        return SUPPRESSED_TEXT
    if percent:
        return f"{value * 100:.0f}%"
    if ratio:
        return f"{value:.2f}"
    return f"{value:,}"


__all__ = ["apply_changes", "cell", "describe_changes", "key_label", "run", "run_steps"]
