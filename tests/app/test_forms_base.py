"""BaseForm stripping, message helpers and the choice validators every form builds on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import (
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from app.forms_base import (
    AtLeast,
    BaseForm,
    Chosen,
    NoLongerThan,
    OneOf,
    Required,
    SelectMany,
    SelectOne,
    ValueInRange,
    entered,
    field_errors,
    no_pre_validate,
)

LEVELS = [SelectChoice(str(level), f"Level {level}") for level in range(4)]


class ExampleForm(BaseForm):
    name = StringField("Name", validators=[Required("your name"), NoLongerThan(10, "your name")])
    notes = TextAreaField("Notes")
    secret = PasswordField("Secret", validators=[Optional(), AtLeast(4, "your secret")])
    level = SelectOne("Level", validators=[Chosen("a level")], what="a level", choices=LEVELS, coerce=int)
    extras = SelectMany("Extras", what="an extra", choices=[SelectChoice("a", "A"), SelectChoice("b", "B")])
    legacy = no_pre_validate(RadioField)(
        "Legacy",
        validators=[Optional(), OneOf("yes or no")],
        choices=[SelectChoice("yes"), SelectChoice("no")],
    )
    legacy_many = no_pre_validate(SelectMultipleField)(
        "Legacy many",
        validators=[Optional(), OneOf("a colour")],
        choices=[SelectChoice("red"), SelectChoice("blue")],
    )
    years = IntegerField("Years", validators=[Optional(), ValueInRange(0, 60, "years of experience")])


@pytest.fixture(scope="module")
def form_context() -> Iterator[None]:
    """Forms only need an app context, not the database: one for the whole module (and hypothesis)."""
    with Flask(__name__).app_context():
        yield


def _form(form_context: None, **data: object) -> ExampleForm:
    base = {"name": "Sam", "level": "1"}
    return ExampleForm(formdata=MultiDict(base | data), meta={"csrf": False})


def test_valid_form_has_coerced_data(form_context):
    form = _form(form_context, extras=["a", "b"], years="12", legacy="yes")
    assert form.validate(), form.errors
    assert (form.level.data, form.extras.data, form.years.data, form.legacy.data) == (
        1,
        ["a", "b"],
        12,
        "yes",
    )


def test_entered_is_the_text_of_a_required_field(form_context):
    form = _form(form_context, name="  Sam  ")
    assert form.validate(), form.errors
    assert entered(form.name) == "Sam"


def test_entered_refuses_a_field_nothing_required(form_context):
    # "notes" has no validator, so a submission without it leaves None: reading it as required is a bug.
    form = _form(form_context)
    assert form.validate(), form.errors
    assert form.notes.data is None
    with pytest.raises(ValueError, match="'notes' is read as required"):
        entered(form.notes)


def test_field_errors_adds_a_message_after_validation(form_context):
    form = _form(form_context)
    assert form.validate(), form.errors
    field_errors(form.name).append("That name is taken")
    assert form.errors == {"name": ["That name is taken"]}


def test_field_errors_refuses_a_field_not_yet_validated(form_context):
    form = _form(form_context)
    with pytest.raises(TypeError, match="'name' has not been validated"):
        field_errors(form.name)


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8))
def test_base_form_strips_everything_but_passwords(form_context, core):
    padded = f"  {core}\t\n"
    form = _form(form_context, name=padded, notes=padded, secret=padded)
    assert form.name.data == padded.strip()
    assert form.notes.data == padded.strip()
    assert form.secret.data == padded


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"name": "   "}, {"name": ["Enter your name"]}),
        ({"name": "x" * 11}, {"name": ["Your name must be 10 characters or fewer"]}),
        ({"secret": "abc"}, {"secret": ["Your secret must be at least 4 characters"]}),
        ({"level": ""}, {"level": ["Select a level"]}),
        ({"level": "9"}, {"level": ["Select a level from the list"]}),
        ({"level": "not-a-number"}, {"level": ["Select a level from the list"]}),
        ({"extras": ["a", "zzz"]}, {"extras": ["Select an extra from the list"]}),
        ({"legacy": "maybe"}, {"legacy": ["Select yes or no from the list"]}),
        ({"legacy_many": ["red", "green"]}, {"legacy_many": ["Select a colour from the list"]}),
        ({"years": "61"}, {"years": ["Years of experience must be between 0 and 60"]}),
    ],
    ids=[
        "blank",
        "too-long",
        "too-short",
        "no-choice",
        "out-of-range",
        "wrong-type",
        "extra-unknown",
        "legacy-unknown",
        "legacy-many-unknown",
        "number-range",
    ],
)
def test_each_rule_gives_one_specific_message(form_context, data, errors):
    form = _form(form_context, **data)
    assert not form.validate()
    assert form.errors == errors


@given(st.text(max_size=30))
def test_select_one_never_accepts_a_value_outside_the_choices(form_context, value):
    form = _form(form_context, level=value)
    valid = form.validate()
    assert valid == (value in {"0", "1", "2", "3"})
    if not valid:
        assert form.errors["level"] in (["Select a level"], ["Select a level from the list"])


@pytest.mark.parametrize("field", ["name", "notes"])
def test_a_null_character_in_text_is_refused_with_a_message(form_context, field):
    # PostgreSQL cannot store U+0000 in text: it must be caught here, not as a database error.
    form = _form(form_context, **{field: "Sam\x00"})
    assert not form.validate()
    label = {"name": "Name", "notes": "Notes"}[field]
    assert form.errors[field][-1] == (
        f"{label} contains a null character, which cannot be stored. Remove it and try again."
    )
