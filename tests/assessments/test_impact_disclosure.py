"""The attacker's audit of "Impact over time", set beside the dashboard a designer sees with it.

A designer sees, for one programme's cohort: the dashboard's participants, its one-way group
sizes for every grouping and its intersections; and, on "Impact over time" (page, CSV, PDF and
``certready impact --json``, all from ``ImpactReport.to_json``), the number of people with
repeat assessments, each progress group's, each domain's and, for whichever grouping they
choose, each group's. As in ``test_cohort_disclosure.py`` (with the same attacker, from
``lp_audit.py``) the audit models the *people*: one unknown count per combination of contract, sex,
whether they assessed once or which progress group they repeated in, and which domains both
of their assessments scored. Every published figure is a sum of those counts.

For every count of 1 to ``min_cell - 1`` people a reader might want (who assessed only once,
in total and per group; repeaters per group and per group and progress group; progress groups;
people with and without each domain paired; the dashboard's sizes), the reader's range must
keep the protection rule: at least three whole numbers, or 0 or ``min_cell`` included.

Means are checked too: no mean or interval is published for a group whose size is hidden, and
the people left over by a table's shown rows (whose sum of changes is the overall sum less the
shown sums, so whose mean a reader can work out) are none or at least ``min_cell``.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import product
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.impact import (
    COMPLETERS,
    NON_COMPLETERS,
    PROGRESS_GROUPS,
    ImpactError,
    Person,
    impact_report,
)
from tests.assessments.lp_audit import (
    Attacker,
    CellModel,
    Finding,
    Form,
    Published,
    attack,
    audit_settings,
    publish_dashboard,
)

GROUPINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "contract": (("full-time", 60), ("part-time", 25), ("job-share", 4), ("not-answered", 2)),
    "sex": (("female", 50), ("male", 40), ("prefer-not-to-say", 3)),
}
ONCE = "once"
STATUSES = (ONCE, *PROGRESS_GROUPS)
DOMAINS = ("d1", "d2")
PATTERNS: tuple[tuple[bool, ...], ...] = tuple(product((True, False), repeat=len(DOMAINS)))
"""Which domains both of a repeater's assessments scored (a new version may add one)."""

Cohort = list[dict[str, Any]]


def synthetic_cohort(n: int, seed: int, repeat: float, complete: float, old: float) -> Cohort:
    """``n`` people: contract, sex, once or repeated (and progress), domains paired, a change."""
    rng = random.Random(seed)
    people = []
    for _ in range(n):
        person: dict[str, Any] = {
            grouping: rng.choices([v for v, _ in values], [w for _, w in values])[0]
            for grouping, values in GROUPINGS.items()
        }
        if rng.random() < repeat:
            person["status"] = COMPLETERS if rng.random() < complete else NON_COMPLETERS
            person["pattern"] = (True, False) if rng.random() < old else (True, True)
        else:
            person["status"], person["pattern"] = ONCE, None
        person["change"] = round(rng.uniform(-20, 40), 1)
        people.append(person)
    return people


def repeaters(people: Cohort, grouping: str | None) -> list[Person]:
    """What ``app.designer.pages.impact`` hands the domain: one ``Person`` per repeater."""
    return [
        Person(
            change=p["change"],
            progress=p["status"],
            group=p[grouping] if grouping else None,
            domains={d: p["change"] / 2 for d, paired in zip(DOMAINS, p["pattern"], strict=True) if paired},
        )
        for p in people
        if p["status"] != ONCE
    ]


class Kind(NamedTuple):
    """What the impact page can tell apart about a person."""

    status: str
    """Assessed once, or the progress group they repeated in."""
    paired: tuple[bool, ...] | None
    """Which domains both of a repeater's assessments scored (None for who assessed once)."""


KINDS = [
    Kind(status, pattern) for status in STATUSES for pattern in ((None,) if status == ONCE else PATTERNS)
]


class ImpactModel(CellModel):
    """The reader's unknowns: people per contract, sex, status and domains paired."""

    def __init__(self, people: Cohort) -> None:
        labels = {g: sorted({p[g] for p in people}) for g in GROUPINGS}
        cells = [(tuple(p[g] for g in GROUPINGS), Kind(p["status"], p["pattern"])) for p in people]
        super().__init__(list(GROUPINGS), labels, KINDS, cells)


def repeated(kind: Kind) -> bool:
    return kind.status != ONCE


def once(kind: Kind) -> bool:
    return kind.status == ONCE


def in_progress_group(key: str) -> Callable[[Kind], bool]:
    return lambda kind: kind.status == key


def domain_paired(i: int, paired: bool = True) -> Callable[[Kind], bool]:
    """Repeaters whose two assessments both scored domain ``i`` (or, with ``paired`` false, did not)."""
    return lambda kind: kind.paired is not None and kind.paired[i] is paired


def publish(people: Cohort, min_cell: int) -> tuple[Published[ImpactModel], list[dict[str, Any]]]:
    """The dashboard's sizes and every impact report a designer can ask for, as a reader sees them."""
    model = ImpactModel(people)
    found = Published(model)
    publish_dashboard(found, [{g: p[g] for g in GROUPINGS} for p in people], min_cell)
    # What the page is given: the dashboard's sizes for the grouping chosen.
    shown_sizes = {g: dict(sorted(Counter(p[g] for p in people).items())) for g in GROUPINGS}
    reports = []
    for grouping in (None, *GROUPINGS):
        report = impact_report(
            repeaters(people, grouping),
            cohort=len(people),
            domains=DOMAINS,
            group_sizes=shown_sizes[grouping] if grouping else None,
            min_cell=min_cell,
        ).to_json()
        reports.append(report)
        found.count("impact: people", model.people({}, repeated), report["people"])
        for row in report["by_programme"]:
            key = row["progress"]
            found.count(f"impact: {key}", model.people({}, in_progress_group(key)), row["n"])
        for i, row in enumerate(report["domains"]):
            paired = model.people({}, domain_paired(i))
            found.count(f"impact: {row['id']} paired", paired, row["n"])
        for row in report["by_group"]:
            assert grouping is not None
            found.count(
                f"impact {grouping} {row['group']}: repeated",
                model.people({grouping: row["group"]}, repeated),
                row["n"],
            )
    return found, reports


def targets(model: ImpactModel) -> dict[str, Form]:
    """Every count a reader might want, whether or not any table shows it."""
    found: dict[str, Form] = {
        "assessed once": model.people({}, once),
        "repeated": model.people({}, repeated),
    }
    for key in PROGRESS_GROUPS:
        found[key] = model.people({}, in_progress_group(key))
    for i, domain in enumerate(DOMAINS):
        found[f"{domain} paired"] = model.people({}, domain_paired(i))
        found[f"{domain} not paired"] = model.people({}, domain_paired(i, paired=False))
    for grouping, labels in model.labels.items():
        for group in labels:
            place = {grouping: group}
            found[f"{grouping} {group}"] = model.people(place)
            found[f"{grouping} {group}: assessed once"] = model.people(place, once)
            found[f"{grouping} {group}: repeated"] = model.people(place, repeated)
            for key in PROGRESS_GROUPS:
                found[f"{grouping} {group}: {key}"] = model.people(place, in_progress_group(key))
    return found


def audit(people: Cohort, min_cell: int) -> list[Finding]:
    found, reports = publish(people, min_cell)
    findings, _ = attack(found, min_cell, targets(found.model))
    return findings + mean_findings(reports, min_cell)


def mean_findings(reports: Sequence[dict[str, Any]], min_cell: int) -> list[Finding]:
    """Means over groups of hidden or small size, direct or left over from a table's shown rows."""
    findings = []
    for report in reports:
        if report["people"] is None and report["overall"] is not None:
            findings.append(Finding("overall mean beside a hidden number of people", -1, -1, -1))
        for table in ("by_programme", "domains", "by_group"):
            for row in report[table]:
                if row["n"] is None and (row["mean_change"] is not None or row["ci"] is not None):
                    findings.append(Finding(f"{table} mean beside a hidden size", -1, -1, -1))
        if report["people"] is None:
            continue
        # The overall sum of changes less the shown rows' sums is the hidden rows' sum.
        for table in ("by_programme", "by_group"):
            rows = report[table]
            if not rows or all(row["n"] is not None for row in rows):
                continue
            left = report["people"] - sum(row["n"] for row in rows if row["n"] is not None)
            if 0 < left < min_cell:
                findings.append(Finding(f"mean change of the {left} hidden in {table}", left, left, left))
    return findings


@audit_settings(max_examples=40)
@given(
    n=st.integers(15, 500),
    seed=st.integers(0, 2**32 - 1),
    repeat=st.sampled_from([0.3, 0.9, 0.97, 1.0]),
    complete=st.sampled_from([0.0, 0.05, 0.4]),
    old=st.sampled_from([0.0, 0.03, 0.3]),
    min_cell=st.sampled_from([5, 10]),
)
def test_no_count_behind_impact_over_time_can_be_narrowed_beside_the_dashboard(
    n, seed, repeat, complete, old, min_cell
):
    assert audit(synthetic_cohort(n, seed, repeat, complete, old), min_cell) == []


@pytest.mark.parametrize(
    ("n", "seed", "repeat", "complete", "old", "min_cell"),
    [
        # Found on the code before the fix (see the report of issue 12): cohort less repeaters.
        (60, 1, 0.97, 0.4, 0.0, 10),
    ],
)
def test_cohorts_where_the_audit_recovered_counts_are_protected_now(n, seed, repeat, complete, old, min_cell):
    assert audit(synthetic_cohort(n, seed, repeat, complete, old), min_cell) == []


def test_the_audit_is_not_vacuous():
    """With the dashboard's total beside them, shown repeaters give away the few who assessed once."""
    people = synthetic_cohort(60, 1, 0.97, 0.4, 0.0)
    model = ImpactModel(people)
    found = Published(model)
    found.count("participants", model.people({}), len(people))
    found.count("repeated", model.people({}, repeated), sum(p["status"] != ONCE for p in people))
    once_form = model.people({}, once)
    findings = Attacker(found).audit({"assessed once": once_form}, 10)
    true = round(model.value(once_form))
    assert 0 < true < 10
    assert findings == [Finding("assessed once", true, true, true)]


def _changes(count: int, progress: str = NON_COMPLETERS, group: str | None = None) -> list[Person]:
    return [Person(change=float(i % 7), progress=progress, group=group) for i in range(count)]


def test_nothing_is_shown_when_the_dashboard_total_would_give_away_the_few_who_assessed_once():
    # 57 of the dashboard's 60 repeated: "57" beside "60" says exactly 3 assessed only once.
    report = impact_report(_changes(57), cohort=60, domains=["d1"], min_cell=10)
    assert report.people is None
    assert report.overall is None
    assert report.comparison is None
    assert all(row.suppressed for row in (*report.domains, *report.progress))
    assert report.withheld is not None
    assert "assessed only once" in report.withheld
    assert "fewer than 10" in report.withheld
    data = report.to_json()
    assert data["people"] is None
    assert data["withheld"] == report.withheld


@pytest.mark.parametrize(("cohort", "shown"), [(57, True), (67, True), (66, False)])
def test_the_few_who_assessed_once_are_none_or_at_least_min_cell(cohort, shown):
    report = impact_report(_changes(57), cohort=cohort, min_cell=10)
    assert (report.people == 57) is shown
    assert (report.withheld is None) is shown


def test_a_cohort_that_does_not_hold_the_repeaters_or_match_the_groups_is_refused():
    with pytest.raises(ImpactError, match="at least the 12 with repeat assessments"):
        impact_report(_changes(12), cohort=11, min_cell=10)
    with pytest.raises(ImpactError, match="add up to 30, not the cohort's 40"):
        impact_report(_changes(12, group="a"), cohort=40, group_sizes={"a": 30}, min_cell=10)
