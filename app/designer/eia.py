"""The drafted equality impact assessment (EIA), shaped like the NHS templates a programme board reads.

NHS equality leads keep EIAs (often "Equality and Health Inequalities Impact Assessments") in
Word templates with the same parts: a summary of the proposal, who is affected, the impact on
each protected characteristic (and on carers and working patterns) with its evidence, the
justification of each requirement, actions with an owner and a date, monitoring and sign-off.
``draft`` builds that document once, from ``analytics.equality_impact`` (the suppression path
every designer surface shares), and the page, the PDF, the CSV and the Word file print it.

Only requirements the programme has are listed: ``requirements`` runs each rule against a grid
of answers built from the profile's declared vocabulary, so a rule that cannot fire for this
framework (US law for a UK programme, a test centre for one without an exam) is left out
without anyone keeping a list, and the requirement is described in the words the rule itself
uses for this framework ("At least 3 years in digital change"), never a field path.
"""

from __future__ import annotations

import itertools
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from app.designer import analytics, queries, services
from app.designer.fields import EQUALITY_GROUPINGS, GROUPINGS, key_label
from app.designer.pages import fitness
from assessments import risks
from assessments.cohort import ALPHA, SUPPRESSED_TEXT
from assessments.framework import Framework
from assessments.profile import Profile

# --------------------------------------------------------------------------- which requirements

PROBE_NUMBERS = (0, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 37.5, 60, 100)
"""Numbers tried for every numeric answer: around each threshold the shipped rules use."""
PROBE_LOCATIONS = ("London", "Leeds", "Cardiff", "Belfast", "Inverness", "Lerwick", "Penzance", "Norwich")
"""Locations tried for the answer rules place people by: each nation and the far corners of the UK,
so a venue far from someone somewhere is found."""
FIRING = ("high", "medium", "low")


def _literal_values(annotation: Any) -> list[Any]:
    """Every value an annotation admits, from its declared ``Literal``s (numbers from ``PROBE_NUMBERS``)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return list(typing.get_args(annotation))
    if origin is typing.Annotated:
        return _literal_values(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        values: list[Any] = []
        for part in typing.get_args(annotation):
            if part is not type(None):
                values += _literal_values(part)
        return values
    if annotation is bool:
        return [True, False]
    if annotation in (int, float):
        return list(PROBE_NUMBERS)
    if origin is tuple:
        inner = _literal_values(typing.get_args(annotation)[0])
        # No items, one item of each kind; free text ("a membership") stands for any name.
        return [(), *((value,) for value in inner)] if inner else [(), ("a name no rule expects",)]
    if annotation is str:
        return ["a name no rule expects"]
    raise TypeError(f"no probe values for the profile annotation {annotation!r}")


@lru_cache(maxsize=64)
def _answers(name: str) -> tuple[Any, ...]:
    """Unanswered plus every valid value of one profile answer."""
    found: list[Any] = [None]
    probes = _literal_values(Profile.model_fields[name].annotation)
    for value in [*probes, *PROBE_LOCATIONS] if name == "location" else probes:
        try:
            Profile.model_validate({"staff_group": "clinical", name: value})
        except ValidationError:
            continue
        found.append(value)
    return tuple(found)


def _probe_profiles(rule: risks.Rule) -> Iterator[Profile]:
    names = tuple(dict.fromkeys((*rule.profile_fields, "staff_group")))
    for values in itertools.product(*(_answers(name) for name in names)):
        data = {name: value for name, value in zip(names, values, strict=True) if value is not None}
        if "staff_group" in data:
            yield Profile.model_validate(data)


@dataclass(frozen=True)
class Requirement:
    """One requirement the programme has, as a rule reads it."""

    rule: risks.Rule
    text: str
    """What the programme asks, in the rule's own words for this framework."""

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def title(self) -> str:
        return self.rule.title

    @property
    def category_label(self) -> str:
        return key_label(self.rule.category)


@lru_cache(maxsize=32)
def _requirements(fingerprint: str, framework_json: str) -> tuple[tuple[str, str], ...]:
    from assessments.framework import framework_from_json

    framework = framework_from_json(framework_json)
    found = []
    for rule in risks.RULES:
        text = ""
        for profile in _probe_profiles(rule):
            flag = rule.check(profile, framework)
            if flag is not None and flag.severity in FIRING:
                text = flag.requirement
                break
        if text:
            found.append((rule.id, text))
    return tuple(found)


def requirements(framework: Framework, flagged: Sequence[str] = ()) -> list[Requirement]:
    """The requirements this programme has: every rule some answer could make fire for it.

    ``flagged`` adds rules the cohort itself carries (people assessed against an earlier version),
    so evidence from the cohort is never dropped.
    """
    texts = dict(_requirements(framework.fingerprint(), framework.to_json()))
    return [
        Requirement(rule, texts.get(rule.id) or rule.title)
        for rule in risks.RULES
        if rule.id in texts or rule.id in flagged
    ]


# --------------------------------------------------------------------------- wording


group_label = analytics.group_label


def _percent(rate: float | None) -> str:
    return SUPPRESSED_TEXT if rate is None else f"{rate * 100:.0f}%"


DIRECTION_LABELS = {
    "everyone": "Negative for almost everyone, whatever their group",
    "negative": "Negative",
    "possibly-negative": "Possibly negative",
    "neutral": "No clear difference",
    "positive": "Positive",
    "not-known": "Not known",
}
CONFIDENCE = {
    "everyone": "High: almost every group is flagged",
    "negative": "High: the difference is unlikely to be chance",
    "possibly-negative": "Low: with numbers this size the difference could be chance",
    "positive": "High: the difference is unlikely to be chance",
    "neutral": "Moderate: no group differs markedly",
    "not-known": "None: too few people in each group to tell",
}


# --------------------------------------------------------------------------- the document


@dataclass(frozen=True)
class ImpactLine:
    """One requirement's impact on one characteristic or group: evidence, direction, size, confidence."""

    requirement: Requirement
    direction: str
    evidence: str
    size: str
    confidence: str
    groups: tuple[str, ...]
    """Labels of the groups affected (empty when no group stands out)."""

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS[self.direction]


@dataclass(frozen=True)
class Characteristic:
    """One protected characteristic or working-pattern grouping with its impact on each requirement."""

    key: str
    label: str
    protected: bool
    lines: tuple[ImpactLine, ...]

    @property
    def direction(self) -> str:
        found = {line.direction for line in self.lines}
        for direction in ("everyone", "negative", "possibly-negative", "positive", "neutral"):
            if direction in found:
                return direction
        return "not-known"

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS[self.direction]

    @property
    def notable(self) -> tuple[ImpactLine, ...]:
        """Lines with a negative, possibly negative or positive impact."""
        return tuple(line for line in self.lines if line.direction not in ("neutral", "not-known"))

    @property
    def quiet_text(self) -> str:
        """The requirements with no clear difference and those too few people to tell, in a sentence each.

        When every requirement is too few to tell, the titles are not listed again one by one.
        """
        clear = [line.requirement.title for line in self.lines if line.direction == "neutral"]
        unknown = [line.requirement.title for line in self.lines if line.direction == "not-known"]
        sentences = []
        if clear:
            sentences.append("No clear difference between groups for: " + "; ".join(clear) + ".")
        if unknown and len(unknown) == len(self.lines) > 1:
            sentences.append(
                f"Too few people in each group to tell for any of the {len(unknown)} requirements."
            )
        elif unknown:
            sentences.append("Too few people in each group to tell for: " + "; ".join(unknown) + ".")
        return " ".join(sentences)

    @property
    def summary(self) -> str:
        negative = [line for line in self.lines if line.direction in ("everyone", "negative")]
        possible = [line for line in self.lines if line.direction == "possibly-negative"]
        if negative:
            return _count(len(negative), "requirement") + " with a negative impact"
        if possible:
            return _count(len(possible), "requirement") + " with a possible negative impact"
        if any(line.direction == "positive" for line in self.lines):
            return "a positive impact only"
        if any(line.direction == "neutral" for line in self.lines):
            return "no clear difference between groups"
        return "too few people to tell"


@dataclass(frozen=True)
class Justification:
    requirement: Requirement
    legitimate_aim: str
    proportionality: str
    mitigations: str
    recorded: bool


SUMMARY_GROUPS = 8
"""Groups most affected named in the summary."""
SHOWN_GROUPS = 6
"""Groups named on a line of the page; the rest are counted ("and 4 more"), and all are in the files."""


@dataclass(frozen=True)
class Action:
    requirement: Requirement
    groups: tuple[str, ...]
    action: str
    owner: str = ""
    due: str = ""

    @property
    def groups_text(self) -> str:
        shown = "; ".join(self.groups[:SHOWN_GROUPS])
        more = len(self.groups) - SHOWN_GROUPS
        return f"{shown}; and {more} more" if more > 0 else shown


@dataclass(frozen=True)
class Draft:
    framework: Framework
    cohort_date: datetime | None
    versions: tuple[str, ...]
    participants: int | None
    """People counted; ``None`` when hidden for small numbers (or nobody has submitted)."""
    anyone: bool
    synthetic: bool
    min_cell: int
    risks: tuple[str, ...]
    requirements: tuple[Requirement, ...]
    protected: tuple[Characteristic, ...]
    working: tuple[Characteristic, ...]
    justifications: tuple[Justification, ...]
    actions: tuple[Action, ...]
    monitoring: tuple[str, ...] = field(default=())
    content_validity: fitness.Fitness | None = None
    """The appendix: which criteria participants judge essential to the job (``content_validity``)."""

    @property
    def cohort_date_text(self) -> str:
        return self.cohort_date.date().isoformat() if self.cohort_date else "no submissions yet"

    @property
    def counted_text(self) -> str:
        if not self.anyone:
            return "No one has submitted a consented assessment for this programme yet."
        people = (
            f"{self.participants:,} {'person' if self.participants == 1 else 'people'}"
            if self.participants is not None
            else f"fewer than {self.min_cell} people (the exact number is {SUPPRESSED_TEXT})"
        )
        text = (
            f"{people} who agreed to their answers being used in anonymous analysis, each counted once "
            f"(their latest submission counted so far), as of {self.cohort_date_text}."
        )
        if self.synthetic:
            text += " This cohort is synthetic demonstration data, not real people."
        return text

    @property
    def requirements_sentence(self) -> str:
        count = len(self.requirements)
        if not count:
            return "No requirement of this programme can flag anyone."
        return f"It has {_count(count, 'requirement')} that can exclude people:"

    @property
    def most_affected_more(self) -> str:
        """ "And 3 more in the sections below." when the summary names only the first few groups."""
        more = len(self.most_affected) - SUMMARY_GROUPS
        return f"And {more} more in the sections below." if more > 0 else ""

    @property
    def most_affected(self) -> list[str]:
        """Groups with a negative impact on at least one requirement, most often affected first."""
        seen: dict[str, int] = {}
        for characteristic in (*self.protected, *self.working):
            for line in characteristic.lines:
                if line.direction in ("everyone", "negative"):
                    for group in line.groups:
                        name = f"{group} ({characteristic.label.lower()})"
                        seen[name] = seen.get(name, 0) + 1
        return [name for name, _ in sorted(seen.items(), key=lambda item: (-item[1], item[0]))]


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _size(entry: analytics.ImpactEntry, grouping: str) -> str:
    if not entry.rows:
        return "–"
    parts = []
    for row in entry.rows:
        if row.gap_pp is None:
            parts.append(f"{group_label(grouping, row.group)}: {_percent(row.flag_rate)} flagged")
            continue
        points = round(abs(row.gap_pp))
        text = f"{group_label(grouping, row.group)}: flagged {_count(points, 'percentage point')} "
        text += "more often" if row.gap_pp > 0 else "less often"
        if row.impact_ratio is not None:
            text += f" (impact ratio {row.impact_ratio:.2f}"
            text += ", below the four-fifths line)" if row.below_four_fifths else ")"
        parts.append(text)
    return "; ".join(parts)


def _direction(entry: analytics.ImpactEntry) -> str:
    return "everyone" if entry.impact == "neutral" and entry.nearly_everyone else entry.impact


def _evidence(entry: analytics.ImpactEntry, grouping: str) -> str:
    if entry.nearly_everyone and entry.impact == "neutral":
        return entry.evidence
    if entry.impact == "not-known":
        return "Too few people in each group to tell."
    if not entry.rows:
        return f"No group differs markedly: {_count(entry.compared, 'group')} compared."
    sentences = []
    for row in entry.rows:
        who = group_label(grouping, row.group)
        text = f"{who}: {_percent(row.flag_rate)} flagged"
        if row.reference and row.reference != row.group:
            text += (
                f", against {_percent(entry.reference_rate)} of the reference group "
                f"({group_label(grouping, row.reference)})"
            )
        sentences.append(text)
    return "; ".join(sentences) + "."


def _confidence(entry: analytics.ImpactEntry) -> str:
    text = CONFIDENCE[_direction(entry)]
    if entry.impact == "possibly-negative" and all(
        row.p_value is not None and row.p_value < ALPHA and not row.below_four_fifths for row in entry.rows
    ):
        text = "Moderate: a small difference, but too consistent to be chance"
    values = [row.p_value for row in entry.rows if row.p_value is not None]
    if values:
        text += f" (exact test, p = {max(values):.2g})"
    return text + "."


def _risk_sentence(characteristic: Characteristic, line: ImpactLine) -> str:
    if line.direction == "everyone":
        return f"{line.requirement.title}: {line.evidence}"
    who = ", ".join(line.groups[:3]) + (f" and {len(line.groups) - 3} more" if len(line.groups) > 3 else "")
    parts = line.evidence.rstrip(".").split("; ")
    evidence = "; ".join(parts[:2])
    if len(parts) > 2:
        evidence += f"; and {_count(len(parts) - 2, 'more group')}"
    return f"{line.requirement.title}: {who} ({characteristic.label.lower()}). {evidence}."


EVERYONE = "almost everyone, whatever their group"

SIGN_OFF = (
    "Programme lead",
    "Equality, diversity and inclusion lead",
    "Approved by (programme board)",
)
"""Who signs the assessment off; the names and dates are left for them to fill in."""

MONITORING = (
    "Review this assessment after every intake, and whenever the programme's requirements change.",
    "Compare each group's flag rate with the figures above; any new negative impact needs an action.",
    "Keep asking participants for equality answers, with consent: groups too small to tell today "
    "become measurable as the cohort grows.",
)


def draft(framework: Framework, min_cell: int) -> Draft:
    """The whole EIA for one programme, from figures that went through the suppression path."""
    entries = analytics.equality_impact(framework, min_cell)
    programme = requirements(framework, flagged=[entry.rule for entry in entries])
    by_id = {requirement.id: requirement for requirement in programme}
    lines: dict[str, list[ImpactLine]] = {}
    for entry in entries:
        requirement = by_id.get(entry.rule)
        if requirement is None:
            continue
        lines.setdefault(entry.grouping, []).append(
            ImpactLine(
                requirement=requirement,
                direction=_direction(entry),
                evidence=_evidence(entry, entry.grouping),
                size=_size(entry, entry.grouping),
                confidence=_confidence(entry),
                groups=tuple(group_label(entry.grouping, group) for group in entry.groups),
            )
        )
    characteristics = [
        Characteristic(key, GROUPINGS[key].label, key in EQUALITY_GROUPINGS, tuple(lines.get(key, ())))
        for key in GROUPINGS
    ]
    protected = tuple(c for c in characteristics if c.protected)
    working = tuple(c for c in characteristics if not c.protected)
    notes = services.justifications(framework.id)
    justifications = tuple(
        Justification(
            requirement,
            legitimate_aim=(note.legitimate_aim if note else "") or "",
            proportionality=(note.proportionality if note else "") or "",
            mitigations=(note.mitigations if note else "") or "",
            recorded=bool(note and (note.legitimate_aim or note.proportionality)),
        )
        for requirement in programme
        for note in [notes.get(requirement.id)]
    )
    actions = []
    for requirement in programme:
        affected = [
            f"{group} ({c.label.lower()})" if group else EVERYONE
            for c in characteristics
            for line in c.lines
            if line.requirement.id == requirement.id
            and line.direction in ("everyone", "negative", "possibly-negative")
            for group in (line.groups or ("",))
        ]
        if not affected:
            continue
        note = notes.get(requirement.id)
        action = (
            note.mitigations
            if note and note.mitigations
            else "Agree how to reduce this requirement's impact, or record why it is justified."
        )
        actions.append(Action(requirement, tuple(dict.fromkeys(affected)), action))
    ranked = sorted(
        (
            (c, line)
            for c in characteristics
            for line in c.lines
            if line.direction in ("everyone", "negative")
        ),
        # The widest gaps first, whichever the characteristic; a requirement that excludes almost
        # everyone leads, and named groups come before "not answered" and "prefer not to say".
        key=lambda item: (
            item[1].direction != "everyone",
            -max((abs(row) for row in _gaps(item[1], entries, item[0].key)), default=0.0),
            not item[0].protected,
        ),
    )
    overview = analytics.overview(min_cell).get(framework.id)
    cohort_date, versions = queries.cohort_versions(framework.id)
    participants = overview.participants if overview else None
    return Draft(
        framework=framework,
        cohort_date=cohort_date,
        versions=versions,
        participants=participants,
        anyone=overview is not None,
        synthetic=services.cohort_is_synthetic(framework.id),
        min_cell=min_cell,
        risks=_top_risks(ranked),
        requirements=tuple(programme),
        protected=protected,
        working=working,
        justifications=justifications,
        actions=tuple(actions),
        monitoring=MONITORING,
        content_validity=content_validity(framework, min_cell),
    )


def content_validity(framework: Framework, min_cell: int) -> fitness.Fitness:
    """The EIA's appendix on content validity: evidence for each requirement's legitimate aim."""
    return fitness.build(framework, min_cell)


def _top_risks(ranked: Sequence[tuple[Characteristic, ImpactLine]], n: int = 5) -> tuple[str, ...]:
    """The first ``n`` risk sentences; a requirement that excludes almost everyone is said once."""
    sentences: list[str] = []
    everyone: set[str] = set()
    for characteristic, line in ranked:
        if line.direction == "everyone":
            if line.requirement.id in everyone:
                continue
            everyone.add(line.requirement.id)
        sentence = _risk_sentence(characteristic, line)
        if sentence not in sentences:
            sentences.append(sentence)
        if len(sentences) == n:
            break
    return tuple(sentences)


def _gaps(line: ImpactLine, entries: Sequence[analytics.ImpactEntry], grouping: str) -> list[float]:
    return [
        row.gap_pp
        for entry in entries
        if entry.grouping == grouping and entry.rule == line.requirement.id
        for row in entry.rows
        if row.gap_pp is not None
    ]
