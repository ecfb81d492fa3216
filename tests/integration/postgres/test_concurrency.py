"""Concurrency on the real PostgreSQL: separate OS processes racing for the same task and deploying mid-run."""

import multiprocessing as mp

import pytest

from adapters.services.bootstrap import bootstrap
from adapters.services.platform import deploy, directory, instances, tasks
from adapters.services.platform.errors import Conflict
from tests.support.scenarios import linear, script, task

pytestmark = pytest.mark.postgres


def _complete_in_child(settings, username, task_id, barrier, results):
    wiring = bootstrap(settings)
    try:
        actor = directory.actor_by_username(wiring.platform, username)
        barrier.wait(timeout=30)
        try:
            results.put(("ok", tasks.complete(wiring.platform, actor, task_id, {"decision": "approve"})))
        except Conflict as err:
            results.put(("conflict", str(err)))
        except Exception as err:  # anything else is a failure the test reports
            results.put(("error", f"{type(err).__name__}: {err}"))
    finally:
        wiring.dispose()


def race(settings, username, task_id, racers=2):
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(racers), ctx.Queue()
    procs = [ctx.Process(target=_complete_in_child, args=(settings, username, task_id, barrier, results))
             for _ in range(racers)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    return sorted(kind for kind, _ in outcomes), outcomes


def test_two_processes_completing_the_same_task_exactly_one_wins(pg_wiring, pg_people):
    platform = pg_wiring.platform
    deploy.deploy(platform, {"two.bpmn": linear("two", task(0), script(1, "rounds = 1"), task(2))}, "admin")
    inst = pg_people.actor("inst_a")
    for _ in range(3):  # repeat: a race that passes once by luck should not pass three times
        iid = instances.start_instance(platform, inst, "two")
        [t] = instances.show_instance(platform, inst, iid).active_tasks
        kinds, outcomes = race(pg_wiring.settings, "inst_a", t.id)
        assert kinds == ["conflict", "ok"], outcomes
        view = instances.show_instance(platform, inst, iid)
        assert [x.bpmn_id for x in view.active_tasks] == ["s2"]
        with platform.uow() as uow:
            completions = [e for e in uow.audit.for_instance(iid) if e.action == "task.complete"]
        assert len(completions) == 1


def test_a_deploy_while_instances_run_leaves_them_on_their_version(pg_wiring, pg_people):
    platform = pg_wiring.platform
    v1 = linear("ver", task(0), script(1, "which = 'v1'"), task(2))
    deploy.deploy(platform, {"ver.bpmn": v1}, "admin")
    inst = pg_people.actor("inst_a")
    running = [instances.start_instance(platform, inst, "ver") for _ in range(3)]
    ctx = mp.get_context("spawn")
    deployer = ctx.Process(target=_deploy_in_child, args=(pg_wiring.settings, v1.replace(b"'v1'", b"'v2'")))
    deployer.start()
    for iid in running:  # complete while the other process deploys version 2
        [t] = instances.show_instance(platform, inst, iid).active_tasks
        tasks.complete(platform, inst, t.id, {"decision": "approve"})
    deployer.join(timeout=60)
    assert deployer.exitcode == 0
    for iid in running:
        view = instances.show_instance(platform, inst, iid)
        assert view.version == 1
        assert tasks.task_context(platform, inst, view.active_tasks[0].id)[2]["which"] == "v1"
    fresh = instances.start_instance(platform, inst, "ver")
    assert instances.show_instance(platform, inst, fresh).version == 2


def _deploy_in_child(settings, xml):
    wiring = bootstrap(settings)
    try:
        deploy.deploy(wiring.platform, {"ver.bpmn": xml}, "admin")
    finally:
        wiring.dispose()


def _timers_in_child(settings, barrier, results):
    from adapters.services.platform import timers

    wiring = bootstrap(settings)
    try:
        barrier.wait(timeout=30)
        results.put(timers.run_due_timers(wiring.platform).fired)
    finally:
        wiring.dispose()


def test_two_timer_workers_fire_each_due_timer_exactly_once(pg_wiring, pg_people):
    from tests.support.scenarios import timer_wait

    platform = pg_wiring.platform
    import time

    deploy.deploy(platform, {"wait.bpmn": linear("wait", timer_wait(0, "PT1S"), task(1))}, "admin")
    inst = pg_people.actor("inst_a")
    started = [instances.start_instance(platform, inst, "wait") for _ in range(12)]
    assert all(instances.show_instance(platform, inst, i).active_tasks == [] for i in started)
    time.sleep(1.2)  # the workers are separate processes on the real clock
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_timers_in_child, args=(pg_wiring.settings, barrier, results)) for _ in range(2)]
    for w in workers:
        w.start()
    fired = [results.get(timeout=60) for _ in workers]
    for w in workers:
        w.join(timeout=30)
    assert sum(fired) == len(started)
    for iid in started:
        assert [t.bpmn_id for t in instances.show_instance(platform, inst, iid).active_tasks] == ["s1"]


def _claim_in_child(settings, username, task_id, barrier, results):
    wiring = bootstrap(settings)
    try:
        actor = directory.actor_by_username(wiring.platform, username)
        barrier.wait(timeout=30)
        try:
            tasks.claim(wiring.platform, actor, task_id)
            results.put(("ok", username))
        except Conflict:
            results.put(("conflict", username))
    finally:
        wiring.dispose()


def test_two_colleagues_claiming_the_same_task_at_once_only_one_gets_it(pg_wiring, pg_people):
    platform = pg_wiring.platform
    deploy.deploy(platform, {"one.bpmn": linear("one", task(0))}, "admin")
    iid = instances.start_instance(platform, pg_people.actor("inst_a"), "one")
    [t] = instances.show_instance(platform, pg_people.actor("inst_a"), iid).active_tasks
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_claim_in_child, args=(pg_wiring.settings, name, t.id, barrier, results))
             for name in ("inst_a", "inst_a2")]
    for p in procs:
        p.start()
    outcomes = dict((name, kind) for kind, name in (results.get(timeout=60) for _ in procs))
    for p in procs:
        p.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "ok"]
    winner = next(name for name, kind in outcomes.items() if kind == "ok")
    [claimed] = instances.show_instance(platform, pg_people.actor("inst_a"), iid).active_tasks
    assert claimed.assignee_id == pg_people.actor(winner).user_id
