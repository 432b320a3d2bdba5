import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.content_validity import RELEVANCE
from assessments.errors import RatingsError
from assessments.framework import parse_framework
from assessments.ratings import MAX_EVIDENCE_CHARS, NO_OPPORTUNITY, Rating, load_ratings, parse_ratings
from tests.fixtures.frameworks import ALL_MODELLED


@pytest.fixture(scope="module")
def framework():
    return parse_framework(
        {
            "id": "tiny",
            "name": "Tiny",
            "provider": "Test",
            "version": "1",
            "source": "https://example.org",
            "provenance": ALL_MODELLED,
            "summary": "A tiny framework for tests.",
            "roles": ["cio"],
            "levels": [{"value": v, "label": f"L{v}"} for v in range(5)],
            "domains": [
                {
                    "id": "d",
                    "title": "D",
                    "criteria": [
                        {
                            "id": "d.one",
                            "title": "One",
                            "description": "x",
                            "area": "data",
                            "required_level": 3,
                        },
                        {
                            "id": "d.two",
                            "title": "Two",
                            "description": "x",
                            "area": "change",
                            "required_level": 2,
                        },
                    ],
                }
            ],
            "delivery": {"format": "online", "duration_months": 6, "study_hours_per_week": 3},
        },
        "tiny.yaml",
    )


def test_levels_no_opportunity_and_evidence_are_read(framework):
    ratings = parse_ratings(
        {"d.one": 4, "d.two": {"level": NO_OPPORTUNITY, "evidence": "Ran a hackathon"}}, framework
    )
    assert ratings["d.one"] == Rating(level=4)
    assert ratings["d.two"] == Rating(no_opportunity=True, evidence="Ran a hackathon")
    assert ratings["d.two"].scored_level == 0


def test_every_problem_is_reported_by_criterion_id(framework):
    with pytest.raises(RatingsError) as problem:
        parse_ratings({"d.one": 5, "d.two": "three", "d.nine": 1}, framework, "r.yaml")
    assert problem.value.problems == [
        "r.yaml: d.one: level must be a whole number from 0 to 4, or 'no-opportunity'",
        "r.yaml: d.two: level must be a whole number from 0 to 4, or 'no-opportunity'",
        "r.yaml: d.nine: not a criterion of tiny 1",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "level must be a whole number"),
        (2.5, "level must be a whole number"),
        ({"evidence": "x"}, "d.one.level: is required"),
        ({"level": 1, "notes": "x"}, "unknown keys ['notes']"),
        ({"level": 1, "evidence": 7}, "d.one.evidence: must be text"),
        ({"level": 1, "evidence": "x" * (MAX_EVIDENCE_CHARS + 1)}, "must be 5,000 characters or fewer"),
    ],
)
def test_wrong_types_are_refused(framework, value, message):
    with pytest.raises(RatingsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_ratings({"d.one": value}, framework)


def test_rating_is_a_level_or_no_opportunity_never_both():
    with pytest.raises(ValueError, match="either a level or no-opportunity"):
        Rating(level=2, no_opportunity=True)
    with pytest.raises(ValueError, match="either a level or no-opportunity"):
        Rating()


@pytest.mark.parametrize("relevance", [*RELEVANCE, None])
def test_a_rating_may_carry_one_of_lawshes_answers(relevance):
    assert Rating(level=1, relevance=relevance).relevance == relevance
    assert Rating(no_opportunity=True, relevance=relevance).scored_level == 0


@pytest.mark.parametrize("relevance", ["vital", "Essential", "", "no-answer"])
def test_any_other_relevance_is_refused(relevance):
    with pytest.raises(ValueError, match="relevance must be one of essential, useful, not-necessary"):
        Rating(level=1, relevance=relevance)


def test_load_ratings_from_yaml(tmp_path, framework):
    path = tmp_path / "r.yaml"
    path.write_text("d.one: 2\nd.two: no-opportunity\n")
    assert load_ratings(path, framework)["d.two"].no_opportunity


@given(
    st.dictionaries(st.sampled_from(["d.one", "d.two", "x"]), st.one_of(st.integers(), st.text(), st.none()))
)
def test_any_mapping_either_parses_or_raises_ratings_error(framework, data):
    try:
        ratings = parse_ratings(data, framework)
    except RatingsError as problem:
        assert problem.problems
    else:
        assert all(0 <= r.scored_level <= 4 for r in ratings.values())


# --- Job relevance in a file --------------------------------------------------------------------


@pytest.mark.parametrize("relevance", list(RELEVANCE))
def test_a_file_rating_may_say_how_important_the_criterion_is(framework, relevance):
    ratings = parse_ratings(
        {
            "d.one": {"level": 2, "relevance": relevance},
            "d.two": {"level": NO_OPPORTUNITY, "relevance": relevance},
        },
        framework,
    )
    assert ratings["d.one"] == Rating(level=2, relevance=relevance)
    assert ratings["d.two"] == Rating(no_opportunity=True, relevance=relevance)


def test_relevance_is_optional_in_a_file(framework):
    assert parse_ratings({"d.one": {"level": 2}, "d.two": 1}, framework) == {
        "d.one": Rating(level=2),
        "d.two": Rating(level=1),
    }


@pytest.mark.parametrize(
    "relevance", ["vital", "Essential", "Essential to my job", "", "no-answer", None, 1, True]
)
def test_an_unknown_relevance_in_a_file_is_refused_naming_the_criterion(framework, relevance):
    with pytest.raises(RatingsError) as problem:
        parse_ratings({"d.one": 1, "d.two": {"level": 2, "relevance": relevance}}, framework, "r.yaml")
    assert problem.value.problems == [
        f"r.yaml: d.two.relevance: {relevance!r} is not an answer; "
        "use one of essential, useful, not-necessary, or leave it out"
    ]


def test_unknown_keys_name_every_key_a_rating_may_have(framework):
    with pytest.raises(RatingsError) as problem:
        parse_ratings({"d.one": {"level": 1, "importance": "essential"}}, framework, "r.yaml")
    assert problem.value.problems == [
        "r.yaml: d.one: unknown keys ['importance']; use level, evidence and relevance"
    ]


def test_load_ratings_reads_relevance_from_yaml_and_json(tmp_path, framework):
    (tmp_path / "r.yaml").write_text("d.one: {level: 2, relevance: useful}\nd.two: no-opportunity\n")
    (tmp_path / "r.json").write_text(
        '{"d.one": {"level": 2, "relevance": "useful"}, "d.two": "no-opportunity"}'
    )
    for name in ("r.yaml", "r.json"):
        ratings = load_ratings(tmp_path / name, framework)
        assert ratings["d.one"].relevance == "useful"
        assert ratings["d.two"].relevance is None


file_ratings = st.builds(
    Rating,
    level=st.integers(0, 4),
    evidence=st.text(max_size=40),
    relevance=st.sampled_from([*RELEVANCE, None]),
) | st.builds(
    lambda evidence, relevance: Rating(no_opportunity=True, evidence=evidence, relevance=relevance),
    st.text(max_size=40),
    st.sampled_from([*RELEVANCE, None]),
)


def _as_file_entry(rating: Rating) -> dict[str, object]:
    entry: dict[str, object] = {"level": NO_OPPORTUNITY if rating.no_opportunity else rating.level}
    if rating.evidence:
        entry["evidence"] = rating.evidence
    if rating.relevance is not None:
        entry["relevance"] = rating.relevance
    return entry


@given(st.dictionaries(st.sampled_from(["d.one", "d.two"]), file_ratings))
def test_every_rating_written_as_a_file_entry_reads_back_the_same(framework, ratings):
    assert parse_ratings({key: _as_file_entry(r) for key, r in ratings.items()}, framework) == ratings


@pytest.mark.parametrize("page", ["docs/profile-format.md", "docs/content-validity.md"])
def test_the_docs_list_the_relevance_answers_as_declared(page):
    text = Path(page).read_text()
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| ([^|]+?) \|$", text, flags=re.MULTILINE))
    assert {key: rows.get(key) for key in RELEVANCE} == RELEVANCE
