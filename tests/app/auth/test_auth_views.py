"""Register, sign in, sign out, change password: pages, effects and every validation message."""

from __future__ import annotations

import logging

import pytest
from argon2 import PasswordHasher

from app.auth.views import ACCOUNT_MAY_EXIST, REGISTERED, safe_next
from app.extensions import db
from app.models import AuditEvent, User
from tests.fixtures.pages import error_messages, summary_messages
from tests.fixtures.users import DEFAULT_PASSWORD, signed_in

GOOD_PASSWORD = "orange kettle harbour"


def _users() -> list[User]:
    return list(db.session.execute(db.select(User).order_by(User.id)).scalars())


def _actions() -> list[str]:
    return list(db.session.execute(db.select(AuditEvent.action).order_by(AuditEvent.id)).scalars())


def _register(email: str = "new.person@example.org", password: str = GOOD_PASSWORD, **extra: str) -> dict:
    return {"email": email, "password": password, "confirm_password": password} | extra


# Register ---------------------------------------------------------------------------------------


def test_register_page_has_labelled_fields(pages):
    page = pages.get("auth.register")
    assert page.h1.get_text(strip=True) == "Create an account"
    for field_id in ("email", "display_name", "password", "confirm_password"):
        assert page.select_one(f"label[for={field_id}]") is not None
        assert page.select_one(f"#{field_id}") is not None
    assert page.select_one("#email")["autocomplete"] == "email"
    assert page.select_one("#password")["type"] == "password"


def test_register_creates_participant_with_argon2_hash(pages):
    pages.post(
        "auth.register",
        _register(email="  New.Person@Example.ORG ", display_name=" Sam "),
        redirects_to="/register/next",
    )
    (user,) = _users()
    assert (user.email, user.display_name, user.role) == ("new.person@example.org", "Sam", "participant")
    assert user.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(user.password_hash, GOOD_PASSWORD)
    assert _actions() == ["user.registered", "user.signed_in"]


def test_register_signs_the_person_in_with_a_fresh_session_and_goes_on_to_about_you(client):
    with client.session_transaction() as session:
        session["planted"] = "attacker-chosen"
    response = client.post("/register", data=_register(), follow_redirects=True)
    assert response.status_code == 200
    assert [step.location for step in response.history] == [
        "/register/next",
        "/profile/start",
        "/profile/working-pattern",
    ]
    assert REGISTERED in response.get_data(as_text=True)
    assert "Your working pattern" in response.get_data(as_text=True)
    (user,) = _users()
    assert user.last_sign_in_at is not None
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.session_token
        assert session.permanent
    assert client.get("/account").status_code == 200


def test_register_keeps_spaces_inside_and_around_passwords(pages):
    password = "  spaced out password  "
    pages.post("auth.register", _register(password=password), redirects_to="/register/next")
    (user,) = _users()
    assert PasswordHasher().verify(user.password_hash, password)


def test_register_existing_email_signs_nobody_in_and_creates_nothing(pages, make_user, caplog):
    existing = make_user(email="taken@example.org")
    first_hash = existing.password_hash
    caplog.set_level(logging.INFO)
    pages.post("auth.register", _register(email="Taken@example.org"), redirects_to="/register/next")
    assert pages.client.get("/register/next").location == "/login"
    assert ACCOUNT_MAY_EXIST in pages.get("auth.login").get_text()
    assert pages.client.get("/account").status_code == 302
    db.session.refresh(existing)
    assert [user.email for user in _users()] == ["taken@example.org"]
    assert existing.password_hash == first_hash
    assert any("existing account" in record.getMessage() for record in caplog.records)
    assert "taken@example.org" not in caplog.text


def _answer(client, email: str) -> tuple[int, str | None, bytes]:
    response = client.post("/register", data=_register(email=email))
    return response.status_code, response.location, response.get_data()


def test_registering_a_taken_email_answers_exactly_as_a_new_one(app, make_user):
    """OWASP's account enumeration: status, redirect target and body are the same.

    What remains: the new address is signed in (its session cookie differs and the next page is
    About you rather than sign-in), and the taken address's holder is sent an email.
    """
    make_user(email="taken@example.org")
    taken = _answer(app.test_client(), "taken@example.org")
    new = _answer(app.test_client(), "brand.new@example.org")
    assert taken == new
    assert new[:2] == (302, "/register/next")


def test_the_holder_of_a_taken_email_is_told_someone_tried_to_register_it(client, make_user, caplog):
    holder = make_user(email="taken@example.org")
    caplog.set_level(logging.WARNING)
    client.post("/register", data=_register(email="taken@example.org"))
    notices = [r.getMessage() for r in caplog.records if "registration attempt notice" in r.getMessage()]
    assert len(notices) == 1
    assert "already has one" in notices[0]
    assert "http://localhost.test/login" in notices[0]
    assert "http://localhost.test/reset-password" in notices[0]
    assert "user.registration_attempted" in _actions()
    db.session.refresh(holder)
    assert holder.last_sign_in_at is None


def test_the_holder_is_emailed_through_smtp_when_it_is_set(make_user, monkeypatch, app):
    sent = []
    monkeypatch.setitem(app.config, "CERTREADY_SMTP_HOST", "smtp.example.org")
    monkeypatch.setattr("app.mail.send_mail", lambda to, subject, body: sent.append((to, subject, body)))
    make_user(email="taken@example.org")
    app.test_client().post("/register", data=_register(email="taken@example.org"))
    app.test_client().post("/register", data=_register(email="someone.else@example.org"))
    assert [(to, subject) for to, subject, _ in sent] == [
        ("taken@example.org", "You already have a CertReady account")
    ]


@pytest.mark.app_config(RATELIMIT_ENABLED=True, CERTREADY_REGISTER_LIMIT_PER_ADDRESS="3/hour")
def test_registration_attempts_are_limited_per_address_whether_or_not_the_email_is_taken(app, make_user):
    make_user(email="taken@example.org")
    statuses = []
    for number in range(4):
        email = "taken@example.org" if number % 2 else f"new{number}@example.org"
        statuses.append(app.test_client().post("/register", data=_register(email=email)).status_code)
    assert statuses == [302, 302, 302, 429]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_register(email=""), "email", "Enter your email address"),
        (
            _register(email="not-an-email"),
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            _register(email="a" * 250 + "@example.org"),
            "email",
            "Your email address must be 254 characters or fewer",
        ),
        (_register(display_name="x" * 121), "display_name", "Your name must be 120 characters or fewer"),
        (_register(password=""), "password", "Create a password"),
        (_register(password="short pass"), "password", "Your password must be at least 12 characters"),
        (_register(password="p" * 129), "password", "Your password must be 128 characters or fewer"),
        (
            _register(password="q1w2e3r4t5y6"),
            "password",
            "This password is too common and easy to guess. "
            "Choose a different password, for example 3 random words",
        ),
        (_register() | {"confirm_password": ""}, "confirm_password", "Confirm your password again"),
        (
            _register() | {"confirm_password": GOOD_PASSWORD + "!"},
            "confirm_password",
            "The passwords do not match. Enter the same password twice",
        ),
    ],
    ids=[
        "email-empty",
        "email-format",
        "email-long",
        "name-long",
        "password-empty",
        "password-short",
        "password-long",
        "password-common",
        "confirm-empty",
        "confirm-mismatch",
    ],
)
def test_register_bad_input_gets_field_error_and_changes_nothing(pages, data, field, message):
    page = pages.post("auth.register", data)
    assert error_messages(page)[field] == message
    assert summary_messages(page)[field] == message
    assert page.title.get_text().startswith("Error: ")
    assert _users() == []
    assert page.select_one(f"#{field}").get("aria-describedby", "").split()[-1] == f"{field}-error"


def test_register_error_summary_lists_fields_in_page_order(pages):
    page = pages.post("auth.register", {})
    assert list(summary_messages(page)) == ["email", "password", "confirm_password"]


def test_register_never_echoes_passwords(pages):
    page = pages.post("auth.register", _register(email="bad", password="secret-value-123"))
    assert "secret-value-123" not in str(page)
    assert page.select_one("#email")["value"] == "bad"


# Sign in ----------------------------------------------------------------------------------------


def test_sign_in_starts_a_fresh_session_and_rotates_the_token(app, client, make_user):
    user = make_user(email="jo@example.org")
    old_token = user.session_token
    with client.session_transaction() as session:
        session["planted"] = "attacker-chosen"
    response = client.post(
        "/login?next=/account", data={"email": "JO@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.location.endswith("/account")
    db.session.refresh(user)
    assert user.session_token != old_token
    assert user.last_sign_in_at is not None
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.session_token
        assert session.permanent
    assert client.get("/account").status_code == 200
    assert _actions() == ["user.signed_in"]


@pytest.mark.parametrize(
    ("email", "password"),
    [("jo@example.org", "not the right password"), ("nobody@example.org", DEFAULT_PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_sign_in_failure_says_the_same_for_unknown_email_and_wrong_password(
    pages, make_user, email, password
):
    make_user(email="jo@example.org")
    page = pages.post("auth.login", {"email": email, "password": password})
    assert error_messages(page) == {"email": "The email address or password is not right"}
    with pages.client.session_transaction() as session:
        assert "_user_id" not in session


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, {"email": "Enter your email address", "password": "Enter your password"}),
        (
            {"email": "jo", "password": "x"},
            {"email": "Enter an email address in the correct format, like name@example.com"},
        ),
        (
            {"email": "jo@example.org", "password": "p" * 129},
            {"password": "Your password must be 128 characters or fewer"},
        ),
    ],
    ids=["empty", "email-format", "password-long"],
)
def test_sign_in_bad_input_gets_field_errors(pages, data, expected):
    page = pages.post("auth.login", data)
    assert error_messages(page) == expected
    assert summary_messages(page) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/assessments/3/", "/assessments/3/"),
        ("/account?tab=1", "/account?tab=1"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("account", None),
        ("/\r\nSet-Cookie:x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_next_allows_only_local_paths(target, expected):
    assert safe_next(target) == expected


def test_sign_in_ignores_an_external_next(client, make_user):
    make_user(email="jo@example.org")
    response = client.post(
        "/login?next=https://evil.example/", data={"email": "jo@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.location


def test_signed_in_person_visiting_login_is_sent_on(participant_client):
    assert participant_client.get("/login").status_code == 302


def test_anonymous_account_page_redirects_to_sign_in_with_next(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


# Sign out ---------------------------------------------------------------------------------------


def test_sign_out_ends_the_session_server_side(app, client, make_user):
    user = make_user(email="jo@example.org")
    client.post("/login", data={"email": "jo@example.org", "password": DEFAULT_PASSWORD})
    with client.session_transaction() as session:
        stolen = dict(session)
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302

    # Replaying the cookie from before sign-out must not work: the token was rotated.
    with client.session_transaction() as session:
        session.update(stolen)
    assert client.get("/account").status_code == 302
    db.session.refresh(user)
    assert user.session_token != stolen["_user_id"]
    assert _actions()[-1] == "user.signed_out"


def test_sign_out_needs_post(participant_client):
    assert participant_client.get("/logout").status_code == 405


def test_header_shows_sign_out_button_only_when_signed_in(pages, participant, client):
    anonymous = pages.get("main.home")
    assert anonymous.select_one("form[action='/logout']") is None
    assert anonymous.find("a", string="Sign in") is not None
    signed_in(client, participant)
    page = pages.get("main.home")
    form = page.select_one("form[action='/logout']")
    assert form["method"] == "post"
    assert form.select_one("input[name=csrf_token]") is not None
    assert form.button.get_text(strip=True) == "Sign out"


# Account and change password --------------------------------------------------------------------


def test_account_page_shows_details_and_change_link(pages, participant_client, participant):
    page = pages.get("auth.account")
    text = page.get_text(" ", strip=True)
    assert participant.email in text
    assert "Participant" in text
    assert page.select_one("a[href='/account/change-password']") is not None


def test_change_password_then_sign_in_with_the_new_one(app, pages, participant_client, participant):
    other_device = app.test_client()
    signed_in(other_device, participant)
    assert other_device.get("/account").status_code == 200

    pages.post(
        "auth.change_password",
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password": GOOD_PASSWORD,
            "confirm_password": GOOD_PASSWORD,
        },
        redirects_to="/account",
    )
    db.session.refresh(participant)
    assert PasswordHasher().verify(participant.password_hash, GOOD_PASSWORD)
    assert participant_client.get("/account").status_code == 200  # this device stays signed in
    assert other_device.get("/account").status_code == 302  # every other session has ended
    assert "user.password_changed" in _actions()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {
                "current_password": "wrong password!",
                "new_password": GOOD_PASSWORD,
                "confirm_password": GOOD_PASSWORD,
            },
            "current_password",
            "Your current password is not right",
        ),
        (
            {"current_password": "", "new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD},
            "current_password",
            "Enter your current password",
        ),
        (
            {"current_password": DEFAULT_PASSWORD, "new_password": "short", "confirm_password": "short"},
            "new_password",
            "Your password must be at least 12 characters",
        ),
        (
            {
                "current_password": DEFAULT_PASSWORD,
                "new_password": DEFAULT_PASSWORD,
                "confirm_password": DEFAULT_PASSWORD,
            },
            "new_password",
            "Your new password must be different from your current password",
        ),
        (
            {
                "current_password": DEFAULT_PASSWORD,
                "new_password": GOOD_PASSWORD,
                "confirm_password": "different one!",
            },
            "confirm_password",
            "The passwords do not match. Enter the same password twice",
        ),
    ],
    ids=["wrong-current", "empty-current", "short-new", "same-as-current", "mismatch"],
)
def test_change_password_bad_input_changes_nothing(
    pages, participant_client, participant, data, field, message
):
    before = participant.password_hash
    page = pages.post("auth.change_password", data)
    assert error_messages(page)[field] == message
    assert summary_messages(page)[field] == message
    db.session.refresh(participant)
    assert participant.password_hash == before


def test_change_password_needs_sign_in(client):
    response = client.post("/account/change-password", data={})
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_audit_events_hold_no_email_or_password(pages, make_user):
    pages.post("auth.register", _register(email="audit@example.org"), redirects_to="/register/next")
    pages.client.post("/logout")
    pages.client.post("/login", data={"email": "audit@example.org", "password": "wrong password!!"})
    pages.client.post("/login", data={"email": "audit@example.org", "password": GOOD_PASSWORD})
    pages.client.post("/logout")
    events = list(db.session.execute(db.select(AuditEvent)).scalars())
    assert [event.action for event in events] == [
        "user.registered",
        "user.signed_in",
        "user.signed_out",
        "user.sign_in_failed",
        "user.signed_in",
        "user.signed_out",
    ]
    for event in events:
        flat = repr((event.detail, event.target_type, event.target_id))
        assert "audit@example.org" not in flat
        assert GOOD_PASSWORD not in flat


def test_account_page_links_to_the_journey_pages(pages, participant_client):
    page = pages.get("auth.account")
    links = {link.get_text(strip=True): link["href"] for link in page.select("main ul.nhsuk-list a")}
    assert links["Your assessments"] == "/assessments/"
    assert links["About you: your working pattern, background and equality answers"] == "/profile/"
    assert links["Start an assessment for another programme"] == "/programmes"


def test_header_links_to_assessments_when_signed_in(pages, participant_client):
    page = pages.get("main.home")
    nav = page.select_one("nav.nhsuk-header__navigation")
    assert nav.find("a", string="Your assessments")["href"] == "/assessments/"
    assert nav.find("a", string="Designer") is None
