"""The profile vocabulary: one declaration per answer, and everything derived from it agrees."""

import ast
import dataclasses
import typing
from pathlib import Path

import pytest
from hypothesis import given

from assessments import vocabulary
from assessments.framework import QUALIFICATION_ORDER, ROLE_LEVEL_ORDER, Eligibility
from assessments.profile import Profile
from assessments.vocabulary import ANSWERS, FIELDS, GROUPINGS, UnknownAnswer
from tests.fixtures.answers import as_kept, split, stored_answers

CHOICE_ANSWERS = [a for a in ANSWERS if a.kind in ("choice", "choices", "yes-no")]
PAIRS = [(a.key, c.value) for a in CHOICE_ANSWERS for c in a.choices]
GROUP_PAIRS = [(g.key, c.value) for g in GROUPINGS.values() for c in g.choices]


def test_every_profile_key_is_declared_once_in_profile_order():
    assert tuple(FIELDS) == tuple(Profile.model_fields)
    assert len({a.key for a in ANSWERS}) == len(ANSWERS)


@pytest.mark.parametrize(("key", "value"), PAIRS)
def test_every_value_has_its_own_participant_label_phrase_and_designer_label(key, value):
    assert vocabulary.phrase(key, value).strip()
    for text in (
        vocabulary.label(key, value),
        vocabulary.designer_label(key, value),
        vocabulary.group_phrase(key, value),
    ):
        assert text.strip(), f"{key}={value} has an empty wording"
        assert text != value, f"{key}={value} is shown as its code"


@pytest.mark.parametrize(("grouping", "value"), GROUP_PAIRS)
def test_every_group_has_a_designer_label_and_a_plural_phrase(grouping, value):
    assert vocabulary.designer_label(grouping, value) != value
    assert vocabulary.group_phrase(grouping, value).strip()


def test_labels_are_per_field_not_one_shared_table():
    # The old designer table labelled the "mixed" ethnic group "Formal and informal routes".
    assert vocabulary.designer_label("ethnic_group", "mixed") == "Mixed or multiple ethnic groups"
    assert vocabulary.designer_label("learning_route", "mixed") == "Formal and informal routes"
    assert vocabulary.label("sector", "other") != vocabulary.label("religion", "other")
    assert vocabulary.label("employer_funding", "none") == "No"
    assert vocabulary.label("highest_qualification", "none") == "No formal qualifications"
    assert vocabulary.group_phrase("caring", "yes") == "carers"
    assert vocabulary.group_phrase("unpaid_care_hours", "no") != vocabulary.group_phrase("caring", "no")


def test_within_one_field_labels_are_distinct():
    for declared in CHOICE_ANSWERS:
        labels = [c.label for c in declared.choices]
        assert len(labels) == len(set(labels)), declared.key
    for grouping in GROUPINGS.values():
        shown = [vocabulary.designer_label(grouping.key, value) for value in grouping.values]
        assert len(shown) == len(set(shown)), grouping.key


@pytest.mark.parametrize(
    ("call", "args", "names"),
    [
        (vocabulary.label, ("contract", "zero-hours"), ("zero-hours", "contract")),
        (vocabulary.label, ("favourite_colour", "blue"), ("favourite_colour",)),
        (vocabulary.designer_label, ("caring", "maybe"), ("maybe", "caring")),
        (vocabulary.group_phrase, ("learning_route", "white"), ("white", "learning_route")),
        (vocabulary.phrase, ("highest_qualification", "degree"), ("degree", "highest_qualification")),
    ],
)
def test_an_unknown_field_or_value_raises_a_clear_error(call, args, names):
    with pytest.raises(UnknownAnswer) as error:
        call(*args)
    for name in names:
        assert name in str(error.value)


def test_not_answered_is_a_group_of_every_grouping():
    for key in GROUPINGS:
        assert vocabulary.designer_label(key, vocabulary.NOT_ANSWERED) == "Not answered"
        assert vocabulary.group_phrase(key, vocabulary.NOT_ANSWERED) == "people who did not answer"


# --------------------------------------------------------------------------- types from the declaration


@pytest.mark.parametrize("declared", [a for a in ANSWERS if a.kind in ("choice", "choices")], ids=str)
def test_profile_accepts_exactly_the_declared_choices(declared):
    for value in declared.values:
        answer = [value] if declared.kind == "choices" else value
        assert Profile.model_validate({"staff_group": "clinical", declared.key: answer})
    wrong = [f"not-{declared.values[0]}"] if declared.kind == "choices" else f"not-{declared.values[0]}"
    with pytest.raises(ValueError, match=declared.key):
        Profile.model_validate({"staff_group": "clinical", declared.key: wrong})


@pytest.mark.parametrize("declared", [a for a in ANSWERS if a.kind == "number"], ids=str)
def test_profile_number_bounds_are_the_declared_ones(declared):
    def valid(number: float) -> bool:
        try:
            Profile.model_validate({"staff_group": "clinical", declared.key: number})
        except ValueError:
            return False
        return True

    assert valid(declared.high)
    assert not valid(declared.high + 0.01)
    assert valid(declared.low)
    assert not valid(declared.low - 0.01)


def _checker_literals() -> dict[str, tuple[str, ...]]:
    """The ``Literal`` values ``assessments/profile.py`` shows the type checker, by answer key."""
    source = Path("assessments/profile.py").read_text()
    found: dict[str, tuple[str, ...]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Subscript):
                    comment = source.splitlines()[(statement.end_lineno or 0) - 1].split("#")[-1].strip()
                    elements = statement.value.slice
                    assert isinstance(elements, ast.Tuple)
                    found[comment] = tuple(ast.literal_eval(e) for e in elements.elts)
    return found


def test_the_type_checkers_literals_equal_the_declaration():
    literals = _checker_literals()
    declared = {a.key: a.values for a in ANSWERS if a.kind in ("choice", "choices")}
    assert literals == declared


def test_framework_eligibility_uses_the_profiles_values():
    fields = Eligibility.model_fields
    for name, key in (
        ("min_qualification", "highest_qualification"),
        ("nations", "nation"),
        ("sectors", "sector"),
        ("staff_groups", "staff_group"),
    ):
        annotation = fields[name].annotation
        while typing.get_origin(annotation) is not typing.Literal:
            annotation = typing.get_args(annotation)[0]
        assert typing.get_args(annotation) == vocabulary.choices(key)


# --------------------------------------------------------------------------- qualification levels


def test_qualification_levels_are_one_ordered_scale_apart_from_the_route():
    assert vocabulary.order("highest_qualification") == QUALIFICATION_ORDER
    levels = [vocabulary.QUALIFICATION_LEVELS[v] for v in QUALIFICATION_ORDER]
    assert levels == sorted(levels)
    assert len(set(levels)) == len(levels)
    assert "apprenticeship" not in QUALIFICATION_ORDER
    assert "apprenticeship" in vocabulary.choices("learning_routes")
    assert ROLE_LEVEL_ORDER[0] == "aspiring"
    assert ROLE_LEVEL_ORDER[-1] == "board"


@pytest.mark.parametrize(
    ("value", "examples"),
    [
        ("level-3", ("apprenticeship", "SCQF 6")),
        ("level-6", ("degree apprenticeship", "graduate apprenticeship", "SCQF 9")),
        ("level-7", ("level 7 apprenticeship", "SCQF 11")),
        ("level-8", ("SCQF 12",)),
    ],
)
def test_each_level_label_names_apprenticeships_and_scottish_equivalents(value, examples):
    for example in examples:
        assert example in vocabulary.label("highest_qualification", value)


# --------------------------------------------------------------------------- cohort rows


@given(stored_answers())
def test_every_stored_answer_round_trips_through_a_cohort_row(answers):
    row = vocabulary.cohort_row(*split(answers))
    assert set(row) == set(vocabulary.cohort_columns())
    back = vocabulary.answers_from_row(row)
    expected = as_kept(answers)
    assert back == expected
    # and the rebuilt answers are a valid profile
    Profile.model_validate({"staff_group": "clinical", **back})


def test_unknown_stored_values_raise_instead_of_becoming_defaults():
    with pytest.raises(UnknownAnswer, match="contract"):
        vocabulary.cohort_row({"staff_group": "clinical", "contract": "zero-hours"}, {})
    with pytest.raises(UnknownAnswer, match="favourite_colour"):
        vocabulary.cohort_row({"staff_group": "clinical", "favourite_colour": "blue"}, {})
    with pytest.raises(UnknownAnswer, match="age_band"):
        vocabulary.cohort_row({"staff_group": "clinical", "age_band": "25-34"}, {})
    with pytest.raises(UnknownAnswer, match="'maybe'"):
        vocabulary.answers_from_row({"caring": "maybe"})
    with pytest.raises(UnknownAnswer, match="'apprenticeship'"):
        vocabulary.answers_from_row({"highest_qualification": "apprenticeship"})
    with pytest.raises(UnknownAnswer, match="memberships"):
        vocabulary.answers_from_row({"memberships": "not json"})


def test_the_row_encoding_is_the_one_the_cohort_table_has_always_used():
    row = vocabulary.cohort_row(
        {
            "staff_group": "clinical",
            "caring_responsibilities": True,
            "hours_per_week": 22.5,
            "memberships": ["bcs", "ahcs"],
            "learning_routes": ["self-taught"],
        },
        {"ethnic_group": "mixed"},
    )
    assert row["caring"] == "yes"
    assert row["hours_per_week"] == 22.5
    assert row["memberships"] == '["ahcs", "bcs"]'
    assert row["learning_routes_answered"] is True
    assert row["route_self_taught"] is True
    assert row["route_formal_education"] is False
    assert row["ethnic_group"] == "mixed"
    assert row["contract"] is None


# --------------------------------------------------------------------------- docs


def test_profile_format_doc_lists_exactly_the_declared_answers():
    page = Path("docs/profile-format.md").read_text()
    start, end = "<!-- answers: generated from assessments/vocabulary.py -->", "<!-- end answers -->"
    assert start in page, "docs/profile-format.md has lost its generated section"
    assert end in page, "docs/profile-format.md has lost the end of its generated section"
    generated = page.split(start)[1].split(end)[0].strip() + "\n"
    assert generated == vocabulary.markdown_tables(), (
        "docs/profile-format.md is out of date: regenerate it with "
        "`python -m assessments.vocabulary > /tmp/answers.md` and paste the tables"
    )


def test_designer_guide_lists_exactly_the_declared_groupings():
    page = Path("docs/designer-guide.md").read_text()
    start, end = "<!-- groupings: generated from assessments/vocabulary.py -->", "<!-- end groupings -->"
    assert start in page, "docs/designer-guide.md has lost its generated grouping list"
    generated = page.split(start)[1].split(end)[0].strip() + "\n"
    assert generated == vocabulary.markdown_groupings(), (
        "docs/designer-guide.md's grouping list is out of date: paste vocabulary.markdown_groupings()"
    )


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"kind": "number"}, "low and high"),
        ({"choices": ()}, "choices are given"),
        ({"groupable": True, "storage": None}, "only a stored choice"),
    ],
)
def test_a_declaration_that_contradicts_itself_is_refused(changes, problem):
    with pytest.raises(ValueError, match=problem):
        dataclasses.replace(FIELDS["contract"], **changes)


def test_a_cohort_row_keeps_the_place_a_location_resolves_to_never_the_text():
    row = vocabulary.cohort_row({"staff_group": "clinical", "location": "14 Chapel St, TR18 4AA"}, {})
    assert row["location_place"] == "the TR postcode area (Truro)"
    assert "Chapel" not in str(row)
    assert vocabulary.answers_from_row(row)["location"] == "the TR postcode area (Truro)"
    unplaced = vocabulary.cohort_row({"staff_group": "clinical", "location": "the back of beyond"}, {})
    assert unplaced["location_place"] is None
    with pytest.raises(UnknownAnswer, match="not a place we know"):
        vocabulary.answers_from_row({"location_place": "Atlantis (0.00000, 0.00000)"})


def test_a_cohort_row_keeps_the_share_of_time_on_digital_work():
    row = vocabulary.cohort_row({"staff_group": "clinical", "digital_time_percent": 40}, {})
    assert row["digital_time_percent"] == 40.0
    assert vocabulary.answers_from_row(row)["digital_time_percent"] == 40.0
