"""Hostile input to the framework, profile and ratings loaders: only the domain's InputError, never a crash.

The loaders' own test files fuzz plain random text and flat mappings. These go further: nested values
of every JSON/YAML type, lone surrogates, NUL and control characters, huge numbers, deep nesting,
non-text keys, and byte-level mutations of real files, read both from memory and from disk
(``.json``, ``.yaml``). Every problem must come back as ``FrameworkError``, ``ProfileError`` or
``RatingsError`` with at least one sentence that names the file; anything else is a bug.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.errors import FrameworkError, InputError, ProfileError, RatingsError
from assessments.framework import FRAMEWORKS_DIR, Framework, load_framework, load_framework_text
from assessments.profile import Profile, load_profile, parse_profile
from assessments.ratings import Rating, load_ratings, parse_ratings

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SHIPPED = sorted(FRAMEWORKS_DIR.glob("*.yaml"))
SHIPPED_TEXT = {path.name: path.read_bytes() for path in SHIPPED}
FRAMEWORK = load_framework(SHIPPED[0])
CRITERION_IDS = sorted(FRAMEWORK.criteria_by_id)

surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
controls = st.sampled_from(["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u202e", "\ufeff"])
hostile_chars = st.one_of(st.characters(), surrogates, controls)
hostile_text = st.one_of(
    st.text(hostile_chars, max_size=40),
    st.builds(lambda c, n: c * n, hostile_chars, st.integers(4000, 6000)),
    st.sampled_from(["", "no-opportunity", "clinical", "NaN", "1e999", "-0", "!!python/object:os.system"]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**40, max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)
keys = st.one_of(
    st.sampled_from(["staff_group", "contract", "hours_per_week", "location", "memberships", "sex"]),
    st.sampled_from(CRITERION_IDS),
    st.sampled_from(["level", "evidence"]),
    hostile_text,
    st.integers(),
    st.none(),
    st.booleans(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


def _check_problems(error: InputError, name: str) -> None:
    assert error.problems, "an InputError must say what is wrong"
    assert all(isinstance(problem, str) and problem.startswith(f"{name}: ") for problem in error.problems)


# --- In memory ------------------------------------------------------------------------------------


@FUZZ
@given(data=st.one_of(values, st.dictionaries(keys, values, max_size=8)))
def test_parse_profile_raises_only_profile_error(data: Any):
    try:
        profile = parse_profile(data, "me.yaml")
    except ProfileError as error:
        _check_problems(error, "me.yaml")
    else:
        assert isinstance(profile, Profile)


@FUZZ
@given(
    data=st.one_of(
        values,
        st.dictionaries(
            st.one_of(st.sampled_from(CRITERION_IDS), keys),
            st.one_of(values, st.fixed_dictionaries({"level": values}, optional={"evidence": values})),
            max_size=8,
        ),
    )
)
def test_parse_ratings_raises_only_ratings_error(data: Any):
    try:
        ratings = parse_ratings(data, FRAMEWORK, "mine.yaml")
    except RatingsError as error:
        _check_problems(error, "mine.yaml")
    else:
        assert set(ratings) <= set(CRITERION_IDS)
        assert all(isinstance(rating, Rating) for rating in ratings.values())


@st.composite
def mutated(draw: st.DrawFn, originals: dict[str, bytes]) -> bytes:
    """A real file with a few slices deleted, duplicated or overwritten by hostile bytes."""
    raw = bytearray(originals[draw(st.sampled_from(sorted(originals)))])
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(raw)))
        end = min(len(raw), start + draw(st.integers(0, 200)))
        action = draw(st.sampled_from(["delete", "duplicate", "overwrite"]))
        if action == "delete":
            del raw[start:end]
        elif action == "duplicate":
            raw[start:start] = raw[start:end]
        else:
            raw[start:end] = draw(
                st.one_of(
                    st.binary(max_size=20),
                    st.sampled_from([b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\t", b": [", b"&a *a", b"!!"]),
                )
            )
    return bytes(raw)


@FUZZ
@given(text=st.one_of(mutated(SHIPPED_TEXT), st.text(hostile_chars, max_size=200)))
def test_framework_text_raises_only_framework_error(text: bytes | str):
    try:
        framework = load_framework_text(text, "upload.yaml")
    except FrameworkError as error:
        _check_problems(error, "upload.yaml")
    else:
        assert isinstance(framework, Framework)


@FUZZ
@given(
    text=st.builds(
        lambda original, position, inserted: original[:position] + inserted + original[position:],
        st.just(SHIPPED_TEXT[SHIPPED[0].name].decode()),
        st.integers(0, 2000),
        st.text(st.one_of(surrogates, st.sampled_from(["\x00", "\x01", "\x07", "\x1b", "\x7f"])), min_size=1),
    )
)
def test_framework_text_with_surrogates_or_control_characters_is_refused_clearly(text: str):
    """A ``str`` can hold what no UTF-8 file can (lone surrogates); the loader must still explain."""
    with pytest.raises(FrameworkError) as caught:
        load_framework_text(text, "upload.yaml")
    _check_problems(caught.value, "upload.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 50_000,
        "a: " + "1" * 5000,
        "a: !!python/object/apply:os.system ['true']",
        "x" * (1024 * 1024 + 1),
        "\ufeff" + "id: x",
    ],
    ids=["deep-nesting", "huge-number", "object-tag", "over-1-MiB", "bom"],
)
def test_framework_text_edge_cases_raise_framework_error(text: str):
    with pytest.raises(FrameworkError) as caught:
        load_framework_text(text, "upload.yaml")
    _check_problems(caught.value, "upload.yaml")


# --- From files -----------------------------------------------------------------------------------


def _serialised(data: Any, suffix: str) -> bytes:
    if suffix == ".json":
        # allow_nan keeps NaN/Infinity (Python's json reads them back); surrogates survive as \\udxxx.
        return json.dumps(data, default=repr).encode()
    return yaml.safe_dump(data, allow_unicode=False).encode()


def _json_safe(data: Any) -> Any:
    """Keys as text (json.dumps refuses others), so a mapping reaches the loader as a mapping."""
    if isinstance(data, dict):
        return {str(key): _json_safe(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_json_safe(value) for value in data]
    return data


file_contents = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"[" * 100_000,
            b'{"hours_per_week": ' + b"1" * 5000 + b"}",
            b'{"staff_group": "clinical", "hours_per_week": NaN}',
            b'{"staff_group": "clinical", "location": "\\ud800"}',
            b'{"a": 1, "a": 2}',
            b"\xef\xbb\xbf{}",
            b"\xff\xfe{\x00}\x00",
            b"staff_group: clinical\nstaff_group: clinical\n",
            b"&a [*a, *a]",
        ]
    ),
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-files")


@FUZZ
@given(
    suffix=st.sampled_from([".json", ".yaml", ".yml", ".txt"]),
    content=st.one_of(file_contents, values.map(_json_safe)),
)
def test_load_profile_from_any_file_raises_only_profile_error(files: Path, suffix: str, content: Any):
    path = files / f"profile{suffix}"
    path.write_bytes(content if isinstance(content, bytes) else _serialised(content, suffix))
    try:
        profile = load_profile(path)
    except ProfileError as error:
        _check_problems(error, path.name)
    else:
        assert isinstance(profile, Profile)


@FUZZ
@given(
    suffix=st.sampled_from([".json", ".yaml"]),
    content=st.one_of(
        file_contents,
        st.dictionaries(st.sampled_from(CRITERION_IDS), values, max_size=6).map(_json_safe),
    ),
)
def test_load_ratings_from_any_file_raises_only_ratings_error(files: Path, suffix: str, content: Any):
    path = files / f"ratings{suffix}"
    path.write_bytes(content if isinstance(content, bytes) else _serialised(content, suffix))
    try:
        ratings = load_ratings(path, FRAMEWORK)
    except RatingsError as error:
        _check_problems(error, path.name)
    else:
        assert all(
            rating.no_opportunity or (rating.level is not None and 0 <= rating.level <= FRAMEWORK.max_level)
            for rating in ratings.values()
        )


@FUZZ
@given(content=st.one_of(mutated(SHIPPED_TEXT), file_contents))
def test_load_framework_from_any_file_raises_only_framework_error(files: Path, content: bytes):
    path = files / "framework.yaml"
    path.write_bytes(content)
    try:
        framework = load_framework(path)
    except FrameworkError as error:
        _check_problems(error, path.name)
    else:
        assert isinstance(framework, Framework)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000, "nested too deeply"),
        (b'{"hours_per_week": ' + b"1" * 5000 + b"}", "not valid JSON"),
    ],
    ids=["deep-nesting", "huge-number"],
)
@pytest.mark.parametrize("loader", ["profile", "ratings"])
def test_json_files_too_deep_or_with_huge_numbers_are_explained(
    tmp_path: Path, content: bytes, message: str, loader: str
):
    path = tmp_path / f"{loader}.json"
    path.write_bytes(content)
    expected = ProfileError if loader == "profile" else RatingsError
    with pytest.raises(expected, match=message) as caught:
        load_profile(path) if loader == "profile" else load_ratings(path, FRAMEWORK)
    _check_problems(caught.value, path.name)
