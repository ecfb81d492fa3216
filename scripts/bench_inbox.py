#!/usr/bin/env python3
"""Benchmark the inbox with 100,000 open human tasks: first page, deep keyset page, filters, counts.

    .venv/bin/python scripts/bench_inbox.py                 # a fresh SQLite file in a temporary folder
    .venv/bin/python scripts/bench_inbox.py --postgres      # also a throwaway database at 127.0.0.1:5432
    .venv/bin/python scripts/bench_inbox.py --rows 20000 --runs 10

Tasks are bulk-inserted (not run through the engine): 20,000 wait for the measured user's group, 2,000 are
claimed by that user, 30,000 wait for the city bureau and the rest are spread over 200 other organisations and
three roles; 10% have no due date. Every number is the wall time of one ``inbox_page`` service call (one
database session, the page query, "who else" names and all tab counts) unless the row says otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

from adapters.engine import clock  # noqa: E402
from adapters.services.bootstrap import Wiring, bootstrap  # noqa: E402
from adapters.services.platform import directory, inbox  # noqa: E402
from adapters.services.platform.actors import Actor  # noqa: E402
from adapters.services.platform.setup import upgrade_database  # noqa: E402
from adapters.settings import Settings  # noqa: E402
from storage.models import HumanTask, Organisation, ProcessInstance, ProcessVersion, User, UserRole  # noqa: E402
from storage.repositories.inbox import InboxRepository  # noqa: E402

PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"  # the maintenance database the tests use too
NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 in Beijing
TODAY = dt.date(2026, 3, 2)
PROCESSES = ("class_approval", "exam_booking", "certificate_issue", "resit_request", "survey_report")
HOT_GROUP, HOT_CLAIMED, BUREAU_GROUP = 20_000, 2_000, 30_000


# What the inbox would like instead of ix_tasks_group / ix_tasks_assignee: the whole sort order (due date,
# created, id) inside the index, so ties and the undated tail need no sort. (Putting assignee_id before
# due_date helps SQLite but makes PostgreSQL sort, because "IS NULL" does not fix an index order there.)
PROPOSED_INDEXES = {
    "ix_tasks_group": "state, role_key, organisation_id, due_date, created_at, id",
    "ix_tasks_assignee": "assignee_id, state, due_date, created_at, id",
}


def use_proposed_indexes(wiring: Wiring) -> None:
    with wiring.platform.uow() as uow:
        for name, columns in PROPOSED_INDEXES.items():
            uow.session.execute(text(f"DROP INDEX {name}"))
            uow.session.execute(text(f"CREATE INDEX {name} ON human_tasks ({columns})"))
        uow.session.execute(text("ANALYZE"))
        uow.commit()


def build(wiring: Wiring, rows: int, seed: int = 7) -> dict[str, Actor]:
    """Fill the database; returns the measured actors (hot institution user and bureau user)."""
    rnd = random.Random(seed)
    upgrade_database(wiring.platform, wiring.settings.database_url)
    with wiring.platform.uow() as uow:
        s = uow.session
        roles = {r.key: r.id for r in uow.directory.roles()}
        city = uow.directory.add_organisation(Organisation(code="CITY", name="晋城市应急管理局", kind="city_bureau"))
        orgs = [uow.directory.add_organisation(Organisation(code=f"ORG-{i:04d}", name=f"机构{i}", kind="institution",
                                                            parent_id=city.id)).id for i in range(200)]
        password = directory.hash_password("Bench1234")
        users = {}
        for name, org, role in (("hot", orgs[0], "institution_staff"), ("hot2", orgs[0], "institution_staff"),
                                ("hot3", orgs[0], "institution_staff"), ("bureau", city.id, "bureau_training")):
            user = uow.directory.add_user(User(username=name, display_name=name, password_hash=password,
                                               organisation_id=org))
            s.execute(insert(UserRole), [{"user_id": user.id, "role_id": roles[role]}])
            users[name] = user.id
        versions = [uow.processes.add(ProcessVersion(process_key=k, version=1, name=k, content_hash=k, files={},
                                                     forms={}, spec_json="{}", deployed_by="bench")).id
                    for k in PROCESSES]
        instance_count = rows // 10 + 1
        s.execute(insert(ProcessInstance), [
            {"id": i + 1, "process_version_id": versions[i % 5], "process_key": PROCESSES[i % 5],
             "business_key": f"B-{i:06d}", "title": f"期次 {i}", "organisation_id": orgs[i % 200],
             "subject": {}, "status": "running", "state": "{}", "lock_version": 1, "created_at": NOW,
             "updated_at": NOW} for i in range(instance_count)])
        uow.commit()
    _insert_tasks(wiring, rnd, rows, orgs, city.id, users)
    with wiring.platform.uow() as uow:
        uow.session.execute(text("ANALYZE"))
        uow.commit()
        return {name: directory.actor_for(uow, row) for name, uid in users.items()
                if (row := uow.directory.user(uid)) is not None}


def _insert_tasks(wiring: Wiring, rnd: random.Random, rows: int, orgs: list[int], city: int,
                  users: dict[str, int]) -> None:
    plan: list[tuple[str, int, int | None, str]] = []  # role, org, assignee, state
    plan += [("institution_staff", orgs[0], None, "open")] * min(HOT_GROUP, rows)
    plan += [("institution_staff", orgs[0], users["hot"], "open")] * min(HOT_CLAIMED, rows)
    plan += [("bureau_training", city, None, "open")] * min(BUREAU_GROUP, rows)
    others = ("institution_staff", "exam_site_staff", "enterprise_staff")
    plan += [(rnd.choice(others), rnd.choice(orgs[1:]), None, "open") for _ in range(max(0, rows - len(plan)))]
    plan += [("institution_staff", orgs[0], users["hot"], "completed")] * 5_000
    batch: list[dict[str, Any]] = []
    for n, (role, org, assignee, state) in enumerate(plan):
        instance = n % (rows // 10 + 1) + 1
        created = NOW - dt.timedelta(minutes=rnd.randrange(60 * 24 * 60))
        done = state == "completed"
        batch.append({
            "id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)), "instance_id": instance,
            "process_key": PROCESSES[(instance - 1) % 5], "process_name": PROCESSES[(instance - 1) % 5],
            "bpmn_id": "task", "title": f"审核材料 {n}", "subject_title": f"期次 {instance - 1}",
            "business_key": f"B-{instance - 1:06d}", "lane": role, "role_key": role, "organisation_id": org,
            "form_key": "generic_approval", "assignee_id": assignee, "state": state,
            "due_date": None if rnd.random() < 0.1 else TODAY + dt.timedelta(days=rnd.randint(-30, 30)),
            "created_at": created, "claimed_at": created if assignee else None,
            "completed_by_id": users["hot"] if done else None, "completed_at": created if done else None})
        if len(batch) == 5000:
            _flush(wiring, batch)
    _flush(wiring, batch)


def _flush(wiring: Wiring, batch: list[dict[str, Any]]) -> None:
    if batch:
        with wiring.platform.uow() as uow:
            uow.session.execute(insert(HumanTask), batch)
            uow.commit()
        batch.clear()


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and p95 in milliseconds after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]


def cursor_after(wiring: Wiring, actor: Actor, depth: int, **filters: str) -> str:
    """The cursor of the page that starts ``depth`` rows into the group list (walked with large pages)."""
    calendar, cursor, walked = wiring.reference.calendar(), "", 0
    while walked < depth:
        size = min(1000, depth - walked)
        page = inbox.inbox_page(wiring.platform, actor, inbox.InboxQuery(tab="group", cursor=cursor, **filters),
                                calendar, page_size=size)
        walked += len(page.rows)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    return cursor


def scenarios(wiring: Wiring, actors: dict[str, Actor]) -> list[tuple[str, Callable[[], object]]]:
    platform, calendar = wiring.platform, wiring.reference.calendar()
    hot, bureau = actors["hot"], actors["bureau"]

    def page(actor: Actor, **query: str) -> Callable[[], object]:
        return lambda: inbox.inbox_page(platform, actor, inbox.InboxQuery(**query), calendar)

    def counts() -> None:
        with platform.uow() as uow:
            repo = InboxRepository(uow.session)
            repo.count_claimed(hot.user_id, inbox.COUNT_CAP)
            repo.count_group(hot.role_keys, hot.organisation_id, inbox.COUNT_CAP)
            repo.count_group(hot.role_keys, hot.organisation_id, inbox.COUNT_CAP, due_before=TODAY)
            repo.count_completed(hot.user_id, inbox.COUNT_CAP)

    deep = cursor_after(wiring, hot, 10_000)
    undated = cursor_after(wiring, hot, HOT_GROUP - 1000)
    return [
        ("group tab, first page (20k waiting)", page(hot, tab="group")),
        ("group tab, page at row 10,000 (keyset)", page(hot, tab="group", cursor=deep)),
        ("group tab, page in the undated tail", page(hot, tab="group", cursor=undated)),
        ("mine tab, first page (2k claimed)", page(hot, tab="mine")),
        ("done tab, first page (5k done)", page(hot, tab="done")),
        ("bureau group, first page (30k waiting)", page(bureau, tab="group")),
        ("group + process + overdue filter", page(hot, tab="group", process_key="exam_booking", due="overdue")),
        ("group + due within 2 working days", page(hot, tab="group", due="soon")),
        ("group + search, common ('期次 1')", page(hot, tab="group", text="期次 1")),
        ("group + search, one match", page(hot, tab="group", text="B-000150")),
        ("group + search, no match (full scan)", page(hot, tab="group", text="不存在")),
        ("counts only (4 bounded counts)", counts),
    ]


def run(label: str, settings: Settings, rows: int, runs: int,
        proposed: bool) -> dict[str, dict[str, tuple[float, float]]]:
    """Timings per scenario, with today's indexes and (if ``proposed``) again with the proposed ones."""
    wiring = bootstrap(settings)
    results = {}
    try:
        with clock.use_clock(clock.FixedClock(NOW)):
            start = time.perf_counter()
            actors = build(wiring, rows)
            print(f"{label}: filled {rows:,} open tasks (+5,000 completed) in {time.perf_counter() - start:.1f} s",
                  file=sys.stderr)
            results[label] = {name: timed(fn, runs) for name, fn in scenarios(wiring, actors)}
            if proposed:
                use_proposed_indexes(wiring)
                results[f"{label}*"] = {name: timed(fn, runs) for name, fn in scenarios(wiring, actors)}
        return results
    finally:
        wiring.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="open human tasks (default 100,000)")
    parser.add_argument("--runs", type=int, default=25, help="timed calls per scenario (default 25)")
    parser.add_argument("--postgres", action="store_true", help="also run on a throwaway PostgreSQL database")
    parser.add_argument("--proposed-indexes", action="store_true",
                        help="measure again with PROPOSED_INDEXES in place of today's (columns marked *)")
    args = parser.parse_args()
    if args.rows < HOT_GROUP + HOT_CLAIMED + BUREAU_GROUP:
        parser.error(f"--rows must be at least {HOT_GROUP + HOT_CLAIMED + BUREAU_GROUP:,}")
    results: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="anpei-bench-") as tmp:
        env = {"ANPEI_DATA_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench"}
        results.update(run("SQLite", Settings.from_env(env), args.rows, args.runs, args.proposed_indexes))
        if args.postgres:
            results.update(run_postgres(tmp, args.rows, args.runs, args.proposed_indexes))
    print_table(results, args.rows, args.runs)


def run_postgres(tmp: str, rows: int, runs: int, proposed: bool) -> dict[str, dict[str, tuple[float, float]]]:
    import psycopg

    name = f"anpei_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {"ANPEI_DATA_DIR": tmp, "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}",
               "SECRET_KEY": "bench"}
        return run("PostgreSQL", Settings.from_env(env), rows, runs, proposed)
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def print_table(results: dict[str, dict[str, tuple[float, float]]], rows: int, runs: int) -> None:
    engines = list(results)
    names = list(next(iter(results.values())))
    width = max(len(n) for n in names) + 2
    print(f"\ninbox_page with {rows:,} open tasks — milliseconds per call, median / p95 of {runs} runs")
    print("scenario".ljust(width) + "".join(f"{e:>22}" for e in engines))
    for name in names:
        cells = "".join(f"{results[e][name][0]:>12.1f} /{results[e][name][1]:>7.1f}" for e in engines)
        print(name.ljust(width) + cells)


if __name__ == "__main__":
    main()
