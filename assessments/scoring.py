"""Readiness scores, bands, priorities, programme fit and cross-programme estimates.

Everything here is a pure function of a framework and a person's ratings, so a stored
result can always be explained from its inputs. The arithmetic is written up for
participants and programme designers in ``docs/scoring.md``: change the two together.

Sums use ``math.fsum`` rather than ``sum``. ``fsum`` is correctly rounded, so a score
does not depend on the order criteria are listed or ratings were given in, and raising
one rating can never lower a score through floating-point noise (the tests rely on both).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Final

from assessments.areas import CAPABILITY_AREAS
from assessments.errors import RatingsError
from assessments.framework import Criterion, Domain, Framework
from assessments.ratings import Rating
from assessments.results import AreaFit, Band, CriterionResult, DomainResult, Fit, Readiness

BAND_THRESHOLDS: Final[tuple[tuple[float, Band], ...]] = (
    (90.0, "ready"),
    (70.0, "nearly-ready"),
    (40.0, "developing"),
)
"""Lowest score (as shown, to one decimal place) for each band, highest band first."""
LOWEST_BAND: Final[Band] = "not-yet"

EVEN_SPREAD_SHARE: Final[float] = 1 / len(CAPABILITY_AREAS)
"""0.10: the share of a programme's weight each area would get if it covered all ten evenly.

A programme that gives an area at least this share is treated as covering it fully;
below it, coverage falls in proportion. See "Fit" in docs/scoring.md.
"""

_AREA_ORDER: Final[dict[str, int]] = {area: index for index, area in enumerate(CAPABILITY_AREAS)}


def band_for(score: float) -> Band:
    """The band for a 0–100 score.

    The thresholds apply to the score rounded to one decimal place, the way it is shown,
    so a participant never sees "90.0" next to "Nearly ready".
    """
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise ValueError(f"a readiness score must be a number from 0 to 100, not {score!r}")
    if not 0 <= score <= 100:
        raise ValueError(f"a readiness score must be from 0 to 100, not {score}")
    shown = round(score, 1)
    for threshold, band in BAND_THRESHOLDS:
        if shown >= threshold:
            return band
    return LOWEST_BAND


def readiness(framework: Framework, ratings: Mapping[str, Rating]) -> Readiness:
    """Score self-ratings against one framework.

    Unrated criteria and "no opportunity yet" answers both score as level 0, but are
    flagged and counted apart: the first is an unfinished form, the second a barrier
    the person met, and neither is the same as a low rating.
    """
    _check_ratings(framework, ratings)
    criteria: list[CriterionResult] = []
    domains: list[DomainResult] = []
    all_weights: list[float] = []
    all_weighted: list[float] = []
    for domain in framework.domains:
        weights: list[float] = []
        weighted: list[float] = []
        weighted_levels: list[float] = []
        weighted_required: list[float] = []
        for criterion in domain.criteria:
            rating = ratings.get(criterion.id)
            scored = 0 if rating is None else rating.scored_level
            criteria.append(_criterion_result(domain, criterion, rating, scored))
            achieved = criterion.weight * _achievement(scored, criterion.required_level)
            weights.append(criterion.weight)
            weighted.append(achieved)
            weighted_levels.append(criterion.weight * scored)
            weighted_required.append(criterion.weight * criterion.required_level)
        total = math.fsum(weights)
        domains.append(
            DomainResult(
                id=domain.id,
                title=domain.title,
                score=_percent(weighted, weights),
                mean_level=math.fsum(weighted_levels) / total,
                mean_required=math.fsum(weighted_required) / total,
            )
        )
        all_weights.extend(weights)
        all_weighted.extend(weighted)

    # Summed over every criterion (not averaged over domains), so a domain with many
    # criteria counts for as much as its weights say, and no more.
    score = _percent(all_weighted, all_weights)
    order = {result.id: index for index, result in enumerate(criteria)}
    short = [result for result in criteria if result.gap > 0]
    priorities = sorted(short, key=lambda r: (-(r.gap * r.weight), -r.required_level, order[r.id]))
    met = [result for result in criteria if result.gap == 0 and result.level]
    strengths = sorted(
        met, key=lambda r: (-((r.level or 0) - r.required_level), -(r.level or 0), order[r.id])
    )
    return Readiness(
        score=score,
        band=band_for(score),
        domains=tuple(domains),
        criteria=tuple(criteria),
        priorities=tuple(priorities),
        strengths=tuple(strengths),
        gaps=len(short),
        no_opportunity=sum(result.no_opportunity for result in short),
        unrated=sum(result.unrated for result in criteria),
    )


def area_levels(framework: Framework, ratings: Mapping[str, Rating]) -> dict[str, float]:
    """How strong the person is in each capability area the framework covers (0–1).

    The weighted mean of rated level / the framework's top level; unrated and
    "no opportunity" count as 0. This is what carries a person's ratings over to a
    programme they have not rated themselves against (see ``estimate``).
    """
    _check_ratings(framework, ratings)
    top = framework.max_level
    return _area_means(
        (criterion, _scored(ratings.get(criterion.id)) / top) for _, criterion in framework.criteria()
    )


def area_needs(framework: Framework, ratings: Mapping[str, Rating]) -> dict[str, float]:
    """How far short the person is in each capability area the framework covers (0–1).

    The weighted mean of gap / the framework's top level: 0 means every requirement in
    the area is met, 1 means every criterion asks for the top level and has none.
    """
    _check_ratings(framework, ratings)
    top = framework.max_level
    return _area_means(
        (criterion, max(0, criterion.required_level - _scored(ratings.get(criterion.id))) / top)
        for _, criterion in framework.criteria()
    )


def coverage(target: Framework, area: str) -> float:
    """How strongly a programme covers one capability area (0–1).

    Modelled: a programme that puts at least an even share (``EVEN_SPREAD_SHARE``) of
    its criterion weight into the area covers it fully; less than that, proportionally.
    """
    _check_area(area)
    weights: list[float] = []
    in_area: list[float] = []
    for _, criterion in target.criteria():
        weights.append(criterion.weight)
        if criterion.area == area:
            in_area.append(criterion.weight)
    return _coverage(math.fsum(in_area), math.fsum(weights))


def fit(target: Framework, needs: Mapping[str, float]) -> Fit:
    """How well a programme covers what this person most needs to develop.

    Each area with a need counts in proportion to the need, so a programme that is
    strong where the person is weakest scores highest. ``percent`` is ``None`` when
    no need is above 0: there is nothing to cover, and 100% would mislead.
    """
    _check_needs(needs)
    weight_by_area: dict[str, list[float]] = {}
    weights: list[float] = []
    for _, criterion in target.criteria():
        weights.append(criterion.weight)
        weight_by_area.setdefault(criterion.area, []).append(criterion.weight)
    total = math.fsum(weights)
    needed = sorted(
        (area for area, need in needs.items() if need > 0), key=lambda a: (-needs[a], _AREA_ORDER[a])
    )
    areas = tuple(
        AreaFit(
            area=area,
            title=CAPABILITY_AREAS[area].title,
            need=needs[area],
            coverage=_coverage(math.fsum(weight_by_area.get(area, ())), total),
        )
        for area in needed
    )
    if not areas:
        return Fit(framework_id=target.id, percent=None, areas=())
    percent = _percent([a.need * a.coverage for a in areas], [a.need for a in areas])
    return Fit(framework_id=target.id, percent=percent, areas=areas)


def estimate(
    source: Framework, ratings: Mapping[str, Rating], target: Framework
) -> tuple[float, Band, float]:
    """Estimated readiness for ``target`` from ratings given against ``source``.

    Returns ``(score, band, basis)``. The ratings are carried over through the
    capability areas: each target criterion is taken to be met at the person's
    ``area_levels`` fraction of the target's top level. ``basis`` is the share of the
    target's criterion weight in areas the person actually answered in (a level or
    "no opportunity"); the rest are estimated as level 0.

    For the framework that was rated (same id and same content) the real score is
    returned, with basis 1.0: projecting through areas would only blur it.
    """
    if target.id == source.id and (target is source or target.fingerprint() == source.fingerprint()):
        real = readiness(source, ratings)
        return real.score, real.band, 1.0
    levels = area_levels(source, ratings)
    criteria = source.criteria_by_id
    answered = {criteria[criterion_id].area for criterion_id in ratings}
    top = target.max_level
    weights: list[float] = []
    weighted: list[float] = []
    answered_weights: list[float] = []
    for _, criterion in target.criteria():
        level = levels.get(criterion.area, 0.0) * top
        weights.append(criterion.weight)
        weighted.append(criterion.weight * _achievement(level, criterion.required_level))
        if criterion.area in answered:
            answered_weights.append(criterion.weight)
    score = _percent(weighted, weights)
    return score, band_for(score), math.fsum(answered_weights) / math.fsum(weights)


def _percent(parts: list[float], wholes: list[float]) -> float:
    # Each part is at most its whole, so the ratio is at most 1 exactly; divide before
    # multiplying by 100, or (100 * x) / x can come out as 100.00000000000001.
    return 100 * (math.fsum(parts) / math.fsum(wholes))


def _achievement(level: float, required: int) -> float:
    # A criterion that asks for level 0 is met by everyone, whatever they answered.
    return 1.0 if required == 0 else min(level, required) / required


def _scored(rating: Rating | None) -> int:
    return 0 if rating is None else rating.scored_level


def _criterion_result(
    domain: Domain, criterion: Criterion, rating: Rating | None, scored: int
) -> CriterionResult:
    return CriterionResult(
        id=criterion.id,
        title=criterion.title,
        domain_id=domain.id,
        area=criterion.area,
        required_level=criterion.required_level,
        level=None if rating is None else rating.level,
        gap=max(0, criterion.required_level - scored),
        weight=criterion.weight,
        no_opportunity=rating is not None and rating.no_opportunity,
        unrated=rating is None,
        evidence="" if rating is None else rating.evidence,
    )


def _area_means(values: Iterable[tuple[Criterion, float]]) -> dict[str, float]:
    weights: dict[str, list[float]] = {}
    weighted: dict[str, list[float]] = {}
    for criterion, value in values:
        weights.setdefault(criterion.area, []).append(criterion.weight)
        weighted.setdefault(criterion.area, []).append(criterion.weight * value)
    return {
        area: math.fsum(weighted[area]) / math.fsum(weights[area])
        for area in sorted(weights, key=_AREA_ORDER.__getitem__)
    }


def _coverage(area_weight: float, total_weight: float) -> float:
    return min(1.0, area_weight / total_weight / EVEN_SPREAD_SHARE)


def _check_ratings(framework: Framework, ratings: Mapping[str, Rating]) -> None:
    # parse_ratings already checks files; this catches callers that build ratings by
    # hand, or hand over ratings meant for another framework or version, which would
    # otherwise score silently as "unrated".
    known = {criterion.id for _, criterion in framework.criteria()}
    top = framework.max_level
    problems: list[str] = []
    for key, rating in ratings.items():
        if key not in known:
            problems.append(f"ratings: {key}: not a criterion of {framework.id} {framework.version}")
        elif not isinstance(rating, Rating):
            problems.append(f"ratings: {key}: expected a Rating, not {type(rating).__name__}")
        elif rating.level is not None and not 0 <= rating.level <= top:
            problems.append(f"ratings: {key}: level {rating.level} is outside 0 to {top} for {framework.id}")
    if problems:
        raise RatingsError(problems)


def _check_area(area: str) -> None:
    if area not in CAPABILITY_AREAS:
        raise ValueError(f"unknown capability area {area!r}; known areas: {', '.join(CAPABILITY_AREAS)}")


def _check_needs(needs: Mapping[str, float]) -> None:
    for area, need in needs.items():
        _check_area(area)
        if isinstance(need, bool) or not isinstance(need, int | float) or not 0 <= need <= 1:
            raise ValueError(f"the need for {area!r} must be a number from 0 to 1, not {need!r}")
