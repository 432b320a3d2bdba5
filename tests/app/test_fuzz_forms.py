"""Every form in the app, fed hostile bodies: never a 5xx, never a traceback, always a message or a redirect.

A body is built from the form's own field names (each may be missing, or sent two or three times,
as a werkzeug ``MultiDict`` would carry them) plus junk names, with values that are huge, full of
control characters and NUL bytes, odd Unicode (bidi overrides, combining marks, non-ASCII digits),
bytes that are not UTF-8 (including the CESU encoding of a lone surrogate, which is as close to a
lone surrogate as a form body can get), or plainly the wrong type (a JSON body or a file upload
where text is expected). Valid values are mixed in so that validation gets past its first check.

For each response:
- the status is a redirect, a re-rendered page (200/400) or 413 for a body over the limit;
- the body holds no traceback and no exception name;
- a re-rendered page shows the error summary ("There is a problem") and meets the page basics;
- a page that was not saved left the profile and the assessment exactly as they were.

``tests/app/journey/test_fuzz.py`` covers flat hostile values on the rating and profile pages and
checks that no rating is stored; this file adds the account forms, duplicated fields, raw bytes,
wrong body types, and start, check and sign-out.
"""

from __future__ import annotations

import io
import json
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from wtforms.fields.core import UnboundField

from app.auth import forms as auth_forms
from app.auth.services import make_reset_token
from app.extensions import db
from app.journey import services
from app.journey.profile_forms import ALL_EQUALITY, PAGES
from app.models import Assessment, Profile, User
from app.privacy import forms as privacy_forms
from assessments.framework import shipped_frameworks
from tests.fixtures.pages import assert_page_basics
from tests.fixtures.users import DEFAULT_PASSWORD, make_user, signed_in

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROGRAMME = "nhs-digital-academy-dhlp"
FRAMEWORK = shipped_frameworks()[PROGRAMME]
DOMAIN = FRAMEWORK.domains[0]
TRACE_MARKERS = ("Traceback", 'File "', "Error:</", "sqlalchemy", "werkzeug.", "wtforms.", "KeyError")


def field_names(form_class: type) -> list[str]:
    return sorted(name for name in dir(form_class) if isinstance(getattr(form_class, name), UnboundField))


@dataclass(frozen=True)
class Target:
    """A form: where it posts, whether it needs a signed-in participant, and its field names."""

    name: str
    path: Callable[[User, int], str]
    fields: list[str]
    signed_in: bool = True
    journey: bool = False
    avoid: tuple[str, ...] = ()
    """Values never sent: the right password would really delete the account the test runs as."""
    designer: bool = False
    """Sent by a signed-in programme designer instead of the participant."""


# --- Consultations (app/consultation): made on first use in each test's database ---------------------


def _consultation(phase: str, joined_by: User | None = None) -> Any:
    """The test database's consultation in ``phase`` (two items), joined by ``joined_by`` if given."""
    from app.consultation import services as consultations
    from app.consultation.models import Consultation

    proposal = f"Fuzzed consultation ({phase})"
    found = db.session.scalar(select(Consultation).where(Consultation.proposal == proposal))
    if found is None:
        designer = _designer()
        found = consultations.create(
            designer,
            proposal=proposal,
            framework_id=None,
            vote_budget=5,
            several_votes_per_item=True,
            min_group=5,
        )
        consultations.add_item(found, "advantage", "Formalises a career path", by_designer=True)
        consultations.add_item(found, "disadvantage", "Could exclude some people", by_designer=True)
        found.phase = phase
        db.session.commit()
    if joined_by is not None and consultations.find_participant(found, joined_by, ()) is None:
        consultations.join(found, joined_by, "clinical", None)
    return found


def _designer() -> User:
    found = db.session.scalar(select(User).where(User.email == "designer-fuzz@example.org"))
    return found or make_user(role="designer", email="designer-fuzz@example.org")


def _item(phase: str, side: str = "disadvantage") -> int:
    return next(item.id for item in _consultation(phase).items if item.side == side)


def _consultation_targets() -> list[Target]:
    from app.consultation import forms as consultation_forms

    item_fields = field_names(consultation_forms.ItemForm)
    return [
        Target(
            "consultation-create",
            lambda user, a: "/consultations/new",
            field_names(consultation_forms.ConsultationForm),
            designer=True,
        ),
        Target(
            "consultation-import",
            lambda user, a: "/consultations/import",
            ["consultation_file"],
            designer=True,
        ),
        Target(
            "consultation-phase",
            lambda user, a: f"/consultations/{_consultation('gather').id}/phase",
            ["phase"],
            designer=True,
        ),
        Target(
            "consultation-add-item",
            lambda user, a: f"/consultations/{_consultation('gather').id}/items",
            item_fields,
            designer=True,
        ),
        Target(
            "consultation-edit-item",
            lambda user, a: f"/consultations/{_consultation('gather').id}/items/{_item('gather')}",
            item_fields,
            designer=True,
        ),
        Target(
            "consultation-merge",
            lambda user, a: f"/consultations/{_consultation('gather').id}/merge",
            field_names(consultation_forms.MergeForm),
            designer=True,
        ),
        Target(
            "consultation-link-rules",
            lambda user, a: (
                f"/consultations/{_consultation('closed').id}/items/{_item('closed')}/requirements"
            ),
            field_names(consultation_forms.RuleLinkForm),
            designer=True,
        ),
        Target("consultation-join", lambda user, a: "/consultations/join", ["code"], signed_in=False),
        Target(
            "consultation-about-you",
            lambda user, a: f"/consultations/join/{_consultation('gather').code}",
            field_names(consultation_forms.JoinForm),
            signed_in=False,
        ),
        Target(
            "consultation-idea",
            lambda user, a: f"/consultations/join/{_consultation('gather', joined_by=user).code}/ideas",
            item_fields,
        ),
        Target(
            "consultation-votes",
            lambda user, a: f"/consultations/join/{_consultation('vote', joined_by=user).code}/votes",
            ["votes-1", "votes-2", "votes-3", "votes-4"],
        ),
    ]


CONSULTATION_TARGETS = _consultation_targets()

TARGETS = [
    Target("register", lambda user, a: "/register", field_names(auth_forms.RegisterForm), signed_in=False),
    Target("login", lambda user, a: "/login", field_names(auth_forms.LoginForm), signed_in=False),
    Target(
        "reset-request",
        lambda user, a: "/reset-password",
        field_names(auth_forms.ResetRequestForm),
        signed_in=False,
    ),
    Target(
        "reset-password",
        lambda user, a: f"/reset-password/{make_reset_token(user)}",
        field_names(auth_forms.ResetPasswordForm),
        signed_in=False,
    ),
    Target(
        "change-password",
        lambda user, a: "/account/change-password",
        field_names(auth_forms.ChangePasswordForm),
    ),
    *(
        Target(
            f"profile-{page.slug}",
            lambda user, a, slug=page.slug: f"/profile/{slug}?assessment={a}",
            # An equality page's "Skip this question" button posts ``action=skip``.
            field_names(page.form_class) + (["action"] if page.store == "equality" else []),
            journey=True,
        )
        for page in (*PAGES, ALL_EQUALITY)
        if page.form_class is not None
    ),
    Target("start", lambda user, a: "/assessments/new", ["framework_id"], journey=True),
    Target(
        "rating",
        lambda user, a: f"/assessments/{a}/domains/{DOMAIN.id}",
        ["version", "action"]
        + [
            f"{prefix}-{criterion.id}"
            for criterion in DOMAIN.criteria
            for prefix in ("level", "relevance", "evidence")
        ],
        journey=True,
    ),
    Target("check", lambda user, a: f"/assessments/{a}/check", ["version"], journey=True),
    Target(
        "programme-progress",
        lambda user, a: f"/assessments/{a}/programme-progress",
        ["status", "month", "year"],
        journey=True,
    ),
    Target("logout", lambda user, a: "/logout", []),
    Target(
        "withdraw-consent", lambda user, a: "/account/consent", field_names(privacy_forms.WithdrawConsentForm)
    ),
    Target(
        "delete-account",
        lambda user, a: "/account/delete",
        field_names(privacy_forms.DeleteAccountForm),
        avoid=(DEFAULT_PASSWORD,),
    ),
    *CONSULTATION_TARGETS,
]

# --- Values -----------------------------------------------------------------------------------------

VALID_LOOKING = [
    "",
    "1",
    "2",
    "37.5",
    "yes",
    "no",
    "clinical",
    "part-time",
    "continue",
    "save",
    "no-opportunity",
    "essential",
    "not-necessary",
    "no-answer",
    PROGRAMME,
    DEFAULT_PASSWORD,
    "a new password that is long enough",
    "someone@example.org",
    "participant-1@example.org",
]
ODD_TEXT = [
    "\x00",
    "a\x00b",
    "\r\n\t",
    "\x1b[31m",
    "\u202eevil",
    "\ufeff",
    "e\u0301" * 500,
    "١٢",  # Arabic-Indic digits
    "½",
    "nan",
    "-inf",
    "1e309",
    "0x1F",
    "9" * 400,
    "-1",
    "37,5",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "' OR 1=1 --",
    "%00",
    "../" * 20,
    "👩🏽‍⚕️" * 50,
]
text_values = st.one_of(
    st.sampled_from(VALID_LOOKING),
    st.sampled_from(ODD_TEXT),
    st.text(max_size=80),
    # Long values built cheaply, so hypothesis spends no entropy on them.
    st.builds(lambda c, n: c * n, st.characters(blacklist_categories=("Cs",)), st.integers(1000, 70_000)),
)
byte_values = st.one_of(
    st.sampled_from([b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff\xfe", b"\xc0\xaf", b"\x80", b"a\xe2\x82"]),
    st.binary(max_size=40),
)
values = st.one_of(text_values, text_values, byte_values)
junk_names = st.one_of(
    st.sampled_from(
        ["", "csrf_token", "__proto__", "level-", "evidence-nope", "relevance-nope", "version[]", "action"]
    ),
    st.text(max_size=20),
)


@st.composite
def bodies(draw: st.DrawFn, fields: list[str], avoid: tuple[str, ...] = ()) -> tuple[str, Any]:
    """``(kind, body)``: a URL-encoded list of pairs (repeats allowed), JSON, or multipart with a file."""
    sent = values.filter(lambda value: value not in avoid) if avoid else values
    pairs: list[tuple[str, str | bytes]] = []
    for name in fields:
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 3]))):
            pairs.append((name, draw(sent)))
    pairs += draw(st.lists(st.tuples(junk_names, sent), max_size=3))
    pairs = draw(st.permutations(pairs))
    kind = draw(st.sampled_from(["form", "form", "form", "json", "multipart"]))
    return kind, pairs


def _encode(value: str | bytes) -> bytes:
    # surrogatepass: a str holding a surrogate goes out as its (invalid) CESU-8 bytes.
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def _post(client: Any, path: str, kind: str, pairs: list[tuple[str, str | bytes]]) -> Any:
    if kind == "json":
        data = {name: value.decode("latin-1") if isinstance(value, bytes) else value for name, value in pairs}
        return client.post(path, data=json.dumps(data), content_type="application/json")
    if kind == "multipart":
        # Every value arrives as an uploaded file, never as a form field: the wrong type for every field.
        files = {name or "blank": (io.BytesIO(_encode(value)), "x.txt") for name, value in pairs}
        return client.post(path, data=files, content_type="multipart/form-data")
    body = urllib.parse.urlencode([(_encode(name), _encode(value)) for name, value in pairs])
    return client.post(path, data=body, content_type="application/x-www-form-urlencoded")


# --- The test ---------------------------------------------------------------------------------------


@pytest.fixture
def journey(app: Flask) -> tuple[User, int]:
    """A participant with a profile and an assessment in progress."""
    user = make_user(email="participant-1@example.org")
    services.save_profile_answers(user, {"staff_group": "clinical", "contract": "full-time"})
    assessment = services.start_assessment(user, PROGRAMME)
    return user, assessment.id


def _state(user_id: int, assessment_id: int) -> tuple[Any, ...]:
    db.session.expire_all()
    profile = db.session.scalar(select(Profile).where(Profile.user_id == user_id))
    assessment = db.session.get(Assessment, assessment_id)
    return (
        profile.version if profile else None,
        assessment.version,
        assessment.status,
        sorted((r.criterion_id, r.level, r.evidence, r.relevance) for r in assessment.ratings),
    )


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_hostile_bodies_get_a_clear_answer(app: Flask, journey: tuple[User, int], target: Target):
    user, assessment_id = journey

    @FUZZ
    @given(body=bodies(target.fields, target.avoid))
    def check(body: tuple[str, Any]) -> None:
        kind, pairs = body
        db.session.expire_all()
        person = db.session.get(User, user.id)
        client = app.test_client()
        if target.designer:
            signed_in(client, _designer())
        elif target.signed_in:
            signed_in(client, person)
        before = _state(user.id, assessment_id)
        response = _post(client, target.path(person, assessment_id), kind, pairs)

        assert response.status_code in (200, 302, 303, 400, 413), (target.name, response.status_code)
        text = response.get_data(as_text=True)
        for marker in TRACE_MARKERS:
            assert marker not in text, f"{target.name}: {marker!r} in the response"
        if response.status_code in (302, 303):
            assert urllib.parse.urlsplit(response.location).path.startswith("/")
            assert urllib.parse.urlsplit(response.location).netloc in ("", "localhost.test")
            return
        page = BeautifulSoup(text, "html.parser")
        assert_page_basics(page)
        if response.status_code != 413:
            assert page.select_one(".nhsuk-error-summary"), f"{target.name}: re-rendered without a message"
        if target.journey:
            assert _state(user.id, assessment_id) == before, f"{target.name}: a refused save changed data"

    check()
