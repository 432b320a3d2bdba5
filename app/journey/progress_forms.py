"""The participant's "Have you enrolled in or completed this programme?" form.

The statuses and their words come from ``assessments.progress.PROGRAMME_STATUSES`` (declared once);
"prefer not to say" clears the answer. A month and year are needed with either status, checked
by ``assessments.impact.check_month`` (the same rule the database's checks hold).
"""

from __future__ import annotations

from typing import Any

from wtforms import StringField

from app.forms_base import BaseForm, Chosen, NoLongerThan, SelectChoice, SelectOne
from assessments.impact import check_month
from assessments.progress import PROGRAMME_STATUSES

PREFER_NOT = "prefer-not-to-say"
WHEN_WORDS = {"enrolled": "you enrolled", "completed": "you completed it"}
"""How the month-and-year messages name each status: "Enter the month you enrolled"."""


class ProgressForm(BaseForm):
    status = SelectOne(
        "Have you enrolled in or completed this programme?",
        choices=[
            *(SelectChoice(value, label) for value, label in PROGRAMME_STATUSES.items()),
            SelectChoice(PREFER_NOT, "I prefer not to say, or I have done neither"),
        ],
        what="an answer",
        validators=[Chosen("whether you have enrolled in or completed this programme")],
    )
    month = StringField("Month", validators=[NoLongerThan(20, "the month")])
    year = StringField("Year", validators=[NoLongerThan(20, "the year")])

    def __init__(self, *args: Any, now: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now

    @property
    def clears(self) -> bool:
        return self.status.data == PREFER_NOT

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not valid or self.clears:
            return valid
        when = WHEN_WORDS[self.status.data]
        month, year = (self.month.data or "").strip(), (self.year.data or "").strip()
        if not month and not year:
            self.month.errors = [f"Enter the month and year {when}"]
            return False
        if not month:
            self.month.errors = [f"Enter the month {when}"]
            return False
        if not year:
            self.year.errors = [f"Enter the year {when}"]
            return False
        if not month.isdigit():
            self.month.errors = ["The month must be a number from 1 to 12"]
            return False
        if not (year.isdigit() and len(year) == 4):
            self.year.errors = ["The year must be 4 numbers, like 2025"]
            return False
        problems = check_month(int(year), int(month), self.now)
        if problems:
            target = self.month if "month must" in problems[0] else self.year
            target.errors = [problems[0].replace("The date", f"The date {when}")]
            return False
        return True
