"""Load test: 200 people vote on one consultation at once on gunicorn; no vote lost, no budget exceeded.

Makes a throwaway SQLite database (``certready init-db``), a consultation in its voting phase with
six points, and serves the real app with gunicorn (4 sync workers) on 127.0.0.1, CSRF and rate limits
on as in production. Then:

1. 200 people each join with the code (their own cookies), as a room would from one network;
2. all of them post their votes at the same moment (one barrier releases every thread). One person
   in four also races themselves with a second, different allocation in the same instant, and one
   in ten with a third that is over budget;
3. the database is read back.

It exits non-zero unless: every request answered without a 5xx; the log has no traceback; all
200 people joined; every participant's stored votes add up to their recorded total, never above the
budget; the votes of everyone who posted once are exactly what they posted (no vote lost); the votes
of everyone who raced themselves are exactly one of their accepted allocations; and no over-budget
allocation was stored.

    .venv/bin/python benchmarks/load_consultation.py [--people 200] [--workers 4]
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
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._server import gunicorn, server_env  # noqa: E402

BUDGET = 5
POINTS = (
    ("advantage", "Formalises a career path"),
    ("advantage", "Improves patient safety"),
    ("advantage", "Raises professional status"),
    ("disadvantage", "Could exclude some people"),
    ("disadvantage", "Doubt that it is fit for purpose"),
    ("disadvantage", "Costs time away from work"),
)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Person:
    number: int
    opener: urllib.request.OpenerDirector
    fields: list[str] = field(default_factory=list)
    token: str = ""
    accepted: list[dict[str, int]] = field(default_factory=list)
    posted: list[dict[str, int]] = field(default_factory=list)


@dataclass
class Tally:
    statuses: list[int] = field(default_factory=list)
    vote_ms: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, elapsed: float | None = None) -> None:
        with self.lock:
            self.statuses.append(status)
            if elapsed is not None:
                self.vote_ms.append(elapsed * 1000)


def _open(person: Person, url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with person.opener.open(url, body, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return found.group(1) if found else ""


def make_consultation(env: dict[str, str]) -> tuple[str, dict[str, int]]:
    """A consultation in its voting phase, made with the app's own services: (code, text -> item id)."""
    script = (
        "from app import create_app\n"
        "from app.auth.services import create_user\n"
        "from app.consultation import services\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    d = create_user('load@example.org', 'a long password for the load test', role='designer')\n"
        "    c = services.create(d, proposal='Certify digital leaders', framework_id=None,\n"
        f"        vote_budget={BUDGET}, several_votes_per_item=True, min_group=5)\n"
        f"    for side, words in {POINTS!r}:\n"
        "        services.add_item(c, side, words, by_designer=True)\n"
        "    services.advance(d, c, 'draft'); services.advance(d, c, 'gather')\n"
        "    print(c.code)\n"
        "    for i in c.items: print(i.id, i.text)\n"
    )
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    code, *rows = done.stdout.strip().splitlines()
    return code, {text_: int(item_id) for item_id, text_ in (row.split(" ", 1) for row in rows)}


def allocation(number: int, ids: list[int], variant: int = 0) -> dict[int, int]:
    """A whole budget spread over two or three points, different per person and per variant."""
    first, second, third = (ids[(number + variant + k) % len(ids)] for k in (0, 2, 4))
    split = (number + variant) % 3
    votes = (
        {first: 3, second: 2} if split == 0 else {first: 1, second: 1, third: 3} if split == 1 else {first: 5}
    )
    return votes


def run(base: str, code: str, ids: list[int], people: int, tally: Tally) -> list[Person]:
    crowd = []
    for number in range(people):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        crowd.append(Person(number, opener))

    def join(person: Person) -> None:
        status, page = _open(person, f"{base}/consultations/join/{code}")
        tally.record(status)
        group = "clinical" if person.number % 5 == 0 else "non-clinical"
        status, _ = _open(
            person, f"{base}/consultations/join/{code}", {"csrf_token": _csrf(page), "staff_group": group}
        )
        tally.record(status)
        status, page = _open(person, f"{base}/consultations/join/{code}/take-part")
        tally.record(status)
        person.token = _csrf(page)
        person.fields = re.findall(r'name="(votes-\d+)"', page)

    _all_at_once([lambda p=p: join(p) for p in crowd])

    posts = []
    for person in crowd:
        posts.append((person, allocation(person.number, ids)))
        if person.number % 4 == 0:
            posts.append((person, allocation(person.number, ids, variant=1)))
        if person.number % 10 == 0:
            posts.append((person, {ids[0]: BUDGET, ids[1]: 1}))  # over budget: must be refused

    def vote(person: Person, votes: dict[int, int]) -> None:
        data = dict.fromkeys(person.fields, "0") | {f"votes-{k}": str(v) for k, v in votes.items()}
        started = time.perf_counter()
        status, _ = _open(
            person, f"{base}/consultations/join/{code}/votes", {"csrf_token": person.token, **data}
        )
        tally.record(status, time.perf_counter() - started)
        with tally.lock:
            person.posted.append(votes)
            if status == 302:
                person.accepted.append(votes)

    _all_at_once([lambda p=p, v=v: vote(p, v) for p, v in posts])
    return crowd


def _all_at_once(work: list) -> None:
    barrier = threading.Barrier(len(work))

    def start(task) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        task()

    threads = [threading.Thread(target=start, args=(task,)) for task in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)


def check(url: str, crowd: list[Person], tally: Tally, log: Path) -> list[str]:
    problems = []
    server_errors = [status for status in tally.statuses if status >= 500]
    if server_errors:
        problems.append(f"{len(server_errors)} responses were server errors")
    if "Traceback" in log.read_text(errors="replace"):
        problems.append(f"the server log has a traceback ({log})")
    engine = create_engine(url)
    with engine.connect() as connection:
        people = connection.execute(
            text("SELECT id, votes_spent, vote_budget FROM consultation_participant")
        ).all()
        stored: dict[int, dict[int, int]] = {}
        for participant_id, item_id, votes in connection.execute(
            text("SELECT participant_id, item_id, votes FROM consultation_vote")
        ):
            stored.setdefault(participant_id, {})[item_id] = votes
    engine.dispose()
    if len(people) != len(crowd):
        problems.append(f"{len(people)} people joined, not {len(crowd)}")
    for participant_id, spent, budget in people:
        votes = stored.get(participant_id, {})
        if sum(votes.values()) != spent or spent > budget:
            problems.append(
                f"participant {participant_id}: {sum(votes.values())} votes stored, {spent} recorded"
            )
    stored_allocations = sorted(sorted(votes.items()) for votes in stored.values())
    expected_once = [p.accepted[0] for p in crowd if len(p.posted) == 1 and p.accepted]
    for person in crowd:
        if any(sum(votes.values()) > BUDGET for votes in person.accepted):
            problems.append(f"person {person.number}: an over-budget allocation was accepted")
        if len(person.posted) == 1 and len(person.accepted) != 1:
            problems.append(f"person {person.number}: a valid vote was refused")
    for votes in expected_once:
        if sorted(votes.items()) not in stored_allocations:
            problems.append(f"lost: an accepted allocation {votes} is not stored")
    racing = [p for p in crowd if len(p.posted) > 1]
    options = [[sorted(votes.items()) for votes in p.accepted] for p in racing]
    if len(stored_allocations) != len(crowd):
        problems.append(f"{len(stored_allocations)} people have votes stored, not {len(crowd)}")
    leftover = list(stored_allocations)
    for votes in expected_once:
        key = sorted(votes.items())
        if key in leftover:
            leftover.remove(key)
    for choices in unmatched(options, leftover):
        problems.append(f"a racing person's stored votes match none of their accepted ones: {choices}")
    return problems


def unmatched(options: list[list[Any]], stored: list[Any]) -> list[list[Any]]:
    """The racers who cannot each be given a different stored allocation among their accepted ones.

    Stored rows are not tied to people here, and two people can post the same allocation, so a
    first-come pairing can give one racer the allocation that only another could have, and then
    blame that other (person 4 and person 10 of 12 did). This finds a pairing of every racer if
    there is one (Kuhn's augmenting paths) and names only those no pairing can place.
    """
    holder: dict[int, int] = {}  # index in ``stored`` -> index in ``options``

    def place(racer: int, tried: set[int]) -> bool:
        for slot, key in enumerate(stored):
            if slot in tried or key not in options[racer]:
                continue
            tried.add(slot)
            if slot not in holder or place(holder[slot], tried):
                holder[slot] = racer
                return True
        return False

    return [options[racer] for racer in range(len(options)) if not place(racer, set())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if not 1 <= args.people <= 500:
        sys.exit("--people must be 1-500: the test is bounded")
    work = Path(tempfile.mkdtemp(prefix="certready-consultation-load-"))
    url = f"sqlite:///{work / 'load.db'}"
    env = server_env(dict(os.environ), url, work)
    try:
        subprocess.run([str(ROOT / ".venv/bin/certready"), "init-db"], env=env, cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        code, items = make_consultation(env)
        log = work / "gunicorn.log"
        tally = Tally()
        with gunicorn(env, args.workers, log, timeout=120, backlog=2048) as base:
            started = time.perf_counter()
            crowd = run(base, code, sorted(items.values()), args.people, tally)
            elapsed = time.perf_counter() - started
        problems = check(url, crowd, tally, log)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    posts = len(tally.vote_ms)
    quantiles = statistics.quantiles(tally.vote_ms, n=100) if posts > 1 else [0.0] * 99
    print(
        f"{args.people} people, {posts} vote posts at once ({sum(len(p.accepted) for p in crowd)} accepted), "
        f"gunicorn {args.workers} sync workers, SQLite; {len(tally.statuses)} requests in {elapsed:.1f} s"
    )
    print(f"vote post latency under the burst: p50 {quantiles[49]:.0f} ms, p95 {quantiles[94]:.0f} ms, "
          f"max {max(tally.vote_ms, default=0):.0f} ms")  # fmt: skip
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems[:30]))
        sys.exit(1)
    print("OK: no server error, every accepted vote stored, no budget exceeded")


if __name__ == "__main__":
    main()
