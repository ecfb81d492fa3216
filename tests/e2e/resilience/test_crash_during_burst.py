"""Issue 11.4: gunicorn killed with SIGKILL in the middle of a burst of 200 task completions, then restarted.

Every completion that was answered with success is there, nothing is half-written, and ``flask check`` finds
instance states, the task table, the outbox and the documents in agreement.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from adapters.services.bootstrap import bootstrap
from adapters.services.platform import deploy, directory, instances, user_admin
from adapters.services.platform.actors import SYSTEM
from tests.support.live_server import ROOT, app_env, gunicorn
from tests.support.platform import settings_for
from tests.support.scenarios import linear, task

BURST = 200
KILL_AFTER = 60
SUBMIT = {"decision": "approve", "comment": "同意"}


@pytest.fixture
def prepared(tmp_path, people_template):
    database = tmp_path / "anpei.db"
    shutil.copyfile(people_template, database)
    url = f"sqlite:///{database}"
    wiring = bootstrap(settings_for(tmp_path, url))
    try:
        deploy.deploy(wiring.platform, {"burst.bpmn": linear("burst", task(0, "审批", form="generic_approval"),
                                                              task(1, "复核", form="generic_approval"))}, "admin")
        actor = directory.actor_by_username(wiring.platform, "inst_a")
        for i in range(BURST):
            instances.start_instance(wiring.platform, actor, "burst", business_key=f"burst-{i}")
        with wiring.platform.reader() as uow:
            task_ids = [t.id for t in uow.tasks.all_open(limit=10 * BURST) if t.process_key == "burst"]
        token = user_admin.issue_api_token(wiring.platform, SYSTEM, actor.user_id)
    finally:
        wiring.dispose()
    return tmp_path, url, token, task_ids


def _complete_all(url: str, token: str, task_ids: list[str], answered: dict[str, int]) -> None:
    def one(task_id: str) -> None:
        try:
            response = requests.post(f"{url}/api/v1/tasks/{task_id}/complete", json={"data": SUBMIT},
                                     headers={"Authorization": f"Bearer {token}"}, timeout=30)
            answered[task_id] = response.status_code
        except requests.RequestException:
            answered.setdefault(task_id, 0)  # no answer: the server died under this request

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, task_ids))


def test_every_completion_answered_with_success_survives_a_sigkill_and_the_stores_agree(prepared):
    data_dir, url, token, task_ids = prepared
    assert len(task_ids) == BURST
    env = app_env(data_dir, url)
    answered: dict[str, int] = {}
    with gunicorn(env, workers=2) as server:
        def kill_when_enough_answered() -> None:
            while sum(1 for code in answered.values() if code == 200) < KILL_AFTER:
                threading.Event().wait(0.01)
            server.kill()

        killer = threading.Thread(target=kill_when_enough_answered)
        killer.start()
        _complete_all(server.url, token, task_ids, answered)
        killer.join()
    succeeded = {t for t, code in answered.items() if code == 200}
    assert KILL_AFTER <= len(succeeded) < BURST  # the kill landed in the middle of the burst

    with gunicorn(env, workers=2) as server:  # restarted: the rest goes through
        rest = [t for t in task_ids if t not in succeeded]
        again: dict[str, int] = {}
        _complete_all(server.url, token, rest, again)
        # a completion that committed just before the kill answers 409/404 now; it must not be lost either
        assert all(code in (200, 404, 409) for code in again.values()), again

    wiring = bootstrap(settings_for(data_dir, url))
    try:
        with wiring.platform.reader() as uow:
            completed = {tid for tid in task_ids if uow.tasks.get(tid).state == "completed"}
            second_steps = [t for t in uow.tasks.all_open(limit=10 * BURST) if t.process_key == "burst"]
    finally:
        wiring.dispose()
    assert succeeded <= completed and completed == set(task_ids)
    assert len(second_steps) == BURST  # each instance moved on exactly once: one open second step each
    check = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "check"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-2000:]
    assert "ok: instance states, tasks, outbox and documents agree" in check.stdout
