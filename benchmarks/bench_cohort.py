"""Time the designer dashboard's analytics at 10,000, 100,000 and 1,000,000 assessments.

    .venv/bin/python benchmarks/bench_cohort.py [--sizes 10000 100000] [--groupings contract caring]

SQLite always; PostgreSQL too when CERTREADY_BENCH_POSTGRES_URL is set. Synthetic cohort rows
(users, consenting profiles and cohort rows; flags as masks) are inserted directly, not through the
web. For each grouping the script times, in the same run: a bare ``GROUP BY`` with ``COUNT(*)``
over the same counted rows (same consent join and filters), the grouping's SQL aggregates, and
the whole figures (SQL plus ``assessments.cohort`` statistics); and the whole dashboard view model.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select, text

from app import create_app
from app.designer import analytics, bp, demo, queries
from app.designer.fields import GROUPINGS, masks_for, profile_columns
from app.designer.models import CohortRecord
from app.extensions import db
from app.journey.services import snapshot_for
from app.models import Assessment, Profile, User
from assessments import risks
from assessments.framework import shipped_frameworks
from assessments.profile import Profile as ProfileAnswers

PROGRAMME = "nhs-digital-academy-dhlp"
BATCH = 20_000


def fill(n: int, seed: int = 1) -> None:
    """Insert ``n`` synthetic consenting participants with one cohort row each."""
    framework = shipped_frameworks()[PROGRAMME]
    rng = random.Random(seed)
    patterns = demo.rating_patterns(framework, rng)
    snapshot = snapshot_for(framework)
    db.session.commit()
    cache: dict[str, tuple[int, int, int]] = {}
    now = datetime.now(UTC)
    for start in range(0, n, BATCH):
        size = min(BATCH, n - start)
        people = [demo.synthetic_profile(rng) for _ in range(size)]
        users = [
            {
                "email": f"bench-{start + i}@{demo.SYNTHETIC_DOMAIN}",
                "password_hash": "!",
                "role": "participant",
                "session_token": f"{start + i:064d}",
                "created_at": now,
            }
            for i in range(size)
        ]
        consents = [rng.random() > 0.03 for _ in range(size)]
        user_ids = list(
            db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), users)
        )
        db.session.execute(
            insert(Profile),
            [
                {
                    "user_id": u,
                    "answers": {},
                    "equality": {},
                    "consent_aggregate": consent,
                    "updated_at": now,
                    "version": 1,
                }
                for u, consent in zip(user_ids, consents, strict=True)
            ],
        )
        assessment_ids = list(
            db.session.scalars(
                insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True),
                [
                    {
                        "user_id": u,
                        "framework_id": PROGRAMME,
                        "framework_version": framework.version,
                        "snapshot_id": snapshot.id,
                        "status": "submitted",
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                    }
                    for u in user_ids
                ],
            )
        )
        rows = []
        for user_id, assessment_id, (answers, equality), consent in zip(
            user_ids, assessment_ids, people, consents, strict=True
        ):
            key = repr(sorted(answers.items()))
            masks = cache.get(key)
            if masks is None:
                flags = risks.evaluate(ProfileAnswers.model_validate(answers), framework)
                masks = cache[key] = masks_for(flag.to_dict() for flag in flags)
            pattern = rng.choice(patterns)
            rows.append(
                {
                    "assessment_id": assessment_id,
                    "user_id": user_id,
                    "framework_id": PROGRAMME,
                    "framework_version": framework.version,
                    "submitted_at": now,
                    "is_latest": True,
                    "consented": consent,
                    "synthetic": True,
                    "score": pattern.score,
                    "band": pattern.band,
                    "no_opportunity_count": pattern.no_opportunity,
                    "answer_count": pattern.answers,
                    "flag_mask": masks[0],
                    "high_mask": masks[1],
                    "undetermined_mask": masks[2],
                    **profile_columns(answers, equality),
                }
            )
        db.session.execute(insert(CohortRecord), rows)
        db.session.commit()
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
    db.session.commit()


def bare_group_by(grouping: str) -> None:
    group = GROUPINGS[grouping].expression()
    statement = queries.counted(select(group, func.count()).select_from(CohortRecord), PROGRAMME).group_by(
        group
    )
    db.session.execute(statement).all()


def best(function: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def dashboard(framework, grouping: str) -> None:
    analysis = analytics.analyse(framework, grouping, min_cell=10)
    for key in analysis.category_keys:
        analytics.chart_for(analysis, key)


def run(url: str, sizes: list[int], groupings: list[str], label: str) -> list[str]:
    lines = []
    for n in sizes:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SERVER_NAME": "bench.test"})
        if "designer" not in app.blueprints:
            app.register_blueprint(bp)
        with app.app_context():
            db.drop_all()
            db.create_all()
            start = time.perf_counter()
            fill(n)
            filled = time.perf_counter() - start
            framework = shipped_frameworks()[PROGRAMME]
            lines.append(f"| {label} | {n:,} | (insert {filled:.1f} s) | | | | |")
            for grouping in groupings:
                bare = best(lambda g=grouping: bare_group_by(g))
                sql = best(lambda g=grouping: queries.group_counts(PROGRAMME, g))
                figures = best(lambda g=grouping, f=framework: analytics.analyse(f, g, min_cell=10), repeat=3)
                whole = best(lambda g=grouping, f=framework: dashboard(f, g), repeat=3)
                lines.append(
                    f"| {label} | {n:,} | {grouping} | {bare * 1000:.0f} ms | {sql * 1000:.0f} ms "
                    f"({sql / bare:.2f}×) | {figures * 1000:.0f} ms ({figures / bare:.2f}×) "
                    f"| {whole * 1000:.0f} ms |"
                )
                print(lines[-1], flush=True)
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--groupings", nargs="+", default=["contract", "caring", "sex"])
    args = parser.parse_args()
    header = [
        "| Database | Assessments | Grouping | Bare GROUP BY | Grouping SQL (× bare) "
        "| Grouping figures incl. statistics (× bare) | Whole dashboard |",
        "|---|---|---|---|---|---|---|",
    ]
    print("\n".join(header), flush=True)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results += run(f"sqlite:///{Path(folder) / 'bench.db'}", args.sizes, args.groupings, "SQLite")
    postgres = os.environ.get("CERTREADY_BENCH_POSTGRES_URL")
    if postgres:
        results += run(
            postgres.replace("postgresql://", "postgresql+psycopg://", 1),
            args.sizes,
            args.groupings,
            "PostgreSQL",
        )
    print(
        f"\n{platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {datetime.now(UTC).date().isoformat()}"
    )


if __name__ == "__main__":
    main()
