"""Consultation forms: create, join, add an idea, edit, merge, vote, link rules, import.

Choices come from the declared vocabularies in ``assessments.consultation`` (staff groups,
working patterns, sides); only the wording people read is written here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf.file import FileField
from wtforms import Field, Form, HiddenField, StringField, TextAreaField
from wtforms.validators import Optional, StopValidation, ValidationError

from app.consultation.presenters import working_pattern_label
from app.forms_base import BaseForm, Chosen, NoLongerThan, Required, SelectChoice, SelectMany, SelectOne
from assessments import consultation as domain

STAFF_GROUP_CHOICES = [
    SelectChoice("clinical", "Clinical (for example nurse, doctor, allied health professional, pharmacist)"),
    SelectChoice("non-clinical", "Non-clinical (for example digital, data, management, administration)"),
    SelectChoice("prefer-not-to-say", "Prefer not to say"),
]
assert [choice.value for choice in STAFF_GROUP_CHOICES] == list(domain.STAFF_GROUPS)
SIDE_CHOICES = [
    SelectChoice("advantage", "An advantage: a reason to go ahead"),
    SelectChoice("disadvantage", "A disadvantage: a reason against, or something to fix"),
]
assert [choice.value for choice in SIDE_CHOICES] == list(domain.SIDES)
YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


def working_pattern_choices() -> list[SelectChoice]:
    return [SelectChoice(value, working_pattern_label(value)) for value in domain.WORKING_PATTERNS]


class WholeNumber:
    """A whole number in a range, with a specific message; the value is left in ``field.number``."""

    def __init__(self, what: str, low: int, high: int, *, blank: int | None = None) -> None:
        self.what, self.low, self.high, self.blank = what, low, high, blank

    def __call__(self, form: Form, field: Field) -> None:
        text = (field.data or "").strip()
        if not text and self.blank is not None:
            field.number = self.blank  # type: ignore[attr-defined]  # our own attribute on the field, read back by whole_number_of
            return
        if not text:
            raise StopValidation(f"Enter {self.what}")
        if not (text.isascii() and text.isdigit()) or len(text) > 6:
            raise StopValidation(f"{self.what[:1].upper()}{self.what[1:]} must be a whole number, like 3")
        value = int(text)
        if not self.low <= value <= self.high:
            raise StopValidation(
                f"{self.what[:1].upper()}{self.what[1:]} must be between {self.low} and {self.high}"
            )
        field.number = value  # type: ignore[attr-defined]  # our own attribute on the field, read back by whole_number_of


def whole_number_of(field: Field) -> int:
    """The whole number ``WholeNumber`` left on the field; only after the form was validated."""
    number = getattr(field, "number", None)
    if not isinstance(number, int):
        raise ValueError(f"The field {field.name!r} holds no whole number: it has not been validated")
    return number


class ConsultationForm(BaseForm):
    """A new consultation. The ranges match the table's check constraints (``models.Consultation``)."""

    proposal = TextAreaField(
        "What are you proposing?",
        validators=[Required("what you are proposing"), NoLongerThan(domain.PROPOSAL_LIMIT, "the proposal")],
    )
    framework_id = SelectOne("Programme (optional)", what="a programme", validators=[Optional()])
    vote_budget = StringField(
        "Votes each person can spend",
        default="5",
        validators=[WholeNumber("the votes each person can spend", 1, 100), NoLongerThan(6, "the votes")],
    )
    several_votes_per_item = SelectOne(
        "Can a person put more than one vote on the same item?",
        choices=YES_NO,
        default="yes",
        what="whether a person can put several votes on one item",
        validators=[Chosen("whether a person can put several votes on one item")],
    )
    min_group = StringField(
        "Smallest group shown separately",
        default=str(domain.DEFAULT_MIN_GROUP),
        validators=[
            WholeNumber("the smallest group shown separately", 1, 1000),
            NoLongerThan(6, "the group size"),
        ],
    )

    def __init__(self, *args: Any, programmes: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.framework_id.choices = [
            SelectChoice("", "Not about one programme"),
            *(SelectChoice(v, t) for v, t in programmes),
        ]


class CodeForm(BaseForm):
    code = StringField(
        "Consultation code", validators=[Required("the consultation code"), NoLongerThan(40, "the code")]
    )


class JoinForm(BaseForm):
    staff_group = SelectOne(
        "Which staff group are you in?",
        choices=STAFF_GROUP_CHOICES,
        what="your staff group",
        validators=[Chosen("your staff group, or prefer not to say")],
    )
    working_pattern = SelectOne(
        "What is your working pattern? (optional)", what="your working pattern", validators=[Optional()]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.working_pattern.choices = working_pattern_choices()


class ItemForm(BaseForm):
    """An advantage or disadvantage: added by a participant or the designer, or reworded."""

    side = SelectOne(
        "Is it an advantage or a disadvantage?",
        choices=SIDE_CHOICES,
        what="advantage or disadvantage",
        validators=[Chosen("whether it is an advantage or a disadvantage")],
    )
    text = TextAreaField(
        "Your point, in a sentence",
        validators=[Required("your point"), NoLongerThan(domain.ITEM_TEXT_LIMIT, "your point")],
    )


class MergeForm(BaseForm):
    duplicate = SelectOne(
        "Merge this item", what="the item to merge", validators=[Chosen("the item to merge")]
    )
    kept = SelectOne(
        "Into this item, which keeps its wording",
        what="the item to keep",
        validators=[Chosen("the item to keep")],
    )

    def __init__(self, *args: Any, items: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [SelectChoice(str(item_id), text) for item_id, text in items]
        self.duplicate.choices = choices
        self.kept.choices = list(choices)

    def validate_kept(self, field: Field) -> None:
        if field.data and field.data == self.duplicate.data:
            raise ValidationError("Choose a different item to keep")


class PhaseForm(BaseForm):
    """The phase the designer saw: a stale page cannot skip a step."""

    phase = HiddenField(validators=[Required("the phase"), NoLongerThan(10, "the phase")])


class VoteForm(BaseForm):
    """One field per item, ``votes-<item id>``, added by ``vote_form``; the budget is checked across them."""

    budget: int = 0
    several: bool = True

    def item_fields(self) -> list[Field]:
        return [field for field in self if field.name.startswith("votes-")]

    def chosen(self) -> dict[int, int]:
        return {
            int(field.name.removeprefix("votes-")): getattr(field, "number", 0)
            for field in self.item_fields()
        }

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            return False
        fields = self.item_fields()
        total = sum(getattr(field, "number", 0) for field in fields)
        if total > self.budget and fields:
            spent_on = next((field for field in fields if getattr(field, "number", 0)), fields[0])
            spent_on.errors = [
                *spent_on.errors,
                f"You have given {total} votes but have {self.budget} to spend: "
                f"take {total - self.budget} away",
            ]
            return False
        return True


def vote_form(items: Iterable[tuple[int, str]], budget: int, several: bool, **kwargs: Any) -> VoteForm:
    """A vote form for these items: a number each (0 to the budget), or 0/1 when one vote per item."""
    top = budget if several else 1
    attributes: dict[str, Any] = {"budget": budget, "several": several}
    for item_id, text in items:
        attributes[f"votes-{item_id}"] = StringField(
            text,
            default="0",
            validators=[
                WholeNumber(f"the votes for ‘{text[:60]}’", 0, top, blank=0),
                NoLongerThan(6, "the votes"),
            ],
        )
    form_class = type("ItemVoteForm", (VoteForm,), attributes)
    return form_class(**kwargs)  # type: ignore[no-any-return]


class RuleLinkForm(BaseForm):
    rules = SelectMany(
        "Requirements that address this disadvantage", what="requirements", validators=[Optional()]
    )

    def __init__(self, *args: Any, rules: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules.choices = [SelectChoice(rule_id, title) for rule_id, title in rules]


class ImportForm(BaseForm):
    consultation_file = FileField("Workshop file (YAML or JSON)")

    def validate_consultation_file(self, field: Field) -> None:
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise StopValidation("Select a workshop file")
