"""A gunicorn worker killed with SIGKILL in the middle of a save leaves all of that page's ratings or none.

The app runs under gunicorn on a temporary SQLite file (WAL mode, as in production), with a
test-only entry point that pauses a rating save after its first row is written and before it
commits. The test kills the worker there, as the kernel's OOM killer or a crash would, then
reads the file: no rating from that page may be stored, and the assessment must be unchanged.
Once the pause is switched off, gunicorn's replacement worker saves the same page whole.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from tests.app.journey.conftest import PROGRAMME, domain_form, give_profile
from tests.fixtures.users import make_user

ROOT = Path(__file__).resolve().parents[3]
SECRET = "killed-worker-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(url: str, data: dict[str, str], cookie: str, timeout: float) -> int:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode(), headers={"Cookie": cookie}, method="POST"
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        return opener.open(request, timeout=timeout).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def file_app(make_app, tmp_path: Path) -> Flask:
    return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'killed.db'}", SECRET_KEY=SECRET)


def test_sigkill_mid_save_leaves_no_partial_rows(file_app: Flask, tmp_path: Path):
    from app.journey import services
    from app.models import Assessment

    with file_app.app_context():
        user = make_user()
        give_profile(user)
        assessment = services.start_assessment(user, PROGRAMME)
        framework = services.framework_of(assessment)
        domain = framework.domains[0]
        form = domain_form(domain, assessment.version)
        assessment_id, token = assessment.id, user.session_token
        cookie_value = file_app.session_interface.get_signing_serializer(file_app).dumps(
            {"_user_id": token, "_fresh": True}
        )
        db.session.remove()
        db.engine.dispose()

    flag, mark = tmp_path / "slow", tmp_path / "worker-pid"
    flag.touch()
    port = _free_port()
    env = os.environ | {
        "CERTREADY_DATABASE_URL": file_app.config["SQLALCHEMY_DATABASE_URI"],
        "CERTREADY_SECRET_KEY": SECRET,
        "CERTREADY_ENV": "development",
        "CERTREADY_PASSWORD_HASHING": "fast",
        "CERTREADY_TEST_SLOW_SAVE_FLAG": str(flag),
        "CERTREADY_TEST_SLOW_SAVE_MARK": str(mark),
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "tests.app.reliability.slow_wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/assessments/{assessment_id}/domains/{domain.id}"
    cookie = f"session={cookie_value}"
    try:
        _wait_for(lambda: _healthy(base), 30, "gunicorn to start")
        # The save hangs inside its transaction; kill the worker there.
        outcome: list[object] = []
        poster = threading.Thread(target=lambda: outcome.append(_safe_post(url, form, cookie)), daemon=True)
        poster.start()
        _wait_for(lambda: mark.exists() and mark.read_text(), 30, "the save to reach its pause")
        worker, rows_written = map(int, mark.read_text().split())
        assert rows_written >= 1, "the pause must come after the save has written rows"
        assert worker != server.pid
        os.kill(worker, signal.SIGKILL)
        poster.join(30)
        assert outcome, "the request never finished"
        assert outcome[0] != 302, "the killed save must not have been acknowledged"

        with file_app.app_context():
            db.engine.dispose()
            stored = db.session.get(Assessment, assessment_id)
            assert stored.ratings == [], "a killed save left some of its rows"
            assert stored.version == form_version(form)
            assert stored.current_step == services.domain_step(domain.id)
            db.session.remove()
            db.engine.dispose()

        # Gunicorn starts a new worker; without the pause the same page is saved whole.
        flag.unlink()
        mark.unlink()
        _wait_for(lambda: _healthy(base), 30, "a replacement worker")
        assert _post(url, form, cookie, timeout=30) == 302
        with file_app.app_context():
            stored = db.session.get(Assessment, assessment_id)
            assert sorted(r.criterion_id for r in stored.ratings) == sorted(c.id for c in domain.criteria)
    finally:
        server.terminate()
        server.wait(20)


def form_version(form: dict[str, str]) -> int:
    return int(form["version"])


def _safe_post(url: str, form: dict[str, str], cookie: str) -> object:
    try:
        return _post(url, form, cookie, timeout=60)
    except Exception as problem:  # the connection drops when the worker dies: that is the point
        return problem


def _healthy(base: str) -> bool:
    try:
        return urllib.request.urlopen(f"{base}/healthz", timeout=1).status == 200
    except OSError:
        return False
