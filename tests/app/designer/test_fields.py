"""The designer's groupings, labels and cohort columns come from the profile vocabulary."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Boolean, Float, String, Text, select

from app.designer import fields
from app.designer.forms import ScenarioForm
from app.designer.models import CohortRecord
from app.extensions import db
from assessments import vocabulary
from assessments.vocabulary import UnknownAnswer
from tests.app.designer.conftest import add_people
from tests.fixtures.answers import as_kept, split, stored_answers


def test_the_mixed_ethnic_group_is_not_labelled_as_a_learning_route():
    assert fields.value_label("ethnic_group", "mixed") == "Mixed or multiple ethnic groups"
    assert fields.value_label("learning_route", "mixed") == "Formal and informal routes"
    assert fields.value_label("sex", "female × part-time", second="contract") == "Female × Part time"


def test_every_grouping_value_is_labelled_by_its_own_grouping():
    for key, grouping in vocabulary.GROUPINGS.items():
        assert key in fields.GROUPINGS
        for value in (*grouping.values, vocabulary.NOT_ANSWERED):
            assert fields.value_label(key, value) == vocabulary.designer_label(key, value)
            assert fields.group_phrase(key, value) == vocabulary.group_phrase(key, value)


def test_an_unknown_group_value_raises_instead_of_being_prettified():
    with pytest.raises(UnknownAnswer, match="'zero-hours'"):
        fields.value_label("contract", "zero-hours")


def test_cohort_record_has_exactly_the_declared_profile_columns_with_matching_types():
    declared = vocabulary.cohort_columns()
    table = CohortRecord.__table__
    expected_type = {
        "text": String,
        "yes-no": String,
        "number": Float,
        "json-list": Text,
        "flags": Boolean,
        "place": String,
    }
    for column, encoding in declared.items():
        assert column in table.c, f"cohort_record has no column {column}"
        assert isinstance(table.c[column].type, expected_type[encoding]), column
    bookkeeping = {
        "id",
        "assessment_id",
        "user_id",
        "framework_id",
        "framework_version",
        "submitted_at",
        "is_latest",
        "released",
        "counted",
        "consented",
        "synthetic",
        "score",
        "band",
        "no_opportunity_count",
        "answer_count",
        "flag_mask",
        "high_mask",
        "undetermined_mask",
        # Copied from the submission for the designer's figures, not profile answers.
        "relevance",
        "domain_scores",
    }
    assert set(table.c.keys()) - bookkeeping == set(declared)


def test_text_columns_are_wide_enough_for_every_declared_value():
    for answer in vocabulary.stored_answers():
        assert answer.storage is not None
        if answer.storage.encoding == "text":
            width = CohortRecord.__table__.c[answer.storage.column].type.length
            assert max(len(value) for value in answer.values) <= width, answer.key


def test_rule_columns_are_every_stored_circumstance_and_no_equality_answer():
    assert not set(fields.RULE_COLUMNS) & set(vocabulary.keys("equality"))
    assert "caring" in fields.RULE_COLUMNS
    assert "route_apprenticeship" in fields.RULE_COLUMNS


def test_a_flag_of_an_unknown_rule_raises_instead_of_counting_as_the_first_rule():
    with pytest.raises(fields.UnknownFlag, match="degree-requirement"):
        fields.masks_for([{"rule": "degree-requirement", "severity": "high"}])
    with pytest.raises(fields.UnknownFlag, match="'severe'"):
        fields.masks_for([{"rule": "residential-stays", "severity": "severe"}])


def test_a_row_without_a_staff_group_raises_instead_of_becoming_non_clinical():
    values = [None] * len(fields.RULE_COLUMNS)
    with pytest.raises(UnknownAnswer, match="staff group"):
        fields.profile_from_columns(fields.RULE_COLUMNS, values)


def test_a_row_round_trips_through_the_what_ifs_columns():
    answers = {
        "staff_group": "clinical",
        "contract": "part-time",
        "caring_responsibilities": True,
        "hours_per_week": 22.5,
        "highest_qualification": "level-6",
        "learning_routes": ["apprenticeship", "self-taught"],
        "memberships": ["bcs"],
    }
    row = fields.profile_columns(answers, {"sex": "female"})
    profile = fields.profile_from_columns(fields.RULE_COLUMNS, [row[c] for c in fields.RULE_COLUMNS])
    assert profile.answers() == answers


def test_a_stored_answer_the_vocabulary_does_not_know_raises():
    with pytest.raises(UnknownAnswer, match="'apprenticeship'"):
        fields.profile_columns({"staff_group": "clinical", "highest_qualification": "apprenticeship"}, {})


def test_the_scenario_forms_choices_use_designer_labels_from_the_vocabulary():
    form_fields = ScenarioForm.__dict__
    qualifications = [(c.value, c.label) for c in form_fields["min_qualification"].kwargs["choices"]]
    assert qualifications == [
        (value, vocabulary.designer_label("highest_qualification", value))
        for value in vocabulary.order("highest_qualification")
    ]
    sectors = [c.label for c in form_fields["sectors"].kwargs["choices"]]
    assert "NHS acute trust" in sectors
    assert "Nhs acute" not in sectors


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=stored_answers())
def test_every_stored_answer_round_trips_through_the_database_row(app, answers):
    plain, equality = split(answers)
    (user_id,) = add_people(1, answers=plain, equality=equality)
    columns = [getattr(CohortRecord, name) for name in vocabulary.cohort_columns()]
    row = db.session.execute(select(*columns).where(CohortRecord.user_id == user_id)).one()
    back = vocabulary.answers_from_row(dict(zip(vocabulary.cohort_columns(), row, strict=True)))
    expected = as_kept(answers)
    assert back == expected
    rule_values = [row[list(vocabulary.cohort_columns()).index(name)] for name in fields.RULE_COLUMNS]
    profile = fields.profile_from_columns(fields.RULE_COLUMNS, rule_values)
    assert profile.answers() == {k: v for k, v in expected.items() if k in plain}
