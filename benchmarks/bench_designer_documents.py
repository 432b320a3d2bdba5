"""Designer document benchmark: the EIA and the inclusivity report, cold and from the cache.

    .venv/bin/python benchmarks/bench_designer_documents.py [--n 10000] [--runs 5] [--db /tmp/x.db]

Makes (or reuses, with ``--db``) a SQLite database holding a synthetic cohort of ``--n`` people
for one programme (``certready demo-cohort``'s generator) and a designer, then through the Flask
views measures, side by side in one run:
  * the EIA page, its PDF and its Word file, the inclusivity report, the "Fit for purpose" page
    and two CSV tables, made cold (the caches emptied before each run; target < 3 s each for
    the EIA at 10,000 people);
  * the same downloads and page again, served from the caches (target < 5 ms for a download;
    the view still reads the programme's version and cohort state, which is what keeps a cached
    file from going stale), beside ``/healthz``, the smallest request, in the same run;
  * ``services.cohort_state`` alone, and ``eia.draft`` alone (the figures).
Prints medians in milliseconds: wall-clock time through the test client, the CPU time of this
process (steadier than wall time on a shared machine), and for each request the time inside
the Flask app (``wsgi_app``: from routing to the response, without the test client's own work).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROGRAMME = "nhs-digital-academy-dhlp"
PASSWORD = "benchmark password not for production"


def _medians(action, runs: int, before=None) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of ``action`` over ``runs`` runs."""
    wall, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


class AppTimer:
    """Wraps ``app.wsgi_app`` to time each request inside the Flask app."""

    def __init__(self, app) -> None:
        self.inner = app.wsgi_app
        self.times: list[float] = []
        app.wsgi_app = self

    def __call__(self, environ, start_response):
        start = time.perf_counter()
        body = list(self.inner(environ, start_response))
        self.times.append((time.perf_counter() - start) * 1000)
        return body


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="SQLite file to make or reuse")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="certready-bench-docs-"))
    database = args.db or work / "bench.db"
    cache = work / "reports"
    os.environ["CERTREADY_REPORT_CACHE_DIR"] = str(cache)

    from sqlalchemy import func, select

    from app import create_app
    from app.auth.services import create_user
    from app.designer import demo, eia, services, tallies
    from app.designer.models import CohortRecord
    from app.designer.pages import fitness
    from app.extensions import db
    from app.journey.services import snapshot_for
    from app.models import User

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "CERTREADY_REPORT_CACHE_DIR": str(cache),
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "CERTREADY_PASSWORD_HASHING": "fast",
            "SECRET_KEY": "benchmark-secret-key-not-for-production",
        }
    )
    with app.app_context():
        db.create_all()
        if db.session.query(User).filter_by(email="bench-designer@example.org").first() is None:
            create_user("bench-designer@example.org", PASSWORD, role="designer", display_name="Bench")
        if not db.session.scalar(select(func.count()).select_from(CohortRecord)):
            framework = services.programme(PROGRAMME)
            snapshot = snapshot_for(framework)
            db.session.commit()
            started = time.perf_counter()
            demo.generate(framework, snapshot.id, args.n, seed=1)
            db.session.commit()
            print(f"made {args.n:,} synthetic people in {time.perf_counter() - started:.1f} s")
        if services.cohort_state(PROGRAMME) == "none":  # a database made before cohort versions
            tallies.bump([PROGRAMME])
            db.session.commit()
        framework = services.programme(PROGRAMME)
        state = _medians(lambda: services.cohort_state(PROGRAMME), args.runs * 4)
        # Counted afresh each time, the content-validity appendix too (kept in the process otherwise).
        draft = _medians(lambda: eia.draft(framework, 10), args.runs, before=fitness._FIGURES.clear)

    client = app.test_client()
    client.post("/login", data={"email": "bench-designer@example.org", "password": PASSWORD})
    timer = AppTimer(app)
    base = f"/designer/programmes/{PROGRAMME}"

    def empty_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)
        fitness._FIGURES.clear()  # the "Fit for purpose" figures, kept in the process

    def get(url: str):
        def fetch() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return fetch

    rows = [
        ("cohort state (the cache key's database part)", (*state, None)),
        ("EIA figures (eia.draft)", (*draft, None)),
    ]

    def measure(label: str, url: str, runs: int, before=None) -> None:
        timer.times.clear()
        wall, cpu = _medians(get(url), runs, before)
        rows.append((label, (wall, cpu, statistics.median(timer.times))))

    for label, url in (
        ("EIA page", f"{base}/equality-impact"),
        ("EIA Word, cold", f"{base}/equality-impact.docx"),
        ("EIA PDF, cold", f"{base}/equality-impact.pdf"),
        ("inclusivity report PDF, cold", f"{base}/report.pdf"),
        ("Fit for purpose page, cold", f"{base}/fit-for-purpose"),
        ("groups CSV, cold", f"{base}/export/groups.csv?by=contract"),
        ("EIA CSV, cold", f"{base}/export/equality-impact.csv"),
    ):
        measure(label, url, args.runs, before=empty_cache)
    cached = (
        ("baseline: /healthz (the smallest request)", "/healthz"),
        ("EIA Word, cached", f"{base}/equality-impact.docx"),
        ("EIA PDF, cached", f"{base}/equality-impact.pdf"),
        ("inclusivity report PDF, cached", f"{base}/report.pdf"),
        ("groups CSV, cached", f"{base}/export/groups.csv?by=contract"),
        ("EIA CSV, cached", f"{base}/export/equality-impact.csv"),
        ("Fit for purpose page, figures cached", f"{base}/fit-for-purpose"),
    )
    for _, url in cached:
        get(url)()
    # Round by round, so a change in the machine's load falls on every request alike.
    timings: dict[str, tuple[list[float], list[float], list[float]]] = {
        label: ([], [], []) for label, _ in cached
    }
    for _ in range(args.runs * 4):
        for label, url in cached:
            timer.times.clear()
            wall, cpu = _medians(get(url), 1)
            timings[label][0].append(wall)
            timings[label][1].append(cpu)
            timings[label][2].append(timer.times[0])
    for label, (walls, cpus, insides) in timings.items():
        medians = (statistics.median(walls), statistics.median(cpus), statistics.median(insides))
        rows.append((label, medians))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load}")
    print(f"{args.n:,} people, {PROGRAMME}, median of {args.runs} runs (cached: {args.runs * 4})")
    print(f"  {'':<48} {'wall ms':>10} {'CPU ms':>10} {'in app ms':>10}")
    for label, (wall, cpu, inside) in rows:
        inside_text = f"{inside:10.1f}" if inside is not None else f"{'':>10}"
        print(f"  {label:<48} {wall:10.1f} {cpu:10.1f} {inside_text}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
