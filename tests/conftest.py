"""Shared test fixtures. The groups live in ``tests/fixtures/*.py`` (STYLE.md §12-13).

App and database (``tests/fixtures/app.py``)
    app              a fresh app per test, its app context pushed for the test body. SQLite in memory by
                     default; ``CERTREADY_TEST_DATABASE_URL`` runs the same tests on PostgreSQL (tables
                     dropped and created per test, one schema per xdist worker). TESTING on, CSRF off,
                     rate limiting off, cheap argon2 parameters, reports cached under tmp_path.
                     Change settings for one test with ``@pytest.mark.app_config(RATELIMIT_ENABLED=True)``.
    client           a test client whose every request runs in its own app context, as in production:
                     ``g``, Flask-Login's cached user and ``db.session`` are never shared with the test
                     body. After a request, re-read objects (``db.session.refresh(obj)``).
    make_app         ``make_app(**overrides)`` for a second app in one test (e.g. CSRF on).

HTML pages (``tests/fixtures/pages.py``)
    pages            ``pages.get("auth.login")`` / ``pages.post("auth.login", data, redirects_to="/x")``
                     return BeautifulSoup pages and assert what every page must meet: one <h1>, a
                     non-empty <title> ending "– CertReady", unique ids, every <form> with an action and
                     novalidate, "Error: " in the title exactly when an error summary is shown, and every
                     error-summary link pointing at an element on the page. ``pages.client`` is the client.
    assert_page_basics(page)   the same checks, importable for hand-made requests.

Users (``tests/fixtures/users.py``)
    make_user        ``make_user(role="participant", email=None, password=DEFAULT_PASSWORD,
                     display_name=...)`` commits and returns a User (a unique email when none is given).
    signed_in        ``signed_in(client, user)`` signs ``client`` in as ``user`` (session cookie only;
                     no HTTP round trip) and returns the client.
    participant, designer, admin                     one user of each role
    participant_client, designer_client, admin_client   clients signed in as them
    DEFAULT_PASSWORD  importable from ``tests.fixtures.users``.
"""

import os

from hypothesis import HealthCheck, settings

# Designer figures change in release batches (CERTREADY_RELEASE_BATCH, by default the minimum
# cell). The suite releases every submission at once, so each test's figures mean what they meant
# before batches existed; the tests of batching set their own size. Set in the environment, not
# only in the app fixture, so the `certready` commands tests run in a subprocess agree.
os.environ["CERTREADY_RELEASE_BATCH"] = "1"

pytest_plugins = [
    "tests.fixtures.app",
    "tests.fixtures.cli",
    "tests.fixtures.migrations",
    "tests.fixtures.pages",
    "tests.fixtures.users",
]

# The machines that run this suite are shared and noisy: a per-example time limit or a
# "too slow" health check would fail on load, not on a bug. Speed is measured in benchmarks/.
settings.register_profile("certready", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("certready")
