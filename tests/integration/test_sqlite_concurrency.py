"""The embedded SQLite default serialises writers: two threads completing one task, exactly one wins."""

import threading

from adapters.services.bootstrap import bootstrap
from adapters.services.platform import deploy, instances, tasks
from adapters.services.platform.errors import Conflict
from tests.support.scenarios import linear, task


def test_two_threads_completing_the_same_task_on_sqlite_exactly_one_wins(wiring, people):
    deploy.deploy(wiring.platform, {"two.bpmn": linear("two", task(0), task(1))}, "admin")
    inst = people.actor("inst_a")
    iid = instances.start_instance(wiring.platform, inst, "two")
    [t] = instances.show_instance(wiring.platform, inst, iid).active_tasks
    other = bootstrap(wiring.settings)
    barrier, outcomes = threading.Barrier(2), []

    def run(platform):
        barrier.wait()
        try:
            outcomes.append(tasks.complete(platform, inst, t.id, {"decision": "approve"}))
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=run, args=(p,)) for p in (wiring.platform, other.platform)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    other.dispose()
    assert sorted(outcomes) == ["conflict", "running"]
