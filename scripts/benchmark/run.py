#!/usr/bin/env python
"""The benchmark: W1 (JSON API and HTML pages), the bare engine in the same run, W2 (inbox at size) and W4 (a
20 MB scan), through gunicorn on loopback, on SQLite and PostgreSQL, with 1 and 2 workers.

    scripts/bench [--instances 100] [--w2-open 100000] [--w2-done 1000000] [--no-postgres] [--quick]
                  [--json bench-results.json]

Prints one table and writes the JSON. Medians and p95 in ms. W3 (a 30-trainee issuance class from xlsx registration
to certificates received, as three users through the pages and task forms) runs the journey test, whose dates are
those of the measure's calendar: it drives the app over WSGI in this process (a faked clock cannot reach gunicorn).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bare import bare_engine  # noqa: E402
from server import gunicorn, prepare  # noqa: E402
from w2 import prepare_w2  # noqa: E402
from workloads import w1_api, w1_html, w2_inbox, w4_upload  # noqa: E402

from tests.support.platform import create_pg_database, drop_pg_database, pg_url  # noqa: E402


def databases(tmp: Path, postgres: bool, label: str) -> list[tuple[str, str, str | None]]:
    rows: list[tuple[str, str, str | None]] = [("SQLite", f"sqlite:///{tmp}/{label}.db", None)]
    if postgres:
        name = create_pg_database()
        rows.append(("PostgreSQL", pg_url(name), name))
    return rows


def run(args: argparse.Namespace) -> dict[str, object]:
    report: dict[str, object] = {"w1": {}, "w2": {}, "w4": {}, "bare_engine": None}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for db, url, pg_name in databases(tmp, args.postgres, "w1"):
            try:
                prepared = prepare(tmp / f"w1-{db}", url)
                if report["bare_engine"] is None:
                    report["bare_engine"] = bare_engine(prepared, args.instances)
                for workers in (1, 2):
                    with gunicorn(prepared, workers) as server:
                        for via, workload in (("API", w1_api), ("HTML", w1_html)):
                            key = f"{db} · {workers} worker(s) · {via}"
                            report["w1"][key] = workload(server, prepared, args.instances).summary()  # type: ignore[index]
                            print(f"  done W1 {key}", file=sys.stderr)
                with gunicorn(prepared, 1) as server:
                    report["w4"][db] = w4_upload(server, prepared)  # type: ignore[index]
            finally:
                if pg_name:
                    drop_pg_database(pg_name)
        for db, url, pg_name in databases(tmp, args.postgres, "w2"):
            try:
                t0 = time.perf_counter()
                prepared = prepare_w2(tmp / f"w2-{db}", url, args.w2_open, args.w2_done)
                print(f"  filled W2 {db} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
                with gunicorn(prepared, 1) as server:
                    result = w2_inbox(server, prepared.username, prepared.password, prepared.token, args.w2_runs)
                    report["w2"][db] = result.summary()["requests"]  # type: ignore[index]
            finally:
                if pg_name:
                    drop_pg_database(pg_name)
    report["w3"] = w3_class_journey()
    report["settings"] = vars(args)
    return report


def w3_class_journey() -> dict[str, object]:
    root = Path(__file__).resolve().parents[2]
    test = "tests/e2e/issuance/test_class_journey.py"
    done = subprocess.run([str(root / ".venv/bin/pytest"), "-s", "-q", "-p", "no:cacheprovider", test], cwd=root,
                          capture_output=True, text=True, timeout=600, check=False)
    found = re.search(r"\[timing\] 30-trainee class[^:]*: ([0-9.]+) s", done.stdout)
    print("  done W3", file=sys.stderr)
    return {"seconds": float(found.group(1)) if found else None, "passed": done.returncode == 0}


def table(report: dict[str, object]) -> str:
    bare = report["bare_engine"] or {}
    floor = bare.get("with state serialization", {}).get("median_ms", 0) if isinstance(bare, dict) else 0
    lines = ["W1: start → 5 user tasks → end; per task list + open + submit   (ms: median / p95)",
             f"{'run':<34}{'list':>14}{'open':>14}{'submit':>14}{'tasks/s':>9}{'SQL/sub':>8}{'CPU s/inst':>11}"
             f"{'× bare':>8}"]
    for key, s in report["w1"].items():  # type: ignore[union-attr]
        r = s["requests"]

        def cell(kind: str, r: dict = r) -> str:
            return f"{r[kind]['median_ms']:.1f} / {r[kind]['p95_ms']:.1f}"

        ratio = r["submit"]["median_ms"] / floor if floor else 0
        lines.append(f"{key:<34}{cell('list'):>14}{cell('open'):>14}{cell('submit'):>14}"
                     f"{s['tasks_per_second']:>9}{s['sql_per_submit']!s:>8}{s['cpu_seconds_per_instance']!s:>11}"
                     f"{ratio:>8.1f}")
    for label, s in bare.items():  # type: ignore[union-attr]
        lines.append(f"bare engine, {label:<24}{'':>28}{s['median_ms']:>8.3f} / {s['p95_ms']:.3f}")
    lines.append("W2: inbox at size (ms: median / p95)")
    for db, kinds in report["w2"].items():  # type: ignore[union-attr]
        lines.append(f"  {db:<12}" + "   ".join(f"{k}: {v['median_ms']:.1f} / {v['p95_ms']:.1f}"
                                               for k, v in kinds.items()))
    w3 = report.get("w3") or {}
    lines.append(f"W3: 30-trainee class, registration to receipts: {w3.get('seconds')} s"  # type: ignore[union-attr]
                 f"{'' if w3.get('passed') else '  (journey FAILED)'}")  # type: ignore[union-attr]
    lines.append("W4: 20 MB scan through the API")
    for db, w in report["w4"].items():  # type: ignore[union-attr]
        lines.append(f"  {db:<12}up {w['upload_mb_per_s']} MB/s  down {w['download_mb_per_s']} MB/s  "
                     f"worker peak +{w['worker_peak_growth_mb']} MB")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=100)
    parser.add_argument("--w2-open", type=int, default=100_000)
    parser.add_argument("--w2-done", type=int, default=1_000_000)
    parser.add_argument("--w2-runs", type=int, default=100)
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    parser.add_argument("--quick", action="store_true", help="small sizes to check the benchmark itself")
    parser.add_argument("--json", default="bench-results.json")
    args = parser.parse_args()
    if args.quick:
        args.instances, args.w2_open, args.w2_done, args.w2_runs = 10, 2_000, 5_000, 10
    report = run(args)
    Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(report))
    print(f"\n(JSON: {args.json})")


if __name__ == "__main__":
    main()
