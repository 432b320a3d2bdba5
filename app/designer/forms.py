"""Designer forms: the grouping chooser, the what-if redesign, justifications and framework upload."""

from __future__ import annotations

import math
from typing import Any

from flask_wtf.file import FileField
from wtforms import Field, Form, HiddenField, StringField, TextAreaField
from wtforms.validators import Optional, StopValidation, ValidationError

from app.designer.fields import CIRCUMSTANCE_GROUPINGS, EQUALITY_GROUPINGS, GROUPINGS
from app.forms_base import BaseForm, Chosen, NoLongerThan, Required, SelectChoice, SelectMany, SelectOne
from assessments import bodies, vocabulary
from assessments.framework import Framework

YES_NO = [("yes", "Yes"), ("no", "No")]
FEE_PAYERS = [
    ("programme", "The programme (free to the person)"),
    ("employer", "The employer"),
    ("self", "The person"),
]
TEXT_LIMIT = 2000


def _select(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """WTForms 3.3 deprecates choices given as tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def answer_choices(key: str) -> list[SelectChoice]:
    """A profile answer's values with their designer labels, in the declared order."""
    return _select([(value, vocabulary.designer_label(key, value)) for value in vocabulary.choices(key)])


def grouping_choices(*, blank: str | None = None) -> list[SelectChoice]:
    choices = [(key, GROUPINGS[key].label) for key in (*CIRCUMSTANCE_GROUPINGS, *EQUALITY_GROUPINGS)]
    return _select([("", blank), *choices] if blank else choices)


class Number:
    """Parse a number with a clear message; the parsed value is left in ``field.number``."""

    def __init__(self, what: str, low: float, high: float) -> None:
        self.what, self.low, self.high = what, low, high

    def __call__(self, form: Form, field: Field) -> None:
        text = (field.data or "").replace(",", "").removeprefix("£").strip()
        if not text:
            raise StopValidation(f"Enter {self.what}")
        try:
            value = float(text)
        except ValueError:
            raise StopValidation(
                f"{self.what[:1].upper()}{self.what[1:]} must be a number, like 5 or 2.5"
            ) from None
        if not math.isfinite(value) or not self.low <= value <= self.high:
            raise StopValidation(
                f"{self.what[:1].upper()}{self.what[1:]} must be between {self.low:g} and {self.high:g}"
            )
        field.number = value  # type: ignore[attr-defined]  # our own attribute on the field, read back by the form's methods


class GroupingForm(BaseForm):
    """The dashboard's GET form: how to divide the cohort."""

    class Meta:
        csrf = False

    by = SelectOne(
        "Divide the cohort by", choices=grouping_choices(), what="a grouping", validators=[Optional()]
    )
    and_by = SelectOne(
        "And by (optional: intersections)",
        choices=grouping_choices(blank="Nothing else"),
        what="a second grouping",
        validators=[Optional()],
    )
    reference = StringField(
        "Reference group (optional)", validators=[Optional(), NoLongerThan(120, "reference group")]
    )

    def validate_and_by(self, field: Field) -> None:
        if field.data and field.data == self.by.data:
            raise ValidationError("Choose a different second grouping, or none")


def _yes_no(label: str, what: str) -> SelectOne:
    return SelectOne(label, choices=_select(YES_NO), what=what, validators=[Chosen(what)])


class ScenarioForm(BaseForm):
    """A redesign of one programme's delivery and eligibility. Prefilled from the framework."""

    name = StringField("Scenario name", validators=[Optional(), NoLongerThan(120, "scenario name")])
    grouping = SelectOne(
        "Compare groups by", choices=grouping_choices(), what="a grouping", validators=[Chosen("a grouping")]
    )
    part_time_pathway = _yes_no("Part-time pathway", "whether there is a part-time pathway")
    residential = _yes_no("Residential stays", "whether there are residential stays")
    in_person_days = StringField("In-person days", validators=[Number("the in-person days", 0, 365)])
    remote_attendance_option = _yes_no(
        "In-person parts can be joined remotely", "whether remote attendance is offered"
    )
    study_hours_per_week = StringField(
        "Study hours a week", validators=[Number("the study hours a week", 0, 80)]
    )
    fee_gbp = StringField("Course fee (£)", validators=[Number("the course fee", 0, 1_000_000)])
    fee_payer = SelectOne(
        "Who pays the fee",
        choices=_select(FEE_PAYERS),
        what="who pays the fee",
        validators=[Chosen("who pays the fee")],
    )
    bursaries = _yes_no("Bursaries", "whether bursaries are offered")
    reasonable_adjustments = _yes_no(
        "Reasonable adjustments offered", "whether reasonable adjustments are offered"
    )
    min_qualification = SelectOne(
        "Minimum qualification level",
        choices=answer_choices("highest_qualification"),
        what="a minimum qualification",
        validators=[Chosen("a minimum qualification")],
    )
    qualification_alternative_route = _yes_no(
        "Alternative route for people without the qualification", "whether there is an alternative route"
    )
    min_years_digital = StringField(
        "Minimum years in digital", validators=[Number("the minimum years in digital", 0, 60)]
    )
    min_years_leadership = StringField(
        "Minimum years in leadership", validators=[Number("the minimum years in leadership", 0, 60)]
    )
    experience_pro_rated = _yes_no("Part-time experience pro-rated", "whether experience is pro-rated")
    sponsor_required = _yes_no("Executive sponsor required", "whether a sponsor is required")
    protected_time_fte = StringField(
        "Protected time required (share of full time, 0 to 1)",
        validators=[Number("the protected time", 0, 1)],
    )
    sectors = SelectMany(
        "Sectors accepted",
        choices=answer_choices("sector"),
        what="sectors",
    )
    nations = SelectMany(
        "Nations accepted",
        choices=answer_choices("nation"),
        what="nations",
    )
    staff_groups = SelectMany(
        "Staff groups accepted",
        choices=answer_choices("staff_group"),
        what="staff groups",
    )
    membership_required = StringField(
        "Membership required (leave blank for none)",
        validators=[Optional(), NoLongerThan(60, "membership required")],
    )
    recognises_prior_learning = _yes_no(
        "Prior (experiential) learning recognised", "whether prior learning is recognised"
    )

    DELIVERY_BOOLEANS = (
        "part_time_pathway",
        "residential",
        "remote_attendance_option",
        "bursaries",
        "reasonable_adjustments",
    )
    DELIVERY_NUMBERS = ("in_person_days", "study_hours_per_week", "fee_gbp")
    ELIGIBILITY_BOOLEANS = (
        "qualification_alternative_route",
        "experience_pro_rated",
        "sponsor_required",
        "recognises_prior_learning",
    )
    ELIGIBILITY_NUMBERS = ("min_years_digital", "min_years_leadership", "protected_time_fte")
    ELIGIBILITY_LISTS = ("sectors", "nations", "staff_groups")

    @classmethod
    def prefill(cls, framework: Framework, grouping: str) -> dict[str, Any]:
        """Form data that reproduces the framework as it is."""
        delivery, eligibility = framework.delivery, framework.eligibility
        data: dict[str, Any] = {"grouping": grouping, "name": ""}
        for name in cls.DELIVERY_BOOLEANS:
            data[name] = "yes" if getattr(delivery, name) else "no"
        for name in cls.DELIVERY_NUMBERS:
            data[name] = f"{getattr(delivery, name):g}"
        data["fee_payer"] = delivery.fee_payer
        for name in cls.ELIGIBILITY_BOOLEANS:
            data[name] = "yes" if getattr(eligibility, name) else "no"
        for name in cls.ELIGIBILITY_NUMBERS:
            data[name] = f"{getattr(eligibility, name):g}"
        for name in cls.ELIGIBILITY_LISTS:
            data[name] = list(getattr(eligibility, name))
        data["min_qualification"] = eligibility.min_qualification
        data["membership_required"] = eligibility.membership_required or ""
        return data

    def changes(self, framework: Framework) -> dict[str, dict[str, Any]]:
        """Only the delivery and eligibility values that differ from the framework."""
        delivery: dict[str, Any] = {}
        eligibility: dict[str, Any] = {}
        for name in self.DELIVERY_BOOLEANS:
            delivery[name] = self[name].data == "yes"
        for name in self.DELIVERY_NUMBERS:
            delivery[name] = self[name].number
        delivery["fee_payer"] = self.fee_payer.data
        for name in self.ELIGIBILITY_BOOLEANS:
            eligibility[name] = self[name].data == "yes"
        for name in self.ELIGIBILITY_NUMBERS:
            eligibility[name] = self[name].number
        for name in self.ELIGIBILITY_LISTS:
            eligibility[name] = list(self[name].data or [])
        eligibility["min_qualification"] = self.min_qualification.data
        eligibility["membership_required"] = self.membership_required.data or None
        if eligibility["membership_required"] not in (None, framework.eligibility.membership_required):
            # New words need the bodies they name, or the framework's old bodies would still decide
            # who meets them. Words that name no body we know leave each case to check.
            named = bodies.bodies_named(eligibility["membership_required"])
            eligibility["membership_bodies"] = sorted(named)
            eligibility["membership_other_bodies"] = (
                framework.eligibility.membership_other_bodies or not named
            )
        return {
            "delivery": _differences(framework.delivery.model_dump(mode="json"), delivery),
            "eligibility": _differences(framework.eligibility.model_dump(mode="json"), eligibility),
        }


def _differences(current: dict[str, Any], proposed: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in proposed.items()
        if current.get(key) != value
        and not (isinstance(value, list) and list(current.get(key) or []) == value)
    }


class SaveScenarioForm(ScenarioForm):
    NAME_NEEDED = "Enter a name for the scenario"

    def validate(self, extra_validators: Any = None) -> bool:
        # The name field is Optional() on the what-if form, which stops its checks at a blank or
        # all-space value; saving needs a name, and spaces alone are no name.
        valid = super().validate(extra_validators)
        if not (self.name.data or "").strip():
            if self.NAME_NEEDED not in self.name.errors:
                self.name.errors = [*self.name.errors, self.NAME_NEEDED]
            return False
        return valid


class JustificationForm(BaseForm):
    rule = HiddenField()
    legitimate_aim = TextAreaField(
        "Legitimate aim",
        validators=[Required("the legitimate aim"), NoLongerThan(TEXT_LIMIT, "legitimate aim")],
    )
    proportionality = TextAreaField(
        "Why the requirement is a proportionate means of that aim",
        validators=[
            Required("why the requirement is proportionate"),
            NoLongerThan(TEXT_LIMIT, "proportionality"),
        ],
    )
    mitigations = TextAreaField(
        "Mitigations offered", validators=[Optional(), NoLongerThan(TEXT_LIMIT, "mitigations")]
    )


class UploadForm(BaseForm):
    framework_file = FileField("Framework file (YAML, at most 1 MiB)")

    def validate_framework_file(self, field: Field) -> None:
        data = field.data
        if data is None or not getattr(data, "filename", ""):
            raise ValidationError("Select a framework file to upload")
        if not data.filename.lower().endswith((".yaml", ".yml")):
            raise ValidationError("The framework file must be a YAML file ending in .yaml or .yml")


class ImpactForm(BaseForm):
    """The "Impact over time" page's GET form: whether, and how, to split the figures by group."""

    class Meta:
        csrf = False

    by = SelectOne(
        "Split the figures by",
        choices=grouping_choices(blank="Do not split"),
        what="a grouping",
        validators=[Optional()],
    )
