"""View models: stored answers and results turned into what the templates show.

Kept out of the templates so that Jinja stays presentation only (STYLE.md §9), and out of
the services because nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.journey.choices import label
from app.journey.fields import ListAnswer, ManyAnswer, NumberAnswer, YesNoAnswer
from app.journey.profile_forms import ALL_EQUALITY, PAGES, ProfilePage
from assessments.framework import Framework
from assessments.relevance import RELEVANCE
from assessments.results import BAND_LABELS, ELIGIBILITY_LABELS, Eligibility, eligibility_of, whole_score

ROLE_NAMES = {
    "cio": "chief information officers",
    "ccio": "chief clinical information officers",
    "cnio": "chief nursing information officers",
    "cdo": "chief digital officers",
    "cmio": "chief medical information officers",
    "caio": "chief AI officers",
    "deputy": "deputies",
    "aspiring": "aspiring digital leaders",
    "any": "anyone working in digital health and care",
}


def role_names(roles: tuple[str, ...]) -> str:
    names = [ROLE_NAMES.get(role, role) for role in roles]
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return text[:1].upper() + text[1:]


SEVERITY_LABELS = {
    "high": "High risk",
    "medium": "Medium risk",
    "low": "Low risk",
    "undetermined": "We could not check this",
}
SEVERITY_TAGS = {"high": "red", "medium": "orange", "low": "yellow", "undetermined": "grey"}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def answer_text(form_field: Any, name: str, value: Any) -> str | list[str] | None:
    """A stored answer as a person reads it."""
    if value is None or value == [] or value == "":
        return None
    if isinstance(form_field, YesNoAnswer) or isinstance(value, bool):
        return label(name, "yes" if value else "no")
    if isinstance(form_field, NumberAnswer):
        return _number(value)
    if isinstance(form_field, ManyAnswer):
        return [label(name, item) for item in value]
    if isinstance(form_field, ListAnswer):
        return ", ".join(value)
    if getattr(form_field, "choices", None):
        return label(name, str(value))
    return str(value)


@dataclass
class SummarySection:
    page: ProfilePage
    rows: list[dict[str, Any]] = field(default_factory=list)


def profile_summary(
    answers: dict[str, Any],
    equality: dict[str, Any],
    consent: bool,
    change_url: Callable[[str, str], str],
) -> list[SummarySection]:
    """One section per "About you" page, each row with a link back to its question."""
    sections = []
    for page in PAGES:
        if page.form_class is None:
            continue
        section = SummarySection(page)
        if page.store == "consent":
            section.rows.append(
                {
                    "key": "Include my answers in anonymous programme-level analysis",
                    "value": "Yes" if consent else "No",
                    "href": change_url(page.slug, "consent"),
                    "hidden": "whether your answers are included in anonymous analysis",
                }
            )
            sections.append(section)
            continue
        stored = equality if page.store == "equality" else answers
        form = page.form_class(formdata=None, meta={"csrf": False})
        for form_field in form:
            section.rows.append(
                {
                    "key": form_field.label.text,
                    "value": answer_text(form_field, form_field.name, stored.get(form_field.name)),
                    "href": change_url(page.slug, form_field.id),
                    "hidden": form_field.label.text[:1].lower() + form_field.label.text[1:],
                }
            )
        sections.append(section)
    return sections


@dataclass(frozen=True)
class ProfileStep:
    """Where a page sits in "About you": "Step 3 of 8", the equality topics together as one step."""

    number: int
    total: int
    optional: bool

    @property
    def text(self) -> str:
        return f"Step {self.number} of {self.total}" + (", optional" if self.optional else "")


def _step_key(page: ProfilePage) -> str:
    return "equality" if page.store in ("equality", "explainer") else page.slug


_STEP_KEYS: tuple[str, ...] = tuple(dict.fromkeys(_step_key(page) for page in PAGES))


def profile_step(page: ProfilePage) -> ProfileStep:
    """The step a page belongs to; the explainer and every equality topic page are one optional step."""
    key = "equality" if page is ALL_EQUALITY else _step_key(page)
    return ProfileStep(_STEP_KEYS.index(key) + 1, len(_STEP_KEYS), optional=key == "equality")


def rating_text(framework: Framework, row: Any) -> str:
    if row is None:
        return "Not answered"
    if row.no_opportunity:
        return "I have not had the opportunity to show this"
    return f"{row.level}: {framework.level_label(row.level)}"


RELEVANCE_SUMMARY = "Importance to your job"


def relevance_text(row: Any) -> str:
    """The stored job-relevance answer in words (Lawshe's labels), or "Not answered"."""
    value = None if row is None else row.relevance
    if value is None:
        return "Not answered"
    if value not in RELEVANCE:
        raise ValueError(f"rating {row.criterion_id!r} holds an unknown relevance answer {value!r}")
    return RELEVANCE[value]


# --- Results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainBar:
    id: str
    title: str
    score: float
    mean_level: float
    mean_required: float
    change: float | None
    """Points since the previous submission for this programme; ``None`` when there is none."""

    @property
    def shown_score(self) -> int:
        return whole_score(self.score)

    @property
    def change_text(self) -> str:
        if self.change is None:
            return "No earlier result"
        if self.change == 0:
            return "No change"
        points = abs(int(self.change))
        return f"{'Up' if self.change > 0 else 'Down'} {points} point{'s' if points != 1 else ''}"


def domain_bars(result: dict[str, Any], previous: dict[str, Any] | None) -> list[DomainBar]:
    """One bar per domain; the change is between the whole numbers the person sees, so it adds up."""
    before = {d["id"]: d["score"] for d in (previous or {}).get("readiness", {}).get("domains", [])}
    bars = []
    for domain in result["readiness"]["domains"]:
        change = None
        if previous is not None and domain["id"] in before:
            change = float(whole_score(domain["score"]) - whole_score(before[domain["id"]]))
        bars.append(
            DomainBar(
                id=domain["id"],
                title=domain["title"],
                score=domain["score"],
                mean_level=domain["mean_level"],
                mean_required=domain["mean_required"],
                change=change,
            )
        )
    return bars


def opportunity_message(result: dict[str, Any]) -> str | None:
    """ "4 of your 9 gaps are about opportunity, not ability", or ``None`` when none are."""
    gaps = [criterion for criterion in result["criteria"] if criterion["gap"] > 0]
    about_opportunity = [criterion for criterion in gaps if criterion["no_opportunity"]]
    if not about_opportunity:
        return None
    n, total = len(about_opportunity), len(gaps)
    if n == total:
        return (
            f"All {total} of your gaps are about opportunity, not ability"
            if total > 1
            else ("Your one gap is about opportunity, not ability")
        )
    verb = "is" if n == 1 else "are"
    return f"{n} of your {total} gaps {verb} about opportunity, not ability"


def percent(value: float | None) -> str:
    return "Not measured" if value is None else f"{round(value * 100):d}%"


def criterion_actions(framework: Framework) -> dict[str, tuple[str, ...]]:
    return {criterion.id: criterion.actions for _, criterion in framework.criteria()}


# --- Comparison across programmes ---------------------------------------------------------------


def short_date(moment: datetime, today: datetime) -> str:
    """ "12 March", with the year only when it is not this year."""
    return moment.strftime("%-d %B" if moment.year == today.year else "%-d %B %Y")


@dataclass(frozen=True)
class TakenProgramme:
    """The person's own latest assessment of a programme, for the comparison table."""

    assessment_id: int
    status: str
    """ "submitted" or "in-progress"."""
    score: float | None = None
    band: str | None = None
    submitted_at: datetime | None = None


@dataclass(frozen=True)
class ComparisonRow:
    framework_id: str
    name: str
    provider: str
    score: int
    score_note: str
    """ "Your score, 12 March", "This result" or "Estimate"."""
    band: str
    eligibility: str
    fit: str
    flags: int
    high_flags: int
    link_text: str | None
    link_url: str | None


def comparison_rows(
    result: Mapping[str, Any],
    own_framework_id: str,
    taken: Mapping[str, TakenProgramme],
    urls: Mapping[str, Callable[..., str]],
    today: datetime,
) -> list[ComparisonRow]:
    """The stored estimates, in their stored order, with real scores where the person has them.

    ``taken`` maps a programme id to the person's latest submitted assessment of it (else their
    open one). ``urls`` has ``results(assessment_id)``, ``resume(assessment_id)`` and
    ``start(framework_id)``.
    """
    rows = []
    for estimate in result["estimates"]:
        framework_id = estimate["framework_id"]
        mine = taken.get(framework_id)
        score, band, note = estimate["readiness"], estimate["band"], "Estimate"
        link_text: str | None = None
        link_url: str | None = None
        if framework_id == own_framework_id and not estimate.get("is_estimate", True):
            note = "This result"
        elif mine is not None and mine.status == "submitted" and mine.score is not None:
            score, band = mine.score, mine.band or band
            note = "Your score"
            if mine.submitted_at:
                note += f", {short_date(mine.submitted_at, today)}"
            link_text, link_url = "View your results", urls["results"](mine.assessment_id)
        elif mine is not None:
            link_text, link_url = "Continue your assessment", urls["resume"](mine.assessment_id)
        else:
            link_text, link_url = "Start this assessment", urls["start"](framework_id)
        stored = estimate.get("eligibility")
        rows.append(
            ComparisonRow(
                framework_id=framework_id,
                name=estimate["framework_name"],
                provider=estimate["provider"],
                score=whole_score(score),
                score_note=note,
                band=BAND_LABELS[band],
                eligibility=(
                    ELIGIBILITY_LABELS[Eligibility.from_json(stored).status]
                    if stored is not None
                    else "Not recorded in this result"
                ),
                fit="Not measured" if estimate.get("fit") is None else f"{round(estimate['fit']):d}%",
                flags=int(estimate["flags"]),
                high_flags=int(estimate["high_flags"]),
                link_text=link_text,
                link_url=link_url,
            )
        )
    return rows


def taken_programmes(assessments: Sequence[Any]) -> dict[str, TakenProgramme]:
    """Per programme, the person's latest submitted assessment, else their latest open one.

    ``assessments`` come newest first (``services.assessments_of``).
    """
    taken: dict[str, TakenProgramme] = {}
    for assessment in assessments:
        known = taken.get(assessment.framework_id)
        if known is not None and (known.status == "submitted" or assessment.status != "submitted"):
            continue
        if assessment.status == "submitted":
            taken[assessment.framework_id] = TakenProgramme(
                assessment.id, "submitted", assessment.score, assessment.band, assessment.submitted_at
            )
        else:
            taken[assessment.framework_id] = TakenProgramme(assessment.id, "in-progress")
    return taken


_LIST_ELIGIBILITY = {"not-eligible": "not currently eligible", "undetermined": "eligibility not settled"}


def band_and_eligibility(result: Mapping[str, Any]) -> str:
    """ "Ready" or "Ready, not currently eligible": a band never stands alone beside an ineligibility."""
    band = str(result["readiness"]["band_label"])
    status = eligibility_of(result).status
    return band if status == "eligible" else f"{band}, {_LIST_ELIGIBILITY[status]}"
