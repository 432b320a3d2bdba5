"""Home, privacy, health check, error pages, security headers and request ids."""

from __future__ import annotations

import logging

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.security import CONTENT_SECURITY_POLICY
from tests.fixtures.app import IsolatedClient, settings_for_tests
from tests.fixtures.pages import assert_page_basics


def test_home_explains_the_service_and_starts_with_registration(pages):
    page = pages.get("main.home")
    text_ = page.get_text(" ", strip=True)
    assert "Who it is for" in text_
    assert "Am I good enough yet?" in text_
    assert "Will it work around my life?" in text_
    start = page.find("a", string="Start now")
    assert start["href"] == "/register"
    assert "nhsuk-button" in start["class"]


def test_layout_has_skip_link_landmarks_and_our_static_assets(pages):
    page = pages.get("main.home")
    assert page.html["lang"] == "en-GB"
    skip = page.select_one("a.nhsuk-skip-link")
    assert (skip["href"], skip.get_text(strip=True)) == ("#maincontent", "Skip to main content")
    assert page.select_one("main#maincontent") is not None
    assert page.select_one("header .nhsuk-header__service-name").get_text(strip=True) == "CertReady"
    assert page.select_one("footer a[href='/privacy']").get_text(strip=True) == "Privacy"
    assert page.select_one("link[rel=stylesheet]")["href"] == "/static/nhsuk/nhsuk-frontend.min.css"
    scripts = page.find_all("script")
    assert [script.get("src") for script in scripts] == ["/static/certready/init.js"]
    assert all(not script.string for script in scripts), "no inline scripts: the CSP forbids them"


def test_home_for_signed_in_people_links_onwards(pages, participant_client):
    page = pages.get("main.home")
    assert page.find("a", string="Start now") is None
    assert page.find("a", string="Go to your assessments") is not None


def test_privacy_notice_covers_what_why_who_and_how_long(pages):
    page = pages.get("main.privacy")
    headings = [heading.get_text(strip=True) for heading in page.find_all("h2")]
    for expected in (
        "What we collect",
        "Why we collect it",
        "Who can see your information",
        "How long we keep it",
    ):
        assert expected in headings
    assert "special category data" in page.get_text()
    assert "withdraw your consent" in page.get_text()


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def _unreachable_database_app(tmp_path):
    # A port nothing listens on: psycopg fails at once with "connection refused".
    settings = settings_for_tests(
        tmp_path,
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:9/none",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}},
        PROPAGATE_EXCEPTIONS=False,
    )
    flask_app = create_app(settings)
    flask_app.test_client_class = IsolatedClient
    return flask_app


def test_healthz_reports_503_when_the_database_is_unreachable(tmp_path):
    client = _unreachable_database_app(tmp_path).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}


def test_pages_needing_the_database_get_a_clear_503_page(tmp_path):
    client = _unreachable_database_app(tmp_path).test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "a" * 64
    response = client.get("/account")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Sorry, the service is unavailable" in html
    assert "Traceback" not in html
    assert "psycopg" not in html
    response = client.post("/login", data={"email": "jo@example.org", "password": "x" * 12})
    assert response.status_code == 503


def test_healthz_503_when_select_fails(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def fail(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "execute", fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


@pytest.mark.parametrize(
    ("method", "path", "status", "heading"),
    [
        ("get", "/no-such-page", 404, "Page not found"),
        ("get", "/logout", 405, "Sorry, you cannot do that here"),
    ],
)
def test_error_pages_use_the_layout(client, method, path, status, heading):
    response = getattr(client, method)(path)
    assert response.status_code == status
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert_page_basics(page)
    assert page.h1.get_text(strip=True) == heading


@pytest.mark.app_config(MAX_CONTENT_LENGTH=1024)
def test_too_large_request_gets_413_page(client):
    response = client.post("/login", data={"email": "a@example.org", "password": "x" * 5000})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


@pytest.mark.app_config(PROPAGATE_EXCEPTIONS=False)
def test_unexpected_error_shows_no_stack_trace(app, client, caplog):
    def broken() -> str:
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/broken", "broken", broken)
    with caplog.at_level(logging.ERROR):
        response = client.get("/broken")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "secret internal detail" not in html
    assert "Traceback" not in html
    assert "secret internal detail" in caplog.text  # but the log has it, for us


def test_security_headers_on_every_response(client):
    for path in ("/", "/healthz", "/no-such-page", "/static/certready/init.js"):
        response = client.get(path)
        headers = response.headers
        response.close()
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in headers
    policy = CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_hsts_only_over_https(client):
    response = client.get("/", base_url="https://localhost.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_signed_in_pages_are_not_cached(participant_client):
    assert participant_client.get("/account").headers["Cache-Control"] == "no-store"


def test_request_id_is_echoed_and_in_log_lines(app, client, caplog):

    def logs_something() -> str:
        logging.getLogger("app.test").info("hello from a view")
        return "ok"

    app.add_url_rule("/logs", "logs", logs_something)
    with caplog.at_level(logging.INFO):
        response = client.get("/logs", headers={"X-Request-ID": "abc12345-proxy"})
        other = client.get("/logs", headers={"X-Request-ID": "bad id with spaces"})
    assert response.headers["X-Request-ID"] == "abc12345-proxy"
    assert other.headers["X-Request-ID"] != "bad id with spaces"
    assert len(other.headers["X-Request-ID"]) == 16
    seen = [record.request_id for record in caplog.records if record.getMessage() == "hello from a view"]
    assert seen == ["abc12345-proxy", other.headers["X-Request-ID"]]


def test_sqlite_file_database_uses_wal_and_a_busy_timeout(make_app, tmp_path):
    flask_app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'wal.db'}")
    with flask_app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_forwarded_headers_are_ignored_without_trusted_proxies(client):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.app_config(CERTREADY_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_https_and_addresses_come_from_it(app, client):
    seen: list[str | None] = []

    def address() -> str:
        from flask import request

        seen.append(request.remote_addr)
        return "ok"

    app.add_url_rule("/address", "address", address)
    response = client.get(
        "/address", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert seen == ["203.0.113.9"]
