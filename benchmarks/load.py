"""Load test: 50 participants through the whole journey on gunicorn, then a zero-error, zero-loss check.

Starts a throwaway database (a SQLite file, or with ``--database postgres`` a PostgreSQL cluster
made with initdb in a temporary folder, listening on 127.0.0.1 only), creates the tables with
``certready init-db``, serves the real app with gunicorn (4 sync workers) on 127.0.0.1, and
runs ``benchmarks/locustfile.py`` headless through locust's Python API: every simulated person
registers (which signs them in), answers every about-you page, saves every rating page of a programme,
checks and submits, reads their results, then starts another assessment, until the time is up.

Then it checks, and exits non-zero unless both hold:
- zero 5xx responses (and no other unexpected status);
- every rating whose save got a success response is stored exactly once, with the level and
  evidence last posted, on the posting person's assessment; no (assessment, criterion) has two rows.

Sign-in rate limits are switched off (CERTREADY_RATELIMIT_ENABLED=0): 50 people sharing
127.0.0.1 would otherwise be throttled as one address. Passwords use the production argon2
cost. Traffic goes only to 127.0.0.1, for a bounded time.

    .venv/bin/python benchmarks/load.py [--database sqlite|postgres] [--users 50] [--seconds 60]
"""

from __future__ import annotations

# locust patches the standard library with gevent when imported: import it before anything else.
from locust.env import Environment  # isort: skip

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import gevent
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import locustfile  # noqa: E402
from benchmarks._server import free_port, gunicorn, server_env  # noqa: E402

STEPS = [
    "register",
    "sign in",
    "programmes",
    "start",
    "resume",
    "about you",
    "rating page",
    "rating save",
    "check answers",
    "submit",
    "results",
]


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]


@contextmanager
def sqlite_database(work: Path) -> Iterator[str]:
    yield f"sqlite:///{work / 'load.db'}"


@contextmanager
def postgres_database(work: Path) -> Iterator[str]:
    """A throwaway cluster, as scripts/test.sh makes one: trust auth, 127.0.0.1 only, a free port."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins:
        sys.exit("PostgreSQL is not installed (apt-get install postgresql)")
    pg_bin = bins[-1]
    data, sockets = work / "pg", work / "pg-socket"
    data.mkdir()
    sockets.mkdir()
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(work, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    _run(
        [*as_postgres, str(pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c max_connections=100"
    _run(
        [
            *as_postgres,
            str(pg_bin / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(sockets / "log"),
            "-w",
            "-o",
            options,
            "start",
        ]
    )
    try:
        _run(
            [
                *as_postgres,
                str(pg_bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "load",
            ]
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/load"
    finally:
        subprocess.run(
            [*as_postgres, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
        )


def warm_up(base: str, workers: int) -> None:
    """One person's pages, several times per worker, so the figures show a warm server.

    Each worker parses the shipped frameworks and builds its form classes on first use; a server
    in production has done that long before, so the first seconds would misstate it.
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path: str, page: str, data: dict[str, str]) -> str:
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        body = urllib.parse.urlencode({"csrf_token": token.group(1) if token else "", **data}).encode()
        return opener.open(f"{base}{path}", body).read().decode()

    password = locustfile.PASSWORD
    page = opener.open(f"{base}/register").read().decode()
    post(
        "/register",
        page,
        {"email": "warm.up@example.org", "password": password, "confirm_password": password},
    )
    post(
        "/login",
        opener.open(f"{base}/login").read().decode(),
        {"email": "warm.up@example.org", "password": password},
    )
    for _ in range(workers * 3):
        for path in (
            "/register",
            "/programmes",
            "/profile/working-pattern",
            "/profile/background",
            "/assessments/",
        ):
            opener.open(f"{base}{path}").read()


TIMELINE: list[tuple[float, str, str, float]] = []
"""Every request as (seconds since the start, step, method, response time in ms), in order."""


def drive(base: str, users: int, seconds: int, spawn_rate: float, programmes: tuple[str, ...]) -> Environment:
    locustfile.Participant.programmes = programmes
    environment = Environment(user_classes=[locustfile.Participant], host=base)
    started = time.monotonic()

    def record(request_type: str, name: str, response_time: float, **_: object) -> None:
        TIMELINE.append(
            (time.monotonic() - started - response_time / 1000, name, request_type, response_time)
        )

    environment.events.request.add_listener(record)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return environment


def check_database(url: str) -> dict[str, int]:
    """Compare what the server said it stored with what it stored."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT r.assessment_id, r.criterion_id, r.level, r.no_opportunity, r.evidence, u.email "
                "FROM rating r JOIN assessment a ON a.id = r.assessment_id "
                "JOIN user_account u ON u.id = a.user_id"
            )
        ).all()
        submitted = {
            row[0] for row in connection.execute(text("SELECT id FROM assessment WHERE status = 'submitted'"))
        }
    engine.dispose()
    stored: dict[tuple[int, str], list[tuple[str, str, str]]] = {}
    for assessment_id, criterion_id, level, no_opportunity, evidence, email in rows:
        value = "no-opportunity" if no_opportunity else str(level)
        stored.setdefault((assessment_id, criterion_id), []).append((email, value, evidence or ""))
    saved = locustfile.SAVED
    return {
        "ratings saved (success responses)": len(saved),
        "rating rows stored": len(rows),
        "missing": sum(1 for key in saved if key not in stored),
        "stored more than once": sum(1 for found in stored.values() if len(found) > 1),
        "different from what was posted": sum(
            1 for key, value in saved.items() if key in stored and stored[key] != [value]
        ),
        "stored without a success response": sum(1 for key in stored if key not in saved),
        "submits with a success response": len(locustfile.SUBMITTED),
        "submits not stored": len(locustfile.SUBMITTED - submitted),
    }


def report(environment: Environment, seconds: int) -> list[dict[str, object]]:
    table = []
    for step in STEPS:
        entries = [entry for (name, _), entry in environment.stats.entries.items() if name == step]
        for entry in entries:
            table.append(
                {
                    "step": f"{step} ({entry.method})",
                    "requests": entry.num_requests,
                    "failures": entry.num_failures,
                    "per second": round(entry.num_requests / seconds, 1),
                    "p50 ms": entry.get_response_time_percentile(0.5),
                    "p95 ms": entry.get_response_time_percentile(0.95),
                    "p99 ms": entry.get_response_time_percentile(0.99),
                }
            )
    total = environment.stats.total
    table.append(
        {
            "step": "all requests",
            "requests": total.num_requests,
            "failures": total.num_failures,
            "per second": round(total.num_requests / seconds, 1),
            "p50 ms": total.get_response_time_percentile(0.5),
            "p95 ms": total.get_response_time_percentile(0.95),
            "p99 ms": total.get_response_time_percentile(0.99),
        }
    )
    return table


def after_sign_up(timeline: list[tuple[float, str, str, float]]) -> tuple[float, list[dict[str, object]]]:
    """p95 of each step, for requests that started after the last registration or sign-in had its answer.

    Registration and sign-in each run argon2; while 50 people arrive they can keep both cores
    busy, and whatever other requests arrive then wait behind them. Comparing a step's p95 over
    the whole run with its p95 after that window shows how much of it is that wait.
    """
    ends = [
        start + ms / 1000
        for start, step, method, ms in timeline
        if step in ("register", "sign in") and method == "POST"
    ]
    cutoff = max(ends, default=0.0)
    rows = []
    for step in STEPS:
        for method in ("GET", "POST"):
            times = sorted(ms for start, name, verb, ms in timeline if name == step and verb == method)
            later = sorted(
                ms for start, name, verb, ms in timeline if name == step and verb == method and start > cutoff
            )
            if times:
                rows.append(
                    {
                        "step": f"{step} ({method})",
                        "p95 ms (all)": round(times[int(0.95 * (len(times) - 1))]),
                        "requests after": len(later),
                        "p95 ms (after)": round(later[int(0.95 * (len(later) - 1))]) if later else None,
                    }
                )
    return cutoff, rows


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs (nproc), {cpu}, Python {platform.python_version()}, "
        f"{date.today().isoformat()}, load average {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--spawn-rate", type=float, default=5, help="people arriving per second")
    parser.add_argument("--programme", action="append", help="programme id (repeat; default: one)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--password-hashing",
        choices=["standard", "fast"],
        default="standard",
        help="'fast' (argon2 at its smallest cost): only to see how long other steps wait behind it",
    )
    parser.add_argument(
        "--timeline", type=Path, help="write every request (start s, step, method, ms) to this CSV file"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (server log, SQLite file)"
    )
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600 or not 1 <= args.users <= 500:
        sys.exit("--seconds must be 1-600 and --users 1-500: the test is bounded")

    work = Path(tempfile.mkdtemp(prefix="certready-load-"))
    os.chmod(work, 0o755)
    database = postgres_database if args.database == "postgres" else sqlite_database
    try:
        with database(work) as url:
            env = server_env(
                dict(os.environ),
                url,
                work,
                CERTREADY_RATELIMIT_ENABLED="0",
                CERTREADY_PASSWORD_HASHING=args.password_hashing,
            )
            _run([str(ROOT / ".venv/bin/certready"), "init-db"], env=env, cwd=ROOT)
            log = work / "gunicorn.log"
            with gunicorn(env, args.workers, log) as base:
                warm_up(base, args.workers)
                print(f"{args.users} participants for {args.seconds} s against {base} ({args.database})")
                environment = drive(
                    base,
                    args.users,
                    args.seconds,
                    args.spawn_rate,
                    tuple(args.programme or ["nhs-digital-academy-dhlp"]),
                )
            tracebacks = log.read_text(errors="replace").count("Traceback")
            checks = check_database(url)
            # The designer's tallies were kept by every submit and consent change from four
            # workers at once: they must still equal a recount of the rows.
            recount = subprocess.run(
                [str(ROOT / ".venv/bin/certready"), "cohort-tallies"],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            print(recount.stdout.strip(), recount.stderr.strip())
            checks["tallies differing from a recount"] = 0 if recount.returncode == 0 else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    table = report(environment, args.seconds)
    print(f"\nMachine: {machine()}; gunicorn {args.workers} sync workers; database {args.database}")
    print("\n| step | requests | per second | p50 ms | p95 ms | p99 ms | failures |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in table:
        print(
            f"| {row['step']} | {row['requests']} | {row['per second']} | {row['p50 ms']} | "
            f"{row['p95 ms']} | {row['p99 ms']} | {row['failures']} |"
        )
    for error in environment.stats.errors.values():
        print(f"failure: {error.occurrences} x {error.name}: {error.error}")
    cutoff, later = after_sign_up(TIMELINE)
    print(
        f"\nThe last registration or sign-in was answered {cutoff:.1f} s into the run. "
        "p95 over the run and after that:"
    )
    print("\n| step | p95 ms (whole run) | requests after | p95 ms (after) |")
    print("|---|---:|---:|---:|")
    for row in later:
        print(
            f"| {row['step']} | {row['p95 ms (all)']} | {row['requests after']} | {row['p95 ms (after)']} |"
        )
    print()
    for name, value in {**locustfile.COUNTS, "tracebacks in the server log": tracebacks, **checks}.items():
        print(f"{name:40} {value}")
    if args.timeline:
        args.timeline.write_text(
            "start_s,step,method,ms\n"
            + "".join(f"{start:.3f},{step},{method},{ms:.1f}\n" for start, step, method, ms in TIMELINE)
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "database": args.database,
                    "steps": table,
                    "after sign-up": {"cutoff s": cutoff, "steps": later},
                    "checks": checks,
                },
                indent=2,
            )
        )
    failed = (
        locustfile.COUNTS["server_errors"]
        or locustfile.COUNTS["unexpected"]
        or tracebacks
        or checks["missing"]
        or checks["stored more than once"]
        or checks["different from what was posted"]
        or checks["submits not stored"]
        or checks["tallies differing from a recount"]
        or not checks["ratings saved (success responses)"]
    )
    print(
        "\nRESULT:",
        "FAIL" if failed else "PASS (zero 5xx, every saved rating stored exactly once, tallies exact)",
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
