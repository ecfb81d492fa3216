"""S4 on the real PostgreSQL: two processes issuing team-leader certificates at the same moment draw from one
gap-free sequence (the sequence row stays locked until each issuing transaction commits)."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp

import pytest

from adapters.services.bootstrap import bootstrap
from adapters.services.issuance import issuance, issuance_context
from tests.integration.issuance.certificates_support import enter_team_leader_validity, issue, pass_everyone
from tests.support.issuance import set_day, trainee
from tests.support.platform import populate

pytestmark = pytest.mark.postgres
PER_CLASS = 6


def _issue_in_child(settings, class_id, barrier, results) -> None:
    wiring = bootstrap(settings)
    try:
        ctx = issuance_context(wiring)
        barrier.wait(timeout=60)
        results.put(("ok", class_id, issue(ctx, class_id)))
    except Exception as err:  # reported to the test, which fails on anything but "ok"
        results.put(("error", class_id, f"{type(err).__name__}: {err}"))
    finally:
        wiring.dispose()


def test_s4_two_processes_issuing_at_once_share_one_gap_free_team_leader_sequence(pg_wiring, fixed_clock):
    from adapters.services.issuance import classes

    people = populate(pg_wiring)
    ctx = issuance_context(pg_wiring)
    inst, site, bureau = (people.actor(n) for n in ("inst_a", "site", "bureau"))
    enter_team_leader_validity(pg_wiring.platform)
    set_day(fixed_clock, dt.date(2026, 3, 9))
    class_ids = [classes.register_class(ctx, inst, class_no=f"BZZ-{k}", job_type="team_leader", training_kind="initial",
                                        start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 6),
                                        trainees=[trainee(k * 10 + i, job_type="team_leader") for i in range(PER_CLASS)])
                 for k in (1, 2)]
    for class_id in class_ids:
        pass_everyone(ctx, site, class_id, fixed_clock)
    spawn = mp.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    procs = [spawn.Process(target=_issue_in_child, args=(pg_wiring.settings, cid, barrier, results))
             for cid in class_ids]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=180) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert sorted(outcomes) == sorted(("ok", cid, PER_CLASS) for cid in class_ids)
    numbers = [c.number for cid in class_ids for c in issuance.class_certificates(ctx, bureau, cid)]
    sequences = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert sequences == list(range(1, 2 * PER_CLASS + 1))
    assert len({n.rsplit("-", 1)[0] for n in numbers}) == 1  # one bureau, one year
