"""``certready create-user``: staff accounts from the command line, with clear errors."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from app.extensions import db
from app.models import User

GOOD = "a long enough pass phrase"


def _run(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=["create-user", *args], input=input)


def test_creates_a_designer_with_a_given_password(app):
    result = _run(app, "Jo@Example.org", "--role", "designer", "--password", GOOD, "--name", "Jo")
    assert result.exit_code == 0, result.output
    user = db.session.scalars(db.select(User)).one()
    assert (user.email, user.role, user.display_name) == ("jo@example.org", "designer", "Jo")
    assert PasswordHasher().verify(user.password_hash, GOOD)
    assert "Created designer account jo@example.org" in result.output


def test_prompts_for_a_hidden_password_when_not_given(app):
    result = _run(app, "jo@example.org", "--role", "admin", input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert GOOD not in result.output  # hidden input is not echoed
    assert db.session.scalars(db.select(User)).one().role == "admin"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["jo@example.org", "--role", "wizard", "--password", GOOD], "'wizard' is not one of"),
        (["not-an-email", "--password", GOOD], "is not an email address"),
        (["jo@example.org", "--password", "short"], "at least 12 characters"),
        (["jo@example.org", "--password", "q1w2e3r4t5y6"], "too common"),
    ],
    ids=["bad-role", "bad-email", "short-password", "common-password"],
)
def test_bad_input_is_refused_clearly(app, args, message):
    result = _run(app, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalars(db.select(User)).all() == []


def test_duplicate_email_is_refused(app, make_user):
    make_user(email="jo@example.org")
    result = _run(app, "JO@example.org", "--role", "designer", "--password", GOOD)
    assert result.exit_code == 1
    assert "An account with the email jo@example.org already exists" in result.output
    assert len(db.session.scalars(db.select(User)).all()) == 1
