"""Migration on the real PostgreSQL: a completion racing a migration of the same instance never interleaves."""

import multiprocessing as mp

import pytest

from adapters.services.bootstrap import bootstrap
from adapters.services.platform import deploy, directory, instances, migration, tasks
from tests.support.platform import PASSWORD
from tests.support.scenarios import linear, task

pytestmark = pytest.mark.postgres


def _child(settings, kind, arg, barrier, results):
    wiring = bootstrap(settings)
    try:
        barrier.wait(timeout=30)
        if kind == "complete":
            actor = directory.actor_by_username(wiring.platform, "inst_a")
            results.put((kind, tasks.complete(wiring.platform, actor, arg, {"decision": "approve"})))
        else:
            actor = directory.actor_by_username(wiring.platform, "owner")
            req = migration.request_from("race", {"from_version": 1, "to_version": 2, "instance_ids": [arg]})
            results.put((kind, migration.migrate(wiring.platform, actor, req)))
    except Exception as err:  # reported to the test, which fails on it
        results.put((kind, f"error {type(err).__name__}: {err}"))
    finally:
        wiring.dispose()


def test_a_completion_and_a_migration_of_the_same_instance_both_take_effect_in_order(pg_wiring, pg_people):
    platform = pg_wiring.platform
    directory.create_user(platform, username="owner", display_name="owner", password=PASSWORD,
                          organisation_code="CITY", role_keys=("process_owner",))
    deploy.deploy(platform, {"race.bpmn": linear("race", task(0, "甲"), task(1, "乙"), task(2, "丙"))}, "admin")
    inst = pg_people.actor("inst_a")
    running = [instances.start_instance(platform, inst, "race") for _ in range(3)]
    deploy.deploy(platform, {"race.bpmn": linear("race", task(0, "甲"), task(1, "乙（新）"), task(2, "丙"))}, "admin")
    ctx = mp.get_context("spawn")
    for iid in running:  # repeat: a race that passes once by luck should not pass three times
        [first] = instances.show_instance(platform, inst, iid).active_tasks
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_child, args=(pg_wiring.settings, kind, arg, barrier, results))
                 for kind, arg in (("complete", first.id), ("migrate", iid))]
        for p in procs:
            p.start()
        outcome = dict(results.get(timeout=90) for _ in procs)
        for p in procs:
            p.join(timeout=30)
        assert outcome["complete"] == "running", outcome
        assert outcome["migrate"] == {"moved": 1, "refused": []}, outcome
        view = instances.show_instance(platform, inst, iid)
        assert view.version == 2
        assert [(t.bpmn_id, t.title) for t in view.active_tasks] == [("s1", "乙（新）")]
        with platform.reader() as uow:
            actions = [e.action for e in uow.audit.for_instance(iid)]
            states = sorted(t.state for t in uow.tasks.for_instance(iid))
        assert actions.count("task.complete") == 1 and actions.count("instance.migrate") == 1
        assert states == ["completed", "open"]
