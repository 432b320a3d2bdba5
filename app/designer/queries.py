"""Every cohort figure as a SQL aggregate: ``GROUP BY`` through SQLAlchemy, counts out.

Python only folds the aggregate rows (one per group and flag pattern, never one per person) into
``assessments.cohort.GroupCounts``; the statistics on them live in ``assessments.cohort``.
Only a person's latest submission per programme counts, and only while their profile says they
consent to aggregate analysis: the consent is joined here, so a withdrawal counts at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from app.designer.fields import GROUPINGS, RULE_BITS, RULE_COLUMNS, keys_in_mask
from app.designer.models import CohortFlag, CohortRecord
from app.extensions import db
from app.models import Profile
from assessments.cohort import GroupCounts, intersection


def counted(statement: Select[Any], framework_id: str | None = None) -> Select[Any]:
    """Restrict a statement over ``cohort_record`` to the rows that count (consent, latest)."""
    statement = statement.join(
        Profile, and_(Profile.user_id == CohortRecord.user_id, Profile.consent_aggregate.is_(True))
    ).where(CohortRecord.is_latest.is_(True))
    if framework_id is not None:
        statement = statement.where(CohortRecord.framework_id == framework_id)
    return statement


def _group_expressions(grouping: str, second: str | None) -> list[ColumnElement[str]]:
    expressions = [GROUPINGS[grouping].expression().label("g1")]
    if second:
        expressions.append(GROUPINGS[second].expression().label("g2"))
    return expressions


@cache
def _keys_for(flag_mask: int, high_mask: int) -> frozenset[str]:
    return frozenset(keys_in_mask(flag_mask, high_mask))


@dataclass
class _Accumulator:
    n: int = 0
    total: float = 0.0
    squares: float = 0.0
    no_opportunity: int = 0
    answers: int = 0

    def __post_init__(self) -> None:
        self.bands: dict[str, int] = defaultdict(int)
        self.flagged: dict[str, int] = defaultdict(int)


def group_counts(framework_id: str, grouping: str, second: str | None = None) -> list[GroupCounts]:
    """Per group (or per pair of groups): size, readiness sums, bands, flag counts and median.

    Two statements: one ``GROUP BY`` group, band and flag pattern for everything but the median,
    and one ``GROUP BY`` group and score for the medians.
    """
    groups = _group_expressions(grouping, second)
    score = CohortRecord.score
    main = counted(
        select(
            *groups,
            CohortRecord.band,
            CohortRecord.flag_mask,
            CohortRecord.high_mask,
            func.count(),
            func.sum(score),
            func.sum(score * score),
            func.sum(CohortRecord.no_opportunity_count),
            func.sum(CohortRecord.answer_count),
        ).select_from(CohortRecord),
        framework_id,
    ).group_by(*groups, CohortRecord.band, CohortRecord.flag_mask, CohortRecord.high_mask)
    found: dict[tuple[str, ...], _Accumulator] = {}
    for row in db.session.execute(main):
        label = tuple(row[: len(groups)])
        band, flag_mask, high_mask, n, total, squares, no_opportunity, answers = row[len(groups) :]
        acc = found.get(label)
        if acc is None:
            acc = found[label] = _Accumulator()
        acc.n += n
        acc.total += float(total or 0)
        acc.squares += float(squares or 0)
        acc.no_opportunity += int(no_opportunity or 0)
        acc.answers += int(answers or 0)
        acc.bands[band] += n
        for key in _keys_for(int(flag_mask or 0), int(high_mask or 0)):
            acc.flagged[key] += n
    medians = _medians(framework_id, groups, {label: acc.n for label, acc in found.items()})
    result = []
    for label in sorted(found, key=_order_key):
        acc = found[label]
        result.append(
            GroupCounts(
                group=intersection(*label) if second else label[0],
                n=acc.n,
                readiness_sum=acc.total,
                readiness_sumsq=max(acc.squares, acc.total**2 / acc.n if acc.n else 0.0),
                bands=dict(acc.bands),
                flagged=dict(acc.flagged),
                no_opportunity=acc.no_opportunity,
                answers=acc.answers,
                median=medians.get(label),
                parts=tuple(label) if second else (),
            )
        )
    return result


def _order_key(label: tuple[str, ...]) -> tuple[Any, ...]:
    # "not answered" and "prefer not to say" go last, so the table reads in a natural order.
    return tuple((value in ("not-answered", "prefer-not-to-say"), value) for value in label)


def _medians(
    framework_id: str, groups: Sequence[ColumnElement[str]], sizes: dict[tuple[str, ...], int]
) -> dict[tuple[str, ...], float]:
    statement = (
        counted(select(*groups, CohortRecord.score, func.count()).select_from(CohortRecord), framework_id)
        .group_by(*groups, CohortRecord.score)
        .order_by(*groups, CohortRecord.score)
    )
    medians: dict[tuple[str, ...], float] = {}
    seen: dict[tuple[str, ...], int] = defaultdict(int)
    lower: dict[tuple[str, ...], float] = {}
    width = len(groups)
    for row in db.session.execute(statement):
        label, value, count = tuple(row[:width]), float(row[width]), int(row[width + 1])
        if label in medians:
            continue
        n = sizes.get(label, 0)
        before = seen[label]
        seen[label] = before + count
        # The median is the middle value, or the mean of the two middle values.
        low_index, high_index = (n - 1) // 2, n // 2
        if label not in lower and seen[label] > low_index:
            lower[label] = value
        if seen[label] > high_index:
            medians[label] = (lower[label] + value) / 2
    return medians


# --------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class ProgrammeFigures:
    framework_id: str
    participants: int
    readiness_mean: float | None
    any_flag: int
    any_high: int
    cohort_date: datetime | None
    versions: tuple[str, ...]


def programme_figures() -> dict[str, ProgrammeFigures]:
    """Participants and headline figures for every programme with a counted submission."""
    statement = counted(
        select(
            CohortRecord.framework_id,
            func.count(),
            func.avg(CohortRecord.score),
            func.sum(case((CohortRecord.flag_mask != 0, 1), else_=0)),
            func.sum(case((CohortRecord.high_mask != 0, 1), else_=0)),
            func.max(CohortRecord.submitted_at),
        ).select_from(CohortRecord)
    ).group_by(CohortRecord.framework_id)
    versions: dict[str, list[str]] = defaultdict(list)
    version_rows = counted(
        select(CohortRecord.framework_id, CohortRecord.framework_version).select_from(CohortRecord)
    ).group_by(CohortRecord.framework_id, CohortRecord.framework_version)
    for framework_id, version in db.session.execute(version_rows):
        versions[framework_id].append(version)
    return {
        row[0]: ProgrammeFigures(
            framework_id=row[0],
            participants=int(row[1]),
            readiness_mean=None if row[2] is None else float(row[2]),
            any_flag=int(row[3] or 0),
            any_high=int(row[4] or 0),
            cohort_date=row[5],
            versions=tuple(sorted(versions[row[0]])),
        )
        for row in db.session.execute(statement)
    }


def rule_firing(framework_id: str) -> dict[str, dict[str, int]]:
    """``{rule: {severity: people}}`` from the flag table, for the rule catalogue."""
    statement = counted(
        select(CohortFlag.rule, CohortFlag.severity, func.count(func.distinct(CohortFlag.record_id)))
        .select_from(CohortRecord)
        .join(CohortFlag, CohortFlag.record_id == CohortRecord.id),
        framework_id,
    ).group_by(CohortFlag.rule, CohortFlag.severity)
    firing: dict[str, dict[str, int]] = defaultdict(dict)
    for rule, severity, count in db.session.execute(statement):
        firing[rule][severity] = int(count)
    return dict(firing)


# --------------------------------------------------------------------------- what-if


def rule_combinations(framework_id: str, grouping: str) -> list[tuple[str, tuple[Any, ...], int]]:
    """``(group, rule-relevant column values, people)`` for every distinct combination.

    The what-if evaluates the rules once per combination instead of once per person.
    """
    columns = [getattr(CohortRecord, name) for name in RULE_COLUMNS]
    group = GROUPINGS[grouping].expression().label("g1")
    statement = counted(
        select(group, *columns, func.count()).select_from(CohortRecord), framework_id
    ).group_by(group, *columns)
    return [(row[0], tuple(row[1:-1]), int(row[-1])) for row in db.session.execute(statement)]


def rule_bit(rule_id: str) -> int:
    return RULE_BITS[rule_id]
