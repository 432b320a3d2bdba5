"""The designer's "Impact over time": readiness change between people's first and latest assessment.

Reads the consented, released cohort rows of people with two or more released submissions of one
programme (the only place ``cohort_record`` rows other than the counted one are read; a submission
waiting for the next release batch is not read here either, see ``app.designer.models``) and what
they said about taking the programme (``programme_progress``), and hands per-person changes to
``assessments.impact``, which does the statistics and hides small numbers against the
dashboard's own group sizes. The page
(``app.designer.impact_views``) and ``certready impact`` both call ``impact_figures`` only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.designer import queries, services
from app.designer.fields import GROUPINGS, group_order_key, labeller
from app.designer.models import CohortRecord
from app.extensions import db
from app.models import ProgrammeProgress
from assessments.framework import Framework
from assessments.impact import ImpactReport, Person, impact_report, progress_group

UnknownProgramme = services.UnknownProgramme


class UnknownGrouping(LookupError):
    """The grouping asked for is not one the vocabulary declares."""


@dataclass(frozen=True)
class ImpactFigures:
    framework: Framework
    grouping: str | None
    grouping_label: str | None
    report: ImpactReport
    group_labels: dict[str, str]
    domain_titles: dict[str, str]
    synthetic: bool

    def to_json(self) -> dict[str, Any]:
        data = self.report.to_json(labels=self.group_labels)
        for row in data["domains"]:
            row["title"] = self.domain_titles[row["id"]]
        return {
            "framework": self.framework.id,
            "framework_version": self.framework.version,
            "grouping": self.grouping,
            "synthetic": self.synthetic,
            **data,
        }


def programme(framework_id: str) -> Framework:
    """The programme's current version; ``UnknownProgramme`` otherwise."""
    return services.programme(framework_id)


def programme_names() -> list[str]:
    return list(services.programmes())


def _month(moment: datetime) -> tuple[int, int]:
    return moment.year, moment.month


def _repeaters(framework_id: str) -> Any:
    """The ids of consenting people with two or more released submissions of the programme."""
    return (
        select(CohortRecord.user_id)
        .where(
            CohortRecord.framework_id == framework_id,
            CohortRecord.consented.is_(True),
            CohortRecord.released.is_(True),
        )
        .group_by(CohortRecord.user_id)
        .having(func.count() >= 2)
    )


def _people(framework_id: str, grouping: str | None) -> Iterator[Person]:
    """One ``Person`` per repeater: first released submission against the one the dashboard counts."""
    repeaters = _repeaters(framework_id)
    said = {
        user_id: (status, (year, month))
        for user_id, status, year, month in db.session.connection().execute(
            select(
                ProgrammeProgress.user_id,
                ProgrammeProgress.status,
                ProgrammeProgress.year,
                ProgrammeProgress.month,
            ).where(ProgrammeProgress.framework_id == framework_id, ProgrammeProgress.user_id.in_(repeaters))
        )
    }
    group = GROUPINGS[grouping].expression() if grouping else None
    columns = [
        CohortRecord.user_id,
        CohortRecord.submitted_at,
        CohortRecord.counted,
        CohortRecord.score,
        CohortRecord.domain_scores,
    ]
    statement = (
        select(*columns, *([group.label("grouped")] if group is not None else []))
        .where(
            CohortRecord.framework_id == framework_id,
            CohortRecord.consented.is_(True),
            CohortRecord.released.is_(True),
            CohortRecord.user_id.in_(repeaters),
        )
        .order_by(CohortRecord.user_id, CohortRecord.submitted_at, CohortRecord.id)
    )
    rows: list[Any] = []
    # Plain rows from the connection: thousands of them need no ORM loading.
    for row in db.session.connection().execute(statement):
        if rows and rows[0].user_id != row.user_id:
            yield _person(rows, said)
            rows = []
        rows.append(row)
    if rows:
        yield _person(rows, said)


def _person(rows: list[Any], said: dict[int, tuple[str, tuple[int, int]]]) -> Person:
    latest_rows = [row for row in rows if row.counted]
    if len(latest_rows) != 1:
        raise RuntimeError(f"a person has {len(latest_rows)} counted submissions of one programme, not 1")
    latest = latest_rows[0]
    first = rows[0] if rows[0] is not latest else rows[1]
    status, when = said.get(latest.user_id, (None, None))
    before, after = first.domain_scores or {}, latest.domain_scores or {}
    return Person(
        change=latest.score - first.score,
        progress=progress_group(status, when, _month(first.submitted_at), _month(latest.submitted_at)),
        group=getattr(latest, "grouped", None),
        domains={domain: after[domain] - before[domain] for domain in after if domain in before},
    )


def _cohort(framework_id: str) -> int:
    """The dashboard's participants: every counted row (consenting, latest released), repeaters among them."""
    return int(
        db.session.execute(queries.counted(select(func.count(CohortRecord.id)), framework_id)).scalar_one()
    )


def impact_figures(framework: Framework, grouping: str | None, min_cell: int) -> ImpactFigures:
    """Everything the page and the command show, small numbers already hidden."""
    if grouping is not None and grouping not in GROUPINGS:
        raise UnknownGrouping(grouping)
    group_sizes = None
    if grouping is not None:
        counts = queries.group_counts(framework.id, grouping)
        group_sizes = {counts_row.group: counts_row.n for counts_row in counts if counts_row.n}
        group_sizes = dict(sorted(group_sizes.items(), key=lambda item: group_order_key((item[0],))))
        cohort = sum(group_sizes.values())
    else:
        cohort = _cohort(framework.id)
    report = impact_report(
        list(_people(framework.id, grouping)),
        cohort=cohort,
        domains=[domain.id for domain in framework.domains],
        group_sizes=group_sizes,
        min_cell=min_cell,
    )
    label = labeller(grouping) if grouping else None
    return ImpactFigures(
        framework=framework,
        grouping=grouping,
        grouping_label=GROUPINGS[grouping].label if grouping else None,
        report=report,
        group_labels={row.key: label(row.key) for row in report.groups} if label else {},
        domain_titles={domain.id: domain.title for domain in framework.domains},
        synthetic=services.cohort_is_synthetic(framework.id),
    )
