"""Issue 11.3: the production shape, exercised — two gunicorn workers and two timer workers against one
PostgreSQL, no state in app processes: a signed-in session is valid on every worker, timers fire once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from adapters.services.platform import deploy, instances
from tests.support.live_server import ROOT, app_env, gunicorn
from tests.support.platform import PASSWORD
from tests.support.scenarios import linear, task, timer_wait

pytestmark = pytest.mark.postgres

CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')
STARTED = 30


def _timer_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "timers", "run", "--interval", "0.3"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)


def test_two_app_workers_and_two_timer_workers_share_one_postgresql_without_state_of_their_own(
        tmp_path, pg_wiring, pg_people):
    platform = pg_wiring.platform
    deploy.deploy(platform, {"wait.bpmn": linear("wait", timer_wait(0, "PT1S"), task(1, "填写"))}, "admin")
    started = [instances.start_instance(platform, pg_people.actor("inst_a"), "wait") for _ in range(STARTED)]
    env = app_env(tmp_path, pg_wiring.settings.database_url)
    timer_workers = [_timer_worker(env) for _ in range(2)]
    try:
        with gunicorn(env, workers=2) as server:
            http = requests.Session()
            token = CSRF_META.search(http.get(f"{server.url}/login").text).group(1)  # type: ignore[union-attr]
            signed_in = http.post(f"{server.url}/login", data={"username": "inst_a", "password": PASSWORD,
                                                               "csrf_token": token}, allow_redirects=False)
            assert signed_in.status_code == 302
            workers = server.worker_pids()
            assert len(workers) == 2
            cpu_before = {pid: server.cpu_seconds(pid) for pid in workers}

            def inbox(_: int) -> tuple[int, str]:
                answer = http.get(f"{server.url}/inbox/?tab=group", allow_redirects=False)
                return answer.status_code, answer.headers.get("Location", "")

            with ThreadPoolExecutor(4) as pool:  # concurrent requests spread over both workers
                answers = list(pool.map(inbox, range(80)))
            assert set(answers) == {(200, "")}  # the one session is valid on every worker, never sent to /login
            assert all(server.cpu_seconds(pid) > cpu_before[pid] for pid in workers)  # both workers served

            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with platform.reader() as uow:
                    opened = [t for t in uow.tasks.all_open(limit=1000) if t.process_key == "wait"]
                if len(opened) >= STARTED:
                    break
                time.sleep(0.3)
            assert sorted(t.instance_id for t in opened) == sorted(started)  # each timer fired exactly once
    finally:
        for worker in timer_workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(20)
            assert worker.stdout is not None
            worker.stdout.close()
    check = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "check", "--no-documents"], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout[-3000:]
