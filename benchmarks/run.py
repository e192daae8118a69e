"""Run every benchmark against one throw-away database and print a summary table.

    uv run python benchmarks/run.py [--scale 0.1] [--repeat 30] [--only search]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        uv run python benchmarks/run.py --scale 1

The database is created next to DATABASE_URL's (kliento_bench_<pid>; a temporary SQLite file
without DATABASE_URL), migrated and loaded with the scaled data once, shared by every
benchmark script that uses harness.py (each runs in its own process, in name order), and
dropped at the end. Their `harness.report(...)` lines make the summary table.

Every other script in benchmarks/ (any *.py but run.py, harness.py and _*.py) is run too, in
its own process with the environment as given, so it makes its own throw-away database; it gets
`--rows <1,000,000 * scale>` when it accepts a --rows option, and its own output is its report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import harness

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="run only bench files whose name contains this")
    args = parser.parse_args()
    benches = sorted(
        p
        for p in HERE.glob("*.py")
        if p.name not in {"run.py", "harness.py"}
        and not p.name.startswith("_")
        and args.only in p.stem
    )
    if not benches:
        print(f"no benchmarks match {args.only!r}", file=sys.stderr)
        return 2
    fd, results = tempfile.mkstemp(prefix="kliento-bench-", suffix=".jsonl")
    os.close(fd)
    os.environ[harness.RESULTS_ENV] = results
    failures: list[str] = []
    base_url = os.environ.get("DATABASE_URL", "")
    with harness.throwaway_database() as url:
        harness.setup_django(url)
        print(f"Benchmark database: {_safe(url)} ({harness.database_label()})", flush=True)
        harness.prepare(args.scale, args.seed)
        harness._close_django_connections()
        env = {
            **os.environ,
            harness.SHARED_DB_ENV: url,
            harness.SHARED_SCALE_ENV: str(args.scale),
        }
        for bench in benches:
            print(f"\n=== {bench.stem} ===", flush=True)
            source = bench.read_text(encoding="utf-8")
            if "import harness" in source:
                command = [sys.executable, str(bench), "--scale", str(args.scale)]
                command += ["--repeat", str(args.repeat), "--seed", str(args.seed)]
                bench_env = env
            else:
                command = [sys.executable, str(bench)]
                if "--rows" in source:
                    command += ["--rows", str(max(1000, round(1_000_000 * args.scale)))]
                bench_env = {k: v for k, v in env.items() if k != harness.SHARED_DB_ENV}
                bench_env["DATABASE_URL"] = base_url
            if subprocess.run(command, env=bench_env, check=False).returncode != 0:
                failures.append(bench.stem)
    summary(Path(results))
    Path(results).unlink(missing_ok=True)
    if failures:
        print(f"\nFAILED: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


def summary(results: Path) -> None:
    records = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    header = ("bench", "case", "median", "p95", "baseline", "baseline median", "ratio")
    rows = []
    for r in records:
        unit = r["unit"]
        base = r["baseline"]
        rows.append(
            (
                r["bench"],
                r["case"],
                f"{r['value']['median']:.2f} {unit}",
                f"{r['value']['p95']:.2f} {unit}",
                r["baseline_name"] or "—",
                f"{base['median']:.2f} {unit}" if base else "—",
                f"{r['ratio']:.2f}x" if r["ratio"] is not None else "—",
            )
        )
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    print("\nSummary")
    for i, row in enumerate([header, *rows]):
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def _safe(url: str) -> str:
    # Never print a password that DATABASE_URL might carry.
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


if __name__ == "__main__":
    sys.exit(main())
