"""Every profile answer, declared once: its type, choices, wording, page and cohort storage.

One ``Answer`` per key of ``assessments.profile.Profile``. Everything that used to be written
by hand in several places is derived from here: the profile model's types, the web forms'
choices and labels, the designer's labels, groupings and forms, the cohort row's columns and
the mapping between a profile and a row, the what-if's inputs, and the answer tables in
``docs/profile-format.md``. Wording is always looked up per (field, value), never from one
table shared by every field, so "mixed" can mean an ethnic group in one field and a mix of
learning routes in another. A lookup of anything not declared raises ``UnknownAnswer``: a
stored value the declaration does not know is an error, never a default.

Pure: no web or database imports (``tests/test_architecture.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from assessments import geo

Kind = Literal["choice", "choices", "yes-no", "number", "text", "text-list"]
"""single choice, multiple choice, yes/no (stored as a boolean), number, free text, list of short texts"""
Section = Literal["working-pattern", "context", "background", "equality"]
Encoding = Literal["text", "yes-no", "number", "json-list", "flags", "place"]

NOT_ANSWERED = "not-answered"
"""The group of people who left an answer blank (a designer grouping value, never a stored answer)."""
PREFER_NOT = "prefer-not-to-say"
FULL_TIME_HOURS = 37.5
"""Agenda for Change full-time hours, used to pro-rate part-time experience (re-exported by
``assessments.profile``; declared here so the risk catalogue's thresholds need no profile model)."""

SECTION_TITLES: dict[Section, str] = {
    "working-pattern": "Working pattern",
    "context": "Context",
    "background": "Background",
    "equality": "Equality information (optional)",
}


class UnknownAnswer(LookupError):
    """A key or value that the declaration does not know: stored data or a caller is out of step."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown answer"


@dataclass(frozen=True)
class Choice:
    """One value of a choice answer and every way it is said."""

    value: str
    label: str
    """What a participant reads in the form and on their summary."""
    phrase: str | None = None
    """In a sentence ("you work part time", "your highest qualification is a degree");
    defaults to the label with a lower-case first letter."""
    group: str | None = None
    """A plural phrase for a group of people ("part-time staff"); defaults to
    "people whose <noun> is “<designer label>”"."""
    designer: str | None = None
    """A shorter label for designer tables; defaults to the participant label."""
    informal: bool = False
    """For learning routes: an informal route (not a course or qualification)."""
    rank: int | None = None
    """For ordered answers (qualification level, role level): the position on one scale."""


@dataclass(frozen=True)
class Storage:
    """How an answer is kept in a cohort row (``app.designer.models.CohortRecord``)."""

    encoding: Encoding
    column: str
    """The column; for ``flags`` the "answered" column, with one boolean column per choice."""
    flag_prefix: str = ""
    """For ``flags``: each choice's boolean column is this prefix and the value in snake case."""

    def flag_column(self, value: str) -> str:
        if self.encoding != "flags":
            raise UnknownAnswer(f"{self.column} is one column, not one per choice")
        return self.flag_prefix + value.replace("-", "_")


@dataclass(frozen=True)
class DerivedGrouping:
    """A designer grouping computed from an answer (learning routes: formal, informal or both)."""

    key: str
    label: str
    noun: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Answer:
    key: str
    kind: Kind
    section: Section
    page: str
    """The "About you" page (``app.journey.profile_forms``) that asks it; for equality answers the topic."""
    title: str
    """What the answer is, as a designer reads it in a list of groupings ("Working pattern (contract)")."""
    noun: str
    """Used in phrases: "people whose <noun> is …"."""
    meaning: str = ""
    """One line for ``docs/profile-format.md``."""
    choices: tuple[Choice, ...] = ()
    low: float | None = None
    high: float | None = None
    unit: str = ""
    max_length: int | None = None
    max_items: int | None = None
    required: bool = False
    equality: bool = False
    groupable: bool = False
    """Designers may divide the cohort by it (only for choice and yes/no answers)."""
    storage: Storage | None = None
    """How a cohort row keeps it; ``None`` for answers the row does not keep (free text other than
    the location, which is kept as the place it resolves to, never as typed)."""
    derived_grouping: DerivedGrouping | None = None

    def __post_init__(self) -> None:
        """A declaration that contradicts itself is refused at import, naming the answer."""
        problems = []
        has_choices = self.kind in ("choice", "choices", "yes-no")
        if has_choices != bool(self.choices):
            problems.append("choices are given exactly for choice and yes/no answers")
        if (self.kind == "number") != (self.low is not None and self.high is not None):
            problems.append("a number answer, and only one, has low and high bounds")
        if self.kind in ("text", "text-list") and self.max_length is None:
            problems.append("a text answer needs max_length")
        if self.groupable and (self.storage is None or not has_choices):
            problems.append("only a stored choice or yes/no answer can be a grouping")
        if len(set(self.values)) != len(self.values):
            problems.append("values are repeated")
        if problems:
            raise ValueError(f"{self.key}: " + "; ".join(problems))

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    @property
    def grouping_key(self) -> str:
        """The designer's key for grouping by this answer (its cohort column)."""
        if self.derived_grouping is not None:
            return self.derived_grouping.key
        if self.storage is None:
            raise UnknownAnswer(f"{self.key} is not stored in a cohort row, so it cannot be a grouping")
        return self.storage.column

    def choice(self, value: str) -> Choice:
        for item in self.choices:
            if item.value == value:
                return item
        declared = ", ".join(repr(v) for v in self.values) or "none (not a choice answer)"
        raise UnknownAnswer(f"{value!r} is not a declared value of {self.key} (declared: {declared})")


def _c(value: str, label: str, **kwargs: Any) -> Choice:
    return Choice(value, label, **kwargs)


_YES_NO = (_c("yes", "Yes"), _c("no", "No"))
_PREFER = _c(PREFER_NOT, "Prefer not to say", group="people who preferred not to say")


def _equality(key: str, page: str, title: str, noun: str, meaning: str, *choices: Choice) -> Answer:
    return Answer(
        key,
        "choice",
        "equality",
        page,
        title,
        noun,
        meaning,
        choices=(*choices, _PREFER),
        equality=True,
        groupable=True,
        storage=Storage("text", key),
    )


def _level(rank: int, value: str, label: str, phrase: str, designer: str) -> Choice:
    return Choice(value, label, phrase=phrase, designer=designer, rank=rank)


ANSWERS: tuple[Answer, ...] = (
    # ------------------------------------------------------------------ working pattern
    Answer(
        "contract",
        "choice",
        "working-pattern",
        "working-pattern",
        "Working pattern (contract)",
        "working pattern",
        "how you work",
        choices=(
            _c("full-time", "Full time", group="full-time staff"),
            _c("part-time", "Part time", group="part-time staff"),
            _c("compressed-hours", "Compressed hours", group="staff on compressed hours"),
            _c("job-share", "Job share", phrase="in a job share", group="staff in job shares"),
            _c("shift-work", "Shift work", phrase="shifts", group="shift workers"),
            _c("bank-or-locum", "Bank or locum", phrase="bank or locum shifts", group="bank and locum staff"),
            _c(
                "self-employed",
                "Self-employed or contractor",
                phrase="for yourself (self-employed)",
                group="self-employed people",
                designer="Self-employed",
            ),
        ),
        groupable=True,
        storage=Storage("text", "contract"),
    ),
    Answer(
        "hours_per_week",
        "number",
        "working-pattern",
        "working-pattern",
        "Hours a week",
        "hours a week",
        f"contracted hours; {FULL_TIME_HOURS:g} is full time (Agenda for Change), "
        "used to pro-rate experience",
        low=1,
        high=100,
        unit="hours a week",
        storage=Storage("number", "hours_per_week"),
    ),
    Answer(
        "on_call",
        "yes-no",
        "working-pattern",
        "time-and-study",
        "On call",
        "answer on working on call",
        "on-call or rota commitments that make fixed dates hard",
        choices=(_c("yes", "Yes", group="people who work on call"), _c("no", "No")),
        storage=Storage("yes-no", "on_call"),
    ),
    Answer(
        "caring_responsibilities",
        "yes-no",
        "working-pattern",
        "time-and-study",
        "Caring responsibilities",
        "answer on caring responsibilities",
        "unpaid care for a child or an adult",
        choices=(
            _c("yes", "Yes", group="carers", designer="Carers"),
            _c("no", "No", group="people without caring responsibilities", designer="Not carers"),
        ),
        groupable=True,
        storage=Storage("yes-no", "caring"),
    ),
    Answer(
        "study_hours_per_week_available",
        "number",
        "working-pattern",
        "time-and-study",
        "Study hours a week",
        "study hours a week",
        "hours a week you could give to study",
        low=0,
        high=100,
        unit="hours a week",
        storage=Storage("number", "study_hours_per_week_available"),
    ),
    Answer(
        "study_leave_days_per_year",
        "number",
        "working-pattern",
        "time-and-study",
        "Study leave days a year",
        "study leave days a year",
        "study leave your employer gives",
        low=0,
        high=365,
        unit="days a year",
        storage=Storage("number", "study_leave_days_per_year"),
    ),
    Answer(
        "can_attend_in_person",
        "choice",
        "working-pattern",
        "attendance-and-travel",
        "Can attend in person",
        "answer on attending in person",
        "whether you can attend teaching in person",
        choices=(
            _c("yes", "Yes", group="people who can attend in person"),
            _c("no", "No", group="people who cannot attend in person"),
            _c(
                "with-support",
                "Yes, with support",
                group="people who can attend in person with support",
            ),
        ),
        groupable=True,
        storage=Storage("text", "can_attend_in_person"),
    ),
    Answer(
        "max_travel_hours",
        "number",
        "working-pattern",
        "attendance-and-travel",
        "Longest journey (hours)",
        "longest journey",
        "the longest journey, one way, you could make",
        low=0,
        high=24,
        unit="hours",
        storage=Storage("number", "max_travel_hours"),
    ),
    # ------------------------------------------------------------------ context
    Answer(
        "nation",
        "choice",
        "context",
        "context",
        "Nation",
        "nation",
        "where you work",
        choices=(
            _c("england", "England", phrase="England", group="staff in England"),
            _c("wales", "Wales", phrase="Wales", group="staff in Wales"),
            _c("scotland", "Scotland", phrase="Scotland", group="staff in Scotland"),
            _c(
                "northern-ireland",
                "Northern Ireland",
                phrase="Northern Ireland",
                group="staff in Northern Ireland",
            ),
            _c("outside-uk", "Outside the UK", group="people working outside the UK"),
        ),
        groupable=True,
        storage=Storage("text", "nation"),
    ),
    Answer(
        "employer_support",
        "choice",
        "context",
        "context",
        "Employer support",
        "answer on employer support",
        "whether an executive sponsor and protected time would be given",
        choices=(
            _c("yes", "Yes", group="people whose employer would support them"),
            _c("no", "No", group="people whose employer would not support them"),
            _c(
                "unsure",
                "I do not know",
                designer="Not sure",
                group="people unsure of their employer's support",
            ),
        ),
        groupable=True,
        storage=Storage("text", "employer_support"),
    ),
    Answer(
        "digital_time_percent",
        "number",
        "context",
        "context",
        "Share of time on digital work",
        "share of time on digital work",
        "the share of your working time spent on digital work; used only where a programme counts years "
        "in digital work by that share (`experience_pro_rated_by: digital-time`)",
        low=0,
        high=100,
        unit="per cent",
        storage=Storage("number", "digital_time_percent"),
    ),
    # ------------------------------------------------------------------ background
    Answer(
        "staff_group",
        "choice",
        "background",
        "background",
        "Staff group",
        "staff group",
        "**required**",
        choices=(
            _c(
                "clinical",
                "Clinical (for example nurse, doctor, allied health professional, pharmacist)",
                phrase="clinical",
                designer="Clinical",
                group="clinical staff",
            ),
            _c(
                "non-clinical",
                "Non-clinical (for example digital, data, management, administration)",
                phrase="non-clinical",
                designer="Non-clinical",
                group="non-clinical staff",
            ),
        ),
        required=True,
        groupable=True,
        storage=Storage("text", "staff_group"),
    ),
    Answer(
        "profession",
        "text",
        "background",
        "background",
        "Profession",
        "profession",
        "e.g. nurse, pharmacist, analyst",
        max_length=120,
    ),
    Answer(
        "professional_registration",
        "yes-no",
        "background",
        "background",
        "Professional registration",
        "answer on professional registration",
        "registered with a statutory regulator (e.g. NMC, GMC, HCPC)",
        choices=(_c("yes", "Yes", group="registered professionals"), _c("no", "No")),
        storage=Storage("yes-no", "professional_registration"),
    ),
    Answer(
        "sector",
        "choice",
        "background",
        "context",
        "Sector",
        "sector",
        "where you work",
        choices=(
            _c(
                "nhs-acute", "NHS acute trust", phrase="an NHS acute trust", group="staff in NHS acute trusts"
            ),
            _c(
                "nhs-mental-health",
                "NHS mental health trust",
                phrase="an NHS mental health trust",
                group="staff in NHS mental health trusts",
            ),
            _c(
                "nhs-community",
                "NHS community services",
                phrase="NHS community services",
                group="staff in NHS community services",
            ),
            _c(
                "nhs-ambulance",
                "NHS ambulance service",
                phrase="an NHS ambulance service",
                group="staff in NHS ambulance services",
            ),
            _c(
                "primary-care",
                "Primary care (for example general practice or pharmacy)",
                phrase="primary care",
                designer="Primary care",
                group="primary care staff",
            ),
            _c(
                "integrated-care-board",
                "Integrated care board",
                phrase="an integrated care board",
                group="staff in integrated care boards",
            ),
            _c("social-care", "Social care", group="social care staff"),
            _c(
                "local-authority",
                "Local authority",
                phrase="a local authority",
                group="local authority staff",
            ),
            _c(
                "independent-sector",
                "Independent sector provider",
                phrase="the independent sector",
                group="staff of independent sector providers",
            ),
            _c(
                "voluntary-sector",
                "Voluntary or community sector",
                phrase="the voluntary or community sector",
                group="staff in the voluntary or community sector",
            ),
            _c(
                "supplier",
                "Supplier to health and care",
                phrase="a company that supplies health and care",
                group="staff of suppliers to health and care",
            ),
            _c(
                "academia",
                "University or research",
                phrase="a university or research body",
                group="staff in universities and research",
            ),
            _c("other", "Another sector", phrase="a sector not on our list", group="staff in other sectors"),
        ),
        groupable=True,
        storage=Storage("text", "sector"),
    ),
    Answer(
        "role_level",
        "choice",
        "background",
        "background",
        "Role level",
        "role level",
        "your current level",
        choices=(
            _c(
                "aspiring",
                "Not yet in a management role",
                phrase="an aspiring leader",
                group="people not yet in a management role",
                rank=0,
            ),
            _c(
                "middle-manager",
                "Middle manager or team leader",
                phrase="a middle manager",
                group="middle managers and team leaders",
                rank=1,
            ),
            _c(
                "senior-manager",
                "Senior manager (for example head of service)",
                phrase="a senior manager",
                designer="Senior manager",
                group="senior managers",
                rank=2,
            ),
            _c(
                "director",
                "Director or deputy director",
                phrase="a director",
                group="directors and deputy directors",
                rank=3,
            ),
            _c("board", "Board member or executive", phrase="a board member", group="board members", rank=4),
        ),
        groupable=True,
        storage=Storage("text", "role_level"),
    ),
    Answer(
        "years_in_digital",
        "number",
        "background",
        "background",
        "Years in digital",
        "years in digital",
        "years working on digital change, whatever the job title",
        low=0,
        high=60,
        unit="years",
        storage=Storage("number", "years_in_digital"),
    ),
    Answer(
        "years_in_leadership",
        "number",
        "background",
        "background",
        "Years in leadership",
        "years in leadership",
        "years in leadership roles",
        low=0,
        high=60,
        unit="years",
        storage=Storage("number", "years_in_leadership"),
    ),
    Answer(
        "highest_qualification",
        "choice",
        "background",
        "background",
        "Highest qualification (level)",
        "highest qualification",
        "the level of your highest qualification on one scale: the RQF level (England, Wales, "
        "Northern Ireland), with the Scottish (SCQF) equivalents in each label; how you got it "
        "(for example an apprenticeship) is `learning_routes`",
        choices=(
            _level(
                0, "none", "No formal qualifications", "no formal qualifications", "No formal qualifications"
            ),
            _level(
                2,
                "level-1-2",
                "GCSEs or equivalent (levels 1 and 2): for example GCSEs, an intermediate (level 2) "
                "apprenticeship, or in Scotland National 4 or 5 (SCQF 4 or 5)",
                "GCSEs or equivalent (level 1 or 2)",
                "GCSEs or equivalent (levels 1–2)",
            ),
            _level(
                3,
                "level-3",
                "A levels or equivalent (level 3): for example A levels, a BTEC National, an advanced "
                "(level 3) apprenticeship, or in Scotland Highers or Advanced Highers (SCQF 6 or 7)",
                "A levels or equivalent (level 3)",
                "A levels or equivalent (level 3)",
            ),
            _level(
                4,
                "level-4",
                "Level 4: for example a Certificate of Higher Education, an HNC or a level 4 "
                "apprenticeship, or in Scotland an HNC (SCQF 7)",
                "a level 4 qualification, such as an HNC",
                "HNC or equivalent (level 4)",
            ),
            _level(
                5,
                "level-5",
                "Level 5: for example a foundation degree, an HND, a Diploma of Higher Education or a "
                "level 5 apprenticeship, or in Scotland an HND (SCQF 8)",
                "a level 5 qualification, such as a foundation degree or an HND",
                "Foundation degree or HND (level 5)",
            ),
            _level(
                6,
                "level-6",
                "Degree (level 6): a bachelor's degree or a degree apprenticeship, or in Scotland an "
                "ordinary or honours degree or a graduate apprenticeship (SCQF 9 or 10)",
                "a degree (level 6)",
                "Degree (level 6)",
            ),
            _level(
                7,
                "level-7",
                "Master's degree (level 7): for example a master's degree, a postgraduate diploma or a "
                "level 7 apprenticeship, or in Scotland SCQF 11",
                "a master's degree or equivalent (level 7)",
                "Master's or equivalent (level 7)",
            ),
            _level(
                8,
                "level-8",
                "Doctorate (level 8): for example a PhD or a professional doctorate (SCQF 12)",
                "a doctorate (level 8)",
                "Doctorate (level 8)",
            ),
        ),
        groupable=True,
        storage=Storage("text", "highest_qualification"),
    ),
    Answer(
        "learning_routes",
        "choices",
        "background",
        "background",
        "Learning routes",
        "learning routes",
        "how you learned what you know (the route, apart from the level of any qualification)",
        choices=(
            _c("formal-education", "Formal education (college or university)", phrase="formal education"),
            _c("apprenticeship", "Apprenticeship", phrase="an apprenticeship"),
            _c("employer-training", "Training from an employer", phrase="employer training"),
            _c("self-taught", "Self-taught", phrase="teaching yourself", informal=True),
            _c("start-up", "Working in or founding a start-up", phrase="a start-up", informal=True),
            _c("hackathon", "Hackathons and similar events", phrase="hackathons", informal=True),
            _c(
                "online-community",
                "Online communities (for example forums, open source, social media groups)",
                phrase="online communities",
                designer="Online communities",
                informal=True,
            ),
            _c(
                "professional-network",
                "Professional networks (for example Digital Health Networks, Shuri, CHIME)",
                phrase="professional networks",
                designer="Professional networks",
                informal=True,
            ),
        ),
        groupable=True,
        storage=Storage("flags", "learning_routes_answered", flag_prefix="route_"),
        derived_grouping=DerivedGrouping(
            "learning_route",
            "Learning route",
            "learning route",
            (
                _c(
                    "formal-only", "Formal routes only", group="people who learned only through formal routes"
                ),
                _c(
                    "mixed",
                    "Formal and informal routes",
                    group="people who learned through formal and informal routes",
                ),
                _c(
                    "informal-only",
                    "Informal routes only",
                    group="people who learned only through informal routes",
                ),
                _c("none-given", "No route named", group="people who named no learning route"),
            ),
        ),
    ),
    Answer(
        "employer_funding",
        "choice",
        "background",
        "background",
        "Employer funding",
        "answer on employer funding",
        "whether your employer would pay fees",
        choices=(
            _c("full", "Yes, in full", phrase="in full"),
            _c("partial", "Yes, in part", phrase="in part"),
            _c("none", "No", phrase="not at all"),
            _c("unknown", "I do not know", designer="Not known"),
        ),
        storage=Storage("text", "employer_funding"),
    ),
    Answer(
        "memberships",
        "text-list",
        "background",
        "background",
        "Memberships",
        "memberships",
        "professional bodies you belong to, in your own words (e.g. `BCS`, `MBCS`, `British Computer "
        "Society`, `CHIME`): matched against every known name of each body (`assessments/bodies.py`)",
        max_length=60,
        max_items=10,
        storage=Storage("json-list", "memberships"),
    ),
    Answer(
        "location",
        "text",
        "background",
        "attendance-and-travel",
        "Location",
        "location",
        "your UK town, or your postcode or its first half (`LS6`, `TR18 4AA`), for modelled journey "
        "times to venues (`docs/risk-rules.md`); a postcode is placed at its area's post town, "
        "approximately",
        max_length=120,
        storage=Storage("place", "location_place"),
    ),
    Answer(
        "needs_adjustments",
        "yes-no",
        "background",
        "adjustments",
        "Needs reasonable adjustments",
        "answer on reasonable adjustments",
        "used **only** to flag programmes that offer no reasonable adjustments",
        choices=_YES_NO,
        storage=Storage("yes-no", "needs_adjustments"),
    ),
    # ------------------------------------------------------------------ equality information
    _equality(
        "age_band",
        "age",
        "Age band",
        "age band",
        "",
        _c("16-24", "16 to 24", group="people aged 16 to 24"),
        _c("25-34", "25 to 34", group="people aged 25 to 34"),
        _c("35-44", "35 to 44", group="people aged 35 to 44"),
        _c("45-54", "45 to 54", group="people aged 45 to 54"),
        _c("55-64", "55 to 64", group="people aged 55 to 64"),
        _c("65-plus", "65 or over", group="people aged 65 or over"),
    ),
    _equality(
        "sex",
        "sex",
        "Sex",
        "sex",
        "",
        _c("female", "Female", group="women"),
        _c("male", "Male", group="men"),
    ),
    _equality(
        "gender_same_as_birth",
        "sex",
        "Gender identity same as sex registered at birth",
        "answer on gender identity",
        "",
        _c("yes", "Yes", group="people whose gender is the same as their sex registered at birth"),
        _c("no", "No", group="trans people"),
    ),
    _equality(
        "sexual_orientation",
        "orientation",
        "Sexual orientation",
        "sexual orientation",
        "",
        _c("heterosexual", "Straight or heterosexual", group="straight or heterosexual people"),
        _c("gay-or-lesbian", "Gay or lesbian", group="gay or lesbian people"),
        _c("bisexual", "Bisexual", group="bisexual people"),
        _c("other", "Another sexual orientation", group="people of another sexual orientation"),
    ),
    _equality(
        "ethnic_group",
        "ethnicity",
        "Ethnic group",
        "ethnic group",
        "the five broad GSS groups",
        _c(
            "asian",
            "Asian or Asian British",
            phrase="Asian or Asian British",
            group="Asian or Asian British people",
        ),
        _c(
            "black",
            "Black, Black British, Caribbean or African",
            phrase="Black, Black British, Caribbean or African",
            group="Black, Black British, Caribbean or African people",
        ),
        _c("mixed", "Mixed or multiple ethnic groups", group="people of mixed or multiple ethnic groups"),
        _c("white", "White", group="White people", phrase="White"),
        _c(
            "other",
            "Another ethnic group (for example Arab)",
            designer="Another ethnic group",
            group="people of another ethnic group",
        ),
    ),
    _equality(
        "religion",
        "religion",
        "Religion or belief",
        "religion or belief",
        "",
        _c("no-religion", "No religion", group="people with no religion"),
        _c("christian", "Christian", phrase="Christian", group="Christians"),
        _c("buddhist", "Buddhist", phrase="Buddhist", group="Buddhists"),
        _c("hindu", "Hindu", phrase="Hindu", group="Hindus"),
        _c("jewish", "Jewish", phrase="Jewish", group="Jewish people"),
        _c("muslim", "Muslim", phrase="Muslim", group="Muslims"),
        _c("sikh", "Sikh", phrase="Sikh", group="Sikhs"),
        _c("other", "Another religion or belief", group="people of another religion or belief"),
    ),
    _equality(
        "disability",
        "disability",
        "Disability",
        "answer on disability",
        "a condition lasting 12 months or more, and whether it limits day-to-day activities",
        _c("yes-a-lot", "Yes, limited a lot", group="disabled people whose activities are limited a lot"),
        _c(
            "yes-a-little",
            "Yes, limited a little",
            group="disabled people whose activities are limited a little",
        ),
        _c("no", "No", group="people without a limiting long-term condition"),
    ),
    _equality(
        "marriage_civil_partnership",
        "marriage",
        "Marriage or civil partnership",
        "marital status",
        "",
        _c(
            "married-or-civil-partnership",
            "Married or in a civil partnership",
            group="people who are married or in a civil partnership",
        ),
        _c("neither", "Neither", group="people neither married nor in a civil partnership"),
    ),
    _equality(
        "pregnancy_maternity",
        "pregnancy",
        "Pregnancy or maternity",
        "answer on pregnancy or maternity",
        "",
        _c("yes", "Yes", group="people who are pregnant or have recently given birth"),
        _c("no", "No", group="people who are not pregnant and have not recently given birth"),
    ),
    _equality(
        "unpaid_care_hours",
        "care",
        "Unpaid care (hours a week)",
        "hours of unpaid care",
        "Census 2021 bands",
        _c("no", "No", group="people who give no unpaid care"),
        _c(
            "1-19",
            "Yes, 1 to 19 hours a week",
            designer="1 to 19 hours a week",
            group="unpaid carers (1 to 19 hours a week)",
        ),
        _c(
            "20-34",
            "Yes, 20 to 34 hours a week",
            designer="20 to 34 hours a week",
            group="unpaid carers (20 to 34 hours a week)",
        ),
        _c(
            "35-49",
            "Yes, 35 to 49 hours a week",
            designer="35 to 49 hours a week",
            group="unpaid carers (35 to 49 hours a week)",
        ),
        _c(
            "50-plus",
            "Yes, 50 or more hours a week",
            designer="50 or more hours a week",
            group="unpaid carers (50 or more hours a week)",
        ),
    ),
    _equality(
        "socio_economic_background",
        "background",
        "Socio-economic background",
        "socio-economic background",
        "occupation of the main household earner when you were about 14",
        _c(
            "professional",
            "Professional or managerial occupation",
            designer="Professional or managerial",
            group="people from professional or managerial backgrounds",
        ),
        _c(
            "intermediate",
            "Intermediate occupation (for example clerical, sales, self-employed)",
            designer="Intermediate",
            group="people from intermediate backgrounds",
        ),
        _c(
            "working-class",
            "Routine or manual occupation, or long-term unemployed",
            designer="Routine or manual",
            group="people from routine or manual backgrounds",
        ),
        _c("other", "Other, or I do not know", designer="Other or not known"),
        _c(
            "not-applicable",
            "Does not apply (for example I was not living in the UK)",
            designer="Does not apply",
        ),
    ),
)

FIELDS: dict[str, Answer] = {answer.key: answer for answer in ANSWERS}
"""Every answer by its profile key, in the order the profile declares them."""

_SPECIAL_GROUP_VALUES: dict[str, tuple[str, str]] = {
    # Grouping values every grouping can have, though no one stores them as an answer.
    NOT_ANSWERED: ("Not answered", "people who did not answer"),
}


def answer(key: str) -> Answer:
    """The declaration of one profile answer."""
    try:
        return FIELDS[key]
    except KeyError:
        raise UnknownAnswer(f"no profile answer {key!r} is declared in assessments.vocabulary") from None


def keys(section: Section | None = None) -> tuple[str, ...]:
    """Profile keys, all or one section's, in declaration order."""
    return tuple(a.key for a in ANSWERS if section is None or a.section == section)


def choices(key: str) -> tuple[str, ...]:
    """The declared values of a choice answer, in their order."""
    found = answer(key)
    if found.kind not in ("choice", "choices"):
        raise UnknownAnswer(f"{key} is a {found.kind} answer, not a choice")
    return found.values


def literal(key: str) -> Any:
    """``Literal[...]`` of a choice answer's values, for pydantic models (a type checker sees ``str``)."""
    return Literal[choices(key)]


def _choice(key: str, value: str) -> Choice:
    return answer(key).choice(value)


def label(key: str, value: str) -> str:
    """What a participant reads for this answer: ``label("contract", "part-time")`` -> "Part time"."""
    return _choice(key, value).label


def phrase(key: str, value: str) -> str:
    """The answer in a sentence: ``phrase("highest_qualification", "level-6")`` -> "a degree (level 6)"."""
    chosen = _choice(key, value)
    return chosen.phrase if chosen.phrase is not None else _lower_first(chosen.label)


# --------------------------------------------------------------------------- designer groupings


@dataclass(frozen=True)
class Grouping:
    """A way designers may divide the cohort: one per groupable answer (key = its cohort column)."""

    key: str
    label: str
    noun: str
    equality: bool
    answer: str
    """The profile key it comes from."""
    choices: tuple[Choice, ...] = field(default=())

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    def choice(self, value: str) -> Choice:
        for item in self.choices:
            if item.value == value:
                return item
        declared = ", ".join(repr(v) for v in self.values)
        raise UnknownAnswer(f"{value!r} is not a declared group of {self.key} (declared: {declared})")


def _grouping(declared: Answer) -> Grouping:
    if declared.derived_grouping is not None:
        derived = declared.derived_grouping
        return Grouping(
            derived.key, derived.label, derived.noun, declared.equality, declared.key, derived.choices
        )
    return Grouping(
        declared.grouping_key,
        declared.title,
        declared.noun,
        declared.equality,
        declared.key,
        declared.choices,
    )


GROUPINGS: dict[str, Grouping] = {
    grouping.key: grouping for grouping in (_grouping(a) for a in ANSWERS if a.groupable)
}
"""Every grouping designers may choose, by key, circumstances first and then equality answers."""


def grouping(key: str) -> Grouping:
    try:
        return GROUPINGS[key]
    except KeyError:
        raise UnknownAnswer(f"no designer grouping {key!r} is declared in assessments.vocabulary") from None


def _grouping_or_answer_choice(key: str, value: str) -> Choice:
    """A choice looked up by grouping key (``caring``, ``learning_route``) or by profile key."""
    if key in GROUPINGS:
        return GROUPINGS[key].choice(value)
    return _choice(key, value)


def designer_label(key: str, value: str) -> str:
    """Short text for a group in designer tables: ``designer_label("learning_route", "mixed")``.

    ``key`` is a grouping key or a profile key; "not-answered" is a group of every grouping.
    """
    if value in _SPECIAL_GROUP_VALUES:
        return _SPECIAL_GROUP_VALUES[value][0]
    chosen = _grouping_or_answer_choice(key, value)
    return chosen.designer if chosen.designer is not None else chosen.label


def group_phrase(key: str, value: str) -> str:
    """A plural phrase for a group of people: ("contract", "part-time") -> "part-time staff"."""
    if value in _SPECIAL_GROUP_VALUES:
        return _SPECIAL_GROUP_VALUES[value][1]
    chosen = _grouping_or_answer_choice(key, value)
    if chosen.group is not None:
        return chosen.group
    noun = GROUPINGS[key].noun if key in GROUPINGS else answer(key).noun
    return f"people whose {noun} is “{_lower_first(designer_label(key, value))}”"


# --------------------------------------------------------------------------- ordered answers

QUALIFICATION_LEVELS: dict[str, int] = {
    choice.value: choice.rank for choice in FIELDS["highest_qualification"].choices if choice.rank is not None
}
"""Each qualification value's level on the RQF scale (0 = no formal qualification)."""
INFORMAL_ROUTES: tuple[str, ...] = tuple(c.value for c in FIELDS["learning_routes"].choices if c.informal)


def order(key: str) -> tuple[str, ...]:
    """An ordered answer's values, lowest first (qualification level, role level)."""
    declared = answer(key)
    ranked = [choice for choice in declared.choices if choice.rank is not None]
    if len(ranked) != len(declared.choices) or not ranked:
        raise UnknownAnswer(f"{key} is not an ordered answer")
    return tuple(choice.value for choice in sorted(ranked, key=lambda choice: choice.rank or 0))


# --------------------------------------------------------------------------- cohort rows


def stored_answers() -> tuple[Answer, ...]:
    """The answers a cohort row keeps, in declaration order."""
    return tuple(a for a in ANSWERS if a.storage is not None)


@cache
def cohort_columns() -> dict[str, Encoding]:
    """Every profile column of a cohort row with its encoding (``flags`` columns are booleans)."""
    columns: dict[str, Encoding] = {}
    for declared in stored_answers():
        assert declared.storage is not None
        columns[declared.storage.column] = declared.storage.encoding
        if declared.storage.encoding == "flags":
            for value in declared.values:
                columns[declared.storage.flag_column(value)] = "flags"
    return columns


def answer_columns(key: str) -> tuple[str, ...]:
    """The cohort columns one answer is stored in."""
    declared = answer(key)
    if declared.storage is None:
        return ()
    if declared.storage.encoding == "flags":
        return (declared.storage.column, *(declared.storage.flag_column(v) for v in declared.values))
    return (declared.storage.column,)


def _checked(declared: Answer, value: Any) -> Any:
    """A stored answer, refused with a clear error when the declaration does not allow it."""
    kind = declared.kind
    if kind == "choice":
        if not isinstance(value, str):
            raise UnknownAnswer(f"{declared.key}: stored value {value!r} is not one of its choices")
        declared.choice(value)
    elif kind == "choices":
        if not isinstance(value, list | tuple):
            raise UnknownAnswer(f"{declared.key}: stored value {value!r} is not a list of choices")
        for item in value:
            declared.choice(str(item))
    elif kind == "yes-no":
        if not isinstance(value, bool):
            raise UnknownAnswer(f"{declared.key}: stored value {value!r} is not true or false")
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UnknownAnswer(f"{declared.key}: stored value {value!r} is not a number")
    elif kind == "text-list":
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            raise UnknownAnswer(f"{declared.key}: stored value {value!r} is not a list of texts")
    elif not isinstance(value, str):
        raise UnknownAnswer(f"{declared.key}: stored value {value!r} is not text")
    return value


def cohort_row(answers: Mapping[str, Any], equality: Mapping[str, Any]) -> dict[str, Any]:
    """A cohort row's profile columns from stored answers (``Profile.answers()`` split in two).

    Every key must be declared, every value allowed by its declaration: anything else raises
    ``UnknownAnswer`` rather than being dropped or turned into a default.
    """
    for source, equality_side in ((answers, False), (equality, True)):
        for key, value in source.items():
            declared = answer(key)
            if declared.equality != equality_side:
                side = "equality answers" if equality_side else "answers"
                raise UnknownAnswer(f"{key} is stored among the {side}, where it does not belong")
            if value is not None:
                _checked(declared, value)
    given = {**answers, **equality}
    row: dict[str, Any] = {}
    for declared in stored_answers():
        assert declared.storage is not None
        value = given.get(declared.key)
        column = declared.storage.column
        encoding = declared.storage.encoding
        if encoding == "text":
            row[column] = value
        elif encoding == "yes-no":
            row[column] = None if value is None else ("yes" if value else "no")
        elif encoding == "number":
            row[column] = None if value is None else float(value)
        elif encoding == "json-list":
            row[column] = None if value is None else json.dumps(sorted(str(item) for item in value))
        elif encoding == "place":
            row[column] = None if value is None else geo.stored_place(value)
        else:
            chosen = set(value or ())
            row[column] = value is not None
            for option in declared.values:
                row[declared.storage.flag_column(option)] = option in chosen
    return row


def answers_from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Profile answers (JSON values) from a cohort row's columns: the inverse of ``cohort_row``.

    Only the columns present are read, so a partial row (the what-if's rule inputs) gives a
    partial profile. A value the declaration does not know raises ``UnknownAnswer``.
    """
    data: dict[str, Any] = {}
    for declared in stored_answers():
        assert declared.storage is not None
        column = declared.storage.column
        if column not in row or row[column] is None:
            continue
        value = row[column]
        encoding = declared.storage.encoding
        if encoding == "text":
            data[declared.key] = _checked(declared, value)
        elif encoding == "yes-no":
            if value not in ("yes", "no"):
                raise UnknownAnswer(f"{column}: stored value {value!r} is not 'yes' or 'no'")
            data[declared.key] = value == "yes"
        elif encoding == "number":
            data[declared.key] = _checked(declared, value)
        elif encoding == "json-list":
            try:
                items = json.loads(value)
            except (TypeError, ValueError):
                raise UnknownAnswer(f"{column}: stored value {value!r} is not a JSON list") from None
            data[declared.key] = _checked(declared, items)
        elif encoding == "place":
            if not isinstance(value, str) or not geo.known_place_key(value):
                raise UnknownAnswer(f"{column}: stored value {value!r} is not a place we know")
            data[declared.key] = value
        elif value:
            data[declared.key] = [
                option for option in declared.values if row.get(declared.storage.flag_column(option))
            ]
    return data


# --------------------------------------------------------------------------- documentation


def _values_cell(declared: Answer) -> str:
    if declared.kind == "choice":
        return ", ".join(f"`{value}`" for value in declared.values)
    if declared.kind == "choices":
        return "list of " + ", ".join(f"`{value}`" for value in declared.values)
    if declared.kind == "yes-no":
        return "`true` / `false`"
    if declared.kind == "number":
        return f"number ({declared.unit}), {declared.low:g} to {declared.high:g}"
    if declared.kind == "text-list":
        return f"list of up to {declared.max_items} texts, each up to {declared.max_length} characters"
    return f"text, up to {declared.max_length} characters"


def markdown_tables() -> str:
    """The answer tables of ``docs/profile-format.md`` (a test keeps the page equal to this)."""
    parts: list[str] = []
    for section, title in SECTION_TITLES.items():
        parts += [f"### {title}", "", "| key | values | meaning |", "|---|---|---|"]
        for declared in ANSWERS:
            if declared.section == section:
                parts.append(f"| `{declared.key}` | {_values_cell(declared)} | {declared.meaning} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def markdown_groupings() -> str:
    """The grouping list of ``docs/designer-guide.md`` (a test keeps the page equal to this)."""
    lines = ["| key | grouping | groups |", "|---|---|---|"]
    for key, found in GROUPINGS.items():
        groups = "; ".join(designer_label(key, value) for value in (*found.values, NOT_ANSWERED))
        kind = " (equality information)" if found.equality else ""
        lines.append(f"| `{key}` | {found.label}{kind} | {groups} |")
    return "\n".join(lines) + "\n"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


if __name__ == "__main__":  # pragma: no cover - prints the tables for docs/profile-format.md
    import sys

    sys.stdout.write(markdown_tables())
