"""Designer document benchmark: the EIA and the inclusivity report, cold and from the cache.

    .venv/bin/python benchmarks/bench_designer_documents.py [--n 10000] [--runs 5] [--db /tmp/x.db]

Makes (or reuses, with ``--db``) a SQLite database holding a synthetic cohort of ``--n`` people
for one programme (``certready demo-cohort``'s generator) and a designer, then through the Flask
views measures:
  * the EIA page, its PDF and its Word file, made cold (the cache emptied before each run);
  * the same downloads again, served from the cache (target < 5 ms; the view still reads the
    cohort state, which is what keeps a cached file from going stale);
  * ``services.cohort_state`` alone, and ``eia.draft`` alone (the figures, target < 3 s cold).
Prints medians in milliseconds.
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


def _median_ms(action, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


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

    from app import create_app
    from app.auth.services import create_user
    from app.designer import demo, eia, services
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
        if services.cohort_state(PROGRAMME).startswith("0|"):
            framework = services.programme(PROGRAMME)
            snapshot = snapshot_for(framework)
            db.session.commit()
            started = time.perf_counter()
            demo.generate(framework, snapshot.id, args.n, seed=1)
            db.session.commit()
            print(f"made {args.n:,} synthetic people in {time.perf_counter() - started:.1f} s")
        framework = services.programme(PROGRAMME)
        state_ms = _median_ms(lambda: services.cohort_state(PROGRAMME), args.runs * 4)
        draft_ms = _median_ms(lambda: eia.draft(framework, 10), args.runs)

    client = app.test_client()
    client.post("/login", data={"email": "bench-designer@example.org", "password": PASSWORD})
    base = f"/designer/programmes/{PROGRAMME}"

    def empty_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def get(url: str):
        def fetch() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return fetch

    rows = [("cohort state (the cache key's database part)", state_ms), ("EIA figures (eia.draft)", draft_ms)]
    for label, url in (
        ("EIA page", f"{base}/equality-impact"),
        ("EIA Word, cold", f"{base}/equality-impact.docx"),
        ("EIA PDF, cold", f"{base}/equality-impact.pdf"),
        ("inclusivity report PDF, cold", f"{base}/report.pdf"),
    ):
        rows.append((label, _median_ms(get(url), args.runs, before=empty_cache)))
    for label, url in (
        ("EIA Word, cached", f"{base}/equality-impact.docx"),
        ("EIA PDF, cached", f"{base}/equality-impact.pdf"),
        ("inclusivity report PDF, cached", f"{base}/report.pdf"),
    ):
        get(url)()
        rows.append((label, _median_ms(get(url), args.runs * 4)))
    print(f"{args.n:,} people, {PROGRAMME}, median of {args.runs} runs (cached: {args.runs * 4})")
    for label, ms in rows:
        print(f"  {label:<48} {ms:10.1f} ms")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
