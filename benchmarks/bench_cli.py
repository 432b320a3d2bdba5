"""Start-up cost of ``certready`` commands against importing the frameworks they stand on.

    .venv/bin/python benchmarks/bench_cli.py [--runs 5] [--json OUT]

Each measurement is a whole new process: wall time from spawn to exit, and the process's peak
resident memory (``ru_maxrss`` from ``os.wait4``, so only that child counts). The baseline is a
process that only imports Flask, SQLAlchemy, WTForms and click. Runs are interleaved (baseline,
command 1, command 2, ..., then again) so machine noise hits every row alike; the table shows the
median of ``--runs`` and the ratio to the baseline's median. Target: every command that renders no
PDF at most 1.5 times the baseline, in time and in memory. CPU seconds are shown too: on a shared
machine wall time mostly measures waiting for a CPU, and the CPU ratio is the steadier figure.

Commands run against a throwaway SQLite database (created first with ``certready init-db``).
Bytecode is cached as in any installed copy (``pip`` compiles on install, a server writes its caches
on first start): the processes write it under the run's temporary folder (``PYTHONPYCACHEPREFIX``,
even where the shell sets ``PYTHONDONTWRITEBYTECODE``), and one unmeasured round runs first. Without
it every certready command would also compile the project's own modules on every start, which the
bare import (only installed packages) never does.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CERTREADY = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]
EXAMPLES = ROOT / "examples"
INPUTS = [
    "--framework",
    "nhs-digital-academy-dhlp",
    "--profile",
    str(EXAMPLES / "profile-part-time-carer.yaml"),
    "--ratings",
    str(EXAMPLES / "ratings-dhlp.yaml"),
]
BASELINE = [sys.executable, "-c", "import flask, sqlalchemy, wtforms, click"]
COMMANDS: dict[str, list[str]] = {
    "frameworks list": ["frameworks", "list"],
    "frameworks check": ["frameworks", "check", str(ROOT / "assessments/frameworks/bcs-citp.yaml")],
    "assess": ["assess", *INPUTS],
    "compare": ["compare", *INPUTS],
    "init-db (up to date)": ["init-db"],
    "cohort-tallies": ["cohort-tallies"],
    "cohort": ["cohort", "--framework", "nhs-digital-academy-dhlp", "--by", "contract"],
    "impact": ["impact", "--framework", "nhs-digital-academy-dhlp"],
    "content-validity": ["content-validity", "--framework", "nhs-digital-academy-dhlp"],
    "content-validity --panel": [
        "content-validity",
        "--framework",
        "nhs-digital-academy-dhlp",
        "--panel",
        str(EXAMPLES / "panel-dhlp.yaml"),
    ],
    "consultation results": [
        "consultation",
        "results",
        str(EXAMPLES / "consultation-certifying-digital-leaders.yaml"),
    ],
    "create-user --help": ["create-user", "--help"],
    "routes": ["routes"],
    "--help": ["--help"],
}
LIMIT = 1.5


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one process running ``command`` to completion."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[-3:])} failed ({process.returncode}): {errors[-400:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="certready-cli-") as work:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"} | {
            "PYTHONPYCACHEPREFIX": f"{work}/pycache",
            "PYTHONPATH": str(ROOT),
            "CERTREADY_DATABASE_URL": f"sqlite:///{work}/cli.db",
            "CERTREADY_SECRET_KEY": "bench-cli",
            "CERTREADY_ENV": "development",
        }
        measure([*CERTREADY, "init-db"], env)
        rows = {"bare import (flask, sqlalchemy, wtforms, click)": BASELINE} | {
            f"certready {name}": [*CERTREADY, *argv] for name, argv in COMMANDS.items()
        }
        for command in rows.values():  # warm-up: writes the bytecode caches; not measured
            measure(command, env)
        samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in rows}
        for _ in range(args.runs):
            for name, command in rows.items():
                samples[name].append(measure(command, env))

    medians = {
        name: tuple(statistics.median(sample[i] for sample in runs) for i in range(3))
        for name, runs in samples.items()
    }
    base_time, base_cpu, base_memory = next(iter(medians.values()))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"{date.today().isoformat()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load}; median of {args.runs} runs each, interleaved\n"
    )
    print("| process | wall s | × bare | CPU s | × bare | peak RSS MiB | × bare |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    table = []
    failed = []
    for name, (seconds, cpu, memory) in medians.items():
        time_ratio, cpu_ratio, memory_ratio = seconds / base_time, cpu / base_cpu, memory / base_memory
        table.append(
            {
                "process": name,
                "seconds": seconds,
                "cpu seconds": cpu,
                "mib": memory,
                "time x": time_ratio,
                "cpu x": cpu_ratio,
                "mib x": memory_ratio,
            }
        )
        print(
            f"| {name} | {seconds:.2f} | {time_ratio:.2f} | {cpu:.2f} | {cpu_ratio:.2f} | "
            f"{memory:.0f} | {memory_ratio:.2f} |"
        )
        if time_ratio > LIMIT or memory_ratio > LIMIT:
            failed.append(name)
    if args.json:
        args.json.write_text(json.dumps({"load": load, "runs": args.runs, "rows": table}, indent=2))
    print(f"\nOver {LIMIT}× the bare import: {', '.join(failed) if failed else 'none'}")


if __name__ == "__main__":
    main()
