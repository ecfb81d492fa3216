#!/usr/bin/env python
"""Per-task cost of start/complete through the platform next to the bare engine, in the same run.

    .venv/bin/python scripts/bench_engine.py [--instances 200] [--postgres]

Prints median and p95 per operation and the SQL statements per completion. The process is
start → 5 sequential user tasks (each with a post-script) → end, as in the SpiffWorkflow guide's §8.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from adapters.engine.serializer import state_from_json, state_to_json  # noqa: E402
from adapters.services.bootstrap import bootstrap  # noqa: E402
from adapters.services.platform import deploy, instances, tasks  # noqa: E402
from adapters.services.platform.setup import upgrade_database  # noqa: E402
from tests.support.platform import create_pg_database, drop_pg_database, pg_url, populate, settings_for  # noqa: E402
from tests.support.scenarios import linear, task  # noqa: E402

STEPS = 5
XML = linear("bench", *[task(i, f"第{i + 1}步", post=f"step_{i} = decision") for i in range(STEPS)])


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def row(name: str, samples_ms: list[float], extra: str = "") -> str:
    return f"{name:<44} {statistics.median(samples_ms):8.2f} {pct(samples_ms, 95):8.2f}  {extra}"


def bare_engine(wiring, n: int, persist: bool) -> list[float]:
    with wiring.platform.uow() as uow:
        version = uow.processes.latest("bench")
        bundle = wiring.platform.runtime.bundle(version.id, lambda: version.spec_json)
    runtime, per_task = wiring.platform.runtime, []
    for _ in range(n):
        instance = runtime.start(bundle, {"organisation_id": 1})
        state = state_to_json(instance.workflow) if persist else ""
        for _ in range(STEPS):
            t0 = time.perf_counter()
            if persist:
                instance = runtime.restore(bundle, state)
            ready = instance.snapshot().ready_tasks[0]
            instance.complete(ready.task_id, {"decision": "approve"})
            if persist:
                state = state_to_json(instance.workflow)
            per_task.append((time.perf_counter() - t0) * 1000)
        assert instance.workflow.is_completed()
    _ = state_from_json
    return per_task


def platform_run(wiring, people, n: int) -> tuple[list[float], list[float], list[int]]:
    platform, actor = wiring.platform, people.actor("inst_a")
    counter = {"n": 0}

    def count(*_args) -> None:
        counter["n"] += 1

    event.listen(wiring.engine, "before_cursor_execute", count)
    starts, completes, statements = [], [], []
    for i in range(n):
        t0 = time.perf_counter()
        iid = instances.start_instance(platform, actor, "bench", business_key=f"B-{i}")
        starts.append((time.perf_counter() - t0) * 1000)
        with platform.uow() as uow:
            open_ids = [t.id for t in uow.tasks.open_for_instance(iid)]
        for _ in range(STEPS):
            counter["n"] = 0
            t0 = time.perf_counter()
            tasks.complete(platform, actor, open_ids[0], {"decision": "approve"})
            completes.append((time.perf_counter() - t0) * 1000)
            statements.append(counter["n"])
            with platform.uow() as uow:
                open_ids = [t.id for t in uow.tasks.open_for_instance(iid)]
    event.remove(wiring.engine, "before_cursor_execute", count)
    return starts, completes, statements


def measure(label: str, url: str, tmp: Path, n: int, setup: Callable[[], None] | None = None) -> None:
    wiring = bootstrap(settings_for(tmp, url))
    try:
        upgrade_database(wiring.platform, url)
        people = populate(wiring)
        deploy.deploy(wiring.platform, {"bench.bpmn": XML}, "bench")
        platform_run(wiring, people, max(5, n // 10))  # warm-up: caches, connection pool, compiled scripts
        bare_engine(wiring, max(5, n // 10), persist=False)
        memory = bare_engine(wiring, n, persist=False)
        persisted = bare_engine(wiring, n, persist=True)
        starts, completes, statements = platform_run(wiring, people, n)
        print(f"\n{label}: {n} instances × {STEPS} tasks   (ms)          median      p95")
        print(row("bare engine, in memory, per task", memory))
        print(row("bare engine + state JSON round trip, per task", persisted))
        print(row("platform: start instance", starts))
        print(row("platform: complete task (one transaction)", completes,
                  f"SQL statements per completion: median {statistics.median(statements):.0f}, "
                  f"max {max(statements)}"))
        print(f"{'throughput (one worker, completions/s)':<44} {1000 / statistics.median(completes):8.1f}")
    finally:
        wiring.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="also measure on PostgreSQL at 127.0.0.1:5432")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measure("SQLite (embedded default)", f"sqlite:///{tmp}/bench.db", Path(tmp), args.instances)
        if args.postgres:
            name = create_pg_database()
            try:
                measure("PostgreSQL", pg_url(name), Path(tmp) / "pg", args.instances)
            finally:
                drop_pg_database(name)


if __name__ == "__main__":
    main()
