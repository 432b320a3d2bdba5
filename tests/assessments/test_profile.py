import json
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import profile as profile_module
from assessments.errors import ProfileError
from assessments.profile import (
    BACKGROUND_FIELDS,
    CONTEXT_FIELDS,
    EQUALITY_FIELDS,
    WORKING_PATTERN_FIELDS,
    Profile,
    load_profile,
    parse_profile,
)


def test_profile_field_groups_cover_every_field_exactly_once():
    grouped = [*WORKING_PATTERN_FIELDS, *CONTEXT_FIELDS, *BACKGROUND_FIELDS, *EQUALITY_FIELDS]
    assert sorted(grouped) == sorted(Profile.model_fields)
    assert len(grouped) == len(set(grouped))


@pytest.mark.parametrize("field", EQUALITY_FIELDS)
def test_every_equality_question_offers_prefer_not_to_say(field):
    annotation = Profile.model_fields[field].annotation
    literal = next(arg for arg in typing.get_args(annotation) if typing.get_origin(arg) is typing.Literal)
    assert profile_module.PREFER_NOT in typing.get_args(literal)


def test_staff_group_is_the_only_required_key():
    assert parse_profile({"staff_group": "clinical"}).staff_group == "clinical"
    with pytest.raises(ProfileError) as problem:
        parse_profile({}, "me.yaml")
    assert problem.value.problems == ["me.yaml: staff_group: is required"]


def test_unknown_key_and_bad_value_are_named():
    with pytest.raises(ProfileError) as problem:
        parse_profile(
            {"staff_group": "clinical", "contract": "zero-hours", "favourite_colour": "blue"}, "p.yaml"
        )
    assert "p.yaml: favourite_colour: is not a recognised key" in problem.value.problems
    assert any(
        line.startswith("p.yaml: contract: must be one of 'full-time'") for line in problem.value.problems
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("hours_per_week", 0, "hours_per_week: input should be greater than or equal to 1"),
        ("hours_per_week", 101, "hours_per_week: input should be less than or equal to 100"),
        ("max_travel_hours", -1, "max_travel_hours: input should be greater than or equal to 0"),
        ("learning_routes", ["degree-mill"], "learning_routes[0]: must be one of 'formal-education'"),
    ],
)
def test_out_of_range_values_are_refused_with_the_key(key, value, message):
    with pytest.raises(ProfileError) as problem:
        parse_profile({"staff_group": "clinical", key: value}, "p.yaml")
    assert any(line.startswith(f"p.yaml: {message}") for line in problem.value.problems), (
        problem.value.problems
    )


def test_fte_is_capped_at_full_time():
    assert parse_profile({"staff_group": "clinical", "hours_per_week": 18.75}).fte == pytest.approx(0.5)
    assert parse_profile({"staff_group": "clinical", "hours_per_week": 48}).fte == 1.0
    assert parse_profile({"staff_group": "clinical"}).fte is None


def test_without_equality_removes_every_equality_answer_and_nothing_else():
    full = parse_profile(
        {"staff_group": "clinical", "contract": "part-time", "sex": "female", "religion": "sikh"}
    )
    stripped = full.without_equality()
    assert stripped.answers() == {"staff_group": "clinical", "contract": "part-time"}


def test_load_profile_reads_yaml_and_json(tmp_path):
    (tmp_path / "p.yaml").write_text("staff_group: non-clinical\ncontract: job-share\n")
    (tmp_path / "p.json").write_text(json.dumps({"staff_group": "clinical", "on_call": True}))
    assert load_profile(tmp_path / "p.yaml").contract == "job-share"
    assert load_profile(tmp_path / "p.json").on_call is True


def test_load_profile_reports_bad_json_and_missing_file(tmp_path):
    (tmp_path / "bad.json").write_text("{staff_group: ")
    with pytest.raises(ProfileError, match=r"bad.json: not valid JSON"):
        load_profile(tmp_path / "bad.json")
    with pytest.raises(ProfileError, match=r"missing.yaml: cannot be read"):
        load_profile(tmp_path / "missing.yaml")


@given(st.dictionaries(st.text(max_size=20), st.one_of(st.none(), st.integers(), st.text(), st.booleans())))
def test_any_mapping_either_parses_or_raises_profile_error(data):
    try:
        parse_profile(data)
    except ProfileError as problem:
        assert problem.problems


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_profile_files_over_one_mebibyte_are_refused(tmp_path, suffix):
    path = tmp_path / f"huge{suffix}"
    path.write_text('{"staff_group": "clinical", "profession": "' + "x" * (1024 * 1024) + '"}')
    with pytest.raises(
        ProfileError, match=rf"huge{suffix}: the file is [\d,]+ bytes; the limit is 1,048,576"
    ):
        load_profile(path)
