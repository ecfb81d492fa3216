#!/usr/bin/env python
"""What a user waits for, through HTTP (routing, session, CSRF, templates, one transaction), at realistic size.

    .venv/bin/python scripts/bench_web.py [--rows 100000] [--tasks 200] [--postgres]

The database holds ``--rows`` open inbox tasks (bulk-filled as in bench_inbox.py) plus real process instances;
the measured user opens the inbox, opens a task and submits its form, ``--tasks`` times. Median and p95 in ms.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_inbox import build  # noqa: E402
from sqlalchemy import text  # noqa: E402

from adapters.services.bootstrap import bootstrap  # noqa: E402
from adapters.services.platform import deploy, instances  # noqa: E402
from adapters.web.app import create_app  # noqa: E402
from tests.support.bpmn import approval_process  # noqa: E402
from tests.support.platform import create_pg_database, drop_pg_database, pg_url, settings_for  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(label: str, url: str, tmp: Path, rows: int, n: int) -> None:
    wiring = bootstrap(settings_for(tmp, url))
    try:
        actors = build(wiring, rows)
        hot = actors["hot"]
        if url.startswith("postgresql"):  # the filler inserted explicit ids; move the sequence past them
            with wiring.platform.uow() as uow:
                uow.session.execute(text("SELECT setval('process_instances_id_seq', "
                                         "(SELECT max(id) FROM process_instances))"))
                uow.commit()
        deploy.deploy(wiring.platform, {"approval.bpmn": approval_process()}, "bench")
        ids = [instances.start_instance(wiring.platform, hot, "approval", business_key=f"W-{i:05d}")
               for i in range(n + 5)]
        with wiring.platform.reader() as uow:
            task_ids = [uow.tasks.open_for_instance(i)[0].id for i in ids]
        app = create_app(wiring.settings, wiring=wiring)
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        client.post("/login", data={"username": "hot", "password": "Bench1234", "csrf_token": token})
        timings: dict[str, list[float]] = {"GET /inbox/?tab=group": [], "GET /tasks/<id>": [],
                                           "POST /tasks/<id> (submit)": []}
        for task_id in task_ids[:5]:  # warm-up
            client.get(f"/tasks/{task_id}")
        for task_id in task_ids[5:]:
            t0 = time.perf_counter()
            assert client.get("/inbox/?tab=group").status_code == 200
            t1 = time.perf_counter()
            body = client.get(f"/tasks/{task_id}").get_data(as_text=True)
            t2 = time.perf_counter()
            token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', body).group(1)
            response = client.post(f"/tasks/{task_id}", data={"csrf_token": token, "_action": "submit",
                                                               "decision": "approve"})
            t3 = time.perf_counter()
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
            for key, value in zip(timings, (t1 - t0, t2 - t1, t3 - t2), strict=True):
                timings[key].append(value * 1000)
        print(f"\n{label}: {rows} open inbox tasks, {n} form submissions   median      p95  (ms)")
        for key, values in timings.items():
            print(f"  {key:<40} {statistics.median(values):8.1f} {pct(values, 95):8.1f}")
    finally:
        wiring.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measure("SQLite", f"sqlite:///{tmp}/web.db", Path(tmp), args.rows, args.tasks)
        if args.postgres:
            name = create_pg_database()
            try:
                measure("PostgreSQL", pg_url(name), Path(tmp) / "pg", args.rows, args.tasks)
            finally:
                drop_pg_database(name)


if __name__ == "__main__":
    main()
