"""What the benchmarks type into "About you", and how they read a form's choices: declared once.

Choices (radios and checkboxes) are picked from the page itself. Every answer a person types
instead (a number or text: ``assessments.vocabulary`` kinds ``number``, ``text`` and
``text-list``) gets the value below, and the table is checked against the vocabulary when this
module is imported: a typed answer added to the vocabulary without a value here, a value out
of its bounds or too long, or a key the vocabulary does not know stops the benchmark at once
instead of quietly posting a different form.
"""

from __future__ import annotations

import html
import re

from assessments import vocabulary

TYPED = ("number", "text", "text-list")

TYPED_ANSWERS: dict[str, str] = {
    "hours_per_week": "37.5",
    "study_hours_per_week_available": "4",
    "study_leave_days_per_year": "5",
    "max_travel_hours": "2",
    "location": "Leeds",
    "digital_time_percent": "40",
    "profession": "Nurse",
    "years_in_digital": "3",
    "years_in_leadership": "2",
    "memberships": "BCS, FEDIP",
}
"""A full-time nurse in Leeds: one value per typed answer of the vocabulary."""

CHOICE = re.compile(r'<input[^>]*name="([^"]+)" type="(?:radio|checkbox)" value="([^"]*)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')


def _problems() -> list[str]:
    typed = {answer.key: answer for answer in vocabulary.ANSWERS if answer.kind in TYPED}
    problems = [f"no value for {key}" for key in sorted(set(typed) - set(TYPED_ANSWERS))]
    problems += [f"{key} is not a typed answer" for key in sorted(set(TYPED_ANSWERS) - set(typed))]
    for key, value in TYPED_ANSWERS.items():
        answer = typed.get(key)
        if answer is None:
            continue
        if answer.kind == "number":
            low, high = answer.low, answer.high  # both declared for a number (the vocabulary checks)
            if low is None or high is None or not low <= float(value) <= high:
                problems.append(f"{key}: {value} is outside {low}-{high}")
        else:
            parts = value.split(",") if answer.kind == "text-list" else [value]
            if any(len(part.strip()) > (answer.max_length or 0) for part in parts):
                problems.append(f"{key}: longer than {answer.max_length} characters")
    return problems


_found = _problems()
if _found:
    raise ValueError("benchmarks/_answers.py is out of step with the vocabulary: " + "; ".join(_found))


def choices(page: str) -> dict[str, list[str]]:
    """Every radio and checkbox group on ``page``: name -> its values, in page order."""
    found: dict[str, list[str]] = {}
    for name, value in CHOICE.findall(page):
        found.setdefault(name, []).append(html.unescape(value))
    return found


def typed_answers(page: str) -> list[tuple[str, str]]:
    """The typed answers whose fields are on ``page``, as form pairs."""
    return [(name, value) for name, value in TYPED_ANSWERS.items() if f'name="{name}"' in page]
