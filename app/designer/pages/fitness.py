"""Fit for purpose: participants' relevance answers as a content-validity panel for their programme.

Each counted cohort row (consented, the person's latest released submission of the programme: the
rows ``queries.counted`` selects, as every designer figure does) is one rater: their answers to "how
important is this to your job?" (``CohortRecord.relevance``) and their groups from the row's
vocabulary columns. ``assessments.content_validity`` does the statistics; this module reads the
rows, hides what must be hidden and words the summary.

Small numbers. Every figure comes out of one suppression path,
``assessments.content_validity.panel_figures``, given everyone counted (raters or not): each
criterion's raters, nₑ and N − nₑ, overall and per group, are protected against the dashboard's
participants and group sizes worked out from the same counted rows, and the panel's size
against the participants. The panel's size per framework version also goes through
``assessments.cohort.suppress``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain
from typing import Any

from sqlalchemy import Text, cast, select

from app.designer import services
from app.designer.models import CohortRecord
from app.designer.queries import counted
from app.extensions import db
from app.reports.cache import LatestCache
from assessments import content_validity as cv
from assessments import vocabulary
from assessments.cohort import SUPPRESSED_TEXT, suppress
from assessments.framework import Framework

GROUPINGS: tuple[str, ...] = cv.RATER_GROUPINGS
DEFAULT_GROUPING = "staff_group"
SUMMARY_DIFFERENCES = 6
"""How many group differences the plain summary names; the table has them all."""


class UnknownRelevance(ValueError):
    """A stored relevance answer is not one of Lawshe's three: the figures would be wrong."""


UnknownProgramme = services.UnknownProgramme


# --------------------------------------------------------------------------- reading the rows


def _columns() -> tuple[str, ...]:
    """The cohort columns holding the answers ``GROUPINGS`` read, in declaration order."""
    return tuple(
        column for key in GROUPINGS for column in vocabulary.answer_columns(vocabulary.grouping(key).answer)
    )


def _ratings(framework_id: str, stored: Any) -> dict[str, cv.Relevance]:
    if stored is None:
        return {}
    if not isinstance(stored, dict):
        raise UnknownRelevance(
            f"a cohort row of {framework_id} holds relevance answers {stored!r}, not a mapping of criteria"
        )
    for criterion, answer in stored.items():
        if answer not in cv.RELEVANCE:
            allowed = ", ".join(cv.RELEVANCE)
            raise UnknownRelevance(
                f"a cohort row of {framework_id} holds the relevance answer {answer!r} for {criterion!r}, "
                f"which is not one of {allowed}"
            )
    return dict(stored)


@dataclass(frozen=True)
class Counted:
    """One counted person: their framework version and their answers as a rater (maybe none)."""

    version: str
    rater: cv.Rater


def counted_people(framework_id: str) -> list[Counted]:
    """Every counted row of the programme, as raters; rows without relevance answers included.

    The people who gave no relevance answer are still counted for the group sizes the dashboard
    shows, which decide the groups hidden here.
    """
    columns = _columns()
    statement = counted(
        select(
            CohortRecord.framework_version,
            CohortRecord.relevance,
            *(getattr(CohortRecord, column) for column in columns),
        ),
        framework_id,
    ).order_by(CohortRecord.id)
    people = []
    # A cohort holds few distinct combinations of these answers: each is decoded (and checked) once.
    decoded: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in db.session.execute(statement):
        values = tuple(row[2:])
        answers = decoded.get(values)
        if answers is None:
            answers = decoded[values] = vocabulary.answers_from_row(dict(zip(columns, values, strict=True)))
        people.append(Counted(row[0], cv.Rater(answers, _ratings(framework_id, row[1]))))
    return people


@dataclass(frozen=True)
class _Grouper:
    """One grouping read from its own columns of a row, each distinct set of values decoded once."""

    key: str
    columns: tuple[str, ...]
    place: slice
    """Where the columns sit among ``_columns()``."""
    known: dict[tuple[Any, ...], str] = field(default_factory=dict)

    def group(self, values: Sequence[Any]) -> str:
        mine = tuple(values[self.place])
        found = self.known.get(mine)
        if found is None:
            # A partial row: only this grouping's columns are read (and checked).
            answers = vocabulary.answers_from_row(dict(zip(self.columns, mine, strict=True)))
            found = self.known[mine] = cv.group_of(cv.Rater(answers, {}), self.key)
        return found


def _groupers() -> list[_Grouper]:
    """A ``_Grouper`` per grouping, in the order of ``_columns()``."""
    groupers = []
    start = 0
    for key in GROUPINGS:
        columns = vocabulary.answer_columns(vocabulary.grouping(key).answer)
        groupers.append(_Grouper(key, columns, slice(start, start + len(columns))))
        start += len(columns)
    return groupers


@dataclass(frozen=True)
class CountedPeople:
    """Every counted row of the programme as numbers: ``counted_people`` without a person each.

    ``panel`` counts everyone (every version) per combination of ``GROUPINGS``' groups, its
    raters those who rated a criterion of ``criteria``; ``versions`` counts each framework
    version's people with no grouping, its raters those who rated anything.
    """

    panel: cv.PanelCounts
    versions: Mapping[str, cv.PanelCounts]


def count_people(framework_id: str, criteria: Iterable[str]) -> CountedPeople:
    """Read the programme's counted rows once, counting them per version, groups and answers.

    The same rows, checks and errors as ``counted_people``; rows alike in version, profile
    columns and stored answers are counted together and their answers decoded once.
    """
    columns = _columns()
    statement = counted(
        select(
            CohortRecord.framework_version,
            # The stored JSON as text, decoded here once per distinct value.
            cast(CohortRecord.relevance, Text),
            *(getattr(CohortRecord, column) for column in columns),
        ),
        framework_id,
    )
    rows = Counter(db.session.execute(statement))
    groupers = _groupers()
    current = frozenset(criteria)
    combinations: dict[tuple[Any, ...], cv.Combination] = {}
    decoded: dict[str | None, dict[str, cv.Relevance]] = {}
    people: Counter[tuple[str, cv.Combination]] = Counter()
    # Per (version, combination): the answers of people alone in their row, counted together
    # at the end (one pass in C), and of rows alike, counted with their number.
    single: dict[tuple[str, cv.Combination], list[dict[str, cv.Relevance]]] = {}
    answers: dict[tuple[str, cv.Combination], Counter[tuple[str, str]]] = {}
    panel = 0
    rated: Counter[str] = Counter()
    for (version, stored, *values), count in rows.items():
        combination = combinations.get(tuple(values))
        if combination is None:
            combination = combinations[tuple(values)] = tuple(grouper.group(values) for grouper in groupers)
        ratings = decoded.get(stored)
        if ratings is None:
            ratings = decoded[stored] = _ratings(framework_id, None if stored is None else json.loads(stored))
        key = (version, combination)
        people[key] += count
        if not ratings:
            continue
        rated[version] += count
        if not current.isdisjoint(ratings):
            panel += count
        if count == 1:
            single.setdefault(key, []).append(ratings)
        else:
            tally = answers.get(key)
            if tally is None:
                tally = answers[key] = Counter()
            for item in ratings.items():
                tally[item] += count
    for key, each in single.items():
        tally = answers.get(key)
        if tally is None:
            tally = answers[key] = Counter()
        tally.update(chain.from_iterable(ratings.items() for ratings in each))
    # Added up over versions for the panel, and over combinations for each version.
    pooled_people: Counter[cv.Combination] = Counter()
    version_people: Counter[str] = Counter()
    for (version, combination), count in people.items():
        pooled_people[combination] += count
        version_people[version] += count
    pooled: dict[cv.Combination, Counter[tuple[str, str]]] = {}
    by_version: dict[str, Counter[tuple[str, str]]] = {}
    for (version, combination), tally in answers.items():
        pooled.setdefault(combination, Counter()).update(tally)
        by_version.setdefault(version, Counter()).update(tally)
    return CountedPeople(
        cv.PanelCounts(GROUPINGS, pooled_people, pooled, panel),
        {
            version: cv.PanelCounts((), {(): count}, {(): by_version.get(version, Counter())}, rated[version])
            for version, count in sorted(version_people.items())
        },
    )


# --------------------------------------------------------------------------- figures


def database_json(framework: Framework, min_cell: int) -> dict[str, Any]:
    """``certready content-validity --json`` from the database: the panel file's shape, suppressed."""
    figures = cv.panel_figures_counted(
        list(framework.criteria_by_id), count_people(framework.id, framework.criteria_by_id).panel, min_cell
    )
    panel, results = figures.size, figures.results
    data = cv.to_json(framework, panel or 0, results)
    data["panel_size"] = panel
    return data


@dataclass(frozen=True)
class VersionIndex:
    """The content validity index of one framework version, from the people who assessed against it."""

    version: str
    raters: int | None
    kept: int | None
    """Criteria essential by consensus; ``None`` when too few raters to judge any."""
    judged: int | None
    cvi: Fraction | None
    cvi_hidden: bool = False
    """The index would give away a criterion's hidden CVR (``content_validity.index_hidden``)."""

    @property
    def kept_text(self) -> str:
        if self.kept is None or self.judged is None:
            return SUPPRESSED_TEXT
        if not self.judged:
            return "None could be judged (each had fewer raters than the limit)"
        return f"{self.kept} of the {_criteria(self.judged)} with enough raters"

    @property
    def cvi_text(self) -> str:
        if self.raters is None or self.cvi_hidden:
            return SUPPRESSED_TEXT
        return "–" if self.cvi is None else ratio(self.cvi)


def version_indexes(people: Sequence[Counted], min_cell: int) -> list[VersionIndex]:
    """One CVI per framework version, so a redesign's effect shows (the criteria each version had rated)."""
    # Everyone counted per version, raters or not, as on the criteria table: with one version the
    # two are the same analysis, so neither shows what the other hides.
    by_version: dict[str, list[cv.Rater]] = {}
    for person in people:
        by_version.setdefault(person.version, []).append(person.rater)
    rated = {version: sum(1 for r in raters if r.ratings) for version, raters in by_version.items()}
    sizes = suppress({version: count for version, count in rated.items() if count}, min_cell)
    linked = cv.versions_give_away(by_version, min_cell)
    indexes = []
    for version in sorted(sizes):
        raters = by_version[version]
        criteria = list(dict.fromkeys(criterion for rater in raters for criterion in rater.ratings))
        figures = cv.panel_figures(criteria, raters, min_cell)
        indexes.append(_version_index(version, sizes[version] is None, figures, linked))
    return indexes


def _version_index(version: str, size_hidden: bool, figures: cv.PanelFigures, linked: bool) -> VersionIndex:
    """One version's row, from its panel figures (either counting path)."""
    if size_hidden or figures.size is None:
        return VersionIndex(version, None, None, None, None)
    judged = [result for result in figures.results if result.overall.verdict != "too-few-raters"]
    kept = sum(result.overall.verdict == "essential" for result in judged)
    cvi = None if linked else figures.cvi
    return VersionIndex(version, figures.size, kept, len(judged), cvi, linked or figures.cvi_hidden)


def version_indexes_counted(versions: Mapping[str, cv.PanelCounts], min_cell: int) -> list[VersionIndex]:
    """``version_indexes`` from each version's counts (``CountedPeople.versions``): the same indexes."""
    sizes = suppress(
        {version: counts.panel for version, counts in versions.items() if counts.panel}, min_cell
    )
    linked = cv.versions_give_away_counted(
        {version: counts.answers.get((), {}) for version, counts in versions.items()}, min_cell
    )
    indexes = []
    for version in sorted(sizes):
        counts = versions[version]
        criteria = sorted({criterion for (criterion, _), n in counts.answers.get((), {}).items() if n})
        figures = cv.panel_figures_counted(criteria, counts, min_cell)
        indexes.append(_version_index(version, sizes[version] is None, figures, linked))
    return indexes


# --------------------------------------------------------------------------- wording


def ratio(value: Fraction | float | None) -> str:
    """A CVR or difference to two places with a true minus sign: "0.80", "−0.20"; hidden reads as such."""
    if value is None:
        return SUPPRESSED_TEXT
    text = f"{float(value):.2f}"
    return text.replace("-", "−") if not text.startswith("-0.00") else "0.00"


def signed_ratio(value: Fraction | float | None) -> str:
    if value is None:
        return "–"
    text = ratio(value)
    return text if text.startswith("−") or text == "0.00" else f"+{text}"


def p_text(value: float | None) -> str:
    if value is None:
        return "–"
    # No-break spaces: "p = 0.041" never wraps inside a narrow table cell.
    return "p\u00a0<\u00a00.001" if value < 0.001 else f"p\u00a0=\u00a0{value:.3f}"


def verdict_text(verdict: str | None) -> str:
    return SUPPRESSED_TEXT if verdict is None else cv.VERDICT_LABELS[verdict]


def _count_text(value: int | None) -> str:
    return SUPPRESSED_TEXT if value is None else f"{value:,}"


class Shown:
    """A judgement's figures as printed: templates show these and never work anything out."""

    judgement: cv.Judgement

    @property
    def raters_text(self) -> str:
        return _count_text(self.judgement.raters)

    @property
    def essential_text(self) -> str:
        return _count_text(self.judgement.essential)

    @property
    def cvr_text(self) -> str:
        return ratio(self.judgement.cvr)

    @property
    def critical_text(self) -> str:
        critical = self.judgement.critical_cvr
        if self.judgement.raters is None:
            return SUPPRESSED_TEXT
        return "none can be reached" if critical is None else ratio(critical)

    @property
    def verdict_text(self) -> str:
        return verdict_text(self.judgement.verdict)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class GroupRow(Shown):
    grouping: str
    group: str
    label: str
    judgement: cv.Judgement
    difference: Fraction | None
    p_value: float | None

    @property
    def phrase(self) -> str:
        return vocabulary.group_phrase(self.grouping, self.group)

    @property
    def difference_text(self) -> str:
        return signed_ratio(self.difference)

    @property
    def p_text(self) -> str:
        return p_text(self.p_value)

    differs: bool = False
    """Rated differently from the rest of the panel beyond chance: Fisher's exact test, kept at a
    5% false discovery rate over every comparison on the page (``content_validity.discoveries``)."""


@dataclass(frozen=True)
class CriterionRow(Shown):
    id: str
    title: str
    domain: str
    judgement: cv.Judgement
    """Over the whole panel."""
    groups: Mapping[str, tuple[GroupRow, ...]]

    @property
    def overall(self) -> cv.Judgement:
        return self.judgement


def _rows(framework: Framework, results: Sequence[cv.CriterionValidity]) -> list[CriterionRow]:
    domains = {criterion.id: domain.title for domain, criterion in framework.criteria()}
    titles = {criterion_id: criterion.title for criterion_id, criterion in framework.criteria_by_id.items()}
    tested = [
        (result.criterion, key, group.group, group.p_value)
        for result in results
        for key, groups in result.by_group.items()
        for group in groups
        if group.p_value is not None
    ]
    found = cv.discoveries([p_value for *_, p_value in tested])
    differs = {place[:3] for place, discovered in zip(tested, found, strict=True) if discovered}
    return [
        CriterionRow(
            result.criterion,
            titles[result.criterion],
            domains[result.criterion],
            result.overall,
            {
                key: tuple(
                    GroupRow(
                        key,
                        group.group,
                        vocabulary.designer_label(key, group.group),
                        group.judgement,
                        group.cvr_difference,
                        group.p_value,
                        (result.criterion, key, group.group) in differs,
                    )
                    for group in groups
                )
                for key, groups in result.by_group.items()
            },
        )
        for result in results
    ]


@dataclass(frozen=True)
class Difference:
    """One group that judges a criterion differently from the others, worded for the summary."""

    sentence: str
    size: Fraction


def differences(rows: Iterable[CriterionRow]) -> list[Difference]:
    """Where groups disagree beyond chance (``GroupRow.differs``), largest gap first, in words a board reads.

    A group not shown to rate a criterion essential, rating it lower than the rest of the panel
    beyond chance, is set beside the group that rates it highest when that group's verdict is
    essential; a group rating a criterion essential beyond the rest when the whole panel does not
    is named too.
    """
    found: list[Difference] = []
    for row in rows:
        for groups in row.groups.values():
            judged = [group for group in groups if group.judgement.cvr is not None]
            essential = [group for group in judged if group.judgement.verdict == "essential"]
            top = max(essential, key=lambda group: group.judgement.cvr or 0, default=None)
            for group in judged:
                here = group.judgement.cvr
                assert here is not None
                if not group.differs or group.difference is None:
                    continue
                if group.judgement.verdict == "not-shown-essential" and group.difference < 0 and top:
                    assert top.judgement.cvr is not None
                    found.append(
                        Difference(
                            f"{_capital(group.phrase)} do not rate ‘{row.title}’ as essential "
                            f"(CVR {ratio(here)} against {ratio(top.judgement.cvr)} for {top.phrase}).",
                            top.judgement.cvr - here,
                        )
                    )
                elif (
                    group.judgement.verdict == "essential"
                    and group.difference > 0
                    and row.overall.verdict == "not-shown-essential"
                ):
                    assert row.overall.cvr is not None
                    found.append(
                        Difference(
                            f"{_capital(group.phrase)} rate ‘{row.title}’ as essential (CVR {ratio(here)}), "
                            f"though the panel as a whole does not (CVR {ratio(row.overall.cvr)}).",
                            here - row.overall.cvr,
                        )
                    )
    return sorted(found, key=lambda difference: (-difference.size, difference.sentence))


def _listing(titles: Sequence[str]) -> str:
    quoted = [f"‘{title}’" for title in titles]
    if len(quoted) < 2:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _criteria(count: int) -> str:
    return f"{count} criterion" if count == 1 else f"{count} criteria"


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Fitness:
    """Everything the fit-for-purpose page, the EIA section and the designer PDF print."""

    framework: Framework
    min_cell: int
    synthetic: bool
    counted: int
    panel: int | None
    rows: tuple[CriterionRow, ...]
    versions: tuple[VersionIndex, ...]
    differences: tuple[Difference, ...]
    cvi: Fraction | None
    rated: bool
    cvi_hidden: bool = False
    """The index would give away a criterion's hidden CVR (``content_validity.index_hidden``)."""

    @property
    def anyone(self) -> bool:
        """Whether anyone counted rated a criterion of this version (their number may be hidden)."""
        return self.rated

    def titles(self, verdict: str) -> list[str]:
        return [row.title for row in self.rows if row.overall.verdict == verdict]

    @property
    def panel_text(self) -> str:
        if not self.anyone:
            return (
                "No participant who consented to anonymous analysis has said how important this "
                "programme's criteria are to their job yet."
            )
        people = (
            f"{self.panel:,} {'participant' if self.panel == 1 else 'participants'}"
            if self.panel is not None
            else f"Fewer than {self.min_cell} participants"
        )
        return (
            f"{people} who consented to anonymous analysis said how important at least one criterion "
            "is to their job, or the job they want (each counted once: their latest submission)."
        )

    @property
    def essential_text(self) -> str:
        titles = self.titles("essential")
        if not titles:
            return "No criterion is essential by consensus yet."
        if len(titles) == len(self.rows) > 1:
            return f"All {len(titles)} criteria are essential by consensus."
        verb = "is" if len(titles) == 1 else "are"
        return f"{_capital(_criteria(len(titles)))} {verb} essential by consensus: {_listing(titles)}."

    @property
    def not_shown_text(self) -> str:
        titles = self.titles("not-shown-essential")
        if not titles:
            return ""
        verb = "is" if len(titles) == 1 else "are"
        return f"{_capital(_criteria(len(titles)))} {verb} not shown to be essential: {_listing(titles)}."

    @property
    def too_few_text(self) -> str:
        count = len(self.titles("too-few-raters"))
        if not count:
            return ""
        verb = "has" if count == 1 else "have"
        return f"{_capital(_criteria(count))} {verb} fewer than {self.min_cell} raters, too few to judge."

    @property
    def summary_differences(self) -> tuple[Difference, ...]:
        return self.differences[:SUMMARY_DIFFERENCES]

    @property
    def more_differences_text(self) -> str:
        more = len(self.differences) - SUMMARY_DIFFERENCES
        if more <= 0:
            return ""
        return f"And {more} more {'difference' if more == 1 else 'differences'} in the tables below."

    @property
    def cvi_text(self) -> str:
        if self.cvi_hidden:
            return (
                "Content validity index: not shown (small numbers). It is the mean CVR of the criteria "
                "essential by consensus, so it would give away a CVR hidden for small numbers."
            )
        if self.cvi is None:
            return "No content validity index yet: no criterion is essential by consensus."
        return (
            f"Content validity index {ratio(self.cvi)}: the mean CVR of the "
            f"{_criteria(len(self.titles('essential')))} essential by consensus."
        )


_FIGURES: LatestCache[Fitness] = LatestCache()
"""Figures made in this process, the latest per programme (counting 20,000 raters takes seconds)."""


def build(framework: Framework, min_cell: int) -> Fitness:
    """The programme's content validity from its counted cohort rows (current version's criteria).

    Kept in the process under the programme's cohort state (bumped by every change to its
    cohort rows), the framework's fingerprint and the threshold, so the page, the EIA and the
    designer PDF count once per change.
    """
    return _figures(framework.id, framework.fingerprint(), min_cell, lambda: framework)


def _figures(
    framework_id: str, fingerprint: str, min_cell: int, framework: Callable[[], Framework]
) -> Fitness:
    """``build``'s figures from the cache, or counted with ``framework()`` (fetched only then)."""
    state = services.cohort_state(framework_id)
    if state == "none":  # no cohort version yet: nothing to key the figures by, so count afresh
        return _build(framework(), min_cell)
    figures, _ = _FIGURES.get_or_make(
        framework_id, (state, fingerprint, min_cell), lambda: _build(framework(), min_cell)
    )
    return figures


def _build(framework: Framework, min_cell: int) -> Fitness:
    """The figures from the rows counted per combination of groups and answers (``count_people``)."""
    people = count_people(framework.id, framework.criteria_by_id)
    figures = cv.panel_figures_counted(list(framework.criteria_by_id), people.panel, min_cell)
    return _fitness(
        framework,
        min_cell,
        people.panel.total,
        figures,
        version_indexes_counted(people.versions, min_cell),
        rated=people.panel.panel > 0,
    )


def build_per_person(framework: Framework, min_cell: int) -> Fitness:
    """``_build``'s figures the straightforward way: a ``Rater`` per counted person.

    Slower (each criterion and grouping walks every person); kept as the reference the counted
    path is tested against, figure for figure (tests/app/designer/test_fitness_counted.py).
    """
    people = counted_people(framework.id)
    criteria = framework.criteria_by_id
    figures = cv.panel_figures(list(criteria), [person.rater for person in people], min_cell, GROUPINGS)
    return _fitness(
        framework,
        min_cell,
        len(people),
        figures,
        version_indexes(people, min_cell),
        rated=any(criterion in criteria for person in people for criterion in person.rater.ratings),
    )


def _fitness(
    framework: Framework,
    min_cell: int,
    counted: int,
    figures: cv.PanelFigures,
    versions: Sequence[VersionIndex],
    rated: bool,
) -> Fitness:
    rows = _rows(framework, figures.results)
    return Fitness(
        framework=framework,
        min_cell=min_cell,
        synthetic=services.cohort_is_synthetic(framework.id),
        counted=counted,
        panel=figures.size,
        rows=tuple(rows),
        versions=tuple(versions),
        differences=tuple(differences(rows)),
        cvi=figures.cvi,
        cvi_hidden=figures.cvi_hidden,
        rated=rated,
    )


@dataclass(frozen=True)
class Page:
    fitness: Fitness
    grouping: str

    @property
    def framework(self) -> Framework:
        return self.fitness.framework

    @property
    def grouping_label(self) -> str:
        return vocabulary.grouping(self.grouping).label

    def groups(self, row: CriterionRow) -> tuple[GroupRow, ...]:
        return row.groups[self.grouping]


def page(framework_id: str, grouping: str, min_cell: int) -> Page:
    """The fit-for-purpose page of one programme, its table split by ``grouping``.

    Raises ``UnknownProgramme`` for an id no shipped or uploaded framework has.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"{grouping!r} is not one of the groupings {', '.join(GROUPINGS)}")
    current = services.programme_version(framework_id)
    figures = _figures(current.id, current.fingerprint, min_cell, lambda: services.framework_at(current))
    return Page(figures, grouping)


def grouping_choices() -> list[tuple[str, str]]:
    """(key, label) of each grouping the page offers, from the vocabulary."""
    return [(key, vocabulary.grouping(key).label) for key in GROUPINGS]
