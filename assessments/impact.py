"""Impact over time: how readiness changes between a person's first and latest assessment.

People retake a programme's assessment, and many take the programme in between. For everyone
with two or more submitted assessments of one programme this module works out the change in
readiness from the first to the latest (overall and per domain), the mean change with a paired
95% interval (Student's t on the differences), the same split by group and by what the person
said about the programme (completed it between the two, or not), and completers against
non-completers with Welch's interval.

Everything is pure arithmetic on numbers the web layer passes in. Small numbers go through the
one suppression path (``assessments.disclosure``), protected against the dashboard's own group
sizes and participants (see ``impact_report``). The figures are observational and self-rated:
``CAVEAT`` says so in words, and every surface that shows them prints it. The method and its
limits are explained for designers in ``docs/impact.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from assessments.cohort import ALPHA, DEFAULT_MIN_CELL, t_quantile, t_upper_tail
from assessments.disclosure import Grid, protect_grid, protect_listed
from assessments.errors import InputError
from assessments.progress import EARLIEST_YEAR, PROGRAMME_STATUSES

STATUS_PHRASES: dict[str, str] = {
    "enrolled": "You enrolled",
    "completed": "You completed it",
}
"""How the results page reads a stored answer back, before its month and year."""

PROGRESS_GROUPS: dict[str, str] = {
    "completed-between": "Completed the programme between their first and latest assessment",
    "not-completed": "Did not complete the programme between their first and latest assessment",
}
"""How people with repeat assessments are split by what they said about the programme.

"Did not complete it between" holds people who said they enrolled, people who said nothing, and
people whose completion came before their first assessment or after their latest: none of them
took the programme between the two. Two groups, not more, so that a rare answer (a completion
before the first assessment) cannot force the completers' figures to be hidden with it. A
completion in the same month as an assessment counts as between them (a month is all a person
gives)."""

COMPLETERS = "completed-between"
NON_COMPLETERS = "not-completed"

CAVEAT = (
    "These figures are observational and self-rated. People chose whether and when to reassess "
    "and whether to take the programme, and they rated themselves each time, so a change is not "
    "proof that the programme caused it: people who take a programme may differ from those who "
    "do not, and may rate themselves more generously once they have finished it."
)

ONLY_ONCE_HIDDEN = (
    "Not shown: the dashboard shows how many people are counted, so the number who assessed "
    "themselves twice or more would give away the few (fewer than {min_cell}) who assessed only once."
)
"""Why nothing is shown although many people repeated: a reader sees the cohort on the dashboard."""


class ImpactError(InputError):
    """The figures or answers given for an impact analysis cannot be used."""


# --------------------------------------------------------------------------- participants' answers


def check_status(status: str) -> str:
    """The status if it is one ``PROGRAMME_STATUSES`` declares; a clear error otherwise (never a default)."""
    if status not in PROGRAMME_STATUSES:
        raise ImpactError(
            [f"unknown programme status {status!r}; expected one of {', '.join(PROGRAMME_STATUSES)}"]
        )
    return status


def check_month(year: int, month: int, latest: tuple[int, int]) -> list[str]:
    """Sentences saying what is wrong with a month and year a person gave (empty when fine).

    ``latest`` is the (year, month) it is now: a programme is not enrolled in or completed in
    the future.
    """
    problems = []
    if not 1 <= month <= 12:
        problems.append("The month must be a number from 1 to 12")
    if year < EARLIEST_YEAR:
        problems.append(f"The year must be {EARLIEST_YEAR} or later")
    if not problems and (year, month) > latest:
        problems.append("The date must be this month or in the past")
    return problems


def progress_group(
    status: str | None,
    when: tuple[int, int] | None,
    first: tuple[int, int],
    latest: tuple[int, int],
) -> str:
    """Which of ``PROGRESS_GROUPS`` a person falls in, from what they said and their two assessments.

    ``when``, ``first`` and ``latest`` are (year, month): of the completion, and of the first and
    latest submissions.
    """
    if status is None:
        return NON_COMPLETERS
    check_status(status)
    if status != "completed":
        return NON_COMPLETERS
    if when is None:
        raise ImpactError(["a completed programme needs the month and year it was completed"])
    return COMPLETERS if first <= when <= latest else NON_COMPLETERS


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class PairedChange:
    """The mean of people's changes (latest minus first) with its paired confidence interval."""

    n: int
    mean: float | None
    sd: float | None
    ci: tuple[float, float] | None
    reason: str | None = None
    """Why there is no interval, when there is none."""


@dataclass(frozen=True)
class Comparison:
    """Mean change of one group minus another's, with Welch's interval and two-sided p-value."""

    difference: float | None
    ci: tuple[float, float] | None
    df: float | None
    p_value: float | None
    reason: str | None = None


def _mean_and_squares(values: Sequence[float]) -> tuple[float, float]:
    mean = math.fsum(values) / len(values)
    return mean, math.fsum((value - mean) ** 2 for value in values)


def _check_values(values: Sequence[float], what: str) -> None:
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ImpactError([f"{what}: every change must be a finite number (got {value!r})"])


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ImpactError([f"a confidence level must be between 0 and 1 (got {confidence!r})"])


def paired_change(differences: Sequence[float], confidence: float = 1 - ALPHA) -> PairedChange:
    """Mean of paired differences with a Student's t interval: mean ± t(n−1) · sd / √n.

    This is the one-sample t interval on each person's own change, which is what a paired
    t-test reports (``scipy.stats.ttest_rel(...).confidence_interval()`` agrees).
    """
    _check_values(differences, "paired change")
    _check_confidence(confidence)
    n = len(differences)
    if n == 0:
        return PairedChange(0, None, None, None, "no one has two assessments")
    mean, squares = _mean_and_squares(differences)
    if n < 2:
        return PairedChange(n, mean, None, None, "too few to say: an interval needs two people or more")
    sd = math.sqrt(squares / (n - 1))
    if sd == 0:
        return PairedChange(n, mean, 0.0, None, "every change is the same, so there is no spread")
    half = t_quantile(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)
    return PairedChange(n, mean, sd, (mean - half, mean + half))


def welch_comparison(
    first: Sequence[float], second: Sequence[float], confidence: float = 1 - ALPHA
) -> Comparison:
    """Mean of ``first`` minus mean of ``second``, Welch's interval (unequal variances) and p-value.

    ``scipy.stats.ttest_ind(first, second, equal_var=False)`` gives the same statistic, degrees
    of freedom, p-value and interval.
    """
    _check_values(first, "first group")
    _check_values(second, "second group")
    _check_confidence(confidence)
    if len(first) < 2 or len(second) < 2:
        return Comparison(None, None, None, None, "too few to say: each side needs two people or more")
    mean_a, squares_a = _mean_and_squares(first)
    mean_b, squares_b = _mean_and_squares(second)
    share_a = squares_a / (len(first) - 1) / len(first)
    share_b = squares_b / (len(second) - 1) / len(second)
    se_squared = share_a + share_b
    difference = mean_a - mean_b
    if se_squared == 0:
        return Comparison(difference, None, None, None, "every change is the same, so there is no spread")
    df = se_squared**2 / (share_a**2 / (len(first) - 1) + share_b**2 / (len(second) - 1))
    se = math.sqrt(se_squared)
    half = t_quantile(0.5 + confidence / 2, df) * se
    p_value = min(1.0, 2 * t_upper_tail(abs(difference) / se, df))
    return Comparison(difference, (difference - half, difference + half), df, p_value)


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class Person:
    """One person with two or more assessments of the programme: their change, first to latest."""

    change: float
    """Overall readiness, latest minus first (points out of 100)."""
    progress: str
    """A key of ``PROGRESS_GROUPS``."""
    group: str | None = None
    """Their group in the chosen grouping (from their latest submission, as the dashboard)."""
    domains: Mapping[str, float] = field(default_factory=dict)
    """Domain id -> change, for domains scored in both assessments."""

    def __post_init__(self) -> None:
        _check_values([self.change, *self.domains.values()], "a person's change")
        if self.progress not in PROGRESS_GROUPS:
            raise ImpactError(
                [f"unknown progress group {self.progress!r}; expected one of {', '.join(PROGRESS_GROUPS)}"]
            )
        object.__setattr__(self, "domains", MappingProxyType(dict(self.domains)))


@dataclass(frozen=True)
class Row:
    """One line of a table: a domain, a group or a progress group. ``n`` is ``None`` when hidden."""

    key: str
    n: int | None
    change: PairedChange | None

    @property
    def suppressed(self) -> bool:
        return self.n is None


@dataclass(frozen=True)
class ImpactReport:
    min_cell: int
    people: int | None
    """People with two or more assessments; ``None`` when fewer than ``min_cell`` (nothing shown)."""
    overall: PairedChange | None
    domains: tuple[Row, ...]
    groups: tuple[Row, ...]
    progress: tuple[Row, ...]
    comparison: Comparison | None
    """Completers minus non-completers; ``None`` when either side is hidden."""
    caveat: str = CAVEAT
    withheld: str | None = None
    """Why nothing is shown, in words, when it is not simply that fewer than ``min_cell`` repeated."""

    def to_json(self, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
        """JSON-ready figures; ``labels`` names groups (group value -> words)."""
        names = labels or {}
        return {
            "min_cell": self.min_cell,
            "people": self.people,
            "withheld": self.withheld,
            "caveat": self.caveat,
            "overall": _change_json(self.overall),
            "domains": [{"id": row.key} | _row_json(row) for row in self.domains],
            "by_group": [
                {"group": row.key, "label": names.get(row.key, row.key)} | _row_json(row)
                for row in self.groups
            ],
            "by_programme": [
                {"progress": row.key, "label": PROGRESS_GROUPS[row.key]} | _row_json(row)
                for row in self.progress
            ],
            "completers_vs_non_completers": _comparison_json(self.comparison),
        }


def _round(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


def _change_json(change: PairedChange | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "n": change.n,
        "mean_change": _round(change.mean),
        "sd": _round(change.sd),
        "ci": None if change.ci is None else [_round(change.ci[0]), _round(change.ci[1])],
        "reason": change.reason,
    }


def _row_json(row: Row) -> dict[str, Any]:
    change = _change_json(row.change)
    return {
        "suppressed": row.suppressed,
        "n": row.n,
        "mean_change": None if change is None else change["mean_change"],
        "ci": None if change is None else change["ci"],
        "reason": None if change is None else change["reason"],
    }


def _comparison_json(comparison: Comparison | None) -> dict[str, Any]:
    if comparison is None:
        return {"difference": None, "ci": None, "df": None, "p_value": None, "reason": "suppressed"}
    return {
        "difference": _round(comparison.difference),
        "ci": None if comparison.ci is None else [_round(comparison.ci[0]), _round(comparison.ci[1])],
        "df": _round(comparison.df),
        "p_value": _round(comparison.p_value, 4),
        "reason": comparison.reason,
    }


def _check_min_cell(min_cell: int) -> None:
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        raise ImpactError([f"min_cell must be a whole number of people, 1 or more (got {min_cell!r})"])


def impact_report(
    people: Sequence[Person],
    *,
    cohort: int,
    domains: Sequence[str] = (),
    group_sizes: Mapping[str, int] | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
) -> ImpactReport:
    """The impact tables for one programme, small numbers hidden.

    ``cohort`` is the dashboard's number of participants (everyone counted, one row per person,
    repeaters among them): a reader sets it beside the number of people with repeat assessments,
    so when the difference, the people who assessed only once, is 1 to ``min_cell - 1``, nothing
    is shown and ``withheld`` says why. Hiding only the number would not do: the progress groups
    add up to it, a domain most people have paired bounds it, and a mean beside it is a mean over
    a hidden number of people.

    ``group_sizes`` are the dashboard's one-way group sizes for the chosen grouping (adding up to
    ``cohort``); leave it out for no split by group. A group's number of people with repeat
    assessments is protected as a grid of groups × (repeated, took it once) whose row totals are
    the dashboard's shown sizes, so that a published number here, set beside the dashboard's,
    never gives away a small count; a group the dashboard hides is hidden here too. The progress
    groups and each domain's people are one-way lists whose total (everyone with repeat
    assessments) is shown. Below ``min_cell`` people in all, nothing is shown.
    """
    _check_min_cell(min_cell)
    total = len(people)
    if isinstance(cohort, bool) or not isinstance(cohort, int) or cohort < total:
        raise ImpactError(
            [
                f"the cohort must be a whole number of people, at least the {total} with repeat assessments "
                f"(got {cohort!r})"
            ]
        )
    if group_sizes is not None and sum(group_sizes.values()) != cohort:
        raise ImpactError(
            [f"the groups' sizes add up to {sum(group_sizes.values())}, not the cohort's {cohort} people"]
        )
    once = cohort - total
    withheld = (
        ONLY_ONCE_HIDDEN.format(min_cell=min_cell) if total >= min_cell and 0 < once < min_cell else None
    )
    if total < min_cell or withheld:
        return ImpactReport(
            min_cell=min_cell,
            people=None,
            overall=None,
            domains=tuple(Row(domain, None, None) for domain in domains),
            groups=tuple(Row(group, None, None) for group in (group_sizes or {})),
            progress=tuple(Row(key, None, None) for key in PROGRESS_GROUPS),
            comparison=None,
            withheld=withheld,
        )
    return ImpactReport(
        min_cell=min_cell,
        people=total,
        overall=paired_change([person.change for person in people]),
        domains=tuple(_domain_row(people, domain, min_cell) for domain in domains),
        groups=_group_rows(people, group_sizes, min_cell) if group_sizes is not None else (),
        progress=_progress_rows(people, min_cell),
        comparison=_comparison(people, min_cell),
    )


def _domain_row(people: Sequence[Person], domain: str, min_cell: int) -> Row:
    changes = [person.domains[domain] for person in people if domain in person.domains]
    counts = {"paired": len(changes), "unpaired": len(people) - len(changes)}
    if "paired" in protect_listed(counts, min_cell) or not changes:
        return Row(domain, None if changes else 0, None)
    return Row(domain, len(changes), paired_change(changes))


def _progress_rows(people: Sequence[Person], min_cell: int) -> tuple[Row, ...]:
    by_key: dict[str, list[float]] = {key: [] for key in PROGRESS_GROUPS}
    for person in people:
        by_key[person.progress].append(person.change)
    hidden = protect_listed({key: len(values) for key, values in by_key.items()}, min_cell)
    return tuple(
        Row(key, None, None)
        if key in hidden
        else Row(key, len(values), paired_change(values) if values else None)
        for key, values in by_key.items()
    )


def _comparison(people: Sequence[Person], min_cell: int) -> Comparison | None:
    counts = dict.fromkeys(PROGRESS_GROUPS, 0)
    for person in people:
        counts[person.progress] += 1
    hidden = protect_listed(counts, min_cell)
    if COMPLETERS in hidden or NON_COMPLETERS in hidden:
        return None
    return welch_comparison(
        [person.change for person in people if person.progress == COMPLETERS],
        [person.change for person in people if person.progress == NON_COMPLETERS],
    )


def _group_rows(people: Sequence[Person], group_sizes: Mapping[str, int], min_cell: int) -> tuple[Row, ...]:
    changes: dict[str, list[float]] = {group: [] for group in group_sizes}
    for person in people:
        if person.group not in changes:
            raise ImpactError(
                [f"a person's group {person.group!r} is not among the groups counted ({', '.join(changes)})"]
            )
        changes[person.group].append(person.change)
    problems = [
        f"group {group!r}: {len(values)} people with repeat assessments, more than its {group_sizes[group]}"
        for group, values in changes.items()
        if len(values) > group_sizes[group]
    ]
    if problems:
        raise ImpactError(problems)
    cohort = sum(group_sizes.values())
    # Exactly as the dashboard hides its group sizes (assessments.cohort, one-way groupings).
    hidden_sizes = protect_listed(dict(group_sizes), min_cell, total_shown=cohort >= min_cell)
    grid = Grid(
        {
            cell: value
            for group, values in changes.items()
            for cell, value in (
                ((group, "repeated"), len(values)),
                ((group, "once"), group_sizes[group] - len(values)),
            )
        },
        known_rows=set(group_sizes) - hidden_sizes,
        known_columns={"repeated", "once"},
    )
    forced = [(group, column) for group in hidden_sizes for column in ("repeated", "once")]
    hidden = {group for group, _ in protect_grid([grid], min_cell, forced=forced)}
    return tuple(
        Row(group, None, None)
        if group in hidden
        else Row(group, len(values), paired_change(values) if values else None)
        for group, values in changes.items()
    )
