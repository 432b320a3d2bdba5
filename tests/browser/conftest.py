"""Real-browser fixtures: the app on a real server, one Chromium per session, a context per test.

live_server     the app (SQLite file database, CSRF on, rate limits off) served by werkzeug on
                127.0.0.1 with a free port in a background thread, for the whole session.
                ``live_server.url`` is the base address; ``live_server.app`` the Flask app (use
                ``with live_server.app.app_context():`` to create users directly).
browser         Debian's Chromium (/usr/bin/chromium) launched once, headless. Missing browser:
                skip with one line, or fail when CERTREADY_REQUIRE_BROWSER=1 (CI sets it).
new_context     ``new_context(java_script_enabled=True, width=1280, height=900)`` opens a fresh
                context (own cookies) on the live server; closed after the test.
page            a page in a fresh 1280-px context.

The page checks themselves live in ``tests/browser/checks.py`` (``check_page``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from app.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which this
# machine's closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_BROWSER = os.environ.get("CERTREADY_REQUIRE_BROWSER", "").strip() == "1"


def _browser_unavailable(reason: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} and CERTREADY_REQUIRE_BROWSER=1 is set", pytrace=False)
    pytest.skip(f"{reason}; install Debian's chromium package to run the browser tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test here must carry ``pytest.mark.browser``, or ``-m "not browser"`` would run it."""
    here = Path(__file__).parent
    unmarked = [
        item.nodeid
        for item in items
        if here in Path(str(item.path)).parents and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError("browser tests without pytest.mark.browser: " + ", ".join(unmarked))


@dataclass
class LiveServer:
    app: Flask
    url: str
    database: Path


def live_settings(tmp: Path) -> dict[str, Any]:
    """Settings for the served app: a real file database and CSRF on, as a browser would meet it."""
    return {
        "TESTING": True,
        "CERTREADY_ENV": "development",  # plain http on 127.0.0.1: cookies must not be Secure-only
        "SECRET_KEY": "browser-test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'browser.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        # The limiter object is shared by every app in the process; if another test's app switches it
        # on while this server runs, these limits still let the journeys' deliberate errors through.
        "CERTREADY_SIGN_IN_LIMIT_PER_ADDRESS": "10000/minute",
        "CERTREADY_SIGN_IN_LIMIT_PER_ACCOUNT": "10000/minute",
        "CERTREADY_PASSWORD_HASHING": "fast",
        # Every submission reaches the designer figures at once, as the journeys expect.
        "CERTREADY_RELEASE_BATCH": 1,
        "CERTREADY_REPORT_CACHE_DIR": str(tmp / "reports"),
        "CERTREADY_SMTP_HOST": None,
        "CERTREADY_BASE_URL": None,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
    }


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from werkzeug.serving import make_server

    tmp = tmp_path_factory.mktemp("live-server")
    flask_app = create_app(live_settings(tmp))
    with flask_app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=flask_app, url=f"http://127.0.0.1:{server.server_port}", database=tmp)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with flask_app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _browser_unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("the playwright package is not installed")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except Exception as error:
        playwright.stop()
        _browser_unavailable(f"Chromium at {CHROMIUM} would not start ({str(error).splitlines()[0]})")
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture
def new_context(browser: Any, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def _new(*, java_script_enabled: bool = True, width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=java_script_enabled,
            viewport={"width": width, "height": height},
            accept_downloads=True,
            locale="en-GB",
        )
        context.set_default_timeout(30_000)  # a loaded 2-core CI box renders a PDF in 10 s or more
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Any:
    return new_context().new_page()
