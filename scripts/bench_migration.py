#!/usr/bin/env python
"""How many running instances per second a bulk migration moves (each in its own locked transaction).

    .venv/bin/python scripts/bench_migration.py [--instances 300] [--postgres]

Deploys a 5-step process, starts N instances (each waiting in its first or second step), deploys version 2 with
renamed steps and a new due-date rule, runs a dry run and then the migration of all of them, and prints the rates.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.services.bootstrap import bootstrap  # noqa: E402
from adapters.services.platform import deploy, directory, instances, migration, tasks  # noqa: E402
from adapters.services.platform.setup import upgrade_database  # noqa: E402
from tests.support.platform import (  # noqa: E402
    PASSWORD,
    create_pg_database,
    drop_pg_database,
    pg_url,
    populate,
    settings_for,
)
from tests.support.scenarios import linear, task  # noqa: E402


def steps(suffix: str, due: str | None = None) -> bytes:
    return linear("mig", *[task(i, f"第{i + 1}步{suffix}", due=due) for i in range(5)])


def measure(url: str, tmp: Path, n: int) -> str:
    wiring = bootstrap(settings_for(tmp, url))
    try:
        upgrade_database(wiring.platform, url)
        people = populate(wiring)
        platform = wiring.platform
        directory.create_user(platform, username="owner", display_name="owner", password=PASSWORD,
                              organisation_code="CITY", role_keys=("process_owner",))
        owner, inst = people.actor("owner"), people.actor("inst_a")
        deploy.deploy(platform, {"mig.bpmn": steps("")}, "admin")
        for i in range(n):
            iid = instances.start_instance(platform, inst, "mig")
            if i % 2:
                [t] = instances.show_instance(platform, inst, iid).active_tasks
                tasks.complete(platform, inst, t.id, {"decision": "approve"})
        deploy.deploy(platform, {"mig.bpmn": steps("（新）", due="'2026-12-31'")}, "admin")
        req = migration.request_from("mig", {"from_version": 1, "to_version": 2})
        started = time.perf_counter()
        dry = migration.dry_run(platform, owner, req)
        dry_s = time.perf_counter() - started
        started = time.perf_counter()
        result = migration.migrate(platform, owner, req)
        move_s = time.perf_counter() - started
        assert result["moved"] == n and all(r["can_move"] for r in dry), (result["refused"][:3], dry[:3])
        return (f"{url.split(':', 1)[0]:<20} {n} instances: dry run {len(dry) / dry_s:7.1f}/s, "
                f"migration {result['moved'] / move_s:7.1f}/s ({move_s:.2f} s)")
    finally:
        wiring.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=300)
    parser.add_argument("--postgres", action="store_true", help="also measure on PostgreSQL at 127.0.0.1:5432")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(measure(f"sqlite:///{tmp}/bench.db", Path(tmp), args.instances))
        if args.postgres:
            name = create_pg_database()
            try:
                print(measure(pg_url(name), Path(tmp) / "pg", args.instances))
            finally:
                drop_pg_database(name)


if __name__ == "__main__":
    main()
