"""Password reset: the same message whatever the address, a one-hour single-use link, SMTP or log."""

from __future__ import annotations

import logging
import re
from typing import Any, ClassVar

import pytest
from argon2 import PasswordHasher

from app.auth import services
from app.auth.views import BAD_RESET_LINK, RESET_REQUESTED
from app.extensions import db
from tests.fixtures.pages import error_messages, summary_messages

NEW_PASSWORD = "violet lantern meadow"
LINK = re.compile(r"https?://\S+/reset-password/(\S+)")


def _request_link(pages, caplog, email: str) -> str | None:
    caplog.clear()
    with caplog.at_level(logging.INFO):
        pages.post("auth.request_password_reset", {"email": email}, redirects_to="/reset-password")
    found = LINK.search(caplog.text)
    return found.group(0) if found else None


def test_reset_request_page_renders(pages):
    page = pages.get("auth.request_password_reset")
    assert page.h1.get_text(strip=True) == "Reset your password"
    assert page.select_one("#email") is not None


def test_full_reset_flow_with_the_link_from_the_log(pages, caplog, make_user):
    user = make_user(email="jo@example.org")
    link = _request_link(pages, caplog, "JO@example.org")
    assert link is not None
    path = link.split("localhost.test", 1)[1]
    page = pages.get(path)
    assert page.h1.get_text(strip=True) == "Choose a new password"

    pages.post(path, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, redirects_to="/login")
    db.session.refresh(user)
    assert PasswordHasher().verify(user.password_hash, NEW_PASSWORD)
    response = pages.client.post("/login", data={"email": "jo@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302

    # Single use: the same link no longer works once the password has changed.
    page = pages.get(path, status=404)
    assert BAD_RESET_LINK in page.get_text()


def test_reset_ends_existing_sessions(app, pages, caplog, participant, signed_in):
    other = signed_in(app.test_client(), participant)
    assert other.get("/account").status_code == 200
    path = "/" + _request_link(pages, caplog, participant.email).split("/", 3)[3]
    pages.post(path, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, redirects_to="/login")
    assert other.get("/account").status_code == 302


def test_unknown_email_gets_the_same_message_and_no_link(pages, caplog, make_user):
    make_user(email="jo@example.org")
    known = _request_link(pages, caplog, "jo@example.org")
    known_page = pages.get("auth.request_password_reset").get_text(" ", strip=True)
    unknown = _request_link(pages, caplog, "nobody@example.org")
    unknown_page = pages.get("auth.request_password_reset").get_text(" ", strip=True)
    assert known is not None
    assert unknown is None
    assert RESET_REQUESTED in known_page
    assert known_page == unknown_page
    assert "nobody@example.org" not in caplog.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": ""}, "Enter your email address"),
        ({"email": "jo"}, "Enter an email address in the correct format, like name@example.com"),
        ({"email": "j" * 300 + "@example.org"}, "Your email address must be 254 characters or fewer"),
    ],
    ids=["empty", "format", "too-long"],
)
def test_reset_request_bad_input(pages, data, message):
    page = pages.post("auth.request_password_reset", data)
    assert error_messages(page) == {"email": message}
    assert summary_messages(page) == {"email": message}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"password": "", "confirm_password": ""}, "password", "Create a password"),
        (
            {"password": "short", "confirm_password": "short"},
            "password",
            "Your password must be at least 12 characters",
        ),
        (
            {"password": "password1234", "confirm_password": "password1234"},
            "password",
            "This password is too common and easy to guess. "
            "Choose a different password, for example 3 random words",
        ),
        (
            {"password": NEW_PASSWORD, "confirm_password": "other words here"},
            "confirm_password",
            "The passwords do not match. Enter the same password twice",
        ),
    ],
    ids=["empty", "short", "common", "mismatch"],
)
def test_new_password_bad_input_changes_nothing(pages, participant, data, field, message):
    before = participant.password_hash
    token = services.make_reset_token(participant)
    page = pages.post(f"/reset-password/{token}", data)
    assert error_messages(page)[field] == message
    db.session.refresh(participant)
    assert participant.password_hash == before


@pytest.mark.parametrize("token", ["nonsense", "x" * 600, "eyJ1IjoxfQ.abc.def"])
def test_bad_tokens_get_a_clear_page(pages, participant, token):
    page = pages.get(f"/reset-password/{token}", status=404)
    assert BAD_RESET_LINK in page.get_text()


def test_expired_token_is_refused(pages, participant, monkeypatch):
    token = services.make_reset_token(participant)
    monkeypatch.setattr(services, "RESET_TOKEN_MAX_AGE", -1)
    pages.get(f"/reset-password/{token}", status=404)


def test_token_signed_with_another_key_is_refused(app, participant):
    token = services.make_reset_token(participant)
    app.config["SECRET_KEY"] = "a different key"
    assert services.user_for_reset_token(token) is None


class FakeSMTP:
    sent: ClassVar[list[tuple[FakeSMTP, Any]]] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port = host, port

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def starttls(self, context: object) -> None:
        self.tls = True

    def login(self, username: str, password: str) -> None:
        self.credentials = (username, password)

    def send_message(self, message: object) -> None:
        FakeSMTP.sent.append((self, message))


@pytest.mark.app_config(
    CERTREADY_SMTP_HOST="smtp.tests-must-mock-this.invalid",
    CERTREADY_SMTP_USERNAME="mailer",
    CERTREADY_SMTP_PASSWORD="pw",
    CERTREADY_BASE_URL="https://certready.example.org",
)
def test_reset_link_is_emailed_when_smtp_is_configured(pages, caplog, make_user, monkeypatch):
    monkeypatch.setattr("app.mail.smtplib.SMTP", FakeSMTP)
    FakeSMTP.sent = []
    make_user(email="jo@example.org")
    assert _request_link(pages, caplog, "jo@example.org") is None  # not in the log
    ((smtp, message),) = FakeSMTP.sent
    assert (smtp.host, smtp.port, smtp.tls, smtp.credentials) == (
        "smtp.tests-must-mock-this.invalid",
        587,
        True,
        ("mailer", "pw"),
    )
    assert message["To"] == "jo@example.org"
    assert "https://certready.example.org/reset-password/" in message.get_content()


@pytest.mark.app_config(CERTREADY_SMTP_HOST="smtp.tests-must-mock-this.invalid")
def test_mail_failure_still_shows_the_same_message(pages, caplog, make_user, monkeypatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("app.mail.smtplib.SMTP", refuse)
    make_user(email="jo@example.org")
    _request_link(pages, caplog, "jo@example.org")
    assert RESET_REQUESTED in pages.get("auth.request_password_reset").get_text()
    assert "Could not send the password reset email" in caplog.text


@pytest.mark.app_config(TESTING=False, CERTREADY_ENV="production")
def test_production_without_smtp_never_logs_the_link(pages, caplog, make_user):
    make_user(email="jo@example.org")
    assert _request_link(pages, caplog, "jo@example.org") is None
    assert "CERTREADY_SMTP_HOST is not set" in caplog.text
