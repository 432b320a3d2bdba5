"""Time the designer dashboard's analytics at 10,000, 100,000 and 1,000,000 assessments.

    .venv/bin/python benchmarks/bench_cohort.py [--sizes 10000 100000] [--groupings contract caring]
        [--keep DIR] [--postgres URL]

SQLite always; PostgreSQL too when ``--postgres`` (or CERTREADY_BENCH_POSTGRES_URL) is given; a
``{n}`` in that URL gives each size its own database. Synthetic cohort rows (users, profiles,
cohort rows; flags as masks; 3% without consent) are inserted directly, not through the web.
``--keep DIR`` keeps the SQLite files there and reuses any that already hold the right number of
rows (PostgreSQL databases are reused the same way), since filling a million rows takes minutes.

After filling, the programme's tallies are counted (``app.designer.tallies.rebuild``, timed), as
``certready init-db`` does for a database that has rows but no tallies.

For each grouping the script times, in the same run: a bare ``GROUP BY`` with ``COUNT(*)`` over
the same counted rows (same filters); the grouping's counts read from the rows themselves
(``queries.live_group_counts``, what intersections and untallied programmes use); the same counts
from the tallies (``queries.group_counts``, what the dashboard uses); the grouping's whole figures
(counts plus ``assessments.cohort`` statistics) and the whole dashboard view model (figures plus
SVG charts); then what keeping the tallies costs one change (a person withdrawing consent, rolled
back: the tally upkeep against the bare ``UPDATE``), and one what-if (part-time pathway, no
residential stays, no minimum qualification) over the whole cohort. Each figure is the best
of several runs, as wall time and as this process's CPU time (the machine is shared, so wall
time includes waiting for a core; with PostgreSQL the server's CPU is not in the CPU figure).
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

from sqlalchemy import func, insert, select, text, update

from app import create_app
from app.designer import analytics, bp, demo, queries, services, tallies, whatif
from app.designer.fields import GROUPINGS, masks_for, profile_columns
from app.designer.models import CohortRecord, CohortTally, CohortTallyFlag
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
                    "released": True,
                    "counted": True,
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


def one_change(user_id: int, *, keep_tallies: bool) -> None:
    """A person withdrawing consent, with or without the tally upkeep; rolled back."""
    if keep_tallies:
        services.set_consent_for_user(user_id, False)
    else:
        statement = update(CohortRecord).where(CohortRecord.user_id == user_id)
        db.session.execute(statement.values(consented=False))
    db.session.flush()
    db.session.rollback()


def best(function: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """(best wall time, best CPU time) over ``repeat`` runs, in seconds."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus)


def what_if(framework) -> int:
    """One redesign over the whole cohort, as the what-if page runs it; returns the combinations."""
    changes = {
        "delivery": {"part_time_pathway": True, "residential": False},
        "eligibility": {"min_qualification": "none", "qualification_alternative_route": True},
    }
    modified = whatif.apply_changes(framework, changes)
    combos = queries.rule_combinations(framework.id, "contract")
    *_, (_, _, result) = whatif.run_steps(framework, modified, "contract", combos, min_cell=10)
    assert result is not None
    return result.combinations


def _ms(times: tuple[float, float]) -> str:
    wall, cpu = (value * 1000 for value in times)
    places = 1 if wall < 10 else 0
    return f"{wall:,.{places}f} ms ({cpu:,.{places}f} ms CPU)"


def dashboard(framework, grouping: str) -> None:
    analysis = analytics.analyse(framework, grouping, min_cell=10)
    for key in analysis.category_keys:
        analytics.chart_for(analysis, key)


def _rows() -> int:
    try:
        return int(db.session.scalar(select(func.count()).select_from(CohortRecord)) or 0)
    except Exception:  # no table yet
        db.session.rollback()
        return -1


def run(url: str, n: int, groupings: list[str], label: str, keep: bool) -> list[str]:
    lines = []
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SERVER_NAME": "bench.test"})
    if "designer" not in app.blueprints:
        app.register_blueprint(bp)
    with app.app_context():
        filled = "reused"
        if not keep or _rows() != n:
            db.session.remove()
            db.drop_all()
            db.create_all()
            start = time.perf_counter()
            fill(n)
            filled = f"filled in {time.perf_counter() - start:,.0f} s"
        db.create_all()  # a kept database from before tallies existed gets their tables
        start = time.perf_counter()
        tallies.rebuild([PROGRAMME])
        db.session.commit()
        counted_in = time.perf_counter() - start
        tally_rows = db.session.scalar(select(func.count()).select_from(CohortTally))
        flag_rows = db.session.scalar(select(func.count()).select_from(CohortTallyFlag))
        framework = shipped_frameworks()[PROGRAMME]
        lines.append(
            f"| {label} | {n:,} | ({filled}; tallies counted in {counted_in:,.1f} s: "
            f"{tally_rows:,} + {flag_rows:,} rows) | | | | | |"
        )
        print(lines[-1], flush=True)
        assert tallies.is_built(PROGRAMME)
        for grouping in groupings:
            tallied = queries.group_counts(PROGRAMME, grouping)
            assert tallies.differences(tallied, queries.live_group_counts(PROGRAMME, grouping)) == []
            bare = best(lambda g=grouping: bare_group_by(g), repeat=7)
            live = best(lambda g=grouping: queries.live_group_counts(PROGRAMME, g))
            sql = best(lambda g=grouping: queries.group_counts(PROGRAMME, g))
            figures = best(lambda g=grouping, f=framework: analytics.analyse(f, g, min_cell=10))
            whole = best(lambda g=grouping, f=framework: dashboard(f, g))
            lines.append(
                f"| {label} | {n:,} | {grouping} | {_ms(bare)} | {_ms(live)}: {live[0] / bare[0]:.1f}× "
                f"| {_ms(sql)}: {sql[0] / bare[0]:.2f}× | {_ms(figures)}: {figures[0] / bare[0]:.2f}× "
                f"({figures[1] / bare[1]:.2f}× CPU) | {_ms(whole)} |"
            )
            print(lines[-1], flush=True)
        user_id = db.session.scalar(
            select(CohortRecord.user_id).where(CohortRecord.consented.is_(True)).limit(1)
        )
        plain = best(lambda u=user_id: one_change(u, keep_tallies=False), repeat=9)
        kept = best(lambda u=user_id: one_change(u, keep_tallies=True), repeat=9)
        lines.append(
            f"| {label} | {n:,} | one consent change | | bare UPDATE {_ms(plain)} "
            f"| with tally upkeep {_ms(kept)} | | |"
        )
        print(lines[-1], flush=True)
        combinations = what_if(framework)
        timed = best(lambda f=framework: what_if(f), repeat=2)
        lines.append(f"| {label} | {n:,} | what-if ({combinations:,} combinations) | | | | | {_ms(timed)} |")
        print(lines[-1], flush=True)
        db.session.remove()
        if not keep:
            db.drop_all()
        db.engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--groupings", nargs="+", default=["contract", "caring", "sex"])
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the SQLite files in this folder")
    parser.add_argument("--postgres", default=os.environ.get("CERTREADY_BENCH_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    header = [
        "| Database | Assessments | Grouping | Bare GROUP BY | Counts from rows (× bare) "
        "| Counts from tallies (× bare) | Grouping figures incl. statistics (× bare) "
        "| Whole dashboard view model |",
        "|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(header), flush=True)
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for n in [] if args.skip_sqlite else args.sizes:
            url = f"sqlite:///{folder / f'cohort-{n}.db'}"
            results += run(url, n, args.groupings, "SQLite", keep=args.keep is not None)
    if args.postgres:
        for n in args.sizes:
            url = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1).replace("{n}", str(n))
            results += run(url, n, args.groupings, "PostgreSQL", keep=True)
    print(
        f"\n{platform.platform()}, {_cpu_model()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {datetime.now(UTC).date().isoformat()}"
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


if __name__ == "__main__":
    main()
