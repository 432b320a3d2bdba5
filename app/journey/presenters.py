"""View models: stored answers and results turned into what the templates show.

Kept out of the templates so that Jinja stays presentation only (STYLE.md §9), and out of
the services because nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.journey.choices import label
from app.journey.fields import ListAnswer, ManyAnswer, NumberAnswer, YesNoAnswer
from app.journey.profile_forms import PAGES, ProfilePage
from assessments.framework import Framework

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


def rating_text(framework: Framework, row: Any) -> str:
    if row is None:
        return "Not answered"
    if row.no_opportunity:
        return "I have not had the opportunity to show this"
    return f"{row.level}: {framework.level_label(row.level)}"


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
    def change_text(self) -> str:
        if self.change is None:
            return "No earlier result"
        if self.change == 0:
            return "No change"
        return f"{'Up' if self.change > 0 else 'Down'} {abs(self.change):g} points"


def domain_bars(result: dict[str, Any], previous: dict[str, Any] | None) -> list[DomainBar]:
    before = {d["id"]: d["score"] for d in (previous or {}).get("readiness", {}).get("domains", [])}
    bars = []
    for domain in result["readiness"]["domains"]:
        change = None
        if previous is not None and domain["id"] in before:
            change = round(domain["score"] - before[domain["id"]], 1)
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
