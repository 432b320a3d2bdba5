"""Every cohort figure as a SQL aggregate: ``GROUP BY`` through SQLAlchemy, counts out.

Python only folds the aggregate rows (one per group and flag pattern, or per group and score
to one decimal place; never one per person) into ``assessments.cohort.GroupCounts``; the
statistics on them live in ``assessments.cohort``. Only a person's latest released submission
per programme counts (``CohortRecord.counted``: figures change in release batches, see
``app.designer.models``), and only while they consent to aggregate analysis:
``CohortRecord.consented`` is cleared in the same transaction as a withdrawal, so a withdrawal
counts at once without a join per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, case, func, select

from app.designer import tallies
from app.designer.fields import GROUPINGS, RULE_BITS, RULE_COLUMNS, group_order_key, mask_keys
from app.designer.models import CohortFlag, CohortRecord
from app.designer.tallies import GroupSums, scaled_score
from app.extensions import db
from assessments.cohort import GroupCounts, intersection

_Columns = TypeVarTuple("_Columns")


def counted(statement: Select[*_Columns], framework_id: str | None = None) -> Select[*_Columns]:
    """Restrict a statement over ``cohort_record`` to the rows that count (consent, latest released)."""
    statement = statement.where(CohortRecord.consented.is_(True), CohortRecord.counted.is_(True))
    if framework_id is not None:
        statement = statement.where(CohortRecord.framework_id == framework_id)
    return statement


def _rows(statement: Select[*tuple[Any, ...]]) -> Any:
    """Plain tuples from the session's connection: thousands of aggregate rows need no ORM loading."""
    return db.session.connection().execute(statement)


def group_expressions(grouping: str, second: str | None = None) -> list[ColumnElement[str]]:
    """The labelled SQL values a statement groups by: one grouping, or two for an intersection."""
    expressions: list[ColumnElement[str]] = [GROUPINGS[grouping].expression().label("g1")]
    if second:
        expressions.append(GROUPINGS[second].expression().label("g2"))
    return expressions


def group_counts(framework_id: str, grouping: str, second: str | None = None) -> list[GroupCounts]:
    """Per group (or per pair of groups): size, readiness sums, bands, median and flag counts.

    One grouping of a programme whose tallies are kept is read from them
    (``app.designer.tallies``: a few thousand rows at any cohort size); intersections and
    programmes not yet tallied are counted from the rows themselves (``live_group_counts``).
    """
    if second is None and tallies.is_built(framework_id):
        return tallies.group_counts(framework_id, grouping)
    return live_group_counts(framework_id, grouping, second)


def live_group_counts(framework_id: str, grouping: str, second: str | None = None) -> list[GroupCounts]:
    """``group_counts`` straight from ``cohort_record``: two statements, each one scan of the counted rows:

    * ``GROUP BY`` score in tenths, band and group: size, sums, bands and a histogram of
      scores as shown, from which the median comes (the median of the scores to one decimal
      place, as participants see them; exact whenever scores have one decimal or fewer);
    * ``GROUP BY`` flag mask, high-severity mask and group: people per flag pattern, folded
      here into people per flag key (a few thousand patterns, not one row per person).
    """
    groups = group_expressions(grouping, second)
    width = len(groups)
    score = CohortRecord.score
    tenths = scaled_score(10).label("tenths")
    sizes = counted(
        select(
            *groups,
            CohortRecord.band,
            tenths,
            func.count(),
            func.sum(score),
            func.sum(score * score),
            func.sum(CohortRecord.no_opportunity_count),
            func.sum(CohortRecord.answer_count),
        ).select_from(CohortRecord),
        framework_id,
    ).group_by(tenths, CohortRecord.band, *groups)  # an integer first: SQLite's sorter compares faster
    found: dict[tuple[str, ...], GroupSums] = {}
    for row in _rows(sizes):
        label = tuple(row[:width])
        band, bucket, n, total, squares, no_opportunity, answers = row[width:]
        acc = found.get(label)
        if acc is None:
            acc = found[label] = GroupSums()
        acc.add(
            band,
            int(bucket),
            n,
            float(total or 0),
            float(squares or 0),
            int(no_opportunity or 0),
            int(answers or 0),
        )
    patterns = counted(
        select(CohortRecord.flag_mask, CohortRecord.high_mask, *groups, func.count()).select_from(
            CohortRecord
        ),
        framework_id,
    ).group_by(CohortRecord.flag_mask, CohortRecord.high_mask, *groups)
    for row in _rows(patterns):
        flag_mask, high_mask = row[0], row[1]
        if not (flag_mask or high_mask):
            continue
        acc = found.get(tuple(row[2 : 2 + width]))
        if acc is None:  # a row written between the two statements: counted next time
            continue
        n = row[-1]
        flagged = acc.flagged
        for key in mask_keys(int(flag_mask), int(high_mask or 0)):
            flagged[key] += n
    return [
        found[label].counts(intersection(*label) if second else label[0], parts=label if second else ())
        for label in sorted(found, key=group_order_key)
    ]


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
    """Participants and headline figures for every programme with a counted submission.

    Programmes whose tallies are kept are read from them; any other is counted from its rows.
    """
    kept = tallies.built()
    figures: dict[str, ProgrammeFigures] = {}
    for framework_id, totals in tallies.programme_totals(kept).items():
        cohort_date, versions = cohort_versions(framework_id)
        figures[framework_id] = ProgrammeFigures(
            framework_id=framework_id,
            participants=totals.participants,
            readiness_mean=totals.score_sum / totals.participants,
            any_flag=totals.any_flag,
            any_high=totals.any_high,
            cohort_date=cohort_date,
            versions=versions,
        )
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
    if kept:
        statement = statement.where(CohortRecord.framework_id.not_in(sorted(kept)))
    untallied_versions: dict[str, list[str]] = defaultdict(list)
    version_rows = counted(
        select(CohortRecord.framework_id, CohortRecord.framework_version).select_from(CohortRecord)
    ).group_by(CohortRecord.framework_id, CohortRecord.framework_version)
    if kept:
        version_rows = version_rows.where(CohortRecord.framework_id.not_in(sorted(kept)))
    for framework_id, version in db.session.execute(version_rows):
        untallied_versions[framework_id].append(version)
    for row in db.session.execute(statement):
        figures[row[0]] = ProgrammeFigures(
            framework_id=row[0],
            participants=int(row[1]),
            readiness_mean=None if row[2] is None else float(row[2]),
            any_flag=int(row[3] or 0),
            any_high=int(row[4] or 0),
            cohort_date=row[5],
            versions=tuple(sorted(untallied_versions[row[0]])),
        )
    return figures


def cohort_versions(framework_id: str) -> tuple[datetime | None, tuple[str, ...]]:
    """(latest counted submission, framework versions counted) for one programme.

    A loose scan of ``ix_cohort_record_counted``: one index seek for each version and one for
    its latest submission, so the cost follows the number of versions, not of people.
    """
    versions: list[str] = []
    latest: datetime | None = None
    while True:
        after = counted(select(func.min(CohortRecord.framework_version)), framework_id)
        if versions:
            after = after.where(CohortRecord.framework_version > versions[-1])
        version = db.session.scalar(after)
        if version is None:
            break
        versions.append(version)
        when = db.session.scalar(
            counted(select(func.max(CohortRecord.submitted_at)), framework_id).where(
                CohortRecord.framework_version == version
            )
        )
        if when is not None and (latest is None or when > latest):
            latest = when
    return latest, tuple(versions)


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
    return [(row[0], tuple(row[1:-1]), int(row[-1])) for row in _rows(statement)]


def rule_bit(rule_id: str) -> int:
    return RULE_BITS[rule_id]
