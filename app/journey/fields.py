"""Profile answer fields: each knows how to turn a stored JSON answer into form data and back.

Every field is optional unless a page says otherwise; a blank answer is stored as "not
answered" (the key is removed), never as an empty string or zero, because the
exclusion-risk rules treat an unknown answer differently from a zero.
"""

from __future__ import annotations

import math
from typing import Any

from wtforms import Field, Form, RadioField, SelectMultipleField, StringField
from wtforms.validators import Optional, StopValidation, ValidationError
from wtforms.widgets import TextInput

from app.forms_base import Chosen, NoLongerThan, OneOf, no_pre_validate
from app.journey.choices import choices_for
from assessments import vocabulary


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class AnswerField:
    """Mixin: the stored answer for this field (``None`` means "not answered")."""

    def to_answer(self) -> Any:
        return self.data or None  # type: ignore[attr-defined]


class ChoiceAnswer(AnswerField, no_pre_validate(RadioField)):  # type: ignore[misc]
    """Radios whose values come from a domain ``Literal`` (see ``choices.py``)."""


class YesNoAnswer(AnswerField, no_pre_validate(RadioField)):  # type: ignore[misc]
    """Yes/no radios stored as a boolean."""

    def process_data(self, value: Any) -> None:
        self.data = {True: "yes", False: "no"}.get(value) if isinstance(value, bool) else value

    def to_answer(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.data or "")


class ManyAnswer(AnswerField, no_pre_validate(SelectMultipleField)):  # type: ignore[misc]
    """Checkboxes stored as a list, in the order the choices are declared."""

    def to_answer(self) -> list[str] | None:
        chosen = set(self.data or ())
        ordered = [choice.value for choice in self.choices if choice.value in chosen]  # type: ignore[union-attr]
        return ordered or None


class TextAnswer(AnswerField, StringField):
    pass


class NumberAnswer(AnswerField, Field):
    """A decimal number with a message that names the question, e.g. "Hours a week must be a number"."""

    widget = TextInput()

    def __init__(
        self, label: str, *, what: str, low: float, high: float, example: str, **kwargs: Any
    ) -> None:
        self.what, self.low, self.high, self.example = what, low, high, example
        validators = [Optional(), _InRange()]
        super().__init__(label, validators=validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if not valuelist or not isinstance(valuelist[0], str) or not valuelist[0].strip():
            return
        text = valuelist[0].strip().replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{_capital(self.what)} must be a number, like {self.example}") from None
        if not math.isfinite(number):
            raise ValueError(f"{_capital(self.what)} must be a number, like {self.example}")
        self.data = number

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if isinstance(self.data, int | float):
            return str(int(self.data)) if float(self.data).is_integer() else f"{self.data:g}"
        return ""

    def to_answer(self) -> float | None:
        return self.data


class _InRange:
    def __call__(self, form: Form, field: NumberAnswer) -> None:
        if field.data is None:
            return
        if not field.low <= field.data <= field.high:
            raise ValidationError(f"{_capital(field.what)} must be between {field.low:g} and {field.high:g}")


class ListAnswer(AnswerField, StringField):
    """Comma-separated short answers (memberships), stored as a list."""

    def __init__(self, label: str, *, what: str, item_limit: int, max_items: int, **kwargs: Any) -> None:
        self.what, self.item_limit, self.max_items = what, item_limit, max_items
        kwargs.setdefault("validators", [Optional(), NoLongerThan(item_limit * max_items, what)])
        kwargs["validators"] = [*kwargs["validators"], _ItemsFit()]
        super().__init__(label, **kwargs)

    def process_data(self, value: Any) -> None:
        self.data = ", ".join(value) if isinstance(value, list | tuple) else value

    def items(self) -> list[str]:
        return [item.strip() for item in (self.data or "").split(",") if item.strip()]

    def to_answer(self) -> list[str] | None:
        return self.items() or None


class _ItemsFit:
    def __call__(self, form: Form, field: ListAnswer) -> None:
        items = field.items()
        if len(items) > field.max_items:
            raise StopValidation(f"List no more than {field.max_items} {field.what}")
        for item in items:
            if len(item) > field.item_limit:
                raise StopValidation(
                    f"Each of your {field.what} must be {field.item_limit} characters or fewer"
                    f" (‘{item[:20]}…’ is {len(item)})"
                )


# The factories return WTForms unbound fields, hence ``Any``.


def choice(label: str, question: str, what: str, *, required: bool = False, **kwargs: Any) -> Any:
    first = Chosen(what) if required else Optional()
    return ChoiceAnswer(label, choices=choices_for(question), validators=[first, OneOf(what)], **kwargs)


def yes_no(label: str, question: str, what: str, **kwargs: Any) -> Any:
    return YesNoAnswer(label, choices=choices_for(question), validators=[Optional(), OneOf(what)], **kwargs)


def number(label: str, question: str, what: str, example: str, **kwargs: Any) -> Any:
    """A number question whose bounds are the ones ``assessments.vocabulary`` declares."""
    declared = vocabulary.answer(question)
    if declared.low is None or declared.high is None:
        raise ValueError(f"{question} is not a number answer with bounds")
    return NumberAnswer(label, what=what, low=declared.low, high=declared.high, example=example, **kwargs)


def many(label: str, question: str, what: str, **kwargs: Any) -> Any:
    return ManyAnswer(label, choices=choices_for(question), validators=[Optional(), OneOf(what)], **kwargs)


def text(label: str, question: str, what: str, **kwargs: Any) -> Any:
    limit = vocabulary.answer(question).max_length
    if limit is None:
        raise ValueError(f"{question} is not a text answer with a length limit")
    return TextAnswer(label, validators=[Optional(), NoLongerThan(limit, what)], **kwargs)


def text_list(label: str, question: str, what: str, **kwargs: Any) -> Any:
    declared = vocabulary.answer(question)
    if declared.max_length is None or declared.max_items is None:
        raise ValueError(f"{question} is not a list answer with limits")
    return ListAnswer(
        label, what=what, item_limit=declared.max_length, max_items=declared.max_items, **kwargs
    )
