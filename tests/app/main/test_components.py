"""The form and summary-list macros in templates/components produce NHS.UK markup that links up."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import render_template_string
from werkzeug.datastructures import MultiDict
from wtforms import EmailField, IntegerField, PasswordField, SelectChoice, StringField, TextAreaField

from app.forms_base import BaseForm, Chosen, NoLongerThan, Required, SelectMany, SelectOne

MACROS = (
    '{% from "components/forms.html" import error_summary, field, radios, checkboxes, button, radio_group %}'
    '{% from "components/forms.html" import form as form_tag %}'
    '{% from "components/summary_list.html" import summary_list %}'
)


class ComponentForm(BaseForm):
    name = StringField("Your name", validators=[Required("your name"), NoLongerThan(5, "your name")])
    email = EmailField("Email")
    secret = PasswordField("Secret")
    years = IntegerField("Years")
    notes = TextAreaField("Notes")
    level = SelectOne(
        "Level",
        validators=[Chosen("a level")],
        what="a level",
        coerce=int,
        choices=[SelectChoice(0, "None"), SelectChoice(1, "Some"), SelectChoice(2, "Lots")],
    )
    tags = SelectMany("Tags", what="a tag", choices=[SelectChoice("a", "Alpha"), SelectChoice("b", "Beta")])


def _render(source: str, **context) -> BeautifulSoup:
    return BeautifulSoup(render_template_string(MACROS + source, **context), "html.parser")


@pytest.fixture
def request_context(app):
    with app.test_request_context("/"):
        yield


def _form(**data) -> ComponentForm:
    form = ComponentForm(formdata=MultiDict(data) if data else None, meta={"csrf": False})
    if data:
        form.validate()
    return form


def test_text_field_with_hint_and_error_is_described_by_both(request_context):
    form = _form(name="toolong", level="1")
    page = _render('{{ field(form.name, hint="As on your badge", autocomplete="name") }}', form=form)
    field = page.select_one("#name")
    assert field["aria-describedby"] == "name-hint name-error"
    assert field["value"] == "toolong"
    assert field["autocomplete"] == "name"
    assert "nhsuk-input--error" in field["class"]
    assert page.select_one("label[for=name]").get_text(strip=True) == "Your name"
    error = page.select_one("#name-error")
    assert error.select_one(".nhsuk-u-visually-hidden").get_text() == "Error: "
    assert error.get_text() == "Error: Your name must be 5 characters or fewer"


def test_field_types(request_context):
    form = _form(
        name="Sam", email="a@example.org", secret="hunter2hunter2", years="3", notes="line one", level="0"
    )
    page = _render(
        "{{ field(form.email) }}{{ field(form.secret) }}{{ field(form.years) }}"
        "{{ field(form.notes, rows=3) }}",
        form=form,
    )
    assert page.select_one("#email")["type"] == "email"
    assert page.select_one("#email")["spellcheck"] == "false"
    assert page.select_one("#secret")["type"] == "password"
    assert not page.select_one("#secret").has_attr("value"), "passwords are never sent back"
    assert (page.select_one("#years")["type"], page.select_one("#years")["inputmode"]) == ("text", "numeric")
    assert page.select_one("textarea#notes").get_text().strip() == "line one"
    assert page.select_one("textarea#notes")["rows"] == "3"


def test_field_text_is_escaped(request_context):
    form = _form(name='"><script>x</script>', level="1")
    page = _render("{{ field(form.name) }}", form=form)
    assert page.find("script") is None
    assert page.select_one("#name")["value"] == '"><script>x</script>'


def test_radios_mark_the_chosen_value_and_link_ids(request_context):
    form = _form(name="Sam", level="2")
    page = _render(
        '{{ radios(form.level, "How much?", hint="Pick one", item_hints={1: "A bit"}, '
        "is_page_heading=True) }}",
        form=form,
    )
    inputs = page.select("input[type=radio]")
    assert [i["id"] for i in inputs] == ["level", "level-2", "level-3"]
    assert [i["value"] for i in inputs] == ["0", "1", "2"]
    assert [i.has_attr("checked") for i in inputs] == [False, False, True]
    assert page.select_one("legend h1").get_text(strip=True) == "How much?"
    assert page.select_one("fieldset")["aria-describedby"] == "level-hint"
    assert inputs[1]["aria-describedby"] == "level-2-item-hint"
    assert page.select_one("#level-2-item-hint").get_text(strip=True) == "A bit"
    for radio in inputs:
        assert page.select_one(f"label[for={radio['id']}]") is not None


def test_radios_error_and_divider(request_context):
    form = _form(name="Sam", level="9")
    page = _render('{{ radios(form.level, "How much?", divider_before=2, inline=True) }}', form=form)
    assert page.select_one("#level-error").get_text() == "Error: Select a level from the list"
    assert page.select_one(".nhsuk-radios__divider").get_text() == "or"
    assert "nhsuk-radios--inline" in page.select_one(".nhsuk-radios")["class"]
    assert "nhsuk-form-group--error" in page.select_one(".nhsuk-form-group")["class"]


def test_radio_group_without_a_wtforms_field(request_context):
    page = _render(
        '{{ radio_group("c-1", "c-1", [(0, "Zero", "none yet"), (1, "One")], selected=1, errors=["Pick"], '
        'legend="Criterion") }}'
    )
    assert [i.has_attr("checked") for i in page.select("input")] == [False, True]
    assert page.select_one("#c-1-error") is not None
    assert page.select_one("fieldset")["aria-describedby"] == "c-1-error"


def test_checkboxes_mark_every_chosen_value(request_context):
    form = _form(name="Sam", level="1", tags=["a", "b"])
    page = _render('{{ checkboxes(form.tags, "Tags", item_hints={"b": "Second"}) }}', form=form)
    boxes = page.select("input[type=checkbox]")
    assert [(b["id"], b["name"], b.has_attr("checked")) for b in boxes] == [
        ("tags", "tags", True),
        ("tags-2", "tags", True),
    ]
    assert page.select_one("#tags-2-item-hint").get_text(strip=True) == "Second"


def test_error_summary_lists_errors_in_field_order_with_links(request_context):
    form = _form(name="", level="")
    page = _render("{{ error_summary(form) }}", form=form)
    assert page.select_one("[role=alert] h2").get_text(strip=True) == "There is a problem"
    assert [(a["href"], a.get_text(strip=True)) for a in page.select("a")] == [
        ("#name", "Enter your name"),
        ("#level", "Select a level"),
    ]
    assert _render("{{ error_summary(form) }}", form=_form()).get_text(strip=True) == ""


def test_form_opener_and_buttons(request_context):
    page = _render(
        '{% call form_tag("/somewhere") %}{{ button("Save and continue") }}'
        '{{ button("Save and come back later", name="action", value="later", secondary=True) }}{% endcall %}'
    )
    form_tag = page.form
    assert (form_tag["action"], form_tag["method"], form_tag.has_attr("novalidate")) == (
        "/somewhere",
        "post",
        True,
    )
    assert form_tag.select_one("input[type=hidden][name=csrf_token]")["value"]
    first, second = form_tag.select("button")
    assert (first["type"], first.get("name")) == ("submit", None)
    assert (second["name"], second["value"]) == ("action", "later")
    assert "nhsuk-button--secondary" in second["class"]


def test_summary_list_rows_values_and_change_links(request_context):
    rows = [
        {
            "key": "Working pattern",
            "value": "Part time",
            "href": "/profile/work",
            "hidden": "working pattern",
        },
        {"key": "Languages", "value": ["English", "Welsh"]},
        {"key": "Caring", "value": None},
    ]
    page = _render("{{ summary_list(rows) }}", rows=rows)
    keys = [dt.get_text(strip=True) for dt in page.select("dt")]
    values = [dd.get_text(" ", strip=True) for dd in page.select(".nhsuk-summary-list__value")]
    assert keys == ["Working pattern", "Languages", "Caring"]
    assert values == ["Part time", "English Welsh", "Not answered"]
    link = page.select_one(".nhsuk-summary-list__actions a")
    assert link["href"] == "/profile/work"
    assert link.get_text(" ", strip=True) == "Change working pattern"
    no_actions = page.select(".nhsuk-summary-list__row--no-actions")
    assert len(no_actions) == 2
