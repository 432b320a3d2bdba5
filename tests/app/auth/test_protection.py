"""CSRF, sign-in throttling, role checks and session cookie settings."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from app.security import role_required
from tests.fixtures.users import DEFAULT_PASSWORD


def _csrf_token(html: str) -> str:
    page = BeautifulSoup(html, "html.parser")
    return page.select_one("main form input[name=csrf_token]")["value"]


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_csrf_token_is_required_on_every_post(client, make_user):
    make_user(email="jo@example.org")
    credentials = {"email": "jo@example.org", "password": DEFAULT_PASSWORD}

    refused = client.post("/login", data=credentials)
    assert refused.status_code == 400
    assert "This page has expired" in refused.get_data(as_text=True)
    assert client.post("/logout").status_code == 400

    token = _csrf_token(client.get("/login").get_data(as_text=True))
    accepted = client.post("/login", data=credentials | {"csrf_token": token})
    assert accepted.status_code == 302


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_sign_in_is_limited_per_account_across_addresses(client, make_user):
    make_user(email="jo@example.org")
    wrong = {"email": "jo@example.org", "password": "wrong password!"}
    statuses = [
        client.post("/login", data=wrong, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    # Even the right password waits now, from yet another address.
    right = {"email": "JO@example.org", "password": DEFAULT_PASSWORD}
    response = client.post("/login", data=right, environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Another account is not affected.
    make_user(email="sam@example.org")
    other = {"email": "sam@example.org", "password": DEFAULT_PASSWORD}
    assert client.post("/login", data=other, environ_base={"REMOTE_ADDR": "10.0.1.2"}).status_code == 302


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_sign_in_is_limited_per_address(client):
    statuses = [
        client.post(
            "/login", data={"email": f"person{n}@example.org", "password": "wrong password!"}
        ).status_code
        for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    elsewhere = client.post(
        "/login",
        data={"email": "x@example.org", "password": "wrong"},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert elsewhere.status_code == 200


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_successful_sign_ins_do_not_use_up_the_limit(app, make_user):
    make_user(email="jo@example.org")
    for _ in range(8):
        client = app.test_client()
        response = client.post("/login", data={"email": "jo@example.org", "password": DEFAULT_PASSWORD})
        assert response.status_code == 302


def test_rate_limits_are_off_unless_enabled(client):
    statuses = {
        client.post("/login", data={"email": "jo@example.org", "password": "wrong"}).status_code
        for _ in range(12)
    }
    assert statuses == {200}


@pytest.fixture
def staff_app(app):
    @role_required("designer", "admin")
    def staff_page() -> str:
        return "staff only"

    app.add_url_rule("/staff-page", "staff_page", staff_page)
    return app


@pytest.mark.parametrize(("role", "status"), [("participant", 403), ("designer", 200), ("admin", 200)])
def test_role_required_allows_only_listed_roles(staff_app, client, make_user, signed_in, role, status):
    signed_in(client, make_user(role=role))
    response = client.get("/staff-page")
    assert response.status_code == status
    if status == 403:
        assert "You do not have permission to see this page" in response.get_data(as_text=True)


def test_role_required_sends_anonymous_people_to_sign_in(staff_app, client):
    response = client.get("/staff-page")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_role_required_marks_the_view_for_the_access_matrix(staff_app):
    assert staff_app.view_functions["staff_page"].required_roles == ("designer", "admin")


def test_designer_link_shows_only_for_staff(app, client, make_user, signed_in):
    signed_in(client, make_user(role="participant"))
    assert "Designer" not in client.get("/").get_data(as_text=True)
    signed_in(client, make_user(role="designer"))
    assert re.search(r'href="/designer/"[^>]*>Designer<', client.get("/").get_data(as_text=True))


def test_session_cookie_is_httponly_and_lax(client, make_user):
    make_user(email="jo@example.org")
    response = client.post("/login", data={"email": "jo@example.org", "password": DEFAULT_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # a permanent session that lapses after PERMANENT_SESSION_LIFETIME


def test_session_cookie_is_secure_outside_development(monkeypatch, tmp_path):
    from app.config import settings

    monkeypatch.setenv("CERTREADY_ENV", "production")
    monkeypatch.setenv("CERTREADY_SECRET_KEY", "x" * 40)
    production = settings(tmp_path)
    assert production["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("CERTREADY_ENV", "development")
    assert settings(tmp_path)["SESSION_COOKIE_SECURE"] is False
