"""The one form base class, message helpers and shared validators for every CertReady form.

Messages are user-facing sentences built from a noun (STYLE.md §7): a call site has to say *what*
is missing, so no WTForms default text ("This field is required.") ever reaches a person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import Field, FileField, Form, PasswordField, RadioField, SelectMultipleField, StringField

# WTForms 3.3 added SelectChoice (a dataclass for one choice); types-WTForms 3.2 predates it, so the
# checker sees it as Any. Every form imports it from here (app.journey.choices, loaded by the command
# line without Flask-WTF, imports it itself): the two places to drop the ignore once the stubs have it.
from wtforms.fields.choices import SelectChoice as SelectChoice  # type: ignore[attr-defined]
from wtforms.fields.choices import SelectFieldBase
from wtforms.form import BaseForm as WTFormsBaseForm
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation, ValidationError


def field_errors(field: Field) -> list[str]:
    """The field's messages as the list WTForms makes of them when it validates the field.

    Before validation ``errors`` is an empty tuple (the stubs say ``Sequence``); adding or clearing a
    message then would be a bug, so it raises rather than being lost.
    """
    if not isinstance(field.errors, list):
        raise TypeError(f"The field {field.name!r} has not been validated, so its messages cannot change")
    return field.errors


def entered(field: StringField) -> str:
    """The text of a field that validation has required (``Required``, or a form-level check).

    WTForms leaves ``data`` as None only when the field was missing from the submission, which a
    required field rejects; None here means the field is read without such a check, a bug.
    """
    if field.data is None:
        raise ValueError(f"The field {field.name!r} is read as required but nothing checked it was sent")
    return field.data


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Strips surrounding whitespace from every field except passwords (a space may be part of one)."""

    class Meta:
        def bind_field(self, form: Form, unbound_field: Any, options: dict[str, Any]) -> Field:
            extra: tuple[Callable[[Any], Any], ...] = (
                () if issubclass(unbound_field.field_class, PasswordField) else (_strip,)
            )
            filters = [*extra, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, filters=filters, **options)

        def wrap_formdata(self, form: Form, formdata: Any) -> Any:
            """The posted fields, plus uploads only for the form's own file fields; never JSON.

            Flask-WTF would hand an uploaded file, or a JSON number or object, to a text field,
            whose validators then fail with a TypeError (a 500). Browsers never send those.
            """
            if formdata is not _Auto or not _is_submitted():
                return super().wrap_formdata(form, formdata)  # type: ignore[misc]
            wanted = {field.name for field in form if isinstance(field, FileField)}
            files = MultiDict(
                (name, upload) for name, upload in request.files.items(multi=True) if name in wanted
            )
            if files:
                return CombinedMultiDict((files, request.form))
            return request.form or None

    def validate(self, extra_validators: Any = None) -> bool:
        """Every field's own checks, then one no browser needs: text must not hold a NUL.

        PostgreSQL cannot store the character U+0000 in text at all (SQLite can), so a pasted
        or hand-made NUL would otherwise fail only at the database, as a server error.
        """
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and "\x00" in field.data:
                label = field.label.text if field.label and field.label.text else field.name
                field.errors = [
                    *field.errors,
                    f"{label} contains a null character, which cannot be stored. Remove it and try again.",
                ]
                valid = False
        return valid


class Required(DataRequired):
    """``Required("your email address")`` -> "Enter your email address"."""

    def __init__(self, what: str, *, verb: str = "Enter") -> None:
        super().__init__(message=f"{verb} {what}")


class Chosen(InputRequired):
    """For radios and selects, where "0" or "" may be a real value: "Select your working pattern"."""

    def __init__(self, what: str) -> None:
        super().__init__(message=f"Select {what}")


class NoLongerThan(Length):
    """``NoLongerThan(120, "display name")`` -> "Display name must be 120 characters or fewer"."""

    def __init__(self, limit: int, what: str) -> None:
        super().__init__(
            max=limit, message=f"{what[:1].upper()}{what[1:]} must be {limit} characters or fewer"
        )


class AtLeast(Length):
    """``AtLeast(12, "your password")`` -> "Your password must be at least 12 characters"."""

    def __init__(self, limit: int, what: str) -> None:
        super().__init__(
            min=limit, message=f"{what[:1].upper()}{what[1:]} must be at least {limit} characters"
        )


class OneOf:
    """Reject a submitted value that is not among the field's choices, with a specific message.

    For fields made with ``no_pre_validate`` (WTForms' own check says "Not a valid choice." and
    runs before any validator). Put it after ``Chosen``/``Optional`` so emptiness is judged first.
    """

    def __init__(self, what: str) -> None:
        self.what = what

    def __call__(self, form: Form, field: Field) -> None:
        if not isinstance(field, SelectFieldBase):
            raise TypeError(f"OneOf checks a field with choices; {field.name!r} has none")
        allowed = {str(value) for value in _choice_values(field)}
        submitted = field.raw_data or []
        if field.process_errors or any(str(value) not in allowed for value in submitted):
            field_errors(field)[:] = []
            raise StopValidation(f"Select {self.what} from the list")


def _choice_values(field: SelectFieldBase) -> Iterable[Any]:
    # iter_choices() normalises every way of declaring choices (tuples, SelectChoice, optgroups).
    for choice in field.iter_choices():
        yield choice[0]


_AnyField = TypeVar("_AnyField", bound=Field)


def no_pre_validate(field_class: type[_AnyField]) -> type[_AnyField]:
    """A subclass of ``field_class`` whose out-of-choices check is left to ``OneOf``."""

    class _Field(field_class):  # type: ignore[valid-type,misc]
        def pre_validate(self, form: WTFormsBaseForm) -> None:
            return None

    _Field.__name__ = field_class.__name__
    _Field.__qualname__ = field_class.__qualname__
    return _Field


class SelectOne(RadioField):
    """Radios whose out-of-choices value gets "Select <what> from the list", not "Not a valid choice".

    An empty answer passes here so that ``Chosen(what)`` (required) or nothing (optional) decides;
    a forged, stale or uncoercible value stops validation with one specific message.
    """

    def __init__(self, label: str | None = None, validators: Any = None, *, what: str, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.what = what

    def pre_validate(self, form: WTFormsBaseForm) -> None:
        if not self.raw_data or self.raw_data[0] in ("", None):
            field_errors(self)[:] = []
            return
        if self.process_errors or not any(selected for _, _, selected, *_ in self.iter_choices()):
            field_errors(self)[:] = []
            raise StopValidation(f"Select {self.what} from the list")


class SelectMany(SelectMultipleField):
    """Checkboxes with the same specific message as ``SelectOne`` for any value outside the choices."""

    def __init__(self, label: str | None = None, validators: Any = None, *, what: str, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.what = what

    def pre_validate(self, form: WTFormsBaseForm) -> None:
        if self.process_errors:
            field_errors(self)[:] = []
            raise StopValidation(f"Select {self.what} from the list")
        if not self.data:
            return
        allowed = {value for value, *_ in self.iter_choices()}
        if any(value not in allowed for value in self.data):
            field_errors(self)[:] = []
            raise StopValidation(f"Select {self.what} from the list")


class ValueInRange:
    """``ValueInRange(0, 6, "a level")``: for numbers already coerced by the field."""

    def __init__(self, low: int, high: int, what: str) -> None:
        self.low, self.high, self.what = low, high, what

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is None:
            return
        if not self.low <= field.data <= self.high:
            raise ValidationError(
                f"{self.what[:1].upper()}{self.what[1:]} must be between {self.low} and {self.high}"
            )
