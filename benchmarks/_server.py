"""The real app on gunicorn on 127.0.0.1, for the load tests: one way to start it, wait for it, stop it."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "app.wsgi:app" if (ROOT / "app/wsgi.py").exists() else "app:create_app()"
START_SECONDS = 30
STOP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(environ: dict[str, str], database_url: str, work: Path, **settings: str) -> dict[str, str]:
    """``environ`` plus the settings every load test serves the app with, and any others given."""
    return environ | {
        "CERTREADY_DATABASE_URL": database_url,
        "CERTREADY_SECRET_KEY": "load-test",
        "CERTREADY_ENV": "development",  # plain HTTP on 127.0.0.1: cookies without Secure
        "CERTREADY_REPORT_CACHE_DIR": str(work / "reports"),
        "PYTHONPATH": str(ROOT),
        **settings,
    }


@contextmanager
def gunicorn(
    env: dict[str, str],
    workers: int,
    log: Path,
    *,
    timeout: int = 60,
    backlog: int | None = None,
    app: str = APP,
    ready_path: str = "/healthz",
) -> Iterator[str]:
    """Serve ``app`` with ``workers`` sync workers; yield the base URL once ``ready_path`` answers.

    The server's stderr goes to ``log`` (the load tests count its tracebacks). On the way out it
    is asked to stop, and killed if it has not within a minute: on a loaded machine a slow stop
    must not lose the figures already measured.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-k", "sync", "--timeout", str(timeout)]
    if backlog is not None:
        command += ["--backlog", str(backlog)]
    command += ["-b", f"127.0.0.1:{port}", app]
    with log.open("w") as errors:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                try:
                    urllib.request.urlopen(f"{base}{ready_path}", timeout=2).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"gunicorn did not start; see {log}") from None
                    time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
