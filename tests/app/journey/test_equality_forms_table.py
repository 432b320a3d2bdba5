"""The equality pages, pinned to what they showed before their forms were generated from one table.

``tests/fixtures/equality_pages.json`` was recorded from the hand-written form classes. Each topic
page is rendered blank, with every question wrongly answered, and with answers stored; the
all-in-one ``/profile/equality`` address wrongly answered in full and in part. Each render is kept
twice: as a readable shape (legend, hint, error, options with ids, names, values, labels) that
gives a useful diff, and as a SHA-256 digest of the exact HTML of ``<main>`` (less the
per-session CSRF token), which holds the pages byte-for-byte the same for the people using them.

To record it again after an intended change to the wording, run this module with
``CERTREADY_WRITE_EQUALITY_SNAPSHOT=1``: it writes the file and fails, so a run that writes the
expected data can never pass; then review the diff of the JSON file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from app.journey.profile_forms import ALL_EQUALITY, EQUALITY_PAGES
from app.models import Profile, User
from tests.app.journey.conftest import give_profile
from tests.fixtures.pages import assert_page_basics, error_messages

SNAPSHOT_FILE = Path(__file__).parents[2] / "fixtures" / "equality_pages.json"
WRITE = os.environ.get("CERTREADY_WRITE_EQUALITY_SNAPSHOT") == "1"
PREFER_NOT = "prefer-not-to-say"
NOT_A_CHOICE = "not-a-choice"

_CSRF = re.compile(r'<input type="hidden" name="csrf_token" value="[^"]*">')
_MAIN = re.compile(r"<main\b.*?</main>", re.DOTALL)


def _recorded() -> dict[str, Any]:
    return {} if WRITE else json.loads(SNAPSHOT_FILE.read_text(encoding="utf-8"))


RECORDED = _recorded()
# The topic pages in journey order, as recorded (not as the code under test now lists them).
TOPICS: list[str] = [slug for slug in RECORDED if slug != ALL_EQUALITY.slug] if RECORDED else []
TOPIC_SLUGS = [page.slug for page in EQUALITY_PAGES] if WRITE else TOPICS


def _text(element: Any) -> str | None:
    return element.get_text(" ", strip=True) if element is not None else None


def _shape(page: BeautifulSoup) -> dict[str, Any]:
    """What a person reads and sends on the page, without layout."""
    form = page.select_one("#profile-form")
    questions = []
    for fieldset in form.select("fieldset"):
        hint = fieldset.select_one(".nhsuk-hint")
        error = fieldset.select_one(".nhsuk-error-message")
        divider = fieldset.select_one(".nhsuk-radios__divider")
        after_divider = divider.find_next("input") if divider is not None else None
        questions.append(
            {
                "legend": _text(fieldset.legend),
                "described_by": fieldset.get("aria-describedby"),
                "hint": {"id": hint["id"], "text": _text(hint)} if hint is not None else None,
                "error": {"id": error["id"], "text": _text(error)} if error is not None else None,
                "divider_before": after_divider["value"] if after_divider is not None else None,
                "name": sorted({radio["name"] for radio in fieldset.select("input")}),
                # [id, type, value, checked, label text] in the order shown
                "options": [
                    [
                        radio["id"],
                        radio["type"],
                        radio["value"],
                        radio.has_attr("checked"),
                        _text(form.select_one(f"label[for='{radio['id']}']")),
                    ]
                    for radio in fieldset.select("input")
                ],
            }
        )
    return {
        "title": _text(page.title),
        "heading": _text(page.h1),
        "action": form["action"],
        "error_summary": [
            [link["href"], _text(link)] for link in page.select(".nhsuk-error-summary a[href^='#']")
        ],
        "questions": questions,
        "buttons": [
            [_text(button), button.get("name"), button.get("value")] for button in form.select("button")
        ],
    }


def _render(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    page = BeautifulSoup(html, "html.parser")
    assert_page_basics(page)
    main = _MAIN.search(html)
    assert main is not None
    # The exact markup is kept as a digest: the shape above says what changed, this that anything did.
    exact = _CSRF.sub("", main.group(0)).encode()
    return {"shape": _shape(page), "html_sha256": hashlib.sha256(exact).hexdigest()}


def _names(render: dict[str, Any]) -> list[str]:
    names = [question["name"] for question in render["shape"]["questions"]]
    assert all(len(name) == 1 for name in names), names  # one name per radio group
    return [name for (name,) in names]


def _values(render: dict[str, Any], name: str) -> list[str]:
    question = next(q for q in render["shape"]["questions"] if q["name"] == [name])
    return [value for _id, _type, value, _checked, _label in question["options"]]


def _an_answer(render: dict[str, Any], name: str) -> str:
    """A stored answer that is neither the first option nor "Prefer not to say", to show ``checked``."""
    return [value for value in _values(render, name) if value != PREFER_NOT][-1]


def _profile(user: User) -> Profile | None:
    db.session.expire_all()
    return db.session.scalar(select(Profile).where(Profile.user_id == user.id))


def _clear_equality(user: User) -> None:
    profile = _profile(user)
    if profile is not None:
        profile.equality = {}
        db.session.commit()


def _stored(user: User) -> dict[str, Any]:
    profile = _profile(user)
    return dict(profile.equality or {}) if profile is not None else {}


def _topic_renders(client: FlaskClient, participant: User, slug: str) -> dict[str, Any]:
    url = f"/profile/{slug}"
    blank = _render(client.get(url))
    names = _names(blank)
    invalid = _render(client.post(url, data=dict.fromkeys(names, NOT_A_CHOICE)))
    give_profile(participant, equality={name: _an_answer(blank, name) for name in names})
    answered = _render(client.get(url))
    _clear_equality(participant)
    return {"blank": blank, "invalid": invalid, "answered": answered}


def _all_in_one_renders(client: FlaskClient, topics: dict[str, Any]) -> dict[str, Any]:
    url = f"/profile/{ALL_EQUALITY.slug}"
    blanks = [topics[slug]["blank"] for slug in topics]
    names = [name for blank in blanks for name in _names(blank)]
    answers = {name: _an_answer(blank, name) for blank in blanks for name in _names(blank)}
    redirect = client.get(url)
    return {
        "get_redirects_to": [redirect.status_code, redirect.location],
        "invalid": _render(client.post(url, data=dict.fromkeys(names, NOT_A_CHOICE))),
        "partly_invalid": _render(client.post(url, data={**answers, names[0]: NOT_A_CHOICE})),
    }


def _record_everything(client: FlaskClient, participant: User) -> dict[str, Any]:
    topics = {slug: _topic_renders(client, participant, slug) for slug in TOPIC_SLUGS}
    return {**topics, ALL_EQUALITY.slug: _all_in_one_renders(client, topics)}


_SCALAR_LIST = re.compile(r"\[\n\s+([^\[\]{}]*?)\n\s*\]")


def _dump(data: dict[str, Any]) -> str:
    """Indented JSON with each list of plain values (an option, a button) on one line, for review."""
    text = json.dumps(data, indent=1, ensure_ascii=False)
    text = _SCALAR_LIST.sub(lambda m: "[" + re.sub(r",\n\s+", ", ", m.group(1)) + "]", text)
    assert json.loads(text) == data
    return text + "\n"


def test_every_equality_page_renders_exactly_as_recorded(participant_client, participant):
    current = json.loads(json.dumps(_record_everything(participant_client, participant)))
    if WRITE:
        SNAPSHOT_FILE.write_text(_dump(current), encoding="utf-8")
        pytest.fail(f"wrote {SNAPSHOT_FILE}; review its diff and run again without the variable")
    assert [page.slug for page in EQUALITY_PAGES] == TOPICS, "the topic pages or their order changed"
    assert list(current) == list(RECORDED)
    for slug, renders in RECORDED.items():
        for kind, expected in renders.items():
            got = current[slug][kind]
            if isinstance(expected, dict):  # the readable shape first, for a readable failure
                assert got["shape"] == expected["shape"], (slug, kind)
                assert got["html_sha256"] == expected["html_sha256"], (slug, kind, "markup changed")
            else:
                assert got == expected, (slug, kind)


def test_the_recording_covers_every_question_with_prefer_not_to_say_last_after_a_divider():
    """Guards the fixture itself, so that the tests below really post every choice."""
    assert len(TOPICS) == 10
    all_in_one = RECORDED[ALL_EQUALITY.slug]["invalid"]
    names = _names(all_in_one)
    assert names == [name for slug in TOPICS for name in _names(RECORDED[slug]["blank"])]
    assert len(names) == len(set(names)) == 11
    for question in all_in_one["shape"]["questions"]:
        assert question["options"][-1][2:] == [PREFER_NOT, False, "Prefer not to say"]
        assert question["divider_before"] == PREFER_NOT
        assert question["error"]["text"].startswith("Error: Select ")


def _next_path(slug: str) -> str:
    position = TOPICS.index(slug)
    return f"/profile/{TOPICS[position + 1] if position + 1 < len(TOPICS) else 'consent'}"


def _expected_errors(slug: str, kind: str = "invalid") -> dict[str, str]:
    """``{field id: message}`` as recorded from the old forms' inline error messages."""
    questions = RECORDED[slug][kind]["shape"]["questions"]
    return {
        q["error"]["id"].removesuffix("-error"): q["error"]["text"].removeprefix("Error:").strip()
        for q in questions
        if q["error"]
    }


@pytest.mark.parametrize("slug", TOPICS)
def test_posting_each_choice_and_prefer_not_to_say_stores_exactly_that_answer(
    participant_client, participant, slug
):
    blank = RECORDED[slug]["blank"]
    elsewhere = RECORDED[TOPICS[(TOPICS.index(slug) + 1) % len(TOPICS)]]["blank"]
    other = _names(elsewhere)[0]
    give_profile(participant, equality={other: _values(elsewhere, other)[0]})
    for name in _names(blank):
        values = _values(blank, name)
        assert PREFER_NOT in values
        for value in values:
            before = _stored(participant)
            response = participant_client.post(f"/profile/{slug}", data={name: value})
            assert response.status_code == 302, error_messages(
                BeautifulSoup(response.get_data(as_text=True), "html.parser")
            )
            assert response.location == _next_path(slug)
            # A page's questions left blank become unanswered; other pages' answers stay.
            others = {key: kept for key, kept in before.items() if key not in _names(blank)}
            assert _stored(participant) == {**others, name: value}


@pytest.mark.parametrize("choice", ["first", PREFER_NOT])
def test_the_all_in_one_address_stores_every_answer_it_is_sent(participant_client, participant, choice):
    recorded = RECORDED[ALL_EQUALITY.slug]["invalid"]
    answers = {
        name: _values(recorded, name)[0] if choice == "first" else PREFER_NOT for name in _names(recorded)
    }
    response = participant_client.post(f"/profile/{ALL_EQUALITY.slug}", data=answers)
    assert response.status_code == 302
    assert response.location == "/profile/consent"
    assert _stored(participant) == answers


@pytest.mark.parametrize("slug", TOPICS)
def test_an_invalid_choice_gets_the_recorded_message_and_stores_nothing(
    pages, participant_client, participant, slug
):
    blank = RECORDED[slug]["blank"]
    kept = {name: _values(blank, name)[0] for name in _names(blank)}
    give_profile(participant, equality=kept)
    expected = _expected_errors(slug)
    for name in _names(blank):
        page = pages.post("journey.edit_profile", {name: NOT_A_CHOICE}, slug=slug)
        assert error_messages(page) == {name: expected[name]}
        assert page.title.get_text(strip=True).startswith("Error: ")
        assert _stored(participant) == kept


def test_a_partly_invalid_all_in_one_post_stores_nothing(pages, participant_client, participant):
    recorded = RECORDED[ALL_EQUALITY.slug]["partly_invalid"]
    names = _names(recorded)
    data = {name: _values(recorded, name)[0] for name in names} | {names[0]: NOT_A_CHOICE}
    page = pages.post("journey.edit_profile", data, slug=ALL_EQUALITY.slug)
    assert error_messages(page) == _expected_errors(ALL_EQUALITY.slug, "partly_invalid")
    assert _stored(participant) == {}


_EVERY_CHOICE = (
    {
        value
        for name in _names(RECORDED[ALL_EQUALITY.slug]["invalid"])
        for value in _values(RECORDED[ALL_EQUALITY.slug]["invalid"], name)
    }
    if RECORDED
    else set()
)
# Printable text that is not blank; values valid for another question count as invalid here.
_NOT_THIS_QUESTION = st.one_of(
    st.sampled_from(sorted(_EVERY_CHOICE) or [NOT_A_CHOICE]),
    st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=40),
).filter(lambda value: value.strip() != "")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(slug=st.sampled_from(TOPICS or ["unused"]), value=_NOT_THIS_QUESTION, pick=st.integers(0, 1))
def test_no_value_outside_a_questions_choices_is_ever_stored(
    pages, participant_client, participant, slug, value, pick
):
    blank = RECORDED[slug]["blank"]
    names = _names(blank)
    name = names[pick % len(names)]
    assume(value not in _values(blank, name))  # real choices: the test above posts every one
    _clear_equality(participant)
    page = pages.post("journey.edit_profile", {name: value}, slug=slug)
    assert error_messages(page) == {name: _expected_errors(slug)[name]}
    assert _stored(participant) == {}
