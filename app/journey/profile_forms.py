"""The "About you" pages: one topic a page, in the order the journey asks them.

Field names are the keys of ``assessments.profile.Profile``; choices, their labels, number
bounds and length limits come from ``assessments.vocabulary``. Each page says why it asks. The
equality questions follow the GOV.UK "Equality information" pattern: an explainer first, then one topic a page
(a related pair at most), every question optional with "Prefer not to say", each hint saying
why it is asked and that the answer never affects a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from wtforms import RadioField

from app.forms_base import BaseForm, Chosen, OneOf, SelectChoice, no_pre_validate
from app.journey.fields import AnswerField, choice, many, number, text, text_list, yes_no

NEVER_AFFECTS = "Your answer never affects your readiness score, your programme fit or the risks we flag."


def _why(reason: str, extra: str = "") -> str:
    """Hint text for an equality question: why it is asked, then that it never affects a result."""
    return " ".join(part for part in (reason, NEVER_AFFECTS, extra) if part)


class ProfileForm(BaseForm):
    def answers(self) -> dict[str, Any]:
        """The page's answers as stored JSON values (``None`` for "not answered")."""
        return {
            name: field.to_answer() for name, field in self._fields.items() if isinstance(field, AnswerField)
        }


class WorkingPatternForm(ProfileForm):
    contract = choice(
        "What is your working pattern?",
        "contract",
        "your working pattern",
        description="Some programmes assume full-time hours or fixed weekdays. We use this to flag that.",
    )
    hours_per_week = number(
        "How many hours a week do you work?",
        "hours_per_week",
        "hours a week",
        "37.5",
        description=(
            "Your contracted hours. We use them to pro-rate experience requirements for part-time staff."
        ),
    )


class TimeAndStudyForm(ProfileForm):
    study_hours_per_week_available = number(
        "How many hours a week could you give to study?",
        "study_hours_per_week_available",
        "study hours a week",
        "4",
        description=(
            "Include protected time and your own time. We compare "
            "it with each programme's expected study load."
        ),
    )
    study_leave_days_per_year = number(
        "How many days of study leave a year can you get?",
        "study_leave_days_per_year",
        "study leave days a year",
        "5",
        description="Leave 0 if you get none. Programmes with in-person days need some.",
    )
    on_call = yes_no(
        "Do you work on call?",
        "on_call",
        "whether you work on call",
        description="On-call rotas can clash with fixed teaching days.",
    )
    caring_responsibilities = yes_no(
        "Do you have caring responsibilities outside work?",
        "caring_responsibilities",
        "whether you have caring responsibilities",
        description=(
            "For example children or a relative. Residential and "
            "evening sessions can be hard to fit around them."
        ),
    )


class AttendanceForm(ProfileForm):
    can_attend_in_person = choice(
        "Could you attend in-person sessions?",
        "can_attend_in_person",
        "whether you could attend in person",
        description="Some programmes have compulsory in-person or residential parts.",
    )
    max_travel_hours = number(
        "What is the longest you could travel to a session, one way, in hours?",
        "max_travel_hours",
        "travel time",
        "2",
        description="We compare this with where each programme is taught.",
    )
    location = text(
        "Where are you based?",
        "location",
        "where you are based",
        description="A town, city or region is enough, for example ‘Leeds’ or ‘North Wales’.",
    )


class ContextForm(ProfileForm):
    nation = choice(
        "Which nation do you work in?",
        "nation",
        "the nation you work in",
        description="Some programmes are open only to staff in one nation.",
    )
    sector = choice(
        "Which sector do you work in?",
        "sector",
        "the sector you work in",
        description=(
            "Some programmes are open only to some sectors, for example NHS trusts but not social care."
        ),
    )
    employer_support = choice(
        "Would your employer support you to take a programme?",
        "employer_support",
        "whether your employer would support you",
        description="Some programmes need a sponsor or a statement of support from your organisation.",
    )
    digital_time_percent = number(
        "Roughly what share of your working time is spent on digital work, as a percentage?",
        "digital_time_percent",
        "the share of your time on digital work",
        "40",
        description="Some programmes ask for a digital role. A rough figure is fine.",
    )


class BackgroundForm(ProfileForm):
    staff_group = choice(
        "Are you clinical or non-clinical staff?",
        "staff_group",
        "whether you are clinical or non-clinical staff",
        required=True,
        description="This is the one question you must answer: some programmes are only for one group.",
    )
    profession = text(
        "What is your profession?",
        "profession",
        "your profession",
        description="For example ‘nurse’, ‘pharmacist’, ‘software developer’ or ‘informatician’.",
    )
    professional_registration = yes_no(
        "Are you registered with a professional regulator?",
        "professional_registration",
        "whether you are professionally registered",
        description=(
            "For example the NMC, GMC, HCPC or the Federation for "
            "Informatics Professionals. Some programmes require it."
        ),
    )
    role_level = choice(
        "What level is your current role?",
        "role_level",
        "the level of your role",
        description="Some programmes ask for a minimum level of seniority.",
    )
    years_in_digital = number(
        "How many years have you worked in digital, data or informatics?",
        "years_in_digital",
        "years in digital",
        "3",
        description="Count part-time years as whole years: we pro-rate where a programme allows it.",
    )
    years_in_leadership = number(
        "How many years have you been in a leadership role?",
        "years_in_leadership",
        "years in leadership",
        "2",
        description="Any role where you led people, a team or a service counts.",
    )
    highest_qualification = choice(
        "What is your highest qualification?",
        "highest_qualification",
        "your highest qualification",
        description=(
            "Choose its level, however you got it: an apprenticeship counts at its level, so a degree "
            "apprenticeship counts as a degree. Some programmes ask for a degree. We tell you where "
            "there is another route in."
        ),
    )
    learning_routes = many(
        "How have you learned your digital skills?",
        "learning_routes",
        "how you learned your digital skills",
        description=(
            "Select all that apply. Informal learning counts: "
            "programmes that recognise prior learning value it."
        ),
    )
    employer_funding = choice(
        "Would your employer pay for a programme?",
        "employer_funding",
        "whether your employer would pay",
        description="We flag programmes whose fees you might have to pay yourself.",
    )
    memberships = text_list(
        "Which professional bodies are you a member of?",
        "memberships",
        "memberships",
        description="Separate them with commas, for example ‘BCS, FEDIP’. Some programmes need a membership.",
    )


class AdjustmentsForm(ProfileForm):
    needs_adjustments = yes_no(
        "Would you need reasonable adjustments to take part in a programme?",
        "needs_adjustments",
        "whether you would need reasonable adjustments",
        description=(
            "This is optional. We use your answer for one thing only: to flag programmes that do not "
            "say they offer reasonable adjustments. We do not ask what the adjustments are."
        ),
    )


# --- Equality questions: one topic a page -----------------------------------------------------
# The two tables below are the only place the equality pages are written down. Every question has
# the same shape: optional radios whose options, "Prefer not to say" last, come from its domain
# type (``choices.py``), with a hint that says why we ask and that the answer never affects a
# result. Each question is used twice: on its topic's page, and on ``EqualityForm``, which takes
# every equality answer in one post (the older single-page address, kept for links and scripts).

# Topic key (it names the form: "age" -> EqualityAgeForm) -> (page address, page title), in the
# order the journey asks them.
EQUALITY_TOPICS: dict[str, tuple[str, str]] = {
    "age": ("equality-age", "Age"),
    "sex": ("equality-sex", "Sex and gender identity"),
    "orientation": ("equality-sexual-orientation", "Sexual orientation"),
    "ethnicity": ("equality-ethnic-group", "Ethnic group"),
    "religion": ("equality-religion", "Religion or belief"),
    "disability": ("equality-disability", "Disability"),
    "marriage": ("equality-marriage", "Marriage or civil partnership"),
    "pregnancy": ("equality-pregnancy", "Pregnancy and maternity"),
    "care": ("equality-unpaid-care", "Unpaid care"),
    "background": ("equality-background", "Socio-economic background"),
}


@dataclass(frozen=True)
class EqualityQuestion:
    topic: str  # a key of ``EQUALITY_TOPICS``: the page it is asked on
    name: str  # the ``Profile`` key, also the field's name and id; its choices are ``choices_for(name)``
    label: str
    what: str  # completes the error message "Select ... from the list"
    reason: str  # why we ask; the hint goes on to say the answer never affects a result
    extra: str = ""  # said after that

    def __post_init__(self) -> None:
        if self.topic not in EQUALITY_TOPICS:
            raise ValueError(f"{self.name}: no equality topic {self.topic!r} (see EQUALITY_TOPICS)")

    def field(self) -> Any:
        return choice(self.label, self.name, self.what, description=_why(self.reason, self.extra))


EQUALITY_QUESTIONS: tuple[EqualityQuestion, ...] = (
    EqualityQuestion(
        "age",
        "age_band",
        "What is your age?",
        "your age group",
        "We ask this to check that programmes reach people of every age, for example that "
        "years-of-experience requirements do not hold younger or older people back.",
    ),
    EqualityQuestion(
        "sex",
        "sex",
        "What is your sex?",
        "your sex",
        "We ask this to check that women and men are not held back by a programme at different rates.",
    ),
    EqualityQuestion(
        "sex",
        "gender_same_as_birth",
        "Is the gender you identify with the same as your sex registered at birth?",
        "whether your gender is the same as your sex registered at birth",
        "We ask this to check that trans people are not held back by a programme's requirements.",
    ),
    EqualityQuestion(
        "orientation",
        "sexual_orientation",
        "Which of the following best describes your sexual orientation?",
        "your sexual orientation",
        "We ask this to check that lesbian, gay and bisexual people are not held back by a programme.",
    ),
    EqualityQuestion(
        "ethnicity",
        "ethnic_group",
        "What is your ethnic group?",
        "your ethnic group",
        "We ask this to check whether entry requirements, such as qualifications or an employer's "
        "sponsorship, hold people from some ethnic groups back more than others.",
    ),
    EqualityQuestion(
        "religion",
        "religion",
        "What is your religion or belief?",
        "your religion or belief",
        "We ask this to check whether fixed teaching days or residential sessions make "
        "programmes harder for people of some religions or beliefs.",
    ),
    EqualityQuestion(
        "disability",
        "disability",
        "Do you have a physical or mental health condition or illness lasting, or expected to last, "
        "12 months or more that reduces your ability to carry out day-to-day activities?",
        "whether you have a long-term condition",
        "We ask this to check whether in-person sessions, travel or fixed hours make programmes "
        "harder for disabled people. Whether you would need adjustments is a separate question.",
    ),
    EqualityQuestion(
        "marriage",
        "marriage_civil_partnership",
        "Are you married or in a civil partnership?",
        "whether you are married or in a civil partnership",
        "Marriage and civil partnership is protected by the Equality Act 2010. We ask this to "
        "check that programmes treat people the same whatever their answer.",
    ),
    EqualityQuestion(
        "pregnancy",
        "pregnancy_maternity",
        "Are you pregnant, or have you given birth in the last 26 weeks?",
        "whether you are pregnant or have recently given birth",
        "We ask this to check whether timetables and attendance rules make programmes harder "
        "for people who are pregnant or on maternity leave.",
    ),
    EqualityQuestion(
        "care",
        "unpaid_care_hours",
        "Do you look after, or give any help or support to, anyone because of long-term physical or "
        "mental health conditions, illness or problems related to old age?",
        "whether you give unpaid care",
        "We ask this to check whether evening or residential sessions make programmes harder for "
        "unpaid carers.",
        "Do not count anything you do as part of your paid job.",
    ),
    EqualityQuestion(
        "background",
        "socio_economic_background",
        "What was the occupation of the main household earner when you were about 14?",
        "the occupation of your main household earner",
        "We ask this to check whether entry requirements, such as a degree, hold back people "
        "from less advantaged backgrounds.",
        "This is how the Social Mobility Commission measures background.",
    ),
)


def _form_class(name: str, fields: dict[str, Any], doc: str) -> type[ProfileForm]:
    """WTForms reads its fields from the class, so the equality forms are classes built at import."""
    return type(
        name, (ProfileForm,), {"__module__": __name__, "__qualname__": name, "__doc__": doc, **fields}
    )


# Each field is made once, in table order, because its creation order is the order a page shows it.
_FIELDS: dict[str, Any] = {question.name: question.field() for question in EQUALITY_QUESTIONS}

EQUALITY_FORMS: dict[str, type[ProfileForm]] = {
    topic: _form_class(
        f"Equality{topic.capitalize()}Form",
        {q.name: _FIELDS[q.name] for q in EQUALITY_QUESTIONS if q.topic == topic},
        f"The {title} page of the equality questions.",
    )
    for topic, (_slug, title) in EQUALITY_TOPICS.items()
}

EqualityForm = _form_class(
    "EqualityForm",
    _FIELDS,
    "Every equality question in one post; only the questions a post includes are saved.",
)


_ConsentChoice = no_pre_validate(RadioField)


class ConsentForm(BaseForm):
    consent = _ConsentChoice(
        "Can we include your answers in anonymous programme-level analysis?",
        choices=[
            SelectChoice("yes", "Yes, include my answers"),
            SelectChoice("no", "No, do not include my answers"),
        ],
        default="no",
        validators=[Chosen("whether we can include your answers"), OneOf("yes or no")],
        description=(
            "Programme designers see only counts for groups large enough that nobody can be picked "
            "out (small groups are never shown), never names or individual answers. "
            "Your own results are the same whatever you choose, and you can "
            "change your mind at any time."
        ),
    )

    @property
    def consent_given(self) -> bool:
        return self.consent.data == "yes"


Store = Literal["answers", "equality", "consent", "explainer"]


@dataclass(frozen=True)
class ProfilePage:
    slug: str
    title: str
    form_class: type[BaseForm] | None
    store: Store
    intro: str = ""


PAGES: tuple[ProfilePage, ...] = (
    ProfilePage(
        "working-pattern",
        "Your working pattern",
        WorkingPatternForm,
        "answers",
        "Programmes are not always designed for part-time or "
        "shift workers. These answers let us flag where a "
        "programme might not fit your working pattern. You can leave any question blank.",
    ),
    ProfilePage(
        "time-and-study",
        "Your time for study",
        TimeAndStudyForm,
        "answers",
        "We compare your available time with what each programme expects, so you know before you apply.",
    ),
    ProfilePage(
        "attendance-and-travel",
        "Attendance and travel",
        AttendanceForm,
        "answers",
        "Some programmes have in-person or residential sessions. "
        "We use these answers to flag travel that might "
        "not work for you.",
    ),
    ProfilePage(
        "context",
        "Where you work",
        ContextForm,
        "answers",
        "Some programmes are open only to people in certain nations or sectors, or need employer support.",
    ),
    ProfilePage(
        "background",
        "Your background",
        BackgroundForm,
        "answers",
        "Entry requirements such as qualifications, experience "
        "and registration are where people are most often "
        "held back. Only the first question is required.",
    ),
    ProfilePage("adjustments", "Reasonable adjustments", AdjustmentsForm, "answers"),
    ProfilePage("equality-information", "Equality information", None, "explainer"),
    *(
        ProfilePage(slug, title, EQUALITY_FORMS[topic], "equality")
        for topic, (slug, title) in EQUALITY_TOPICS.items()
    ),
    ProfilePage("consent", "Anonymous programme-level analysis", ConsentForm, "consent"),
)

EQUALITY_PAGES: tuple[ProfilePage, ...] = tuple(page for page in PAGES if page.store == "equality")

# The address all equality questions once shared: a GET goes to the first topic page (so old links
# and a stored "profile:equality" step still work), a POST saves the questions it includes.
ALL_EQUALITY = ProfilePage("equality", "Equality information", EqualityForm, "equality")

# How the summary pages head the equality answers, which come from several pages.
EQUALITY_SUMMARY = ProfilePage("equality-information", "Equality information", None, "equality")

PAGES_BY_SLUG: dict[str, ProfilePage] = {page.slug: page for page in (*PAGES, ALL_EQUALITY)}


def page_after(slug: str) -> ProfilePage | None:
    """The page that follows in the journey (after all the equality pages for ``equality``)."""
    if slug == ALL_EQUALITY.slug:
        slug = EQUALITY_PAGES[-1].slug
    slugs = [page.slug for page in PAGES]
    position = slugs.index(slug)
    return PAGES[position + 1] if position + 1 < len(PAGES) else None


def page_before(slug: str) -> ProfilePage | None:
    """The page a "Back" link goes to (the explainer for ``equality``)."""
    if slug == ALL_EQUALITY.slug:
        slug = EQUALITY_PAGES[0].slug
    position = [page.slug for page in PAGES].index(slug)
    return PAGES[position - 1] if position else None


def equality_position(slug: str) -> tuple[int, int] | None:
    """``(3, 10)`` for the third of ten equality pages, so each says how far the person has to go."""
    slugs = [page.slug for page in EQUALITY_PAGES]
    return (slugs.index(slug) + 1, len(slugs)) if slug in slugs else None
