"""Throughput of the rating page against a hello-world route on the same gunicorn server.

The rating page is where participants spend their time. This serves the real app with
gunicorn (2 sync workers) on 127.0.0.1, signs in a participant, and measures requests per
second with wrk, side by side and alternating, for:

- the rating page of the largest domain in any shipped framework (signed in,
  database read included), and
- a hello-world route added to the same app.

Target: the rating page at 15% or more of hello-world throughput.

    .venv/bin/python benchmarks/bench_rating_page.py [--seconds 10] [--rounds 3]

Needs wrk (Debian package ``wrk``).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._server import gunicorn, server_env  # noqa: E402

EMAIL = "bench.participant@example.org"
PASSWORD = "a bench password that is long"


def prepare_database(env: dict[str, str]) -> str:
    """Create the participant and an assessment; return the rating page's path."""
    code = f"""
from app import create_app
from app.extensions import db
from app.models import User
from app.journey import services
from assessments.framework import shipped_frameworks
app = create_app()
with app.app_context():
    # The heaviest rating page: the domain with the most criteria in any shipped framework,
    # the largest framework breaking ties.
    framework, domain = max(
        ((f, d) for f in shipped_frameworks().values() for d in f.domains),
        key=lambda pair: (len(pair[1].criteria), len(pair[0].criteria_by_id)),
    )
    user = db.session.execute(db.select(User).filter_by(email={EMAIL!r})).scalar_one()
    assessment = services.start_assessment(user, framework.id)
    print(f"/assessments/{{assessment.id}}/domains/{{domain.id}} {{framework.id}} {{len(domain.criteria)}}")
"""
    python = str(ROOT / ".venv/bin/python")
    certready = str(ROOT / ".venv/bin/certready")
    subprocess.run([certready, "init-db"], env=env, check=True, capture_output=True)
    subprocess.run(
        [certready, "create-user", EMAIL, "--password", PASSWORD], env=env, check=True, capture_output=True
    )
    out = subprocess.run([python, "-c", code], env=env, check=True, capture_output=True, text=True)
    path, framework_id, criteria = out.stdout.split()
    print(f"rating page: {path} ({framework_id}, {criteria} criteria)")
    return path


def sign_in(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "email": EMAIL, "password": PASSWORD})
    opener.open(f"{base}/login", data.encode()).read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    assert "session=" in cookies, "sign-in did not set a session cookie"
    return cookies


def wrk(url: str, seconds: int, cookie: str | None = None) -> float:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert not non_2xx, f"{url}: {non_2xx.group(1)} failed responses\n{out}"
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    work = Path(tempfile.mkdtemp())
    env = server_env(dict(os.environ), f"sqlite:///{work / 'bench.db'}", work)
    path = prepare_database(env)
    try:
        with gunicorn(
            env, 2, work / "gunicorn.log", app="benchmarks.bench_wsgi:app", ready_path="/bench/hello"
        ) as base:
            measure(base, path, args.seconds, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(base: str, path: str, seconds: int, rounds: int) -> None:
    """wrk on hello-world and on the rating page, alternating, after warming both workers."""
    cookie = sign_in(base)
    check = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})
    body = urllib.request.urlopen(check).read().decode()
    assert 'type="radio"' in body, "the rating page did not render for the participant"
    wrk(f"{base}/bench/hello", 2)  # warm both workers
    wrk(f"{base}{path}", 2, cookie)
    hello, rating = [], []
    for _ in range(rounds):
        hello.append(wrk(f"{base}/bench/hello", seconds))
        rating.append(wrk(f"{base}{path}", seconds, cookie))
    ratio = statistics.median(rating) / statistics.median(hello)
    print(f"hello world : median {statistics.median(hello):8.1f} req/s  runs {hello}")
    print(f"rating page : median {statistics.median(rating):8.1f} req/s  runs {rating}")
    print(f"ratio       : {ratio:.1%} of hello-world (target >= 15%)")


if __name__ == "__main__":
    main()
