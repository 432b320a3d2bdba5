"""The attacker's audit: every figure a designer can reach for a cohort, bounded by integer programmes.

An outsider collects everything published about one cohort (pages, CSVs, PDFs and
``certready cohort --json`` all show the same figures): the overview, the one-way tables, the
intersections, the rules page's counts per rule and severity, and a what-if run beside its
baseline. Rather than writing down the identities between those tables one by one (and
forgetting some), the audit models the *people*: a count for every combination of answers a
person can have (contract × sex × ethnic group × flag pattern, where a flag pattern is each rule's
severity), a count and a score sum per combination of answers and readiness band, and for the
what-if, a count per contract, baseline flag pattern and changed severity of the changed rule.
Every published figure is then a sum of those counts, so every relation a reader could use holds
automatically:

* margins, bands adding up to the group, flagged plus not flagged, intersections adding up to
  both one-way tables, and three-way reasoning across the intersections and their flag counts;
* flag subsets: a high flag is a flag, a rule's flags are its category's, a category's flags
  are "any flag"; a rule's severities add up to its flagged count on the rules page;
* readiness behind means (a shown mean, to one decimal, times the shown size bounds the group's
  sum of scores, and each band bounds its people's scores) and medians (at least half the group
  is in the median's band or below, and at least half in it or above);
* a what-if's "before" and "after" describe the same people under two rule sets: lost and gained
  are differences of the same people.

A listed one-way group has at least one person. For every hidden count of 1 to ``min_cell - 1``
people the audit bounds what a reader can know (the attacker of ``lp_audit.py``:
``scipy.optimize.linprog``, a few programmes that move every cell at once settle most of them, the
rest get their own; ``milp`` gives whole-number bounds for a cell that fails), and asserts the
protection rule of ``docs/inclusivity-statistics.md``: the reader's range for the cell spans at
least three whole numbers, or includes 0, or includes ``min_cell`` or more. This is the audit
national statistics offices run on linked tables (Hundepool et al., *Statistical Disclosure
Control*, ch. 4), with a protection interval.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations, product
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.cohort import (
    CohortTable,
    GroupCounts,
    cohort_table,
    intersection,
    overview_figures,
    rule_counts,
    scenario_figures,
    suppress_table,
)
from assessments.scoring import band_for
from tests.assessments.lp_audit import Form, Place, Published, attack, audit_settings

BANDS = ("not-yet", "developing", "nearly-ready", "ready")
BAND_SCORES = {
    "not-yet": (0.0, 39.95),
    "developing": (39.95, 69.95),
    "nearly-ready": (69.95, 89.95),
    "ready": (89.95, 100.0),
}
"""The scores each band can hold, as a reader knows them (thresholds apply to one decimal place)."""
GROUPINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "contract": (("full-time", 60), ("part-time", 20), ("job-share", 3), ("not-answered", 2)),
    "sex": (("female", 50), ("male", 40), ("prefer-not-to-say", 3)),
    "ethnic_group": (("white-british", 70), ("asian", 8), ("black", 4), ("prefer-not-to-say", 2)),
}
"""Three characteristics with small groups ("not answered" and "prefer not to say" among them);
few enough answers that the reader's integer programme solves in a fraction of a second."""
WHATIF_GROUPING = "contract"

NONE, UNDETERMINED, MEDIUM, HIGH = 0, 1, 2, 3
RULE_CATEGORY = {"a1": "alpha", "a2": "alpha", "b1": "beta"}
"""Two categories: one with two rules, one with a single rule (whose tables repeat the category's)."""
RULE_STATES = {
    "a1": (NONE, MEDIUM, HIGH),
    "a2": (NONE, HIGH),
    "b1": (NONE, UNDETERMINED, MEDIUM, HIGH),
}
RULES = tuple(RULE_STATES)
PATTERNS: tuple[tuple[int, ...], ...] = tuple(product(*RULE_STATES.values()))
"""Each rule's severity for one person. Low severity is left out: a reader sees it is always 0."""
CHANGED_RULE = "a1"
"""The what-if changes the programme so that this rule's severity changes for some people."""
SEVERITY_STATE = {"high": HIGH, "medium": MEDIUM, "undetermined": UNDETERMINED, "not flagged": NONE}


def _flag_keys() -> list[str]:
    keys = []
    for key in (*dict.fromkeys(RULE_CATEGORY.values()), *RULES):
        keys += [key, f"high:{key}"]
    return keys


FLAG_KEYS = tuple(_flag_keys())
FAMILIES = {**{c: c for c in RULE_CATEGORY.values()}, **RULE_CATEGORY}
"""Each key's category, as the app passes it (``fields.FLAG_FAMILIES``)."""


def has_flag(key: str, pattern: Sequence[int]) -> bool:
    """Whether a person with this flag pattern carries ``key`` (a rule, a category, or its high variant)."""
    high = key.startswith("high:")
    name = key.removeprefix("high:")
    rules = [name] if name in RULE_STATES else [r for r, c in RULE_CATEGORY.items() if c == name]
    states = [pattern[RULES.index(r)] for r in rules]
    return any(s == HIGH if high else s >= MEDIUM for s in states)


def any_flag(pattern: Sequence[int], *, high: bool = False) -> bool:
    return any(s == HIGH if high else s >= MEDIUM for s in pattern)


def changed(pattern: tuple[int, ...], state: int) -> tuple[int, ...]:
    """The pattern under the what-if: the changed rule's severity replaced."""
    i = RULES.index(CHANGED_RULE)
    return (*pattern[:i], state, *pattern[i + 1 :])


Person = dict[str, Any]


def synthetic_cohort(
    n: int, seed: int, rare: float, common: float, *, softening: bool = False
) -> list[Person]:
    """``n`` people: three characteristics, a score, three rules' severities, and the what-if's change.

    With ``softening`` the change only softens the rule (as lowering a required number of hours
    does), so nobody gains a flag and a reader who knows the change knows that too.
    """
    rng = random.Random(seed)
    people = []

    def severity(p: float, *, undetermined: float = 0.0) -> int:
        draw = rng.random()
        if draw < undetermined:
            return UNDETERMINED
        if draw < undetermined + p:
            return HIGH if rng.random() < 0.5 else MEDIUM
        return NONE

    for _ in range(n):
        person: Person = {
            grouping: rng.choices([v for v, _ in values], [w for _, w in values])[0]
            for grouping, values in GROUPINGS.items()
        }
        person["score"] = round(rng.uniform(0, 100), 1)
        person["band"] = band_for(person["score"])
        pattern = (severity(rare), HIGH if rng.random() < 0.1 else NONE, severity(common, undetermined=0.03))
        person["pattern"] = pattern
        before = pattern[RULES.index(CHANGED_RULE)]
        # The change softens the rule (high to medium, medium to none) for some, and catches a few more.
        after = before
        if before == HIGH and rng.random() < 0.5:
            after = MEDIUM
        elif before == MEDIUM and rng.random() < 0.5:
            after = NONE
        elif before == NONE and rng.random() < 0.02 and not softening:
            after = MEDIUM
        person["after"] = after
        people.append(person)
    return people


def _counts(people: Sequence[Person], label: str, parts: tuple[str, ...] = ()) -> GroupCounts:
    """What the SQL gives for one group."""
    scores = [p["score"] for p in people]
    bands: dict[str, int] = defaultdict(int)
    for p in people:
        bands[p["band"]] += 1
    flagged = {key: sum(1 for p in people if has_flag(key, p["pattern"])) for key in FLAG_KEYS}
    return GroupCounts(
        group=label,
        n=len(people),
        readiness_sum=math.fsum(scores),
        readiness_sumsq=math.fsum(s * s for s in scores),
        bands=dict(bands),
        flagged={key: count for key, count in flagged.items() if count},
        median=statistics.median(scores) if scores else None,
        parts=parts,
    )


def one_way(people: Sequence[Person], grouping: str) -> list[GroupCounts]:
    """One row per non-empty group."""
    found: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        found[person[grouping]].append(person)
    return [_counts(members, label) for label, members in sorted(found.items())]


def two_way(people: Sequence[Person], first: str, second: str) -> list[GroupCounts]:
    """One row per non-empty pair of groups (``cohort_table`` lists the empty ones)."""
    found: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for person in people:
        found[(person[first], person[second])].append(person)
    return [_counts(members, intersection(*pair), pair) for pair, members in sorted(found.items())]


def shown_keys(people: Sequence[Person]) -> list[str]:
    """Flag keys anyone carries, as the dashboard lists them (``analytics.shown_keys``)."""
    return [key for key in FLAG_KEYS if any(has_flag(key, p["pattern"]) for p in people)]


# --------------------------------------------------------------------------- the people, as modelled


class Model:
    """The reader's unknowns: people per combination of answers, and what each figure adds up."""

    def __init__(self, people: Sequence[Person], *, softening: bool = False) -> None:
        self.softening = softening
        self.labels = {g: sorted({p[g] for p in people}) for g in GROUPINGS}
        self.cells = list(product(*self.labels.values()))
        self.names: list[tuple[Any, ...]] = []
        self.integer: list[bool] = []
        self.index: dict[tuple[Any, ...], int] = {}
        for cell in self.cells:
            for pattern in PATTERNS:
                self._add(("y", cell, pattern), integer=True)
            for band in BANDS:
                self._add(("x", cell, band), integer=True)
                self._add(("t", cell, band), integer=False)
        contracts = self.labels[WHATIF_GROUPING]
        for contract in contracts:
            for pattern in PATTERNS:
                for state in RULE_STATES[CHANGED_RULE]:
                    self._add(("w", contract, pattern, state), integer=True)
        self.truth = np.zeros(len(self.names))
        where = list(GROUPINGS)
        for p in people:
            cell = tuple(p[g] for g in where)
            self.truth[self.index[("y", cell, p["pattern"])]] += 1
            self.truth[self.index[("x", cell, p["band"])]] += 1
            self.truth[self.index[("t", cell, p["band"])]] += p["score"]
            self.truth[self.index[("w", p[WHATIF_GROUPING], p["pattern"], p["after"])]] += 1

    def _add(self, name: tuple[Any, ...], *, integer: bool) -> None:
        self.index[name] = len(self.names)
        self.names.append(name)
        self.integer.append(integer)

    def _cells(self, place: Place) -> list[tuple[str, ...]]:
        where = list(GROUPINGS)
        return [c for c in self.cells if all(c[where.index(g)] == v for g, v in place.items())]

    def people(self, place: Place, test: Callable[[tuple[int, ...]], bool] = lambda _: True) -> Form:
        return {self.index[("y", c, p)]: 1.0 for c in self._cells(place) for p in PATTERNS if test(p)}

    def band(self, place: Place, band: str) -> Form:
        return {self.index[("x", c, band)]: 1.0 for c in self._cells(place)}

    def scores(self, place: Place) -> Form:
        return {self.index[("t", c, b)]: 1.0 for c in self._cells(place) for b in BANDS}

    def scenario(
        self, contracts: Iterable[str], test: Callable[[tuple[int, ...], tuple[int, ...]], bool]
    ) -> Form:
        """People of these contracts whose (baseline, changed) flag patterns pass ``test``."""
        return {
            self.index[("w", c, p, s)]: 1.0
            for c in contracts
            for p in PATTERNS
            for s in RULE_STATES[CHANGED_RULE]
            if test(p, changed(p, s))
        }

    def value(self, form: Form) -> float:
        return float(sum(self.truth[i] * c for i, c in form.items()))

    def structure(self) -> tuple[list[Form], list[Form]]:
        """What holds whatever is published: (forms equal to 0, forms at most 0)."""
        equal: list[Form] = []
        at_most: list[Form] = []
        by_contract: dict[tuple[str, tuple[int, ...]], Form] = defaultdict(dict)
        where = list(GROUPINGS)
        for cell in self.cells:
            # The band counts and the flag patterns count the same people.
            form = {self.index[("y", cell, p)]: 1.0 for p in PATTERNS}
            form.update({self.index[("x", cell, b)]: -1.0 for b in BANDS})
            equal.append(form)
            for band, (low, high) in BAND_SCORES.items():
                x, t = self.index[("x", cell, band)], self.index[("t", cell, band)]
                at_most.append({x: low, t: -1.0})
                at_most.append({t: 1.0, x: -high})
            for p in PATTERNS:
                by_contract[(cell[where.index(WHATIF_GROUPING)], p)][self.index[("y", cell, p)]] = 1.0
        if self.softening:
            # The reader knows the change only softens the rule: nobody's severity goes up.
            i = RULES.index(CHANGED_RULE)
            equal.append(
                {
                    self.index[("w", c, p, s)]: 1.0
                    for c in self.labels[WHATIF_GROUPING]
                    for p in PATTERNS
                    for s in RULE_STATES[CHANGED_RULE]
                    if s > p[i]
                }
            )
        for (contract, p), form in by_contract.items():
            # The what-if counts the same people per contract and baseline pattern.
            form = dict(form)
            form.update({self.index[("w", contract, p, s)]: -1.0 for s in RULE_STATES[CHANGED_RULE]})
            equal.append(form)
        return equal, at_most


# --------------------------------------------------------------------------- what is published


class CohortPublished(Published[Model]):
    """What a reader learns from the cohort's pages: ``Published`` with the cohort tables read in."""

    def table(
        self, table: CohortTable, name: str, places: Mapping[str, Place], *, readiness: bool = True
    ) -> None:
        """One cohort table: sizes, bands, means, medians, flagged and not flagged per key."""
        model = self.model
        for summary in table.groups:
            place = places[summary.group]
            label = f"{name} {summary.group}"
            size = model.people(place)
            self.count(f"{label}: people", size, summary.n)
            if readiness:
                for band, share in summary.bands.items():
                    shown = None if share is None else round(share * (summary.n or 0))
                    self.count(f"{label}: {band}", model.band(place, band), shown)
                if summary.mean is not None and summary.n:
                    mean = round(summary.mean, 1)
                    self.ranges.append(
                        (model.scores(place), summary.n * (mean - 0.05), summary.n * (mean + 0.05))
                    )
                if summary.median is not None and summary.n:
                    self._median(place, round(summary.median, 1), summary.n)
            for key in table.keys:
                row = table.row(key, summary.group)
                flagged = model.people(place, lambda p, key=key: has_flag(key, p))
                rest = model.people(place, lambda p, key=key: not has_flag(key, p))
                self.count(f"{label}: flagged for {key}", flagged, row.flagged)
                not_flagged = None if row.flagged is None or row.n is None else row.n - row.flagged
                self.count(f"{label}: not flagged for {key}", rest, not_flagged)
                if f"high:{key}" in table.keys:
                    # Not a published figure, but a count of people a reader can name: the group's
                    # flags at medium or low severity (the rules page's severities), its flagged
                    # count less its high-severity count.
                    self.hidden.setdefault(
                        f"{label}: flagged for {key}, not at high severity",
                        model.people(
                            place, lambda p, key=key: has_flag(key, p) and not has_flag(f"high:{key}", p)
                        ),
                    )

    def _median(self, place: Place, median: float, n: int) -> None:
        """At least half the group scores the median or less, and at least half the median or more."""
        middle = BANDS.index(band_for(median))
        half = math.ceil(n / 2)
        below: Form = {}
        above: Form = {}
        for i, band in enumerate(BANDS):
            if i <= middle:
                below.update(self.model.band(place, band))
            if i >= middle:
                above.update(self.model.band(place, band))
        self.at_least(below, half)
        self.at_least(above, half)


def publish(people: Sequence[Person], min_cell: int, *, softening: bool = False) -> CohortPublished:
    """Everything a designer can reach for this cohort, through the application's suppression path.

    With ``softening`` the reader knows the what-if's change can only soften the changed rule.
    """
    model = Model(people, softening=softening)
    found = CohortPublished(model)
    keys = shown_keys(people)
    everyone = model.people({})
    overview = overview_figures(
        len(people),
        {
            "any": sum(any_flag(p["pattern"]) for p in people),
            "high": sum(any_flag(p["pattern"], high=True) for p in people),
        },
        min_cell,
    )
    found.count("participants", everyone, overview.participants)
    if overview.participants is not None and people:
        mean = round(statistics.fmean(p["score"] for p in people), 1)
        found.ranges.append((model.scores({}), len(people) * (mean - 0.05), len(people) * (mean + 0.05)))
    for kind, high in (("any", False), ("high", True)):
        found.count(
            f"overview: {kind} flag",
            model.people({}, lambda p, h=high: any_flag(p, high=h)),
            overview.flagged[kind],
        )
    for grouping in GROUPINGS:
        groups = one_way(people, grouping)
        table = cohort_table(groups, keys, min_cell=min_cell, families=FAMILIES)
        found.table(table, grouping, {g.group: {grouping: g.group} for g in groups})
        for g in groups:  # a listed group has someone in it
            found.at_least(model.people({grouping: g.group}), 1)
    for first, second in combinations(GROUPINGS, 2):
        table = cohort_table(two_way(people, first, second), keys, min_cell=min_cell, families=FAMILIES)
        places = {}
        for a in model.labels[first]:
            for b in model.labels[second]:
                places[intersection(a, b)] = {first: a, second: b}
        assert {s.group for s in table.groups} == set(places)
        found.table(table, f"{first} × {second}", places)
    # The rules page: each rule's people per severity, not flagged, and its firing rate.
    for rule in RULES:
        i = RULES.index(rule)
        by_severity = {
            s: sum(p["pattern"][i] == state for p in people) for s, state in SEVERITY_STATE.items()
        }
        line = rule_counts(len(people), by_severity, min_cell)
        for severity, state in SEVERITY_STATE.items():
            form = model.people({}, lambda p, i=i, state=state: p[i] == state)
            found.count(f"rules page {rule}: {severity}", form, line.counts[severity])
        found.count(
            f"rules page {rule}: flagged", model.people({}, lambda p, i=i: p[i] >= MEDIUM), line.flagged
        )
    _publish_whatif(found, people, keys, min_cell)
    return found


def _publish_whatif(
    found: CohortPublished, people: Sequence[Person], keys: Sequence[str], min_cell: int
) -> None:
    """A what-if over contracts, published beside the baseline."""
    model = found.model
    contracts = model.labels[WHATIF_GROUPING]
    sizes = {c: sum(1 for p in people if p[WHATIF_GROUPING] == c) for c in contracts}
    after_pattern = [changed(p["pattern"], p["after"]) for p in people]
    every = [k for k in FLAG_KEYS if k in keys or any(has_flag(k, a) for a in after_pattern)]
    tallies: dict[str, dict[str, dict[str, int]]] = {
        w: defaultdict(lambda: defaultdict(int)) for w in ("before", "after", "lost", "gained")
    }
    for p, after in zip(people, after_pattern, strict=True):
        c = p[WHATIF_GROUPING]
        for key in every:
            was, now = has_flag(key, p["pattern"]), has_flag(key, after)
            tallies["before"][c][key] += was
            tallies["after"][c][key] += now
            tallies["lost"][c][key] += was and not now
            tallies["gained"][c][key] += now and not was
    figures = scenario_figures(
        sizes,
        tallies["before"],
        tallies["after"],
        tallies["lost"],
        tallies["gained"],
        every,
        min_cell,
        FAMILIES,
    )
    tests: dict[str, Callable[[str], Callable[[tuple[int, ...], tuple[int, ...]], bool]]] = {
        "before": lambda k: lambda b, a: has_flag(k, b),
        "after": lambda k: lambda b, a: has_flag(k, a),
        "not before": lambda k: lambda b, a: not has_flag(k, b),
        "not after": lambda k: lambda b, a: not has_flag(k, a),
        "lost": lambda k: lambda b, a: has_flag(k, b) and not has_flag(k, a),
        "gained": lambda k: lambda b, a: has_flag(k, a) and not has_flag(k, b),
    }
    for when, table in (("before", figures.before), ("after", figures.after)):
        for summary in table.groups:
            c = summary.group
            found.count(f"what-if {when} {c}: people", model.scenario([c], lambda b, a: True), summary.n)
            for key in every:
                row = table.row(key, c)
                found.count(
                    f"what-if {when} {c}: flagged for {key}",
                    model.scenario([c], tests[when](key)),
                    row.flagged,
                )
                rest = None if row.flagged is None or row.n is None else row.n - row.flagged
                found.count(
                    f"what-if {when} {c}: not flagged for {key}",
                    model.scenario([c], tests["not " + when](key)),
                    rest,
                )
    for key in every:
        for what in ("before", "after", "lost", "gained"):
            found.count(
                f"what-if totals {what} {key}",
                model.scenario(contracts, tests[what](key)),
                figures.totals[key][what],
            )
        for c in contracts:
            found.count(
                f"what-if {c}: lost {key}", model.scenario([c], tests["lost"](key)), figures.lost[(c, key)]
            )


# --------------------------------------------------------------------------- the tests


@audit_settings(max_examples=12)
@given(
    n=st.integers(15, 2000),
    seed=st.integers(0, 2**32 - 1),
    rare=st.sampled_from([0.0, 0.02, 0.1, 0.3]),
    common=st.sampled_from([0.6, 0.9, 0.97]),
    min_cell=st.sampled_from([5, 10]),
)
def test_every_hidden_count_keeps_its_protection_interval_against_every_published_figure(
    n, seed, rare, common, min_cell
):
    people = synthetic_cohort(n, seed, rare, common)
    findings, _ = attack(publish(people, min_cell), min_cell)
    assert findings == []


@audit_settings(max_examples=8)
@given(
    n=st.integers(15, 1500),
    seed=st.integers(0, 2**32 - 1),
    rare=st.sampled_from([0.02, 0.1, 0.3]),
    common=st.sampled_from([0.6, 0.9, 0.97]),
    min_cell=st.sampled_from([5, 10]),
)
def test_a_reader_who_knows_the_change_only_softens_a_rule_learns_no_small_count(
    n, seed, rare, common, min_cell
):
    # The designer who runs a what-if knows its direction: lowering a required number of hours
    # can only lift flags. Then "before" less "after" is exactly the people who lost the flag.
    people = synthetic_cohort(n, seed, rare, common, softening=True)
    findings, _ = attack(publish(people, min_cell, softening=True), min_cell)
    assert findings == []


def test_the_audit_finds_the_300_person_attack_on_line_by_line_suppression():
    """The audit is not vacuous: intersections protected one table at a time leak, as they did before.

    The earlier code hid small cells and a complement in each row and column of an intersection
    (``suppress_table``) and listed only non-empty pairs. On this 300-person cohort the audit
    then pins down "not answered × Asian" in contract × ethnic group at exactly 4.
    """
    people = synthetic_cohort(300, 6, 0.1, 0.9)
    model = Model(people)
    found = CohortPublished(model)
    found.count("participants", model.people({}), len(people))
    for grouping in GROUPINGS:
        groups = one_way(people, grouping)
        found.table(
            cohort_table(groups, [], min_cell=10),
            grouping,
            {g.group: {grouping: g.group} for g in groups},
            readiness=False,
        )
        for g in groups:
            found.at_least(model.people({grouping: g.group}), 1)
    for first, second in combinations(GROUPINGS, 2):
        cells = {g.parts: g.n for g in two_way(people, first, second)}
        shown = suppress_table(cells, 10)
        for a in model.labels[first]:
            for b in model.labels[second]:
                place = model.people({first: a, second: b})
                # Pairs not listed are empty; a listed pair has someone in it.
                found.count(f"{first} × {second} {a} × {b}", place, shown.get((a, b), 0))
                if (a, b) in shown:
                    found.at_least(place, 1)
    findings, tried = attack(found, 10)
    assert tried
    exposed = {f.name: (f.true, f.low, f.high) for f in findings}
    assert exposed["contract × ethnic_group not-answered × asian"] == (4, 4, 4)


# --------------------------------------------------------------------------- what the audit found, kept


@pytest.mark.parametrize(
    ("n", "seed", "rare", "common", "min_cell"),
    [
        # "not settled" on rule b1's rules-page line was exactly 4 of 60 (participants less the
        # flagged count published elsewhere less the shown "not flagged").
        (60, 3, 0.02, 0.97, 10),
        # The cohort's people losing high:alpha under the what-if were exactly 5 ("before" less
        # "after" when "gained" showed 0); "women flagged high:a1" were 7 or 8.
        (300, 1, 0.1, 0.9, 10),
        # Job-share staff losing a1 were exactly 2, from the group's before and after counts;
        # "contract not answered, flagged for a2" was 2 or 3 (alpha's count less a1's).
        (1200, 5, 0.3, 0.6, 5),
        # Rule b1's medium flags on the rules page were exactly 4 of 16: the scenario's totals
        # showed b1's 9 flagged and 5 at high severity.
        (16, 0, 0.0, 0.6, 5),
        # Men (5 of 19) with hidden bands but a shown mean and median: "not yet ready" was 1 or 2.
        (19, 20, 0.02, 0.6, 5),
        # Rule a1 fired for 4 of 287 (3 high, 1 medium): its "before" total was hidden, but the
        # what-if showed "after" 11, "lost" 0 and "gained" 7, so "before" was 11 - 7 + 0 = 4; and
        # "after, high" was exactly 3: category alpha's high total (31) less rule a2's (28).
        (287, 3926550154, 0.02, 0.9, 5),
        # "After, high" for a1 was 3 or 4 (49 people), and 2 or 3 (61 people), the same way.
        (49, 904993522, 0.3, 0.97, 5),
        (61, 90, 0.02, 0.9, 5),
        # Category alpha's cohort-wide "lost" at high severity was exactly 4 of 1,262: "before" 137,
        # "after" 133, and a shown "nobody gained rule a1's high flag" (so nobody gained alpha's).
        (1262, 24520513, 0.02, 0.97, 5),
        # Rule b1's medium flags were exactly 4 of 25: everyone was in one ethnic group, whose row
        # showed b1's 15 flagged and 11 at high severity.
        (25, 1207730538, 0.1, 0.6, 5),
    ],
)
def test_cohorts_where_the_audit_recovered_counts_are_protected_now(n, seed, rare, common, min_cell):
    people = synthetic_cohort(n, seed, rare, common)
    findings, tried = attack(publish(people, min_cell), min_cell)
    assert tried
    assert findings == []


def test_a_rules_page_line_is_protected_against_the_flagged_counts_published_elsewhere():
    # 60 people: 20 high, 10 medium, 4 not settled, 26 not flagged. The dashboard publishes the
    # rule's 30 flagged and 20 high-severity; hiding "medium" and "not settled" alone would leave
    # medium = 30 - 20 and then not settled = 60 - 30 - 26 = 4.
    line = rule_counts(60, {"high": 20, "medium": 10, "undetermined": 4}, 10)
    assert line.counts["undetermined"] is None
    assert line.counts["not flagged"] is None
    assert line.counts["high"] == 20
    assert line.counts["medium"] == 10
    assert line.flagged == 30


def test_a_what_ifs_lost_and_gained_are_hidden_together():
    # 5 lose the flag and nobody gains it: with "before" (40) and "after" (35) shown, a shown
    # "gained: 0" would give "lost" away.
    figures = scenario_figures(
        {"full-time": 200, "part-time": 100},
        before={"full-time": {"k": 25}, "part-time": {"k": 15}},
        after={"full-time": {"k": 22}, "part-time": {"k": 13}},
        lost={"full-time": {"k": 3}, "part-time": {"k": 2}},
        gained={},
        keys=["k"],
        min_cell=10,
    )
    assert figures.totals["k"]["before"] == 40
    # and "after" too: "before" less "after" is "lost" less "gained", 5 to a reader who knows
    # nobody can gain the flag
    assert figures.totals["k"]["after"] is None
    assert figures.totals["k"]["lost"] is None
    assert figures.totals["k"]["gained"] is None


def test_a_groups_lost_count_is_hidden_for_every_group_when_one_is_small():
    # Job share: 12 flagged before, 10 after, 2 lost, nobody gained: the group's before and after
    # counts are shown, so its "lost" would give its whole before-and-after table away; and with
    # the others' shown, the cohort's total would give it away too.
    figures = scenario_figures(
        {"full-time": 200, "part-time": 80, "job-share": 30},
        before={"full-time": {"k": 50}, "part-time": {"k": 30}, "job-share": {"k": 12}},
        after={"full-time": {"k": 30}, "part-time": {"k": 20}, "job-share": {"k": 10}},
        lost={"full-time": {"k": 20}, "part-time": {"k": 10}, "job-share": {"k": 2}},
        gained={},
        keys=["k"],
        min_cell=10,
    )
    assert figures.before.row("k", "job-share").flagged == 12
    # its "after" is hidden too (12 less 10 would be the 2), with a second group beside it
    assert figures.after.row("k", "job-share").flagged is None
    assert sum(figures.after.row("k", g).flagged is None for g in ("full-time", "part-time")) >= 1
    assert set(figures.lost.values()) == {None}


def test_a_group_hidden_for_one_flag_is_hidden_for_every_flag():
    # Group B: 20 flagged in category alpha, 18 for rule a1, 2 for rule a2. Showing alpha and a1
    # while hiding a2 says a2 >= 20 - 18 = 2 (a category's count is at most its rules' together).
    groups = [
        GroupCounts("A", 100, flagged={"alpha": 40, "a1": 25, "a2": 20}),
        GroupCounts("B", 50, flagged={"alpha": 20, "a1": 18, "a2": 2}),
        GroupCounts("C", 60, flagged={"alpha": 30, "a1": 20, "a2": 15}),
    ]
    table = cohort_table(groups, ["alpha", "a1", "a2"], min_cell=10)
    assert table.row("a2", "B").flagged is None
    assert table.row("alpha", "B").flagged is None
    assert table.row("a1", "B").flagged is None
    hidden = {key: {row.group for row in table.impact[key] if row.flagged is None} for key in table.keys}
    assert hidden["a2"] == hidden["alpha"] == hidden["a1"]
    assert len(hidden["a2"]) >= 2  # B and its complement, for every flag alike


def test_a_group_with_hidden_bands_shows_no_mean_median_or_gap():
    # Men: 5 people, 2 not yet ready, 1 nearly ready, 2 ready. The band counts are hidden; a mean
    # and a median would say where the scores lie, and so bound the hidden counts.
    men = GroupCounts(
        "male", 5, 330.0, 28000.0, bands={"not-yet": 2, "nearly-ready": 1, "ready": 2}, median=75.0
    )
    women = GroupCounts(
        "female",
        40,
        2200.0,
        130000.0,
        bands={"not-yet": 10, "developing": 10, "nearly-ready": 10, "ready": 10},
        median=55.0,
    )
    table = cohort_table([men, women], [], min_cell=5)
    summary = {s.group: s for s in table.groups}
    assert summary["male"].n == 5
    assert None in summary["male"].bands.values()
    assert summary["male"].mean is None
    assert summary["male"].median is None
    assert table.gaps["male"].difference is None


def test_a_what_ifs_lost_and_gained_are_hidden_when_before_or_after_is():
    # 4 flagged before (small), 11 after, nobody lost the flag, 7 gained it: with "lost" and
    # "gained" shown, "before" would be 11 - 7 + 0 = 4.
    figures = scenario_figures(
        {"full-time": 200, "part-time": 87},
        before={"full-time": {"k": 2}, "part-time": {"k": 2}},
        after={"full-time": {"k": 6}, "part-time": {"k": 5}},
        lost={},
        gained={"full-time": {"k": 4}, "part-time": {"k": 3}},
        keys=["k"],
        min_cell=5,
    )
    assert figures.totals["k"] == {"before": None, "after": 11, "lost": None, "gained": None}


def test_a_what_ifs_total_hidden_for_one_key_is_hidden_for_its_whole_family():
    # Rule a1: 3 people at high severity after the change; rule a2: 28; category alpha: 31. With
    # alpha's and a2's shown, a1's would be at least 31 - 28 = 3.
    keys = ["alpha", "high:alpha", "a1", "high:a1", "a2", "high:a2", "b1", "high:b1"]
    after = {"everyone": {"alpha": 39, "high:alpha": 31, "a1": 11, "high:a1": 3, "a2": 28, "high:a2": 28}}
    after["everyone"] |= {"b1": 60, "high:b1": 30}
    figures = scenario_figures(
        {"everyone": 287},
        before=after,
        after=after,
        lost={},
        gained={},
        keys=keys,
        min_cell=5,
        families={"alpha": "alpha", "a1": "alpha", "a2": "alpha", "beta": "beta", "b1": "beta"},
    )
    for key in ("alpha", "high:alpha", "a1", "high:a1", "a2", "high:a2"):
        assert figures.totals[key]["after"] is None, key
    assert figures.totals["b1"]["after"] == 60
    assert figures.totals["high:b1"]["after"] == 30


def test_a_softening_change_that_lifts_a_few_flags_hides_its_after_counts():
    # 398 people; 4 lose rule a1's flag and nobody can gain it. With "before" and "after" shown
    # (overall or for the group), their difference is the 4.
    figures = scenario_figures(
        {"full-time": 300, "part-time": 98},
        before={"full-time": {"k": 40}, "part-time": {"k": 20}},
        after={"full-time": {"k": 40}, "part-time": {"k": 16}},
        lost={"part-time": {"k": 4}},
        gained={},
        keys=["k"],
        min_cell=5,
    )
    assert figures.totals["k"] == {"before": 60, "after": None, "lost": None, "gained": None}
    assert figures.before.row("k", "part-time").flagged == 20
    assert figures.after.row("k", "part-time").flagged is None
    # and a second group is hidden with it, so the cohort's figures cannot give it back
    assert figures.after.row("k", "full-time").flagged is None


def test_a_groups_medium_severity_flags_are_protected_like_any_count():
    # Part-time: 15 flagged, 11 of them at high severity, so 4 at medium: showing both would
    # say so (the rules page hides a small medium count; so must every table).
    groups = [
        GroupCounts("full-time", 100, flagged={"k": 30, "high:k": 20}),
        GroupCounts("part-time", 50, flagged={"k": 15, "high:k": 11}),
        GroupCounts("job-share", 40, flagged={"k": 12, "high:k": 0}),
    ]
    table = cohort_table(groups, ["k", "high:k"], min_cell=5)
    assert table.row("k", "part-time").flagged is None
    assert table.row("high:k", "part-time").flagged is None
    hidden = [g.group for g in groups if table.row("k", g.group).flagged is None]
    assert len(hidden) >= 2
