"""Content validity: do people who know the job judge each criterion essential to it?

Lawshe (1975): each rater calls a criterion *essential*, *useful but not essential* or *not
necessary*; with nₑ of N raters saying essential, the content validity ratio is
CVR = (nₑ − N/2) / (N/2), from −1 (nobody) to +1 (everybody). A criterion is *essential by
consensus* when nₑ is more than chance would give: Ayre and Scally (2014) recomputed Lawshe's
critical values from the exact one-tailed binomial test at α = 0.05, the smallest nₑ with
P(X ≥ nₑ | N, ½) ≤ 0.05. Everything here is exact (integers and ``Fraction``) until it is
rounded for output, so a value on the boundary is never lost to floating point.

The same figures are worked out within each group of raters (staff group, sector, ...: every
answer the vocabulary declares groupable), with Fisher's exact test for the difference
between a group and the rest of the panel. Small numbers are hidden through
``assessments.disclosure``, against everything a reader sets beside them: everyone counted
(raters or not) and the dashboard's group sizes (``analyse``, ``panel_figures``). The method and
its limits are in ``docs/content-validity.md``.

Pure: no web or database imports (``tests/test_architecture.py``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from assessments import vocabulary
from assessments.cohort import fisher_exact
from assessments.disclosure import Grid, protect_grid, protect_listed
from assessments.errors import InputError
from assessments.framework import Framework, load_data_file
from assessments.relevance import RELEVANCE as RELEVANCE  # re-exported: declared there, read here
from assessments.relevance import Relevance as Relevance

ALPHA = Fraction(1, 20)
"""One-tailed significance level of the critical values (Ayre and Scally's α = 0.05)."""

ESSENTIAL = "essential"

Verdict = Literal["essential", "not-shown-essential", "too-few-raters"]
VERDICT_LABELS: dict[str, str] = {
    "essential": "Essential by consensus",
    "not-shown-essential": "Not shown to be essential",
    "too-few-raters": "Too few raters",
}

RATINGS_KEY = "ratings"

RATER_GROUPINGS: tuple[str, ...] = tuple(
    vocabulary.grouping(key).key for key in ("staff_group", "sector", "contract", "learning_route")
)
"""The vocabulary's groupings a designer splits participants' relevance answers by: the kinds of
leader issue 14 asks about (clinical or not, NHS or social care, working pattern, career route)."""


class PanelError(InputError):
    """A panel file cannot be read as a content validity panel for its framework."""


# --------------------------------------------------------------------------- the statistics


def _check_panel(essential: int, raters: int) -> None:
    if isinstance(raters, bool) or not isinstance(raters, int) or raters < 1:
        raise ValueError(f"the number of raters must be a whole number, 1 or more (got {raters!r})")
    if isinstance(essential, bool) or not isinstance(essential, int) or not 0 <= essential <= raters:
        raise ValueError(f"essential must be a whole number from 0 to {raters} (got {essential!r})")


def cvr(essential: int, raters: int) -> Fraction:
    """Lawshe's content validity ratio (nₑ − N/2) / (N/2), exactly."""
    _check_panel(essential, raters)
    return Fraction(2 * essential - raters, raters)


def binomial_upper_tail(k: int, n: int) -> Fraction:
    """P(X ≥ k) for X ~ Binomial(n, ½), exactly: the chance of k or more "essential" by coin toss."""
    if n < 0 or k < 0:
        raise ValueError(f"n and k must be 0 or more (got n={n}, k={k})")
    if k > n:
        return Fraction(0)
    # Sum C(n, i) for i from n down to k, each from the last: C(n, i−1) = C(n, i)·i / (n−i+1).
    term = ways = 1
    for i in range(n, k, -1):
        term = term * i // (n - i + 1)
        ways += term
    return Fraction(ways, 2**n)


def critical_essential(raters: int, alpha: Fraction = ALPHA) -> int | None:
    """The smallest nₑ that is significant at ``alpha``; ``None`` when even N of N is not (N < 5)."""
    _check_panel(0, raters)
    return _critical_essential(raters, Fraction(alpha))


@cache
def _critical_essential(raters: int, alpha: Fraction) -> int | None:
    """Remembered per N: every criterion and group of a cohort asks for its own N's value."""
    if raters >= _BOUNDED_FROM and alpha <= Fraction(1, 2):
        found = _critical_bounded(raters, alpha)
        if found is not None:
            return found
    return _critical_walk(raters, alpha)


_BOUNDED_FROM = 200
"""From this many raters the walk starts a few standard deviations above N/2 (``_critical_bounded``)."""


def _critical_bounded(raters: int, alpha: Fraction) -> int | None:
    """``_critical_walk`` without walking down from N: start at k₀ = N/2 + 4√N + 2, where the
    terms above are tiny, and carry an exact upper bound on their sum. C(N, i) falls by a ratio
    of at most r = (N − k₀)/(k₀ + 1) from one i to the next above k₀, so the terms above k₀ sum to
    at most C(N, k₀ + 1)/(1 − r). Each step's decision is taken only when the bound cannot change
    it; otherwise ``None`` sends the caller to the full walk. So the answer is still exact, and a
    panel of 100,000 needs a few hundred steps instead of 50,000.
    """
    start = raters // 2 + 4 * math.isqrt(raters) + 2
    if start >= raters:
        return None
    limit, scale = alpha.numerator * 2**raters, alpha.denominator
    term = math.comb(raters, start)
    above = term * (raters - start) // (start + 1)  # C(N, k₀ + 1), exactly
    # 1/(1 − r) = (k₀ + 1)/(2k₀ + 1 − N), rounded up: an upper bound on the terms above k₀.
    slack = -(-above * (start + 1) // (2 * start + 1 - raters))
    k = start
    ways = term
    if (ways + slack) * scale > limit:
        return None  # k₀ itself is not clearly significant: the bound is too loose here
    while k > 0:
        following = term * k // (raters - k + 1)
        low, high = ways + following, ways + following + slack
        if low * scale > limit:
            return k  # k − 1 is not significant, whatever the terms above k₀ hold
        if high * scale > limit:
            return None  # too close to call with the bound: walk exactly
        k, term, ways = k - 1, following, low
    return k


def _critical_walk(raters: int, alpha: Fraction) -> int | None:
    # The tail only grows as k falls: walk down from N adding one binomial coefficient a step,
    # each got from the last as C(N, k−1) = C(N, k)·k / (N−k+1) (exact integer division).
    # "ways / 2^N > alpha" is compared in whole numbers (ways·q > p·2^N for alpha = p/q): a
    # Fraction comparison per step made a panel of thousands take seconds.
    limit, scale = alpha.numerator * 2**raters, alpha.denominator
    k, term, ways = raters, 1, 1
    if ways * scale > limit:
        return None
    while k > 0:
        following = term * k // (raters - k + 1)
        if (ways + following) * scale > limit:
            break
        k, term, ways = k - 1, following, ways + following
    return k


def critical_cvr(raters: int, alpha: Fraction = ALPHA) -> Fraction | None:
    """The CVR a criterion needs with N raters (Ayre and Scally 2014); ``None`` when none suffices."""
    needed = critical_essential(raters, alpha)
    return None if needed is None else cvr(needed, raters)


@dataclass(frozen=True)
class Judgement:
    """One criterion's figures for one set of raters; hidden figures are ``None``."""

    raters: int | None
    essential: int | None
    cvr: Fraction | None
    critical_cvr: Fraction | None
    verdict: Verdict | None
    """``None`` when hidden: the group itself (complementary suppression), or its nₑ, which a
    verdict beside other verdicts could narrow down."""


def judge(essential: int, raters: int, min_cell: int) -> Judgement:
    """CVR, critical CVR and verdict; under ``min_cell`` raters only the count is kept."""
    _check_panel(essential, raters)
    critical = critical_cvr(raters)
    if raters < min_cell:
        return Judgement(raters, None, None, critical, "too-few-raters")
    ratio = cvr(essential, raters)
    verdict: Verdict = "essential" if critical is not None and ratio >= critical else "not-shown-essential"
    return Judgement(raters, essential, ratio, critical, verdict)


_HIDDEN = Judgement(None, None, None, None, None)


@dataclass(frozen=True)
class GroupJudgement:
    group: str
    judgement: Judgement
    cvr_difference: Fraction | None = None
    """This group's CVR minus the rest of the panel's; ``None`` when either side is hidden or small."""
    p_value: float | None = None
    """Fisher's exact test (two-sided) of essential / not essential, this group against the rest."""


@dataclass(frozen=True)
class CriterionValidity:
    criterion: str
    overall: Judgement
    by_group: dict[str, tuple[GroupJudgement, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rater:
    """One panel member: their profile answers (declared keys only) and relevance per criterion."""

    answers: Mapping[str, Any]
    ratings: Mapping[str, Relevance]


def group_of(rater: Rater, grouping_key: str) -> str:
    """The rater's group for a vocabulary grouping ("not-answered" when they did not say)."""
    found = vocabulary.grouping(grouping_key)
    value = rater.answers.get(found.answer)
    if value is None:
        return vocabulary.NOT_ANSWERED
    declared = vocabulary.answer(found.answer)
    if declared.kind == "yes-no":
        return "yes" if value else "no"
    if declared.kind == "choices":
        # Learning routes: the vocabulary's derived grouping (formal, informal or mixed).
        informal = {route in vocabulary.INFORMAL_ROUTES for route in value}
        if not informal:
            return "none-given"
        if informal == {True, False}:
            return "mixed"
        return "informal-only" if True in informal else "formal-only"
    return str(value)


RATED, UNRATED = "rated", "no answer"
ESSENTIAL_COLUMN, OTHER_COLUMN = "essential", "other answers"


def _protected_rows(
    values: Mapping[tuple[str, str], int],
    groups: Sequence[str],
    columns: Sequence[str],
    known_rows: Collection[str],
    known_columns: Collection[str],
    min_cell: int,
) -> set[str]:
    """The groups whose row of a grid is hidden: a row is shown whole or not at all.

    A page shows a group's raters beside the dashboard's size for it, so a row with one cell
    hidden must hide the others too; each row so hidden is fed back as forced until nothing
    changes, so the grid's protection holds for the cells actually hidden.
    """
    hidden_rows = {group for group in groups if group not in known_rows}
    while True:
        forced = [(group, column) for group in hidden_rows for column in columns]
        grid = Grid(values, known_rows=set(known_rows) - hidden_rows, known_columns=known_columns)
        found = {group for group, _ in protect_grid([grid], min_cell, forced=forced)}
        if found <= hidden_rows:
            return hidden_rows
        hidden_rows |= found


def _split(
    each_group: Sequence[str],
    answers: Sequence[bool | None],
    grouping_key: str,
    min_cell: int,
    overall: Judgement,
    forced: Collection[str] = (),
) -> tuple[GroupJudgement, ...]:
    """One criterion split by one grouping's groups: everyone counted, rater or not.

    ``answers`` has one entry per person: ``True`` for essential, ``False`` for another
    answer, ``None`` for no answer to this criterion. Two grids are protected against what
    else is shown: groups × (rated, no answer), whose rows add up to the dashboard's group
    sizes and whose columns add up to the criterion's raters and the rest of the cohort; and
    groups × (essential, other answers) among the groups whose raters are shown, whose rows
    add up to those raters and whose columns to nₑ and N − nₑ. A column total hidden overall
    hides its column here; a group the dashboard hides (``protect_listed`` over the group
    sizes, as ``assessments.cohort`` does, plus ``forced``) is hidden whole.
    """
    if not each_group:
        return ()
    sizes, rated, essential = _group_counts(grouping_key)
    # Counted in C (a Counter over pairs): a cohort of thousands split many ways stays quick.
    for (group, answer), count in Counter(zip(each_group, answers, strict=True)).items():
        sizes[group] += count
        if answer is not None:
            rated[group] += count
        if answer:
            essential[group] += count
    return _split_counts(sizes, rated, essential, grouping_key, min_cell, overall, forced)


def _group_counts(grouping_key: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Zeroed people, raters and nₑ per group of the grouping, in declaration order.

    Adding to a group the grouping does not declare is a ``KeyError``: never a default.
    """
    order = [*vocabulary.grouping(grouping_key).values, vocabulary.NOT_ANSWERED]
    return dict.fromkeys(order, 0), dict.fromkeys(order, 0), dict.fromkeys(order, 0)


def _split_counts(
    sizes: Mapping[str, int],
    rated: Mapping[str, int],
    essential: Mapping[str, int],
    grouping_key: str,
    min_cell: int,
    overall: Judgement,
    forced: Collection[str] = (),
) -> tuple[GroupJudgement, ...]:
    """``_split`` from its counts per group (people, raters, nₑ, every declared group present)."""
    # Listed: every group the dashboard lists (someone in it), and every forced group, even empty.
    groups = [group for group in sizes if sizes[group] > 0 or group in forced]
    total = sum(sizes.values())
    dashboard = protect_listed(
        {group: sizes[group] for group in groups}, min_cell, total_shown=total >= min_cell, forced=forced
    )
    raters_shown = overall.raters is not None
    split_shown = overall.essential is not None
    hidden = _protected_rows(
        {
            cell: value
            for group in groups
            for cell, value in (
                ((group, RATED), rated[group]),
                ((group, UNRATED), sizes[group] - rated[group]),
            )
        },
        groups,
        (RATED, UNRATED),
        set(groups) - dashboard,
        {RATED, UNRATED} if raters_shown else set(),
        min_cell,
    )
    split_hidden = _protected_rows(
        {
            cell: value
            for group in groups
            for cell, value in (
                ((group, ESSENTIAL_COLUMN), essential[group]),
                ((group, OTHER_COLUMN), rated[group] - essential[group]),
            )
        },
        groups,
        (ESSENTIAL_COLUMN, OTHER_COLUMN),
        set(groups) - hidden,
        {ESSENTIAL_COLUMN, OTHER_COLUMN} if split_shown else set(),
        min_cell,
    )
    total_rated, total_essential = sum(rated.values()), sum(essential.values())
    results: list[GroupJudgement] = []
    for group in groups:
        size = rated[group]
        if group in hidden:
            results.append(GroupJudgement(group, _HIDDEN))
        elif size == 0:
            results.append(GroupJudgement(group, Judgement(0, None, None, None, "too-few-raters")))
        elif group in split_hidden:
            # The verdict goes too: beside the criterion's own verdict it can pin nₑ down (a group
            # of 7 "not shown essential" has at least 1 other answer; a panel of 12 "essential"
            # at most 2), where the overall verdict alone leaves 0 or N in the reader's range.
            judgement = _counts_hidden(judge(essential[group], size, min_cell))
            results.append(GroupJudgement(group, replace(judgement, verdict=None)))
        else:
            here = judge(essential[group], size, min_cell)
            rest, rest_essential = total_rated - size, total_essential - essential[group]
            if here.verdict == "too-few-raters" or rest < min_cell:
                results.append(GroupJudgement(group, here))
                continue
            difference = cvr(essential[group], size) - cvr(rest_essential, rest)
            p_value = fisher_exact(
                essential[group], size - essential[group], rest_essential, rest - rest_essential
            )
            results.append(GroupJudgement(group, here, difference, p_value))
    return tuple(results)


def _counts_hidden(judgement: Judgement) -> Judgement:
    """Raters shown, nₑ and the CVR (which gives nₑ away) hidden; the verdict only bounds nₑ."""
    return replace(judgement, essential=None, cvr=None)


def overall_judgement(essential: int, raters: int, people: int, min_cell: int) -> Judgement:
    """One criterion over everyone counted (``people``, a number the reader sees elsewhere).

    Fewer than ``min_cell`` raters: only the verdict "too few raters". The raters and the
    people who gave no answer are a list whose total is shown: when either is small both are
    hidden, with the rest. Then nₑ and N − nₑ, a list whose total N is shown: when either is
    small, nₑ and the CVR are hidden, and the verdict (which only says whether nₑ reaches the
    critical count) and the critical CVR stay.
    """
    if raters < min_cell:
        return Judgement(None, None, None, None, "too-few-raters")
    if protect_listed({RATED: raters, UNRATED: people - raters}, min_cell, total_shown=people >= min_cell):
        return _HIDDEN
    judgement = judge(essential, raters, min_cell)
    if protect_listed({ESSENTIAL_COLUMN: essential, OTHER_COLUMN: raters - essential}, min_cell):
        return _counts_hidden(judgement)
    return judgement


def analyse(
    criteria: Sequence[str],
    raters: Sequence[Rater],
    min_cell: int,
    groupings: Sequence[str] = (),
    hidden: Mapping[str, Collection[str]] | None = None,
) -> list[CriterionValidity]:
    """Each criterion's content validity, overall and within each grouping's groups.

    ``raters`` is everyone counted, including people who rated nothing: a reader sees their
    number (the dashboard's participants, or a panel file's size) and the dashboard's group
    sizes, so each criterion's raters, nₑ and N − nₑ, overall and per group, are protected
    against those (``overall_judgement``, ``_split``). ``hidden`` names, per grouping, groups
    to hide whatever their number of raters, on top of those the dashboard hides.
    """
    hidden = hidden or {}
    # Each rater's group, worked out once per grouping rather than once per criterion too, and
    # once per answers object: raters read from a cohort share one mapping per combination.
    groups_of: dict[str, list[str]] = {}
    for key in groupings:
        known: dict[int, str] = {}
        each = groups_of[key] = []
        for rater in raters:
            group = known.get(id(rater.answers))
            if group is None:
                group = known[id(rater.answers)] = group_of(rater, key)
            each.append(group)
    results = []
    for criterion in criteria:
        answers = [
            None if criterion not in rater.ratings else rater.ratings[criterion] == ESSENTIAL
            for rater in raters
        ]
        rated = sum(answer is not None for answer in answers)
        overall = overall_judgement(sum(answer is True for answer in answers), rated, len(raters), min_cell)
        by_group = {
            key: _split(groups_of[key], answers, key, min_cell, overall, hidden.get(key, ()))
            for key in groupings
        }
        if not rated:
            by_group = dict.fromkeys(groupings, ())
        results.append(CriterionValidity(criterion, overall, by_group))
    return results


Combination = tuple[str, ...]
"""A person's group in each grouping of a ``PanelCounts``, in its order."""


@dataclass(frozen=True)
class PanelCounts:
    """Everyone counted, as numbers per combination of groups: what ``analyse`` reads of them.

    ``people`` counts the people of each combination (raters or not) and ``answers`` their
    answers per (criterion, answer); ``panel`` is how many rated at least one of the criteria
    analysed. A cohort of 10,000 holds a few hundred combinations, so the figures are worked
    out without one object per person; ``analyse`` and ``panel_figures`` over the same people
    give exactly the same figures (tests/assessments/test_content_validity_counted.py). The
    answers must be ``RELEVANCE``'s, checked before counting: any other is not read as a rating.
    """

    groupings: tuple[str, ...]
    people: Mapping[Combination, int]
    answers: Mapping[Combination, Mapping[tuple[str, str], int]]
    panel: int

    @property
    def total(self) -> int:
        return sum(self.people.values())


def analyse_counts(criteria: Sequence[str], counts: PanelCounts, min_cell: int) -> list[CriterionValidity]:
    """``analyse`` over ``counts.groupings``, from counts (no groups hidden beyond the dashboard's)."""
    total = counts.total
    combinations = list(counts.people)
    others = [answer for answer in RELEVANCE if answer != ESSENTIAL]
    # People per group, the same for every criterion.
    group_sizes = []
    for position, key in enumerate(counts.groupings):
        sizes, _, _ = _group_counts(key)
        for combination in combinations:
            sizes[combination[position]] += counts.people[combination]
        group_sizes.append(sizes)
    results = []
    for criterion in criteria:
        essential_key = (criterion, ESSENTIAL)
        other_keys = [(criterion, answer) for answer in others]
        each: list[tuple[Combination, int, int]] = []
        for combination in combinations:
            tally = counts.answers.get(combination)
            if not tally:
                continue
            essential = tally.get(essential_key, 0)
            rated = essential + sum(tally.get(key, 0) for key in other_keys)
            if rated:
                each.append((combination, rated, essential))
        rated_total = sum(rated for _, rated, _ in each)
        overall = overall_judgement(sum(e for *_, e in each), rated_total, total, min_cell)
        by_group: dict[str, tuple[GroupJudgement, ...]] = {}
        for position, key in enumerate(counts.groupings):
            if not rated_total or not total:
                by_group[key] = ()
                continue
            _, rated_by, essential_by = _group_counts(key)
            for combination, rated, essential in each:
                rated_by[combination[position]] += rated
                essential_by[combination[position]] += essential
            by_group[key] = _split_counts(
                group_sizes[position], rated_by, essential_by, key, min_cell, overall
            )
        results.append(CriterionValidity(criterion, overall, by_group))
    return results


def panel_figures_counted(criteria: Sequence[str], counts: PanelCounts, min_cell: int) -> PanelFigures:
    """``panel_figures`` from counts: the same figures and the same protection."""
    results = analyse_counts(criteria, counts, min_cell)
    return _panel_figures(results, counts.panel, counts.total, min_cell)


@dataclass(frozen=True)
class PanelFigures:
    """What a page about a panel shows: its size, each criterion's figures and the index."""

    size: int | None
    """People who rated at least one criterion; ``None`` when hidden."""
    results: list[CriterionValidity]
    cvi: Fraction | None
    cvi_hidden: bool
    """The index is not shown because it would give away a criterion's hidden CVR."""


def panel_figures(
    criteria: Sequence[str], people: Sequence[Rater], min_cell: int, groupings: Sequence[str] = ()
) -> PanelFigures:
    """``analyse`` over everyone counted, with the panel's size protected against their number.

    The people who rated nothing are the counted less the panel: when they are 1 to
    ``min_cell - 1``, the panel's size is hidden.
    """
    results = analyse(criteria, people, min_cell, groupings)
    wanted = set(criteria)
    size = sum(1 for person in people if wanted & set(person.ratings))
    return _panel_figures(results, size, len(people), min_cell)


def _panel_figures(results: list[CriterionValidity], size: int, people: int, min_cell: int) -> PanelFigures:
    """The panel's figures with its size (raters of the criteria) protected against ``people``."""
    hidden = protect_listed({RATED: size, UNRATED: people - size}, min_cell, total_shown=people >= min_cell)
    return PanelFigures(
        size=None if RATED in hidden else size,
        results=results,
        cvi=content_validity_index(results),
        cvi_hidden=index_hidden(results),
    )


def discoveries(p_values: Sequence[float], rate: float = float(ALPHA)) -> list[bool]:
    """Which of many tests to call a difference, keeping the false discovery rate at ``rate``.

    Benjamini and Hochberg (1995): with the m p-values sorted, the largest k with
    p₍ₖ₎ ≤ k·rate/m, and every test up to it, are discoveries. Splitting every criterion by four
    groupings runs hundreds of tests, so about one in twenty would pass p < 0.05 by chance alone;
    a summary that names differences should name only the ones that survive this.
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda index: p_values[index])
    last = 0
    for rank, index in enumerate(order, start=1):
        if p_values[index] <= rank * rate / m:
            last = rank
    found = [False] * m
    for index in order[:last]:
        found[index] = True
    return found


def index_hidden(results: Sequence[CriterionValidity]) -> bool:
    """Whether a criterion kept (essential by consensus) has its CVR hidden, or its verdict.

    The index is the mean of the kept criteria's CVRs: beside the others' it would give a
    hidden one away, and without a hidden verdict it would not be the index at all.
    """
    return any(
        r.overall.verdict is None or (r.overall.verdict == "essential" and r.overall.cvr is None)
        for r in results
    )


def versions_give_away(by_version: Mapping[str, Sequence[Rater]], min_cell: int) -> bool:
    """Whether per-version indexes, beside the pooled criteria table, could give away a small count.

    The criteria table pools every version's answers about a criterion; each version's index is
    the mean CVR of its kept criteria, and with one kept criterion it is that criterion's CVR,
    so its nₑ for that version. The pooled nₑ less it is the other versions' nₑ: 60 of 100
    essential in one version beside 77 of 120 pooled says the other 20 gave 17 and 3. So when a
    criterion is rated in two versions or more, the indexes are shown only if no version's
    essential or other answers to it are 1 to ``min_cell - 1``.
    """
    counts: dict[str, list[tuple[int, int]]] = {}
    for raters in by_version.values():
        found: dict[str, list[int]] = {}
        for rater in raters:
            for criterion, answer in rater.ratings.items():
                tally = found.setdefault(criterion, [0, 0])
                tally[answer != ESSENTIAL] += 1
        for criterion, (essential, other) in found.items():
            counts.setdefault(criterion, []).append((essential, other))
    return _give_away(counts, min_cell)


def versions_give_away_counted(
    by_version: Mapping[str, Mapping[tuple[str, str], int]], min_cell: int
) -> bool:
    """``versions_give_away`` from each version's answers counted per (criterion, answer)."""
    counts: dict[str, list[tuple[int, int]]] = {}
    for answers in by_version.values():
        found: dict[str, list[int]] = {}
        for (criterion, answer), count in answers.items():
            if count:
                found.setdefault(criterion, [0, 0])[answer != ESSENTIAL] += count
        for criterion, (essential, other) in found.items():
            counts.setdefault(criterion, []).append((essential, other))
    return _give_away(counts, min_cell)


def _give_away(counts: Mapping[str, Sequence[tuple[int, int]]], min_cell: int) -> bool:
    """Whether a criterion rated in two versions or more has a version's nₑ or N − nₑ small."""
    return any(
        0 < count < min_cell
        for tallies in counts.values()
        if len(tallies) > 1
        for tally in tallies
        for count in tally
    )


def content_validity_index(results: Sequence[CriterionValidity]) -> Fraction | None:
    """Mean CVR of the criteria kept (essential by consensus); ``None`` when none is kept, or when
    a kept criterion's CVR is hidden (``index_hidden``)."""
    if index_hidden(results):
        return None
    kept = [r.overall.cvr for r in results if r.overall.verdict == "essential" and r.overall.cvr is not None]
    return sum(kept, Fraction(0)) / len(kept) if kept else None


def groupings_present(raters: Sequence[Rater]) -> list[str]:
    """The vocabulary's groupings at least one rater answered, in declaration order."""
    given = {key for rater in raters for key in rater.answers}
    return [key for key, found in vocabulary.GROUPINGS.items() if found.answer in given]


# --------------------------------------------------------------------------- JSON


def _number(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 3)


def judgement_json(judgement: Judgement) -> dict[str, Any]:
    return {
        "raters": judgement.raters,
        "essential": judgement.essential,
        "cvr": _number(judgement.cvr),
        "critical_cvr": _number(judgement.critical_cvr),
        "verdict": judgement.verdict,
    }


def to_json(framework: Framework, panel_size: int, results: Sequence[CriterionValidity]) -> dict[str, Any]:
    """The ``certready content-validity --json`` object."""
    criteria = []
    for result in results:
        item: dict[str, Any] = {"id": result.criterion, **judgement_json(result.overall)}
        item["by_group"] = {
            key: [
                {
                    "group": group.group,
                    **judgement_json(group.judgement),
                    "cvr_difference": _number(group.cvr_difference),
                    "p_value": None if group.p_value is None else round(group.p_value, 4),
                }
                for group in groups
            ]
            for key, groups in result.by_group.items()
        }
        criteria.append(item)
    return {
        "framework": framework.id,
        "framework_version": framework.version,
        "panel_size": panel_size,
        "criteria": criteria,
        "cvi": _number(content_validity_index(results)),
        "cvi_hidden": index_hidden(results),
    }


# --------------------------------------------------------------------------- panel files


def _rater_answers(entry: Mapping[Any, Any], where: str, problems: list[str]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for key, value in entry.items():
        if key == RATINGS_KEY:
            continue
        try:
            declared = vocabulary.answer(str(key))
        except vocabulary.UnknownAnswer:
            problems.append(f"{where}: {key!r} is not a profile answer (see docs/profile-format.md)")
            continue
        if value is None:
            continue
        try:
            _check_answer(declared, value)
        except vocabulary.UnknownAnswer as problem:
            problems.append(f"{where}: {problem}")
            continue
        answers[declared.key] = value
    return answers


def _check_answer(declared: vocabulary.Answer, value: Any) -> None:
    """Refuse a value the vocabulary does not allow for this answer (raises ``UnknownAnswer``)."""
    key, kind = declared.key, declared.kind
    if kind in ("choice", "choices"):
        items = [value] if kind == "choice" else value
        if not isinstance(items, list):
            raise vocabulary.UnknownAnswer(f"{key} must be a list of choices")
        for item in items:
            declared.choice(item if isinstance(item, str) else repr(item))
    elif kind == "yes-no" and not isinstance(value, bool):
        raise vocabulary.UnknownAnswer(f"{key} must be true or false")
    elif kind == "number":
        assert declared.low is not None
        assert declared.high is not None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not declared.low <= value <= declared.high
        ):
            raise vocabulary.UnknownAnswer(
                f"{key} must be a number from {declared.low:g} to {declared.high:g}"
            )
    elif kind in ("text", "text-list"):
        items = [value] if kind == "text" else value
        limit = declared.max_length or 0
        if not isinstance(items, list) or not all(
            isinstance(item, str) and len(item) <= limit for item in items
        ):
            raise vocabulary.UnknownAnswer(f"{key} must be text of up to {limit} characters")


def _rater_ratings(
    entry: Mapping[Any, Any], framework: Framework, where: str, problems: list[str]
) -> dict[str, Relevance]:
    ratings = entry.get(RATINGS_KEY)
    if not isinstance(ratings, dict) or not ratings:
        problems.append(f"{where}: needs 'ratings', a mapping of criterion id to {_allowed()}")
        return {}
    known = framework.criteria_by_id
    found: dict[str, Relevance] = {}
    for criterion, value in ratings.items():
        if criterion not in known:
            problems.append(
                f"{where}: {criterion!r} is not a criterion of {framework.id} {framework.version}"
            )
        elif not isinstance(value, str) or value not in RELEVANCE:
            problems.append(f"{where}, criterion {criterion!r}: {value!r} is not an answer; use {_allowed()}")
        else:
            found[str(criterion)] = cast(Relevance, value)  # checked against RELEVANCE just above
    return found


def _allowed() -> str:
    return ", ".join(RELEVANCE)


def parse_panel(data: Any, framework: Framework, name: str = "panel") -> list[Rater]:
    """Validate a panel against the framework and the vocabulary; every problem names the rater."""
    if not isinstance(data, dict) or set(data) != {"raters"}:
        raise PanelError([f"{name}: a panel file has one key, 'raters', a list of raters"])
    entries = data["raters"]
    if not isinstance(entries, list) or not entries:
        raise PanelError([f"{name}: the panel is empty; 'raters' must list at least one rater"])
    problems: list[str] = []
    raters: list[Rater] = []
    for position, entry in enumerate(entries, start=1):
        where = f"{name}: rater {position}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a mapping of profile answers and 'ratings'")
            continue
        answers = _rater_answers(entry, where, problems)
        ratings = _rater_ratings(entry, framework, where, problems)
        raters.append(Rater(answers, ratings))
    if problems:
        raise PanelError(problems)
    return raters


def load_panel(path: Path | str, framework: Framework) -> list[Rater]:
    """Read a panel file (YAML, or JSON by its suffix) for ``framework``."""
    path = Path(path)
    return parse_panel(load_data_file(path, PanelError), framework, path.name)
