"""Cohort statistics for the programme designer's inclusivity review.

The web layer runs the SQL ``GROUP BY`` and passes counts in; everything here is pure
arithmetic on those counts, so the same figures come out of the web page, the PDF and
``certready cohort --json``. The measures, their formulas and their limits are explained
for programme designers in ``docs/inclusivity-statistics.md``.

Two promises shape the code:

* **Small numbers are never shown.** A count of 1 to ``min_cell - 1`` people is hidden,
  and further cells are hidden (complementary suppression, ``assessments.disclosure``) so
  that no hidden count can be worked out from the totals of *any* table of the same cohort:
  an intersection is protected against the one-way tables it adds up to, which it derives
  from its own cells (``_margins``), so every surface hides the same cells. Hidden values are
  ``None``; a hidden value is never used in a ratio. Zero is shown (it describes nobody),
  except where a line's people all share one answer (attribute disclosure).
* **"Too few to tell" is never reported as fair.** A group only gets the verdict
  ``no-evidence-of-adverse-impact`` when its numbers are big enough that a fall below the
  four-fifths line would have shown up; and a large group is never "too few to tell".
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from statistics import NormalDist
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from assessments import vocabulary
from assessments.disclosure import Grid, protect_grid, protect_listed
from assessments.errors import InputError
from assessments.results import BAND_LABELS
from assessments.risk_catalogue import HIGH_PREFIX, high

PREFER_NOT_TO_SAY = vocabulary.PREFER_NOT
"""The answer "prefer not to say": a group of its own, never merged into "not answered"."""
NOT_ANSWERED = vocabulary.NOT_ANSWERED
"""The group the SQL gives a NULL answer (``COALESCE(field, 'not-answered')``)."""
DEFAULT_MIN_CELL = 10
FOUR_FIFTHS = Fraction(4, 5)
ALPHA = 0.05
"""Two-sided significance level for Fisher's exact test (so 95% intervals throughout)."""
_Z = NormalDist().inv_cdf(1 - ALPHA / 2)
_FISHER_RELATIVE_TOLERANCE = 1 + 1e-7
"""Tables this close in probability to the observed one count as "as extreme" (as R's fisher.test)."""

NEARLY_EVERYONE = Fraction(9, 10)
"""A flag rate at or above which, in every group, a requirement excludes almost everyone.

Comparing who "passes" then compares slivers (3% against 0%) and the impact ratio says nothing
about the groups; the review says the requirement excludes almost everyone instead."""
TOO_WIDE = 0.2
"""A 95% range for a flag rate wider than this (20 percentage points) is too few people to tell."""

Verdict = Literal[
    "reference",
    "adverse",
    "clear-difference",
    "flagged-less",
    "possible-adverse",
    "no-evidence-of-adverse-impact",
    "no-clear-difference",
    "too-few-to-tell",
    "excludes-almost-everyone",
    "empty",
    "suppressed",
]
VERDICT_LABELS: dict[str, str] = {
    "reference": "Reference group",
    "adverse": "Clear difference: adverse impact",
    "clear-difference": "Clear difference: flagged more often",
    "flagged-less": "Clear difference: flagged less often",
    "possible-adverse": "Possible adverse impact: could be chance",
    "no-evidence-of-adverse-impact": "No clear difference: adverse impact ruled out",
    "no-clear-difference": "No clear difference",
    "too-few-to-tell": "Too few people to tell",
    "excludes-almost-everyone": "Excludes almost everyone, whatever their group",
    "empty": "No one in this group",
    "suppressed": "Not shown: small numbers",
}
"""Three kinds of answer a designer can act on: a clear difference (the exact test says it is
unlikely to be chance), no clear difference (it could be chance, with enough people to say
so), and too few people to tell."""
HIDDEN_SIZE_NOTE = (
    "Not shown: this group has fewer than {min_cell} people, or its size would let a group that "
    "small be worked out from the totals."
)
HIDDEN_FLAGS_NOTE = (
    "Not shown: in this group the number flagged, or the number not flagged, is below {min_cell}, "
    "or would let a number that small be worked out from the totals."
)
SUPPRESSED_TEXT = "not shown (small numbers)"
"""Display text for any hidden cell. The same words for cells hidden because they are small
and cells hidden to protect them: telling the two apart would undo the protection, and
"fewer than 10" would be untrue of a protecting cell."""


class CohortError(InputError):
    """The counts or options given for a cohort table cannot be analysed."""


class ReferenceHidden(CohortError):
    """The designer-chosen reference group's figures are hidden for small numbers."""


def intersection(first: str, second: str) -> str:
    """The label for people in both groups, e.g. ``female × part-time``."""
    return f"{first} × {second}"


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class GroupCounts:
    """What one SQL ``GROUP BY`` row says about a group of participants.

    ``flagged`` maps each flag key (category name, rule id, or ``high:`` variant) to the
    number of people in the group with at least one such flag; a missing key means 0,
    because SQL leaves out empty groups. ``bands`` maps each readiness band to its count
    and, when given, must add up to ``n``. ``no_opportunity`` and ``answers`` count
    answers (criteria rated), not people. ``parts`` holds the two labels an intersection
    group is made of, so both of its margins are protected.
    """

    group: str
    n: int
    readiness_sum: float = 0.0
    readiness_sumsq: float = 0.0
    bands: Mapping[str, int] = field(default_factory=dict)
    flagged: Mapping[str, int] = field(default_factory=dict)
    no_opportunity: int = 0
    answers: int = 0
    median: float | None = None
    parts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problems = _check_group(self)
        if problems:
            raise CohortError(problems)
        object.__setattr__(self, "readiness_sum", float(self.readiness_sum))
        object.__setattr__(self, "readiness_sumsq", float(self.readiness_sumsq))
        if self.median is not None:
            object.__setattr__(self, "median", float(self.median))
        object.__setattr__(self, "bands", MappingProxyType(dict(self.bands)))
        object.__setattr__(self, "flagged", MappingProxyType(dict(self.flagged)))
        object.__setattr__(self, "parts", tuple(self.parts))

    def flagged_for(self, key: str) -> int:
        """People in the group with the flag; a key the SQL left out counts as 0."""
        return self.flagged.get(key, 0)

    @property
    def mean(self) -> float | None:
        return self.readiness_sum / self.n if self.n else None

    @property
    def variance(self) -> float | None:
        """Sample variance (n - 1 divisor) from the sums, or None below two people."""
        return _spread(self) / (self.n - 1) if self.n >= 2 else None


def _spread(group: GroupCounts) -> float:
    """Sum of squared deviations from the mean; rounding can make it a hair below 0."""
    return max(0.0, group.readiness_sumsq - group.readiness_sum**2 / group.n) if group.n else 0.0


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool) and math.isfinite(value)


def _check_group(group: GroupCounts) -> list[str]:
    name = f"group {group.group!r}"
    if not isinstance(group.group, str) or not group.group.strip():
        return [f"group label {group.group!r}: must be a non-empty string"]
    if not _is_count(group.n):
        return [f"{name}: n must be a whole number of people, 0 or more (got {group.n!r})"]
    problems = []
    for what in ("readiness_sum", "readiness_sumsq"):
        if not _is_number(getattr(group, what)):
            problems.append(f"{name}: {what} must be a finite number (got {getattr(group, what)!r})")
    if group.median is not None and not _is_number(group.median):
        problems.append(f"{name}: median must be a finite number or None (got {group.median!r})")
    if not problems and group.n:
        total, squares = float(group.readiness_sum), float(group.readiness_sumsq)
        if squares * group.n < total**2 * (1 - 1e-9) - 1e-9:
            problems.append(
                f"{name}: readiness_sumsq ({squares:g}) is too small for readiness_sum ({total:g}) "
                f"over {group.n} people; pass the sum of squared scores"
            )
    elif not problems and (group.readiness_sum or group.readiness_sumsq):
        problems.append(f"{name}: readiness sums must be 0 for a group of 0 people")
    for what, counts in (("bands", group.bands), ("flagged", group.flagged)):
        for key, count in counts.items():
            if not isinstance(key, str) or not key:
                problems.append(f"{name}: {what} keys must be non-empty strings (got {key!r})")
            elif not _is_count(count):
                problems.append(f"{name}: {what}[{key!r}] must be a whole number, 0 or more (got {count!r})")
            elif count > group.n:
                problems.append(
                    f"{name}: {what}[{key!r}] is {count}, more than the {group.n} people in the group"
                )
    if group.bands and all(_is_count(c) for c in group.bands.values()):
        in_bands = sum(group.bands.values())
        if in_bands != group.n:
            problems.append(
                f"{name}: the band counts add up to {in_bands}, not to the {group.n} people in the group"
            )
    for what in ("no_opportunity", "answers"):
        if not _is_count(getattr(group, what)):
            problems.append(f"{name}: {what} must be a whole number of answers, 0 or more")
    if not problems and group.no_opportunity > group.answers:
        problems.append(
            f"{name}: no_opportunity ({group.no_opportunity}) is more than the {group.answers} answers given"
        )
    if group.parts and (len(group.parts) != 2 or not all(isinstance(p, str) and p for p in group.parts)):
        problems.append(f"{name}: parts must be two non-empty labels, e.g. ('female', 'part-time')")
    return problems


def combine(groups: Iterable[GroupCounts], label: str = "rest") -> GroupCounts:
    """Pool groups into one, e.g. "everyone else" for a readiness gap. The median cannot be pooled."""
    groups = list(groups)
    bands: dict[str, int] = {}
    flagged: dict[str, int] = {}
    for group in groups:
        for key, count in group.bands.items():
            bands[key] = bands.get(key, 0) + count
        for key, count in group.flagged.items():
            flagged[key] = flagged.get(key, 0) + count
    has_bands = all(group.bands or not group.n for group in groups)
    return GroupCounts(
        group=label,
        n=sum(group.n for group in groups),
        readiness_sum=math.fsum(group.readiness_sum for group in groups),
        readiness_sumsq=math.fsum(group.readiness_sumsq for group in groups),
        bands=bands if has_bands else {},
        flagged=flagged,
        no_opportunity=sum(group.no_opportunity for group in groups),
        answers=sum(group.answers for group in groups),
    )


# --------------------------------------------------------------------------- suppression

Cell = TypeVar("Cell", bound=Hashable)


def _check_min_cell(min_cell: int) -> None:
    if not _is_count(min_cell) or min_cell < 1:
        raise CohortError([f"min_cell must be a whole number of people, 1 or more (got {min_cell!r})"])


def _protect(
    values: Mapping[Cell, int],
    lines: Sequence[Sequence[Cell]],
    min_cell: int,
    forced: Iterable[Cell] = (),
) -> set[Cell]:
    """The cells to hide: small ones, forced ones, and enough others that no line gives them away.

    A line is a set of cells whose total is (or may be) published. After this, every line
    meets the invariant documented in ``docs/inclusivity-statistics.md``: its hidden cells
    sum to 0, or there are at least two of them summing to at least ``min_cell``, or the
    whole line is hidden.
    """
    hidden = {cell for cell, value in values.items() if 0 < value < min_cell}
    hidden.update(forced)
    changed = True
    while changed:
        changed = False
        for line in lines:
            added = _close_line(line, values, hidden, min_cell)
            if added:
                hidden |= added
                changed = True
    return hidden


def _close_line(
    line: Sequence[Cell], values: Mapping[Cell, int], hidden: set[Cell], min_cell: int
) -> set[Cell]:
    hidden_here = [cell for cell in line if cell in hidden]
    if not hidden_here:
        return set()
    count, total = len(hidden_here), sum(values[cell] for cell in hidden_here)
    # Smallest first loses least information; the line's order breaks ties, so the result is stable.
    shown = sorted((cell for cell in line if cell not in hidden), key=lambda cell: values[cell])
    added: set[Cell] = set()
    while shown and total != 0 and (count < 2 or total < min_cell):
        if total >= min_cell:
            pick = shown[0]  # only a second cell is needed: a zero costs nothing to hide
        else:
            nonzero = [cell for cell in shown if values[cell] > 0]
            if not nonzero:  # the whole line adds up to less than min_cell: hide all of it
                added.update(shown)
                break
            pick = nonzero[0]
        shown.remove(pick)
        added.add(pick)
        count, total = count + 1, total + values[pick]
    return added


def suppress(counts: Mapping[str, int], min_cell: int = DEFAULT_MIN_CELL) -> dict[str, int | None]:
    """Hide small counts in one row whose total is known; ``None`` means hidden.

    Counts of 1 to ``min_cell - 1`` are hidden (primary suppression). If the hidden
    counts could then be worked out from the total, the next smallest counts are hidden
    too (complementary suppression) until at least two are hidden and together they
    describe at least ``min_cell`` people (or, if the whole row is smaller, all of it).
    Zero describes nobody and is shown.
    """
    _check_min_cell(min_cell)
    for key, value in counts.items():
        if not _is_count(value):
            raise CohortError([f"count for {key!r} must be a whole number, 0 or more (got {value!r})"])
    hidden = _protect(counts, [list(counts)], min_cell)
    return {key: None if key in hidden else value for key, value in counts.items()}


def suppress_table(
    cells: Mapping[tuple[str, str], int], min_cell: int = DEFAULT_MIN_CELL
) -> dict[tuple[str, str], int | None]:
    """Like ``suppress`` for a two-way table whose row and column totals are known."""
    _check_min_cell(min_cell)
    for key, value in cells.items():
        if not _is_count(value):
            raise CohortError([f"count for {key!r} must be a whole number, 0 or more (got {value!r})"])
    hidden = _protect(cells, _table_lines(list(cells)), min_cell)
    return {key: None if key in hidden else value for key, value in cells.items()}


def _table_lines(cells: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    rows: dict[str, list[tuple[str, str]]] = {}
    columns: dict[str, list[tuple[str, str]]] = {}
    for cell in cells:
        rows.setdefault(cell[0], []).append(cell)
        columns.setdefault(cell[1], []).append(cell)
    return [list(cells), *rows.values(), *columns.values()]


def complete(groups: Sequence[GroupCounts]) -> list[GroupCounts]:
    """Intersections with every pair of their groups listed, empty pairs as groups of 0 people.

    SQL leaves out empty pairs. Listing only the others would say, for instance, that every
    participant of one ethnic group is male, and would tell a reader that each listed pair has at
    least one person in it. One-way groupings are returned as they are.
    """
    if not groups or not groups[0].parts:
        return list(groups)
    rows = list(dict.fromkeys(group.parts[0] for group in groups))
    columns = list(dict.fromkeys(group.parts[1] for group in groups))
    found = {_pair(group): group for group in groups}
    return [
        found.get((row, column)) or GroupCounts(group=intersection(row, column), n=0, parts=(row, column))
        for row in rows
        for column in columns
    ]


def _pair(group: GroupCounts) -> tuple[str, str]:
    return group.parts[0], group.parts[1]


def _margins(groups: Sequence[GroupCounts]) -> tuple[list[GroupCounts], list[GroupCounts]]:
    """The one-way groupings behind an intersection: each part's people, pooled over the other part.

    They are exactly what the one-way tables of the two groupings count (the same people), so
    the intersection is protected against the very figures those tables show.
    """
    rows: dict[str, list[GroupCounts]] = {}
    columns: dict[str, list[GroupCounts]] = {}
    for group in groups:
        rows.setdefault(group.parts[0], []).append(group)
        columns.setdefault(group.parts[1], []).append(group)
    return (
        [combine(members, label) for label, members in rows.items() if any(g.n for g in members)],
        [combine(members, label) for label, members in columns.items() if any(g.n for g in members)],
    )


@dataclass(frozen=True)
class _Sides:
    """An intersection's two one-way groupings, and which of their groups' sizes are hidden."""

    rows: list[GroupCounts]
    columns: list[GroupCounts]
    hidden_rows: set[str]
    hidden_columns: set[str]


def _sides(groups: Sequence[GroupCounts], min_cell: int) -> _Sides | None:
    """Worked out once per table: every flag key and band of an intersection is protected against them."""
    if not groups[0].parts:
        return None
    rows, columns = _margins(groups)
    return _Sides(rows, columns, _hidden_sizes(rows, min_cell), _hidden_sizes(columns, min_cell))


def _hidden_sizes(groups: Sequence[GroupCounts], min_cell: int, sides: _Sides | None = None) -> set[str]:
    """Groups whose size is hidden: one-way over the whole list, intersections against both margins."""
    total = sum(group.n for group in groups)
    if not groups[0].parts:
        return protect_listed(
            {group.group: group.n for group in groups}, min_cell, total_shown=total >= min_cell
        )
    sides = sides or _sides(groups, min_cell)
    assert sides is not None
    grid = Grid(
        {_pair(group): group.n for group in groups},
        known_rows={row.group for row in sides.rows} - sides.hidden_rows,
        known_columns={column.group for column in sides.columns} - sides.hidden_columns,
    )
    labels = {_pair(group): group.group for group in groups}
    return {labels[cell] for cell in protect_grid([grid], min_cell, attribute=True)}


def _hidden_flags(
    groups: Sequence[GroupCounts],
    key: str,
    min_cell: int,
    hidden_sizes: set[str],
    sides: _Sides | None = None,
    forced: Collection[str] = (),
) -> set[str]:
    """Groups whose flagged/not-flagged pair for ``key`` is hidden (the two are always hidden together).

    One-way: a grid of groups × (flagged, not flagged) whose row totals are the shown group
    sizes and whose column totals (the cohort's flagged and not flagged) are taken as known.
    Intersections: the flagged and the not-flagged counts, each a grid against the one-way
    tables' flag counts, with one shared pattern.
    """
    if not groups[0].parts:
        grid = Grid(
            {
                cell: value
                for group in groups
                for cell, value in (
                    ((group.group, "flagged"), group.flagged_for(key)),
                    ((group.group, "not flagged"), group.n - group.flagged_for(key)),
                )
            },
            known_rows={group.group for group in groups} - hidden_sizes,
            known_columns={"flagged", "not flagged"},
        )
        pinned = [(group, column) for group in forced for column in ("flagged", "not flagged")]
        return {row for row, _ in protect_grid([grid], min_cell, forced=pinned)}
    sides = sides or _sides(groups, min_cell)
    assert sides is not None
    known_rows = {row.group for row in sides.rows} - _hidden_flags(
        sides.rows, key, min_cell, sides.hidden_rows
    )
    known_columns = {column.group for column in sides.columns} - _hidden_flags(
        sides.columns, key, min_cell, sides.hidden_columns
    )
    grids = [
        Grid({_pair(group): group.flagged_for(key) for group in groups}, known_rows, known_columns),
        Grid({_pair(group): group.n - group.flagged_for(key) for group in groups}, known_rows, known_columns),
    ]
    labels = {_pair(group): group.group for group in groups}
    pinned = [_pair(group) for group in groups if group.group in hidden_sizes or group.group in forced]
    return {labels[cell] for cell in protect_grid(grids, min_cell, forced=pinned)}


def _band_order(groups: Sequence[GroupCounts]) -> list[str]:
    """Every band any group has, readiness order first, so each group lists the same bands.

    SQL leaves out empty bands; if a hidden group listed only its own, the list of names
    would give away what the hidden counts are.
    """
    seen = {band for group in groups for band in group.bands}
    return [band for band in BAND_LABELS if band in seen] + sorted(seen - set(BAND_LABELS))


def _hidden_bands(
    groups: Sequence[GroupCounts], min_cell: int, hidden_sizes: set[str], sides: _Sides | None = None
) -> set[tuple[str, str]]:
    """(group, band) cells hidden: a grid of groups × bands, or for intersections one grid per band."""
    bands = _band_order(groups)
    with_bands = [group for group in groups if group.bands or not group.n]
    if not bands or not with_bands:
        return set()
    if len(with_bands) == 1 and not with_bands[0].parts:  # a group on its own: one line, its size
        only = with_bands[0]
        if only.group in hidden_sizes:
            return {(only.group, band) for band in bands}
        shown = suppress({band: only.bands.get(band, 0) for band in bands}, min_cell)
        return {(only.group, band) for band, value in shown.items() if value is None}
    if not groups[0].parts:
        grid = Grid(
            {(group.group, band): group.bands.get(band, 0) for group in with_bands for band in bands},
            known_rows={group.group for group in with_bands} - hidden_sizes,
            known_columns=set(bands),
        )
        forced = [
            (group.group, band) for group in with_bands if group.group in hidden_sizes for band in bands
        ]
        return protect_grid([grid], min_cell, forced=forced)
    if sides is None or len(with_bands) != len(groups):
        sides = _sides(with_bands, min_cell)
        assert sides is not None
    rows, columns = sides.rows, sides.columns
    hidden_rows = _hidden_bands(rows, min_cell, sides.hidden_rows)
    hidden_columns = _hidden_bands(columns, min_cell, sides.hidden_columns)
    grids = [
        Grid(
            {_pair(group): group.bands.get(band, 0) for group in with_bands},
            known_rows={row.group for row in rows if (row.group, band) not in hidden_rows},
            known_columns={column.group for column in columns if (column.group, band) not in hidden_columns},
        )
        for band in bands
    ]
    labels = {_pair(group): group.group for group in with_bands}
    forced = [_pair(group) for group in with_bands if group.group in hidden_sizes]
    return {(labels[cell], band) for cell in protect_grid(grids, min_cell, forced=forced) for band in bands}


# --------------------------------------------------------------------------- statistics


def wilson_interval(successes: int, n: int, confidence: float = 1 - ALPHA) -> tuple[float, float]:
    """Wilson score interval for a proportion: honest at 0%, 100% and small n, unlike p ± 1.96·se."""
    if not _is_count(successes) or not _is_count(n) or successes > n or n == 0:
        raise CohortError([f"a proportion needs 0 <= successes <= n and n > 0 (got {successes}/{n})"])
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At 0 and n one end is exactly 0 or 1 algebraically; say so rather than show 7e-18.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    top = 1.0 if successes == n else min(1.0, centre + half)
    return low, top


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


_FISHER_STOP = 2.0**-60
"""A tail stops once a term adds less than this share of what the tail has summed so far."""


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test for the table [[a, b], [c, d]].

    Sums the probabilities of every table with the same margins that is no more likely
    than the one observed (the definition R and SciPy use). The tables that count form two
    tails of the hypergeometric distribution (it has one peak), so the edges of the tails
    are found by bisection and each tail is summed outward from its edge with the ratio of
    neighbouring probabilities, stopping once the terms no longer change the sum. The cost
    grows with the spread of the distribution (about the square root of the table's total),
    not with the counts themselves, so a cohort of a million costs little more than one of
    ten thousand.
    """
    if not all(_is_count(x) for x in (a, b, c, d)):
        raise CohortError([f"Fisher's exact test needs four counts, 0 or more (got {[a, b, c, d]})"])
    row1, row2, col1 = a + b, c + d, a + c
    total = row1 + row2
    low, top = max(0, col1 - row2), min(row1, col1)
    if low == top:
        return 1.0
    # log P(x) = log C(row1, x) + log C(row2, col1 - x) - log C(total, col1), with the terms
    # that do not depend on x folded into one constant (four lgamma calls per table, not nine).
    lgamma = math.lgamma
    constant = lgamma(row1 + 1) + lgamma(row2 + 1) - _log_choose(total, col1)
    offset = row2 - col1

    def log_p(x: int) -> float:
        return constant - lgamma(x + 1) - lgamma(row1 - x + 1) - lgamma(col1 - x + 1) - lgamma(offset + x + 1)

    mode = min(top, max(low, (row1 + 1) * (col1 + 1) // (total + 2)))
    threshold = log_p(a) + math.log(_FISHER_RELATIVE_TOLERANCE)
    # Rising side [low, mode]: the last table no more likely than the observed one.
    left = _last_at_most(low, mode, log_p, threshold)
    # Falling side [mode, top]: the first such table.
    right = _first_at_most(mode, top, log_p, threshold)
    if right <= left:  # the observed table is (within the tolerance) the most likely: every table counts
        return 1.0
    p = 0.0
    if left >= low:
        p += _tail(left, low, -1, row1, row2, col1, math.exp(log_p(left)))
    if right <= top:
        p += _tail(right, top, 1, row1, row2, col1, math.exp(log_p(right)))
    return min(1.0, p)


def _last_at_most(low: int, high: int, log_p: Callable[[int], float], threshold: float) -> int:
    """Largest x in [low, high] with log_p(x) <= threshold (log_p rises over the range), or low - 1."""
    if log_p(low) > threshold:
        return low - 1
    while low < high:
        middle = (low + high + 1) // 2
        if log_p(middle) <= threshold:
            low = middle
        else:
            high = middle - 1
    return low


def _first_at_most(low: int, high: int, log_p: Callable[[int], float], threshold: float) -> int:
    """Smallest x in [low, high] with log_p(x) <= threshold (log_p falls over the range), or high + 1."""
    if log_p(high) > threshold:
        return high + 1
    while low < high:
        middle = (low + high) // 2
        if log_p(middle) <= threshold:
            high = middle
        else:
            low = middle + 1
    return low


def _tail(start: int, end: int, step: int, row1: int, row2: int, col1: int, first: float) -> float:
    """Sum of hypergeometric probabilities from ``start`` to ``end`` (moving away from the peak)."""
    term = total = first
    x = start
    offset = row2 - col1
    while x != end and term > total * _FISHER_STOP:
        if step < 0:  # P(x - 1) / P(x) = x (row2 - col1 + x) / ((row1 - x + 1)(col1 - x + 1))
            term *= x * (offset + x) / ((row1 - x + 1) * (col1 - x + 1))
        else:  # P(x + 1) / P(x) = (row1 - x)(col1 - x) / ((x + 1)(row2 - col1 + x + 1))
            term *= (row1 - x) * (col1 - x) / ((x + 1) * (offset + x + 1))
        x += step
        total += term
    return total


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    # Modified Lentz evaluation of the incomplete beta continued fraction.
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 100_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            step = c * d
            result *= step
        if abs(step - 1.0) < 1e-15:
            return result
    raise ArithmeticError("incomplete beta did not converge")  # pragma: no cover - not reached for t tails


def _regularised_beta(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` degrees of freedom (any positive, non-integer df too)."""
    tail = 0.5 * _regularised_beta(df / 2, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t, by Newton's method on the exact tail (error below 1e-10).

    Used for Welch intervals, whose degrees of freedom are rarely whole numbers, so a
    printed table would not do.
    """
    if not 0 < p < 1:
        raise CohortError([f"a quantile needs 0 < p < 1 (got {p!r})"])
    if not df > 0:
        raise CohortError([f"degrees of freedom must be more than 0 (got {df!r})"])
    if p < 0.5:
        return -t_quantile(1 - p, df)
    if p == 0.5:
        return 0.0
    tail = 1 - p
    if df > 1e7:  # the normal limit plus two Cornish–Fisher terms; error ~ df**-3
        z = NormalDist().inv_cdf(p)
        return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df * df)
    # Newton's method on the exact tail, from the normal quantile. The t distribution has heavier
    # tails, so that start is below the answer, and the tail is convex above 0, so each step
    # lands closer without passing it: a handful of tail evaluations instead of ~40 bisections.
    t = NormalDist().inv_cdf(p)
    log_scale = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    for _ in range(50):
        density = math.exp(log_scale - (df + 1) / 2 * math.log1p(t * t / df))
        step = (t_upper_tail(t, df) - tail) / density
        t += step
        if abs(step) <= 1e-13 * max(1.0, t):
            return t
    low, top = 0.0, 2.0  # pragma: no cover - Newton has always converged; bisection is the fallback
    while t_upper_tail(top, df) > tail:
        low, top = top, top * 2
    while top - low > 1e-12 * max(1.0, top):
        middle = (low + top) / 2
        if t_upper_tail(middle, df) > tail:
            low = middle
        else:
            top = middle
    return (low + top) / 2


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class GroupSummary:
    """One group's size and readiness; ``None`` means hidden for small numbers."""

    group: str
    suppressed: bool
    n: int | None
    share: float | None
    """The group's share of everyone in the table (so "prefer not to say" has its share)."""
    mean: float | None
    median: float | None
    bands: Mapping[str, float | None]
    """Share of the group in each readiness band."""
    no_opportunity_share: float | None
    """Share of the group's answers that were "no opportunity to show this"."""
    note: str | None = None
    """Why the group's figures are not shown, when they are not."""


@dataclass(frozen=True)
class ImpactRow:
    """One group against the reference group for one flag key."""

    group: str
    key: str
    reference: str | None
    n: int | None
    flagged: int | None
    flag_rate: float | None
    pass_rate: float | None
    ci: tuple[float, float] | None
    """Wilson 95% interval for the flag rate."""
    impact_ratio: float | None
    """Pass rate / the reference's pass rate (the four-fifths ratio)."""
    relative_likelihood: float | None
    """Flag rate / the reference's flag rate (NHS WRES style); None when only the reference's rate is 0."""
    gap_pp: float | None
    """Flag rate minus the reference's, in percentage points: positive means flagged more often."""
    p_value: float | None
    """Fisher's exact test, two-sided, against the reference group."""
    below_four_fifths: bool | None
    verdict: Verdict
    note: str | None = None
    """Why a figure is missing, or what the verdict rests on, in words a designer reads."""


@dataclass(frozen=True)
class Gap:
    """Difference in mean readiness, group minus everyone else, with a 95% Welch interval."""

    group: str
    difference: float | None
    ci: tuple[float, float] | None
    df: float | None
    reason: str | None
    """Why there is no figure ("too few to say"), when there is none."""


@dataclass(frozen=True)
class CohortTable:
    min_cell: int
    keys: tuple[str, ...]
    participants: int | None
    groups: tuple[GroupSummary, ...]
    impact: Mapping[str, tuple[ImpactRow, ...]]
    """Per flag key, one row per group in input order."""
    references: Mapping[str, str | None]
    unavailable: Mapping[str, str]
    """Flag keys with no comparison, and why."""
    gaps: Mapping[str, Gap]

    @property
    def bands(self) -> tuple[str, ...]:
        """The readiness bands every group with band counts lists, in order."""
        return next((tuple(group.bands) for group in self.groups if group.bands), ())

    def row(self, key: str, group: str) -> ImpactRow:
        for row in self.impact[key]:
            if row.group == group:
                return row
        raise KeyError(group)

    def to_json(self, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
        """The CLI ``--json`` shape: hidden values are ``null`` next to ``"suppressed": true``."""
        groups = []
        for summary in self.groups:
            label = summary.group
            gap = self.gaps[label]
            groups.append(
                {
                    "group": label,
                    "suppressed": summary.suppressed,
                    "participants": summary.n,
                    "share": _round(summary.share, 4),
                    "readiness_mean": _round(summary.mean, 1),
                    "readiness_median": _round(summary.median, 1),
                    "bands": {
                        band: {"share": _round(share, 4), "suppressed": share is None}
                        for band, share in summary.bands.items()
                    },
                    "no_opportunity_share": _round(summary.no_opportunity_share, 4),
                    "readiness_gap": {
                        "difference": _round(gap.difference, 1),
                        "ci_low": _round(gap.ci[0], 1) if gap.ci else None,
                        "ci_high": _round(gap.ci[1], 1) if gap.ci else None,
                        "reason": gap.reason,
                    },
                    "note": summary.note,
                    "flag_rates": {key: _rate_json(self.row(key, label)) for key in self.keys},
                    "adverse_impact": {key: _impact_json(self.row(key, label)) for key in self.keys},
                }
            )
        return {
            "min_cell": self.min_cell,
            "participants": self.participants,
            "suppressed": self.participants is None,
            "keys": list(self.keys),
            "references": dict(self.references),
            "unavailable": dict(self.unavailable),
            "groups": groups,
            "headlines": headline_risks(self, labels=labels),
        }


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _rate_json(row: ImpactRow) -> dict[str, Any]:
    return {
        "flagged": row.flagged,
        "rate": _round(row.flag_rate, 4),
        "ci_low": _round(row.ci[0], 4) if row.ci else None,
        "ci_high": _round(row.ci[1], 4) if row.ci else None,
        "suppressed": row.flagged is None,
    }


def _impact_json(row: ImpactRow) -> dict[str, Any]:
    return {
        "reference": row.reference,
        "impact_ratio": _round(row.impact_ratio, 3),
        "relative_likelihood": _round(row.relative_likelihood, 3),
        "gap_pp": _round(row.gap_pp, 1),
        "p_value": None if row.p_value is None else float(f"{row.p_value:.4g}"),
        "below_four_fifths": row.below_four_fifths,
        "verdict": row.verdict,
        "verdict_text": VERDICT_LABELS[row.verdict],
        "note": row.note,
        "suppressed": row.flagged is None,
    }


# --------------------------------------------------------------------------- measures


def _check_groups(groups: Sequence[GroupCounts]) -> None:
    problems = []
    if not groups:
        problems.append("there are no groups to compare")
    for group in groups:
        if not isinstance(group, GroupCounts):
            raise CohortError([f"expected GroupCounts, got {type(group).__name__}"])
    labels = [group.group for group in groups]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        problems.append(f"each group must appear once; repeated: {', '.join(repeated)}")
    if len({bool(group.parts) for group in groups}) > 1:
        problems.append("either every group is an intersection (has parts) or none is")
    pairs = [_pair(group) for group in groups if group.parts]
    if len(set(pairs)) != len(pairs):
        problems.append("each pair of parts must appear once")
    if problems:
        raise CohortError(problems)


def _check_key(key: str) -> None:
    if not isinstance(key, str) or not key or key == HIGH_PREFIX:
        raise CohortError([f"a flag key must be a category name, rule id or high:<key> (got {key!r})"])


def group_summary(group: GroupCounts, min_cell: int = DEFAULT_MIN_CELL) -> GroupSummary:
    """One group on its own: hidden below ``min_cell``, bands protected within the group.

    On its own a group cannot be protected against the other groups' totals; use
    ``cohort_table`` for anything published beside other groups.
    """
    _check_min_cell(min_cell)
    hidden_sizes = {group.group} if 0 < group.n < min_cell else set()
    hidden_bands = _hidden_bands([group], min_cell, hidden_sizes)
    return _summarise(group, min_cell, hidden_sizes, hidden_bands, _band_order([group]), total=None)


def _summarise(
    group: GroupCounts,
    min_cell: int,
    hidden_sizes: set[str],
    hidden_bands: set[tuple[str, str]],
    bands: Sequence[str],
    total: int | None,
) -> GroupSummary:
    if group.group in hidden_sizes:
        return GroupSummary(
            group=group.group,
            suppressed=True,
            n=None,
            share=None,
            mean=None,
            median=None,
            bands=MappingProxyType(dict.fromkeys(bands)),
            no_opportunity_share=None,
            note=HIDDEN_SIZE_NOTE.format(min_cell=min_cell),
        )
    # A mean and a median say where the group's scores lie, so they bound its band counts: a
    # group with hidden band counts shows neither (nor, in the table, a readiness gap).
    readiness_hidden = any((group.group, band) in hidden_bands for band in bands)
    return GroupSummary(
        group=group.group,
        suppressed=False,
        n=group.n,
        share=group.n / total if total else None,
        mean=None if readiness_hidden else group.mean,
        median=group.median if group.n and not readiness_hidden else None,
        # A group sent without band counts has none to show, which is not the same as 0% in each.
        bands=MappingProxyType(
            {
                band: None if (group.group, band) in hidden_bands else group.bands.get(band, 0) / group.n
                for band in (bands if group.bands else ())
            }
        ),
        no_opportunity_share=group.no_opportunity / group.answers if group.answers else None,
    )


def readiness_gap(group: GroupCounts, rest: GroupCounts, min_cell: int = DEFAULT_MIN_CELL) -> Gap:
    """Group mean minus the rest's, with a 95% Welch interval (unequal variances), or why not."""
    _check_min_cell(min_cell)
    needed = max(min_cell, 2)
    for who, counts in (("the group", group), ("the rest of the cohort", rest)):
        if counts.n < needed:
            return Gap(group.group, None, None, None, f"too few to say: fewer than {needed} people in {who}")
    # Each side's squared standard error: sample variance / n (n >= 2 here, so the variance exists).
    share_group = _spread(group) / (group.n - 1) / group.n
    share_rest = _spread(rest) / (rest.n - 1) / rest.n
    standard_error_squared = share_group + share_rest
    if standard_error_squared == 0:
        reason = "too few to say: every score is the same, so there is no spread"
        return Gap(group.group, None, None, None, reason)
    df = standard_error_squared**2 / (share_group**2 / (group.n - 1) + share_rest**2 / (rest.n - 1))
    difference = group.readiness_sum / group.n - rest.readiness_sum / rest.n
    half = t_quantile(1 - ALPHA / 2, df) * math.sqrt(standard_error_squared)
    return Gap(group.group, difference, (difference - half, difference + half), df, None)


def adverse_impact(
    groups: Sequence[GroupCounts],
    key: str,
    min_cell: int = DEFAULT_MIN_CELL,
    reference: str | None = None,
) -> list[ImpactRow]:
    """Each group's flag rate for ``key`` against a reference group, with a verdict.

    The reference is the designer's choice, or else the group with the highest pass rate
    among groups whose figures can be shown. Raises ``ReferenceHidden`` if the chosen
    reference's figures are hidden for small numbers.
    """
    _check_min_cell(min_cell)
    _check_groups(groups)
    _check_key(key)
    groups = complete(groups)
    sides = _sides(groups, min_cell)
    hidden_sizes = _hidden_sizes(groups, min_cell, sides)
    hidden_flags = _hidden_flags(groups, key, min_cell, hidden_sizes, sides)
    ref = _reference(groups, key, min_cell, reference, hidden_flags)
    nearly = _nearly_everyone(groups, key, min_cell, hidden_flags)
    return [
        _impact_row(group, key, ref, min_cell, hidden_sizes, hidden_flags, nearly_everyone=nearly)
        for group in groups
    ]


def _reference(
    groups: Sequence[GroupCounts], key: str, min_cell: int, chosen: str | None, hidden_flags: set[str]
) -> GroupCounts | None:
    usable = [group for group in groups if group.group not in hidden_flags and group.n >= min_cell]
    if chosen is None:
        if not usable:
            return None
        order = {group.group: index for index, group in enumerate(groups)}
        # Highest pass rate; ties go to the larger group, then the first given.
        return max(usable, key=lambda g: (_pass_fraction(g, key), g.n, -order[g.group]))
    found = next((group for group in groups if group.group == chosen), None)
    if found is None:
        names = ", ".join(group.group for group in groups)
        raise CohortError([f"the reference group {chosen!r} is not one of the groups: {names}"])
    if found not in usable:
        raise ReferenceHidden(
            [
                f"the reference group {chosen!r} cannot be used for {key!r}: its figures are hidden "
                f"because they describe fewer than {min_cell} people, or would reveal a group that small. "
                "Choose a larger group, or leave the reference unset to use the group with the highest "
                "pass rate."
            ]
        )
    return found


def _pass_fraction(group: GroupCounts, key: str) -> Fraction:
    return Fraction(group.n - group.flagged_for(key), group.n)


def _nearly_everyone(groups: Sequence[GroupCounts], key: str, min_cell: int, hidden_flags: set[str]) -> bool:
    """Whether every group with figures to compare has at least ``NEARLY_EVERYONE`` of its people flagged."""
    usable = [group for group in groups if group.group not in hidden_flags and group.n >= min_cell]
    return bool(usable) and all(
        group.flagged_for(key) * NEARLY_EVERYONE.denominator >= NEARLY_EVERYONE.numerator * group.n
        for group in usable
    )


def _impact_row(
    group: GroupCounts,
    key: str,
    ref: GroupCounts | None,
    min_cell: int,
    hidden_sizes: set[str],
    hidden_flags: set[str],
    fisher: Callable[[int, int, int, int], float] = fisher_exact,
    nearly_everyone: bool = False,
) -> ImpactRow:
    blank: dict[str, Any] = {
        "impact_ratio": None,
        "relative_likelihood": None,
        "gap_pp": None,
        "p_value": None,
        "below_four_fifths": None,
    }
    reference = ref.group if ref else None
    unknown: dict[str, Any] = {"flag_rate": None, "pass_rate": None, "ci": None}
    if group.group in hidden_sizes:
        return ImpactRow(
            group.group,
            key,
            reference,
            None,
            None,
            **unknown,
            **blank,
            verdict="suppressed",
            note=HIDDEN_SIZE_NOTE.format(min_cell=min_cell),
        )
    if group.group in hidden_flags:
        # Shown size, hidden flag figures: nothing can be said either way.
        hidden_note = HIDDEN_FLAGS_NOTE.format(min_cell=min_cell)
        return ImpactRow(
            group.group,
            key,
            reference,
            group.n,
            None,
            **unknown,
            **blank,
            verdict="too-few-to-tell",
            note=hidden_note,
        )
    if group.n == 0:
        return ImpactRow(group.group, key, reference, 0, 0, **unknown, **blank, verdict="empty")
    flagged = group.flagged_for(key)
    flag_rate = flagged / group.n
    ci = wilson_interval(flagged, group.n)
    facts: dict[str, Any] = {
        "group": group.group,
        "key": key,
        "reference": reference,
        "n": group.n,
        "flagged": flagged,
        "flag_rate": flag_rate,
        "pass_rate": 1 - flag_rate,
        "ci": ci,
    }
    if group.n < min_cell:
        small_note = f"Fewer than {min_cell} people in this group: too few to compare."
        return ImpactRow(**facts, **blank, verdict="too-few-to-tell", note=small_note)
    if ref is None:
        small_note = (
            f"No group has at least {min_cell} people with figures that can be shown to compare with."
        )
        return ImpactRow(**facts, **blank, verdict="too-few-to-tell", note=small_note)
    nearly_note = (
        f"At least {float(NEARLY_EVERYONE):.0%} of every group is flagged: the requirement excludes almost "
        "everyone, so comparing the few who are not flagged says nothing about the groups."
    )
    if ref is group:
        return ImpactRow(
            **facts,
            impact_ratio=1.0,
            relative_likelihood=1.0,
            gap_pp=0.0,
            p_value=None,
            below_four_fifths=False,
            verdict="excludes-almost-everyone" if nearly_everyone else "reference",
            note=nearly_note if nearly_everyone else None,
        )
    ref_flagged = ref.flagged_for(key)
    # Shares as whole-number cross products, so comparisons are exact (0.6 / 0.75 is not below
    # 0.8) and each ratio is one correctly rounded division.
    n, ref_n = group.n, ref.n
    passed, ref_passed = n - flagged, ref_n - ref_flagged
    below = passed * ref_n * FOUR_FIFTHS.denominator < FOUR_FIFTHS.numerator * ref_passed * n
    p_value = fisher(flagged, passed, ref_flagged, ref_passed)
    note: str | None = None
    if nearly_everyone:
        verdict: Verdict = "excludes-almost-everyone"
        note = nearly_note
    elif p_value < ALPHA:
        # A clear difference: unlikely to be chance. Below the line it is adverse impact; above it,
        # the EEOC guidelines say a consistent difference can still count, so it is named too.
        if passed * ref_n < ref_passed * n:
            verdict = "adverse" if below else "clear-difference"
        else:
            verdict = "flagged-less"
    elif below:
        verdict = "possible-adverse"
    elif 1 - ci[1] >= float(FOUR_FIFTHS * Fraction(ref_passed, ref_n)):
        verdict = "no-evidence-of-adverse-impact"
    elif ci[1] - ci[0] > TOO_WIDE:
        # The group's plausible flag rates span more than 20 points: a real adverse impact could
        # hide in numbers this small.
        verdict = "too-few-to-tell"
        note = f"The 95% range of this group's flag rate is wider than {TOO_WIDE:.0%} points."
    else:
        verdict = "no-clear-difference"
    return ImpactRow(
        **facts,
        impact_ratio=_ratio(passed * ref_n, ref_passed * n),
        relative_likelihood=_ratio(flagged * ref_n, ref_flagged * n),
        gap_pp=float(Fraction(flagged * ref_n - ref_flagged * n, n * ref_n)) * 100,
        p_value=p_value,
        below_four_fifths=below,
        verdict=verdict,
        note=note,
    )


def _ratio(numerator: int, denominator: int) -> float | None:
    """numerator / denominator; 0/0 counts as parity (1.0) and x/0 has no finite value (None)."""
    if denominator == 0:
        return 1.0 if numerator == 0 else None
    return numerator / denominator  # whole numbers: Python rounds the quotient correctly


def cohort_table(
    groups: Sequence[GroupCounts],
    keys: Sequence[str],
    min_cell: int = DEFAULT_MIN_CELL,
    reference: str | None = None,
    families: Mapping[str, str] | None = None,
    forced: Mapping[str, Collection[str]] | None = None,
) -> CohortTable:
    """Everything the inclusivity review shows for one grouping of one programme's cohort.

    ``families`` maps each key (without ``high:``) to the category its flags belong to: keys of
    one family share one pattern of hidden groups. Without it every key is one family.
    ``forced`` names, per key, groups whose flag figures must be hidden whatever their size (a
    what-if's groups in which the change moves a few people); they are protected like small ones.

    A designer-chosen reference whose own size is hidden is an error; one whose flag
    figures are hidden for a particular key leaves that key without a comparison, named
    in ``unavailable``, rather than failing the whole table.
    """
    _check_min_cell(min_cell)
    for key in keys:
        _check_key(key)
    keys = tuple(dict.fromkeys(keys))
    if not groups and reference is None:
        # Nobody (or nobody who consented) has taken part yet: an empty table, not an error,
        # because a programme's cohort can be empty or emptied by withdrawals at any time.
        return CohortTable(
            min_cell=min_cell,
            keys=keys,
            participants=0,
            groups=(),
            impact=MappingProxyType(dict.fromkeys(keys, ())),
            references=MappingProxyType(dict.fromkeys(keys)),
            unavailable=MappingProxyType(dict.fromkeys(keys, "nobody has taken part yet")),
            gaps=MappingProxyType({}),
        )
    _check_groups(groups)
    groups = complete(groups)
    if reference is not None and reference not in {group.group for group in groups}:
        names = ", ".join(group.group for group in groups)
        raise CohortError([f"the reference group {reference!r} is not one of the groups: {names}"])
    sides = _sides(groups, min_cell)
    hidden_sizes = _hidden_sizes(groups, min_cell, sides)
    if reference is not None and reference in hidden_sizes:
        raise ReferenceHidden(
            [
                f"the reference group {reference!r} cannot be used: its size is hidden because it has "
                f"fewer than {min_cell} people, or would reveal a group that small. Choose a larger group, "
                "or leave the reference unset to use the group with the highest pass rate."
            ]
        )
    total = sum(group.n for group in groups)
    hidden_bands = _hidden_bands(groups, min_cell, hidden_sizes, sides)
    bands = _band_order(groups)
    summaries = tuple(
        _summarise(group, min_cell, hidden_sizes, hidden_bands, bands, total) for group in groups
    )
    impact: dict[str, tuple[ImpactRow, ...]] = {}
    references: dict[str, str | None] = {}
    unavailable: dict[str, str] = {}
    # About half the tables in one cohort table repeat (a category with one rule, a ``high:`` key
    # whose flags are all high): each distinct one is tested once, for this table only.
    fisher = functools.cache(fisher_exact)
    # One pattern for every key: a person's flags are linked across keys (a high flag is a flag, a
    # rule's flags are its category's, a category's count is at most its rules' together), so a
    # group shown for one key and hidden for another would let the shown counts bound the hidden.
    # Families are linked through "any flag" only on the overview, which is protected on its own.
    # A key no family names shares the pattern of every other such key (the safe side).
    family_of = {key: (families or {}).get(key.removeprefix(HIGH_PREFIX), "") for key in keys}
    linked: dict[str, set[str]] = {}
    for key in keys:
        pinned = (forced or {}).get(key, ())
        hidden_here = _hidden_flags(groups, key, min_cell, hidden_sizes, sides, pinned)
        if not key.startswith(HIGH_PREFIX) and high(key) in keys:
            # A group's flagged count less its high-severity count is its people flagged at medium
            # or low severity (the rules page's severities): protected like a flag of its own.
            hidden_here |= _hidden_flags(_below_high(groups, key), key, min_cell, hidden_sizes)
        linked.setdefault(family_of[key], set()).update(hidden_here)
    for key in keys:
        hidden_flags = linked[family_of[key]]
        try:
            ref = _reference(groups, key, min_cell, reference, hidden_flags)
        except ReferenceHidden as problem:
            ref, unavailable[key] = None, str(problem)
        if ref is None and key not in unavailable:
            unavailable[key] = f"no group has at least {min_cell} people with figures that can be shown"
        references[key] = ref.group if ref else None
        nearly = _nearly_everyone(groups, key, min_cell, hidden_flags)
        impact[key] = tuple(
            _impact_row(group, key, ref, min_cell, hidden_sizes, hidden_flags, fisher, nearly)
            for group in groups
        )
    gaps = {}
    for group in groups:
        if group.group in hidden_sizes or any((group.group, band) in hidden_bands for band in bands):
            gaps[group.group] = Gap(group.group, None, None, None, "not shown: small numbers")
        else:
            rest = combine(other for other in groups if other is not group)
            gaps[group.group] = readiness_gap(group, rest, min_cell)
    return CohortTable(
        min_cell=min_cell,
        keys=keys,
        participants=None if 0 < total < min_cell else total,
        groups=summaries,
        impact=MappingProxyType(impact),
        references=MappingProxyType(references),
        unavailable=MappingProxyType(unavailable),
        gaps=MappingProxyType(gaps),
    )


def _below_high(groups: Sequence[GroupCounts], key: str) -> list[GroupCounts]:
    """The groups with ``key`` counting only its flags below high severity."""
    return [
        replace(group, flagged={key: group.flagged_for(key) - group.flagged_for(high(key))})
        for group in groups
    ]


@dataclass(frozen=True)
class Overview:
    """A programme's headline figures for the overview page, protected like every other table."""

    min_cell: int
    participants: int | None
    flagged: Mapping[str, int | None]
    """People with at least one flag of each kind (e.g. any flag, a high flag); None is hidden."""
    shares: Mapping[str, float | None]
    """The same as shares of the participants."""


def overview_figures(
    participants: int, flagged: Mapping[str, int], min_cell: int = DEFAULT_MIN_CELL
) -> Overview:
    """The overview's figures: the participants, and each flag count protected against them.

    "10 of 12 flagged" shown as 83% says 2 people are not flagged, so each count is hidden
    together with its complement (flagged and not flagged) whenever either is small, and the
    share goes with it. A cohort smaller than ``min_cell`` shows nothing.
    """
    _check_min_cell(min_cell)
    if not _is_count(participants):
        raise CohortError([f"participants must be a whole number, 0 or more (got {participants!r})"])
    for key, count in flagged.items():
        if not _is_count(count) or count > participants:
            raise CohortError([f"{key!r}: {count!r} people flagged is not a count of 0 to {participants}"])
    shown = participants >= min_cell or participants == 0
    counts: dict[str, int | None] = {}
    for key, count in flagged.items():
        counts[key] = (
            suppress({"flagged": count, "not": participants - count}, min_cell)["flagged"] if shown else None
        )
    return Overview(
        min_cell=min_cell,
        participants=participants if shown else None,
        flagged=MappingProxyType(counts),
        shares=MappingProxyType(
            {
                key: None if count is None or not participants else count / participants
                for key, count in counts.items()
            }
        ),
    )


# --------------------------------------------------------------------------- words

_DEFAULT_GROUP_PHRASES = {
    PREFER_NOT_TO_SAY: vocabulary.group_phrase("age_band", PREFER_NOT_TO_SAY),
    NOT_ANSWERED: vocabulary.group_phrase("age_band", NOT_ANSWERED),
}
"""Phrases for the two groups every equality grouping has, when the caller gives no labels."""


def _group_phrase(label: str, labels: Mapping[str, str]) -> str:
    if label in labels:
        return labels[label]
    return _DEFAULT_GROUP_PHRASES.get(label, f"people in the “{label}” group")


def _key_phrase(key: str, labels: Mapping[str, str]) -> str:
    if key in labels:
        return labels[key]
    if key.startswith(HIGH_PREFIX):
        return f"{_key_phrase(key.removeprefix(HIGH_PREFIX), labels)} (high severity)"
    return key.replace("-", " ").replace("_", " ")


def _percent(rate: float) -> str:
    return f"{rate * 100:.0f}%"


HEADLINE_VERDICTS = ("adverse", "clear-difference", "possible-adverse")
"""Verdicts a headline can report: each needs a shown group, a shown reference and a difference."""


def headline_risks(table: CohortTable, n: int = 3, labels: Mapping[str, str] | None = None) -> list[str]:
    """Plain-English sentences for the ``n`` largest exclusion risks in the table.

    Only rows judged "adverse", "clear-difference" or "possible-adverse" qualify, so a hidden
    or too-small group is never mentioned. Adverse rows come first, then the widest gap in percentage
    points. ``labels`` maps group labels to plural noun phrases ("part-time staff") and
    flag keys to phrases ("time commitment").
    """
    if not _is_count(n):
        raise CohortError([f"the number of headlines must be a whole number, 0 or more (got {n!r})"])
    labels = labels or {}
    risky = [
        row
        for key in table.keys
        for row in table.impact[key]
        if row.verdict in HEADLINE_VERDICTS and row.reference is not None
    ]
    risky.sort(key=lambda row: (row.verdict != "adverse", -(row.gap_pp or 0.0), row.key, row.group))
    sentences = []
    for row in risky[:n]:
        ref = table.row(row.key, str(row.reference))
        who, than = _group_phrase(row.group, labels), _group_phrase(ref.group, labels)
        what = _key_phrase(row.key, labels)
        rate, ref_rate = _percent(row.flag_rate or 0.0), _percent(ref.flag_rate or 0.0)
        if row.relative_likelihood is not None:
            sentence = (
                f"{who[:1].upper()}{who[1:]} are {row.relative_likelihood:.1f} times as likely as {than} "
                f"to be flagged for {what} ({rate} against {ref_rate})"
            )
        else:
            sentence = f"{rate} of {who} are flagged for {what}, against none of {than}"
        if row.verdict == "possible-adverse":
            sentence += "; with numbers this size it could be chance"
        sentences.append(sentence + ".")
    return sentences


# --------------------------------------------------------------------------- rule catalogue and what-if

CATALOGUE_SEVERITIES = ("high", "medium", "low", "undetermined")
"""The severities the rules page counts per rule, then "not flagged"."""
NOT_FLAGGED = "not flagged"


@dataclass(frozen=True)
class RuleCounts:
    """One rule's line on the rules page: people per severity and not flagged; ``None`` is hidden."""

    counts: Mapping[str, int | None]
    participants: int | None
    flagged: int | None
    """People flagged at high, medium or low severity, when every one of those counts is shown."""


def rule_counts(
    participants: int, by_severity: Mapping[str, int], min_cell: int = DEFAULT_MIN_CELL
) -> RuleCounts:
    """How often one rule fires in a cohort, protected within the rule's line.

    Each person falls in one of the line's cells (a severity, or not flagged), so the line adds
    up to the participants, who are published.
    """
    _check_min_cell(min_cell)
    counts = {severity: by_severity.get(severity, 0) for severity in CATALOGUE_SEVERITIES}
    flagged = sum(counts[s] for s in ("high", "medium", "low"))
    counts[NOT_FLAGGED] = max(0, participants - flagged - counts["undetermined"])
    # Other tables publish the rule's people flagged (high + medium + low) and flagged at high
    # severity, so the line is protected against those sub-totals too: else "undetermined" would
    # be the participants less the flagged less the shown "not flagged".
    # The narrowest lines first, so that their complements also serve the wider ones.
    lines = [
        ["undetermined", NOT_FLAGGED],
        ["medium", "low"],
        ["high", "medium", "low"],
        list(counts),
    ]
    hidden = _protect(counts, lines, min_cell) if participants else set()
    protected = {severity: None if severity in hidden else count for severity, count in counts.items()}
    hidden_total = 0 < participants < min_cell
    shown_flagged = (
        None if hidden_total or any(protected[s] is None for s in ("high", "medium", "low")) else flagged
    )
    return RuleCounts(
        counts=MappingProxyType(dict.fromkeys(protected, None) if hidden_total else protected),
        participants=None if hidden_total else participants,
        flagged=shown_flagged,
    )


Flagged = Mapping[str, Mapping[str, int]]
"""People per group and flag key: ``{group: {key: count}}``; a missing key or group is 0."""


@dataclass(frozen=True)
class ScenarioFigures:
    """A what-if's figures, published beside the baseline's: the same people under two rule sets."""

    before: CohortTable
    after: CohortTable
    totals: Mapping[str, Mapping[str, int | None]]
    """Per flag key, the cohort's people flagged "before" and "after", and who "lost" or "gained" it."""
    lost: Mapping[tuple[str, str], int | None]
    """Per (group, key), the people in the group who lose the flag."""


def scenario_figures(
    sizes: Mapping[str, int],
    before: Flagged,
    after: Flagged,
    lost: Flagged,
    gained: Flagged,
    keys: Sequence[str],
    min_cell: int = DEFAULT_MIN_CELL,
    families: Mapping[str, str] | None = None,
) -> ScenarioFigures:
    """Every figure of one what-if, protected; ``sizes`` is each group's people, in display order."""
    _check_min_cell(min_cell)
    labels = list(sizes)

    def groups(flagged: Flagged) -> list[GroupCounts]:
        return [GroupCounts(group=g, n=sizes[g], flagged=dict(flagged.get(g, {}))) for g in labels]

    before_table = cohort_table(groups(before), keys, min_cell=min_cell, families=families)
    # A group whose change moves 1 to min_cell - 1 people has its "after" hidden: with "before"
    # shown, their difference is those people (exactly, when the change can only soften the rule).
    moving = {
        key: {
            g
            for g in labels
            if any(0 < counts.get(g, {}).get(key, 0) < min_cell for counts in (lost, gained))
        }
        for key in keys
    }
    after_table = cohort_table(groups(after), keys, min_cell=min_cell, families=families, forced=moving)
    participants = sum(sizes.values())
    totals = _scenario_totals(keys, labels, participants, before, after, lost, gained, min_cell, families)
    shown_lost: dict[tuple[str, str], int | None] = {}
    for key in keys:
        shown_lost.update(
            _protect_lost(key, sizes, before, lost, gained, before_table, after_table, min_cell)
        )
    return ScenarioFigures(
        before=before_table,
        after=after_table,
        totals=MappingProxyType(totals),
        lost=MappingProxyType(shown_lost),
    )


def _scenario_totals(
    keys: Sequence[str],
    labels: Sequence[str],
    participants: int,
    before: Flagged,
    after: Flagged,
    lost: Flagged,
    gained: Flagged,
    min_cell: int,
    families: Mapping[str, str] | None,
) -> dict[str, Mapping[str, int | None]]:
    """The cohort's people flagged before and after, and who lost or gained each flag, protected.

    Each count is protected against the cohort total it is part of. A key's count less its
    high-severity count is its medium and low flags, which the rules page hides when small: both
    totals are hidden then. The keys of one family are linked (a category's people are its rules'
    together), so a total hidden for one key of a family is hidden for all of them, in that state.
    Last, "lost", "gained", "before" and "after" are one 2 × 2 table (flagged before × flagged
    after): "after" is "before" less "lost" plus "gained". So "lost" and "gained" are hidden
    together, and whenever "before" or "after" is hidden, else the hidden one is the others' sum;
    and for the whole family, since a category's people who gain a flag are among its rules'
    (a shown "nobody gained rule a1's high flag" would make its category's "lost" the difference
    of "before" and "after").
    """
    family_of = {key: (families or {}).get(key.removeprefix(HIGH_PREFIX), "") for key in keys}
    states = {"before": before, "after": after}
    sums = {
        key: {
            what: sum(counts.get(g, {}).get(key, 0) for g in labels)
            for what, counts in (*states.items(), ("lost", lost), ("gained", gained))
        }
        for key in keys
    }
    hidden: dict[str, set[str]] = {what: set() for what in states}
    for key in keys:
        plain = key.removeprefix(HIGH_PREFIX)
        for what in states:
            flagged = sums[key][what]
            medium_and_low = sums[plain][what] - sums[high(plain)][what] if high(plain) in sums else 0
            if any(0 < count < min_cell for count in (flagged, participants - flagged, medium_and_low)):
                hidden[what].add(family_of[key])
        if any(0 < sums[key][what] < min_cell for what in ("lost", "gained")):
            # "Before" less "after" is "lost" less "gained": exactly "lost" to a reader who knows
            # the change can only soften the rule.
            hidden["after"].add(family_of[key])
    shown = {
        key: {what: None if family_of[key] in hidden[what] else sums[key][what] for what in states}
        for key in keys
    }
    unmoved: set[str] = set()
    for key in keys:
        lost_and_gained = (sums[key]["lost"], sums[key]["gained"])
        moved = (*lost_and_gained, participants - sum(lost_and_gained))
        if None in shown[key].values() or any(0 < count < min_cell for count in moved):
            unmoved.add(family_of[key])
    totals: dict[str, Mapping[str, int | None]] = {}
    for key in keys:
        hide = family_of[key] in unmoved
        moved_shown = {what: None if hide else sums[key][what] for what in ("lost", "gained")}
        totals[key] = MappingProxyType({**shown[key], **moved_shown})
    return totals


def _protect_lost(
    key: str,
    sizes: Mapping[str, int],
    before: Flagged,
    lost: Flagged,
    gained: Flagged,
    before_table: CohortTable,
    after_table: CohortTable,
    min_cell: int,
) -> dict[tuple[str, str], int | None]:
    """Each group's people who lose the flag, protected as the group's whole before-and-after table.

    With the group's flagged counts before and after shown, its "lost" gives away the other
    three cells of its 2 × 2 table (kept, gained, neither): so it is shown only when none of the
    four is small and both flagged counts are shown. If any group's is hidden, every group's is:
    the others, the cohort's total and the other flags' figures would bound it.
    """
    values: dict[tuple[str, str], int | None] = {}
    for group, n in sizes.items():
        was = before.get(group, {}).get(key, 0)
        out = lost.get(group, {}).get(key, 0)
        came = gained.get(group, {}).get(key, 0)
        cells = (was - out, out, came, n - was - came)
        if (
            any(0 < cell < min_cell for cell in cells)
            or before_table.row(key, group).flagged is None
            or after_table.row(key, group).flagged is None
        ):
            return dict.fromkeys(((g, key) for g in sizes), None)
        values[(group, key)] = out
    return values
