"""The shipped framework files, the loader's messages for bad files, and the format docs.

Programme designers fix framework files from these messages alone, so each error test
asserts the exact text.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from assessments.areas import CAPABILITY_AREAS
from assessments.errors import FrameworkError
from assessments.framework import (
    CLAIMS,
    FRAMEWORKS_DIR,
    MAX_EXPANDED_NODES,
    MAX_FRAMEWORK_BYTES,
    Area,
    ConditionalNations,
    ConditionalSectors,
    Criterion,
    Delivery,
    Domain,
    Eligibility,
    Framework,
    Level,
    Provenance,
    Source,
    framework_from_json,
    load_framework,
    load_framework_text,
    parse_framework,
    shipped_frameworks,
)
from tests.fixtures.frameworks import ALL_MODELLED, MADE_UP

FILES = sorted(FRAMEWORKS_DIR.glob("*.yaml"))
DOCS = Path(__file__).resolve().parents[2] / "docs" / "framework-format.md"
FEDIP_LEVELS = (
    "fedip-practitioner",
    "fedip-senior-practitioner",
    "fedip-advanced-practitioner",
    "fedip-leading-practitioner",
)
REQUIRED_IDS = {
    "nhs-digital-academy-dhlp",
    "chime-chcio",
    *FEDIP_LEVELS,
    "fci-core-competency",
    "prof-doctorate-health-informatics",
    "topol-digital-fellowship",
    "bcs-citp",
    "level5-digital-leadership-social-care",
    "digital-leadership-core",
}
URL = re.compile(r"^https?://\S+$")


def minimal() -> dict[str, Any]:
    """A valid framework with a 0–4 scale and two domains, for breaking one thing at a time."""
    criterion = {"title": "T", "description": "D", "area": "data", "required_level": 2}
    return {
        "id": "bad",
        "name": "Bad",
        "provider": "Test",
        "version": "1",
        "source": "https://example.org/bad",
        "provenance": copy.deepcopy(ALL_MODELLED),
        "summary": "A framework for tests; everything is modelled.",
        "roles": ["any"],
        "levels": [{"value": value, "label": f"L{value}"} for value in range(5)],
        "domains": [
            {"id": "first", "title": "First", "criteria": [{"id": "a.one", **criterion}]},
            {"id": "second", "title": "Second", "criteria": [{"id": "b.one", **criterion}]},
        ],
        "delivery": {"format": "online", "duration_months": 6, "study_hours_per_week": 3},
    }


def as_yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def problems_of(data_or_text: Any) -> list[str]:
    text = data_or_text if isinstance(data_or_text, str | bytes) else as_yaml(data_or_text)
    with pytest.raises(FrameworkError) as caught:
        load_framework_text(text, "bad.yaml")
    return caught.value.problems


def test_minimal_framework_is_valid():
    # Guards every error test below: each one breaks exactly one thing in a valid file.
    framework = load_framework_text(as_yaml(minimal()), "bad.yaml")
    assert framework.max_level == 4
    assert list(framework.criteria_by_id) == ["a.one", "b.one"]


# --- Shipped files -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
class TestShippedFramework:
    def test_loads_with_at_least_four_domains_and_twelve_criteria(self, path: Path):
        framework = load_framework(path)
        assert len(framework.domains) >= 4
        assert sum(len(domain.criteria) for domain in framework.domains) >= 12

    def test_file_is_named_after_its_id(self, path: Path):
        assert load_framework(path).id == path.stem

    def test_ids_are_unique(self, path: Path):
        # Counted from the raw YAML, independently of the loader's own duplicate check.
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        domain_ids = [domain["id"] for domain in raw["domains"]]
        criterion_ids = [criterion["id"] for domain in raw["domains"] for criterion in domain["criteria"]]
        assert len(set(domain_ids)) == len(domain_ids)
        assert len(set(criterion_ids)) == len(criterion_ids)

    def test_cites_its_sources(self, path: Path):
        framework = load_framework(path)
        assert URL.match(framework.source)
        urls = [source.url for source in framework.sources]
        assert framework.source in urls
        assert len(set(urls)) == len(urls)

    def test_is_marked_modelled_when_fees_are_unpublished(self, path: Path):
        framework = load_framework(path)
        if not framework.delivery.fees_published:
            assert framework.modelled
            fee = framework.provenance_of("delivery.fee_gbp")
            assert fee is not None
            assert fee.modelled is not None
            assert "fee" in fee.modelled.lower()

    def test_every_field_is_sourced_or_modelled(self, path: Path):
        # Read from the raw YAML and the schema, independently of the loader's own check.
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        provenance = raw.get("provenance", {})
        source_ids = {source.get("id") for source in raw.get("sources", [])} - {None}
        required = [
            *CLAIMS,
            *(f"delivery.{name}" for name in Delivery.model_fields),
            *(f"eligibility.{name}" for name in Eligibility.model_fields),
            *(f"domains.{domain['id']}" for domain in raw["domains"]),
        ]
        neither = [
            field
            for field in required
            if not any(key in provenance for key in (field, field.rpartition(".")[0]) if key)
        ]
        assert neither == []
        for entry in provenance.values():
            assert entry.get("sources") or entry.get("modelled")
            assert set(entry.get("sources", ())) <= source_ids

    def test_says_what_was_modelled_where_participants_read_it(self, path: Path):
        framework = load_framework(path)
        assert framework.modelled == bool(framework.modelled_notes)
        # Derived from provenance now: the summary no longer carries its own copy.
        assert "what was modelled" not in framework.summary.lower()

    def test_modelled_reasons_never_show_field_paths(self, path: Path):
        framework = load_framework(path)
        field_names = {*Delivery.model_fields, *Eligibility.model_fields, *Framework.model_fields}
        for note in framework.modelled_notes:
            words = set(re.findall(r"[a-z_]+(?:\.[a-z_]+)*", note))
            assert not {word for word in words if "_" in word or "." in word}, note
            assert not words & {name for name in field_names if "_" in name}, note

    def test_every_level_and_criterion_is_explained(self, path: Path):
        framework = load_framework(path)
        assert all(level.description for level in framework.levels)
        for _, criterion in framework.criteria():
            assert 1 <= len(criterion.actions) <= 3, criterion.id

    def test_is_well_under_the_size_limit(self, path: Path):
        assert path.stat().st_size < MAX_FRAMEWORK_BYTES // 16


def test_at_least_eight_frameworks_ship_including_the_named_ones():
    catalogue = shipped_frameworks()
    assert len(catalogue) >= 8
    assert set(catalogue) >= REQUIRED_IDS
    assert set(catalogue) == {path.stem for path in FILES}


def test_required_levels_differ_between_programmes():
    # Readiness should separate a development programme from a certification for sitting CIOs.
    def mean_required(framework: Framework) -> float:
        levels = [criterion.required_level for _, criterion in framework.criteria()]
        return sum(levels) / len(levels)

    catalogue = shipped_frameworks()
    means = {framework_id: mean_required(framework) for framework_id, framework in catalogue.items()}
    assert len({round(mean, 2) for mean in means.values()}) >= len(catalogue) // 2
    assert means["nhs-digital-academy-dhlp"] < means["chime-chcio"]
    assert means["topol-digital-fellowship"] < means["bcs-citp"]


def test_fedip_levels_share_criteria_and_requirements_never_fall():
    catalogue = shipped_frameworks()
    levels = [catalogue[framework_id] for framework_id in FEDIP_LEVELS]

    def shape(framework: Framework) -> list[Any]:
        return [
            (
                domain.id,
                domain.title,
                domain.description,
                c.id,
                c.title,
                c.description,
                c.area,
                c.weight,
                c.actions,
            )
            for domain, c in framework.criteria()
        ]

    assert all(shape(level) == shape(levels[0]) for level in levels)
    assert all(level.levels == levels[0].levels and level.delivery == levels[0].delivery for level in levels)
    for lower, higher in itertools.pairwise(levels):
        pairs = [
            (lower.criteria_by_id[criterion_id].required_level, c.required_level)
            for criterion_id, c in higher.criteria_by_id.items()
        ]
        assert all(low <= high for low, high in pairs), (lower.id, higher.id)
        assert sum(high for _, high in pairs) > sum(low for low, _ in pairs), (lower.id, higher.id)


def test_area_literal_matches_the_capability_areas():
    assert list(get_args(Area)) == list(CAPABILITY_AREAS)


# --- Loader errors (exact messages) ------------------------------------------------------------


@pytest.mark.parametrize("required_level", [5, -1, 100])
def test_required_level_outside_the_scale_is_refused(required_level: int):
    data = minimal()
    data["domains"][0]["criteria"][0]["required_level"] = required_level
    assert problems_of(data) == ["bad.yaml: domains[0].criteria[0].required_level: must be between 0 and 4"]


def test_required_level_is_checked_against_the_files_own_scale():
    data = minimal()
    data["levels"] = data["levels"][:3]
    data["domains"][1]["criteria"][0]["required_level"] = 3
    assert problems_of(data) == ["bad.yaml: domains[1].criteria[0].required_level: must be between 0 and 2"]


def test_duplicate_criterion_id_across_domains_is_refused():
    data = minimal()
    data["domains"][1]["criteria"][0]["id"] = "a.one"
    assert problems_of(data) == ["bad.yaml: domains[1].criteria[0].id: duplicate criterion id 'a.one'"]


def test_duplicate_criterion_id_within_a_domain_is_refused():
    data = minimal()
    data["domains"][0]["criteria"].append(copy.deepcopy(data["domains"][0]["criteria"][0]))
    assert problems_of(data) == ["bad.yaml: domains[0].criteria[1].id: duplicate criterion id 'a.one'"]


def test_duplicate_domain_id_is_refused():
    data = minimal()
    data["domains"][1]["id"] = "first"
    assert problems_of(data) == ["bad.yaml: domains[1].id: duplicate domain id 'first'"]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ((), "bad.yaml: colour: is not a recognised key"),
        (("delivery",), "bad.yaml: delivery.colour: is not a recognised key"),
        (("domains", 1, "criteria", 0), "bad.yaml: domains[1].criteria[0].colour: is not a recognised key"),
        (("levels", 2), "bad.yaml: levels[2].colour: is not a recognised key"),
    ],
)
def test_unknown_key_is_refused_wherever_it_is(where: tuple[Any, ...], expected: str):
    data = minimal()
    target = data
    for step in where:
        target = target[step]
    target["colour"] = "blue"
    assert problems_of(data) == [expected]


def test_misspelt_eligibility_key_is_refused():
    data = minimal()
    data["eligibility"] = {"nation": ["england"]}
    assert problems_of(data) == ["bad.yaml: eligibility.nation: is not a recognised key"]


def test_every_problem_is_reported_not_just_the_first():
    data = minimal()
    data["levels"] = [level for level in data["levels"] if level["value"] != 3]
    data["domains"][1]["id"] = "first"
    data["domains"][1]["criteria"][0]["id"] = "a.one"
    assert problems_of(data) == [
        "bad.yaml: levels: values must run 0, 1, 2 … without gaps or repeats (got [0, 1, 2, 4])",
        "bad.yaml: domains[1].id: duplicate domain id 'first'",
        "bad.yaml: domains[1].criteria[0].id: duplicate criterion id 'a.one'",
    ]


@pytest.mark.parametrize(
    "values",
    [[0, 1, 3], [1, 2, 3], [0, 1, 1], [0, 2]],
    ids=["gap", "no-zero", "repeat", "two-with-gap"],
)
def test_level_values_with_gaps_or_repeats_are_refused(values: list[int]):
    data = minimal()
    data["levels"] = [{"value": value, "label": f"L{value}"} for value in values]
    for domain in data["domains"]:
        domain["criteria"][0]["required_level"] = 0
    assert problems_of(data) == [
        f"bad.yaml: levels: values must run 0, 1, 2 … without gaps or repeats (got {values})"
    ]


def test_levels_out_of_order_are_accepted():
    data = minimal()
    data["levels"].reverse()
    assert load_framework_text(as_yaml(data), "ok.yaml").max_level == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: a\nid: b\n", "bad.yaml: not valid YAML (line 2, column 1): duplicate key 'id'"),
        (
            "delivery:\n  format: online\n  format: blended\n",
            "bad.yaml: not valid YAML (line 3, column 3): duplicate key 'format'",
        ),
    ],
    ids=["top-level", "nested"],
)
def test_duplicate_yaml_key_is_refused_with_its_line(text: str, expected: str):
    assert problems_of(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id: a\n  name: b\n",
            "bad.yaml: not valid YAML (line 2, column 7): mapping values are not allowed here",
        ),
        (
            "id: a\ndomains: [\n",
            "bad.yaml: not valid YAML (line 3, column 1): "
            "expected the node content, but found '<stream end>'",
        ),
        (
            'id: a\nsummary: "open\n',
            "bad.yaml: not valid YAML (line 3, column 1): found unexpected end of stream",
        ),
        (
            "id: a\n\tname: b\n",
            "bad.yaml: not valid YAML (line 2, column 1): found character '\\t' that cannot start any token",
        ),
    ],
    ids=["bad-indent", "unclosed-list", "unclosed-quote", "tab"],
)
def test_invalid_yaml_is_reported_with_its_line(text: str, expected: str):
    assert problems_of(text) == [expected]


def test_python_object_tag_is_refused_without_running_it(monkeypatch: pytest.MonkeyPatch):
    calls: list[str] = []
    monkeypatch.setattr(os, "system", calls.append)
    text = 'id: !!python/object/apply:os.system ["echo pwned"]\n'
    assert problems_of(text) == [
        "bad.yaml: not valid YAML (line 1, column 5): could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    ]
    assert calls == []


@pytest.mark.parametrize(
    "text", ["- a\n- b\n", "just some text\n", "42\n", "", "null\n", "# only a comment\n"]
)
def test_top_level_that_is_not_a_mapping_is_refused(text: str):
    assert problems_of(text) == ["bad.yaml: the file must be a YAML mapping of keys to values"]


def test_text_over_one_mebibyte_is_refused_before_parsing():
    text = "x" * (MAX_FRAMEWORK_BYTES + 1)
    assert problems_of(text) == [
        "bad.yaml: the file is 1,048,577 bytes; the limit is 1,048,576 bytes (1 MiB)"
    ]


def test_size_limit_counts_utf8_bytes_not_characters():
    text = "£" * (MAX_FRAMEWORK_BYTES // 2 + 1)  # two bytes each
    assert problems_of(text) == [
        "bad.yaml: the file is 1,048,578 bytes; the limit is 1,048,576 bytes (1 MiB)"
    ]


def test_file_of_exactly_one_mebibyte_loads_and_one_byte_more_is_refused(tmp_path: Path):
    body = as_yaml(minimal())
    padding = MAX_FRAMEWORK_BYTES - len(body.encode()) - 2
    exact = body + "#" + "x" * padding + "\n"
    path = tmp_path / "big.yaml"
    path.write_text(exact, encoding="utf-8")
    assert path.stat().st_size == MAX_FRAMEWORK_BYTES
    assert load_framework(path).id == "bad"

    path.write_text(exact + "\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert caught.value.problems == [
        "big.yaml: the file is 1,048,577 bytes; the limit is 1,048,576 bytes (1 MiB)"
    ]


def test_missing_file_is_reported_by_name(tmp_path: Path):
    with pytest.raises(FrameworkError) as caught:
        load_framework(tmp_path / "absent.yaml")
    assert caught.value.problems == ["absent.yaml: cannot be read (No such file or directory)"]


def test_bytes_that_are_not_utf8_are_refused():
    assert problems_of(b"id: caf\xe9\n") == ["bad.yaml: the file is not UTF-8 text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "{[1]: 2}\n",
            "bad.yaml: not valid YAML (line 1, column 2): a key must be a plain value, not a list or mapping",
        ),
        (
            "? {a: 1}\n: 2\n",
            "bad.yaml: not valid YAML (line 1, column 3): a key must be a plain value, not a list or mapping",
        ),
        (
            "domains: &d [*d]\n",
            "bad.yaml: not valid YAML (line 1, column 10): "
            "an alias refers to the list or mapping that contains it",
        ),
        ("[" * 5000, "bad.yaml: not valid YAML: lists or mappings are nested too deeply"),
    ],
    ids=["list-key", "mapping-key", "self-alias", "deep-nesting"],
)
def test_yaml_that_python_cannot_hold_is_refused(text: str, expected: str):
    assert problems_of(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "version: 2026-02-30\n",
            "bad.yaml: not valid YAML (line 1, column 10): "
            "'2026-02-30' is not a valid date (put it in quotes if it is meant as text)",
        ),
        (
            "id: !!int x\n",
            "bad.yaml: not valid YAML (line 1, column 5): "
            "'x' is not a valid whole number (put it in quotes if it is meant as text)",
        ),
        (
            "modelled: !!bool perhaps\n",
            "bad.yaml: not valid YAML (line 1, column 11): "
            "'perhaps' is not a valid true/false value (put it in quotes if it is meant as text)",
        ),
    ],
    ids=["impossible-date", "int-tag", "bool-tag"],
)
def test_value_that_does_not_fit_its_type_is_reported_with_its_line(text: str, expected: str):
    assert problems_of(text) == [expected]


def test_aliases_that_multiply_the_file_are_refused():
    # A file of under 1 KB that would expand to 40 x 40 x 40 x 4 = 256,000 values.
    text = (
        "a: &a [" + ", ".join(["x"] * 40) + "]\n"
        "b: &b [" + ", ".join(["*a"] * 40) + "]\n"
        "c: &c [" + ", ".join(["*b"] * 40) + "]\n"
        "d: [*c, *c, *c, *c]\n"
    )
    assert len(text) < 1000
    assert MAX_EXPANDED_NODES < 40 * 40 * 40 * 4
    assert problems_of(text) == [
        f"bad.yaml: not valid YAML (line 1, column 1): aliases expand the document to more than "
        f"{MAX_EXPANDED_NODES:,} values; write the repeated parts out instead"
    ]


def test_anchors_for_shared_text_still_work():
    data = minimal()
    text = as_yaml(data).replace("description: D", "description: &shared Shared text", 1)
    text = text.replace("description: D", "description: *shared", 1)
    framework = load_framework_text(text, "ok.yaml")
    assert [c.description for _, c in framework.criteria()] == ["Shared text", "Shared text"]


# --- Robustness --------------------------------------------------------------------------------

junk_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


# Random text rarely looks like YAML, so also build YAML-shaped junk: token soup from YAML's own
# punctuation, and nested flow collections whose keys may themselves be lists or mappings,
# anchored or aliased ("{[a]: 1}", "&a [*a]").
YAML_TOKENS = ["{", "}", "[", "]", ": ", ":", ", ", "- ", "? ", "&a ", "*a", "!!str ", "!!set ", "!!binary "]
YAML_TOKENS += ["a", "1", "~", "'", '"', "#", "\n", "  ", "|", ">", "<<: ", "%YAML 1.1\n", "---\n", "..."]
yaml_token_soup = st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join)
yaml_flow = st.recursive(
    st.sampled_from(["a", "1", "~", "''", '"x"', "*a", "!!str a", "!!int x", "2020-01-01"]),
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
        | st.lists(st.tuples(inner, inner), max_size=3).map(
            lambda pairs: "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"
        )
        | inner.map(lambda node: "&a " + node)
    ),
    max_leaves=10,
)


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400), yaml_token_soup, yaml_flow))
def test_junk_text_or_bytes_raises_only_framework_error(junk: str | bytes):
    with pytest.raises(FrameworkError) as caught:
        load_framework_text(junk, "junk.yaml")
    assert all(problem.startswith("junk.yaml: ") for problem in caught.value.problems)


def _key_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            paths += _key_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            paths += _key_paths(value, (*prefix, index))
    return paths


MINIMAL_PATHS = _key_paths(minimal())


@settings(deadline=None, max_examples=200)
@given(st.sampled_from(MINIMAL_PATHS), junk_values)
def test_valid_file_with_one_value_replaced_by_junk_loads_or_raises_framework_error(
    path: tuple[Any, ...], junk: Any
):
    data = minimal()
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = junk
    try:
        framework = load_framework_text(as_yaml(data), "junk.yaml")
    except FrameworkError as problem:
        assert problem.problems
        assert all(line.startswith("junk.yaml: ") for line in problem.problems)
    else:
        assert isinstance(framework, Framework)


# --- The format documentation ------------------------------------------------------------------

DOC_TEXT = DOCS.read_text(encoding="utf-8")
MODELS: list[type[BaseModel]] = [
    Framework,
    Source,
    Provenance,
    Level,
    Domain,
    Criterion,
    Delivery,
    Eligibility,
    ConditionalSectors,
    ConditionalNations,
]


def _literal_values(annotation: Any) -> set[str]:
    if get_origin(annotation) is Literal:
        return {str(value) for value in get_args(annotation)}
    if get_origin(annotation) in (typing.Union, types.UnionType, tuple, typing.Annotated):
        return set().union(*(_literal_values(arg) for arg in get_args(annotation)))
    return set()


@pytest.mark.parametrize("model", MODELS, ids=[model.__name__ for model in MODELS])
def test_docs_describe_every_key_and_allowed_value(model: type[BaseModel]):
    for name, field in model.model_fields.items():
        assert re.search(rf"\| `(?:[\w\[\]]+\.)?{name}` \|", DOC_TEXT), (
            f"{model.__name__}.{name} is not documented"
        )
        for value in _literal_values(field.annotation):
            assert f"`{value}`" in DOC_TEXT, f"{model.__name__}.{name} value {value!r} is not documented"


def test_docs_list_the_capability_areas_as_in_the_code():
    for area in CAPABILITY_AREAS.values():
        assert f"| `{area.id}` | {area.title} | {area.description} |" in DOC_TEXT


def test_docs_minimal_example_is_valid():
    example = re.search(r"```yaml\n(.*?)```", DOC_TEXT, flags=re.DOTALL)
    assert example is not None
    framework = load_framework_text(example.group(1), "my-programme.yaml")
    assert framework.id == "my-programme"


def test_docs_name_every_shipped_framework():
    for framework_id in shipped_frameworks():
        assert f"`{framework_id}`" in DOC_TEXT


def test_parse_framework_names_the_file_in_every_message():
    with pytest.raises(FrameworkError) as caught:
        parse_framework({"id": "x"}, "named.yaml")
    assert caught.value.problems[0] == "named.yaml: name: is required"
    assert all(problem.startswith("named.yaml: ") for problem in caught.value.problems)


def test_unpublished_fees_must_be_marked_modelled():
    data = minimal()
    data["sources"] = [{"id": "page", "title": "Page", "url": "https://example.org/page"}]
    data["provenance"]["delivery.fee_gbp"] = {"sources": ["page"]}
    data["delivery"]["fees_published"] = False
    assert problems_of(data) == [
        "bad.yaml: (top level): delivery.fees_published is false, so provenance must give "
        "delivery.fee_gbp a modelled reason"
    ]
    data["provenance"]["delivery.fee_gbp"]["modelled"] = "The fee is not published; £100 is a guess."
    assert load_framework_text(as_yaml(data), "bad.yaml").modelled


# --- Provenance: every fact sourced or modelled ---------------------------------------------------


def with_sources(data: dict[str, Any]) -> dict[str, Any]:
    data["sources"] = [
        {"id": "about", "title": "About", "url": "https://example.org/about"},
        {"id": "fees", "title": "Fees", "url": "https://example.org/fees"},
    ]
    return data


def test_field_neither_sourced_nor_modelled_is_refused_naming_file_and_field():
    data = minimal()
    del data["provenance"]["delivery"]
    data["provenance"].update(
        {f"delivery.{name}": {"modelled": "Made up."} for name in Delivery.model_fields}
    )
    del data["provenance"]["delivery.residential"]
    assert problems_of(data) == [
        "bad.yaml: delivery.residential: neither sourced nor modelled: add it to provenance with the ids "
        "of the sources that state it, or a modelled reason"
    ]


def test_a_file_without_provenance_lists_every_field_it_must_cover():
    data = minimal()
    del data["provenance"]
    problems = problems_of(data)
    assert "bad.yaml: name: neither sourced nor modelled" in "\n".join(problems)
    assert {problem.split(": ")[1] for problem in problems} == {
        *CLAIMS,
        *(f"delivery.{name}" for name in Delivery.model_fields),
        *(f"eligibility.{name}" for name in Eligibility.model_fields),
        "domains.first",
        "domains.second",
    }


def test_section_entry_covers_its_fields_and_domain_entries_cover_domains():
    data = with_sources(minimal())
    del data["provenance"]["domains"]
    data["provenance"]["domains.first"] = {"sources": ["about"]}
    assert problems_of(data) == [
        "bad.yaml: domains.second: neither sourced nor modelled: add it to provenance with the ids of the "
        "sources that state it, or a modelled reason"
    ]
    data["provenance"]["domains.second"] = {"modelled": "Our own criteria."}
    framework = load_framework_text(as_yaml(data), "ok.yaml")
    assert framework.provenance_of("domains.first") == Provenance(sources=("about",))
    assert framework.provenance_of("delivery.venues") == framework.provenance["delivery"]


def test_source_id_that_is_not_listed_is_refused():
    data = with_sources(minimal())
    data["provenance"]["delivery.fee_gbp"] = {"sources": ["fees", "prices"]}
    assert problems_of(data) == [
        "bad.yaml: provenance.delivery.fee_gbp: 'prices' is not the id of one of the file's sources "
        "(about, fees)"
    ]


def test_provenance_for_something_that_is_not_a_field_is_refused():
    data = minimal()
    data["provenance"]["delivery.fee"] = {"modelled": "Made up."}
    data["provenance"]["domains.third"] = {"modelled": "Made up."}
    assert problems_of(data) == [
        "bad.yaml: provenance.delivery.fee: not a field of the framework that can be sourced",
        "bad.yaml: provenance.domains.third: not a field of the framework that can be sourced",
    ]


def test_provenance_entry_must_give_sources_or_a_reason():
    data = minimal()
    data["provenance"]["name"] = {}
    assert problems_of(data) == [
        "bad.yaml: provenance.name: give the ids of the sources that state it, or why it is modelled"
    ]


def test_duplicate_source_ids_are_refused():
    data = with_sources(minimal())
    data["sources"][1]["id"] = "about"
    assert problems_of(data) == ["bad.yaml: sources: duplicate source id 'about'"]


@pytest.mark.parametrize(("stated", "loads"), [(None, True), (True, True), (False, False)])
def test_modelled_is_worked_out_from_provenance(stated: bool | None, loads: bool):
    data = minimal()
    if stated is not None:
        data["modelled"] = stated
    if loads:
        assert load_framework_text(as_yaml(data), "ok.yaml").modelled is True
    else:
        assert problems_of(data) == [
            "bad.yaml: (top level): modelled is worked out from provenance (here true); leave it out"
        ]


def test_fully_sourced_file_is_not_modelled_and_has_no_notes():
    data = with_sources(minimal())
    data["provenance"] = {key: {"sources": ["about"]} for key in data["provenance"]}
    framework = load_framework_text(as_yaml(data), "ok.yaml")
    assert framework.modelled is False
    assert framework.modelled_notes == ()


def test_modelled_notes_keep_file_order_and_say_each_reason_once():
    data = with_sources(minimal())
    data["provenance"] = {key: {"sources": ["about"]} for key in data["provenance"]}
    data["provenance"]["levels"] = {"modelled": "The scale is ours."}
    data["provenance"]["delivery"] = {"sources": ["fees"], "modelled": "Hours are a guess."}
    data["provenance"]["eligibility"] = {"modelled": "The scale is ours."}
    framework = load_framework_text(as_yaml(data), "ok.yaml")
    assert framework.modelled_notes == ("The scale is ours.", "Hours are a guess.")


def test_snapshot_saved_before_provenance_still_loads_with_its_flag():
    framework = load_framework_text(as_yaml(minimal()), "ok.yaml")
    old = json.loads(framework.to_json())
    del old["provenance"]
    for source in old["sources"]:
        source.pop("id")
    restored = framework_from_json(json.dumps(old))
    assert restored.modelled is True
    assert restored.provenance == {}


@pytest.mark.parametrize(
    ("key", "main", "values", "expected"),
    [
        (
            "nations",
            [],
            ["wales"],
            "eligibility.conditional_nations: needs eligibility.nations (with no "
            "nations listed, all are open)",
        ),
        (
            "nations",
            ["england"],
            ["england", "wales"],
            "eligibility.conditional_nations.nations: already open without a condition: england",
        ),
        (
            "sectors",
            ["nhs-acute"],
            ["nhs-acute"],
            "eligibility.conditional_sectors.sectors: already open without a condition: nhs-acute",
        ),
    ],
)
def test_conditional_eligibility_must_add_to_the_main_list(key, main, values, expected):
    data = minimal()
    data["eligibility"] = {key: main, f"conditional_{key}": {key: values, "condition": "if you ask"}}
    assert problems_of(data) == [f"bad.yaml: {expected}"]


# --- The facts the sources support ---------------------------------------------------------------


def test_dhlp_facts_match_the_cohort_8_pages():
    dhlp = shipped_frameworks()["nhs-digital-academy-dhlp"]
    conditional = dhlp.eligibility.conditional_sectors
    assert conditional == ConditionalSectors(
        sectors=("voluntary-sector", "independent-sector", "social-care", "local-authority"),
        condition="employed by an NHS organisation or a commissioned NHS service in England",
    )
    # One 12-month route studied alongside work, not a part-time pathway: the summary must agree.
    assert dhlp.delivery.part_time_pathway is False
    assert "part-time" not in dhlp.summary
    assert "part time" not in dhlp.summary
    for path in ("delivery.residential", "eligibility.min_years_digital", "delivery.in_person_days"):
        entry = dhlp.provenance_of(path)
        assert entry is not None
        assert entry.modelled is not None, path
    assert "cohort-5" in dhlp.provenance["eligibility.min_years_digital"].sources


def test_chcio_international_route_rests_on_membership_and_marks_the_2010_rules():
    chcio = shipped_frameworks()["chime-chcio"]
    assert chcio.provenance["eligibility.membership_required"] == Provenance(sources=("international",))
    for path in (
        "eligibility.min_qualification",
        "eligibility.min_years_digital",
        "eligibility.min_years_leadership",
        "eligibility.min_role_level",
        "delivery.cpd_hours_once",
        "delivery.content_jurisdiction",
    ):
        entry = chcio.provenance_of(path)
        assert entry is not None
        assert entry.modelled is not None, path
    # 25 CEUs once, within 12 months of passing; no yearly figure is published.
    assert (chcio.delivery.cpd_hours_once, chcio.delivery.cpd_hours_per_year) == (25, 0)
    assert chcio.delivery.content_jurisdiction == "international"


def test_fci_says_the_body_closed_and_the_fee_is_the_2018_fellowship_fee():
    fci = shipped_frameworks()["fci-core-competency"]
    for fact in ("closed", "BCS", "2024"):
        assert fact in fci.summary
    fee = fci.provenance_of("delivery.fee_gbp")
    assert fee is not None
    assert fee.modelled is not None
    assert "Fellowship" in fee.modelled
    assert "fellowship-2018" in fee.sources


def test_topol_sponsored_places_are_open_across_the_uk():
    topol = shipped_frameworks()["topol-digital-fellowship"]
    assert topol.eligibility.nations == ("england",)
    assert topol.eligibility.conditional_nations == ConditionalNations(
        nations=("wales", "scotland", "northern-ireland"),
        condition="a limited number of sponsored places are available to applicants throughout the UK",
    )
    # The two face-to-face days are the cohort 2 page's opening day and closing showcase.
    assert topol.delivery.in_person_days == 2
    assert topol.provenance["delivery.in_person_days"].sources == ("cohort-2-info",)


def test_level5_award_has_no_sector_rule_as_its_summary_says():
    level5 = shipped_frameworks()["level5-digital-leadership-social-care"]
    assert "No formal entry requirement" in level5.summary
    assert level5.eligibility.sectors == ()


FIELD_PATHS = [
    *CLAIMS,
    *(f"delivery.{name}" for name in Delivery.model_fields),
    *(f"eligibility.{name}" for name in Eligibility.model_fields),
    "domains.first",
    "domains.second",
]


@settings(max_examples=50, deadline=None)
@given(st.sets(st.sampled_from(FIELD_PATHS), min_size=1))
def test_loader_names_exactly_the_fields_left_uncovered(removed: set[str]):
    data = minimal()
    data["provenance"] = {path: MADE_UP for path in FIELD_PATHS if path not in removed}
    problems = problems_of(data)
    assert problems == [
        f"bad.yaml: {path}: neither sourced nor modelled: add it to provenance with the ids of the sources "
        "that state it, or a modelled reason"
        for path in FIELD_PATHS
        if path in removed
    ]


def _releases() -> dict[tuple[str, str], str]:
    lines = (FRAMEWORKS_DIR / "releases.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return {(framework_id, version): fingerprint for framework_id, version, fingerprint in rows}


def test_a_shipped_framework_whose_content_changed_has_a_new_version():
    """Results and designer figures are kept per version, so one version must mean one content."""
    released = _releases()
    for framework_id, framework in shipped_frameworks().items():
        key = (framework_id, framework.version)
        assert key in released, (
            f"{framework_id} {framework.version} is not in assessments/frameworks/releases.tsv: add it"
        )
        assert released[key] == framework.fingerprint(), (
            f"{framework_id} changed but is still version {framework.version}: give it a new version "
            "and add a line to assessments/frameworks/releases.tsv"
        )


def test_one_shipped_framework_is_read_from_its_own_file_and_equals_the_catalogues():
    """``shipped_framework`` (one file) gives what ``shipped_frameworks`` (all of them) does."""
    from assessments import framework as module

    module._shipped_by_file.cache_clear()
    for framework_id, framework in shipped_frameworks().items():
        assert module._shipped_by_file(framework_id) == framework
        assert module.shipped_framework(framework_id) == framework
    for unknown in ("no-such-programme", "../frameworks/bcs-citp", "releases", "BCS-CITP", ""):
        assert module._shipped_by_file(unknown) is None
        assert module.shipped_framework(unknown) is None


def test_a_shipped_file_not_named_after_its_id_is_refused(tmp_path: Path, monkeypatch):
    from assessments import framework as module

    text = (FRAMEWORKS_DIR / "bcs-citp.yaml").read_text(encoding="utf-8")
    (tmp_path / "another-name.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(module, "FRAMEWORKS_DIR", tmp_path)
    module._shipped_by_file.cache_clear()
    try:
        with pytest.raises(FrameworkError, match=r"another-name\.yaml: .* named after its id 'bcs-citp'"):
            module._shipped_by_file("another-name")
    finally:
        module._shipped_by_file.cache_clear()
