"""CPU time and database work of one About you request against one rating request, in one process.

    PYTHONPATH=<tree> .venv/bin/python benchmarks/bench_about_you.py [--people 10] [--json OUT]

Each simulated person registers (signed in at once), starts the NHS Digital Academy programme,
answers every About you page inside the assessment (GET then POST), then every rating page (GET
then a save), through the Flask test client against a SQLite file. Per request kind it reports
the median CPU time of this process (``time.process_time``: on a shared machine wall time mostly
measures waiting for a CPU), the SQL statements and the commits. The ratio About you / rating is
the figure to compare between code versions: run it on each tree in turn, side by side.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import event
from werkzeug.datastructures import MultiDict

ROOT = Path(os.environ.get("PYTHONPATH", "").split(os.pathsep)[0] or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

from benchmarks._answers import VERSION, choices, typed_answers  # noqa: E402

PASSWORD = "a bench password that is long enough"
PROGRAMME = "nhs-digital-academy-dhlp"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="certready-about-you-"))
    os.environ.update(
        {
            "CERTREADY_DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
            "CERTREADY_SECRET_KEY": "bench",
            "CERTREADY_ENV": "development",
            "CERTREADY_RATELIMIT_ENABLED": "0",
            "CERTREADY_PASSWORD_HASHING": "fast",  # the hash is not what this measures
            "CERTREADY_REPORT_CACHE_DIR": str(work / "reports"),
        }
    )
    from app import create_app
    from app.extensions import db

    flask_app = create_app({"WTF_CSRF_ENABLED": False})
    with flask_app.app_context():
        db.create_all()
        engine = db.engine
    counts = {"statements": 0, "commits": 0}

    def count(key: str):
        return lambda *_: counts.__setitem__(key, counts[key] + 1)

    event.listen(engine, "before_cursor_execute", count("statements"))
    event.listen(engine, "commit", count("commits"))
    samples: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
    rnd = random.Random(1)

    def timed(kind: str, call, *call_args, **call_kwargs):
        before = dict(counts)
        started = time.process_time()
        response = call(*call_args, **call_kwargs)
        samples[kind].append(
            (
                time.process_time() - started,
                counts["statements"] - before["statements"],
                counts["commits"] - before["commits"],
            )
        )
        return response

    for number in range(args.people):
        client = flask_app.test_client()
        email = f"bench-{number}@example.org"
        client.post("/register", data={"email": email, "password": PASSWORD, "confirm_password": PASSWORD})
        location = client.post("/assessments/new", data={"framework_id": PROGRAMME}).location
        location = client.get(location).location
        for _ in range(80):
            path = re.sub(r"^https?://[^/]+", "", location)
            if "/profile/" in path:
                page = timed("about you (GET)", client.get, path).get_data(as_text=True)
                if "/profile/equality-information" in path:
                    link = re.search(r'href="(/profile/equality-[a-z-]+\?[^"]*)"', page)
                    location = html.unescape(link.group(1))
                    continue
                data = [(name, rnd.choice(values)) for name, values in choices(page).items()]
                data += typed_answers(page)
                response = timed("about you (POST)", client.post, path, data=MultiDict(data))
            elif "/domains/" in path:
                page = timed("rating page (GET)", client.get, path).get_data(as_text=True)
                data = [("version", VERSION.search(page).group(1)), ("action", "continue")]
                for name, values in choices(page).items():
                    if name.startswith("level-"):
                        data += [(name, rnd.choice(values)), (f"evidence-{name[6:]}", "Led a ward roll-out")]
                response = timed("rating save (POST)", client.post, path, data=MultiDict(data))
            else:
                break
            assert response.status_code in (302, 303), (path, response.status_code)
            location = response.location

    table = {
        kind: {
            "requests": len(rows),
            "median CPU ms": round(statistics.median(row[0] for row in rows) * 1000, 2),
            "statements": statistics.median(row[1] for row in rows),
            "commits": statistics.median(row[2] for row in rows),
        }
        for kind, rows in samples.items()
    }
    rating = {"GET": table["rating page (GET)"], "POST": table["rating save (POST)"]}
    print(f"{ROOT} — load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print("| request | n | median CPU ms | × rating | SQL statements | commits |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, row in table.items():
        ratio = row["median CPU ms"] / rating["GET" if "GET" in kind else "POST"]["median CPU ms"]
        print(
            f"| {kind} | {row['requests']} | {row['median CPU ms']} | {ratio:.2f} | "
            f"{row['statements']:g} | {row['commits']:g} |"
        )
    if args.json:
        args.json.write_text(json.dumps(table, indent=2))


if __name__ == "__main__":
    main()
