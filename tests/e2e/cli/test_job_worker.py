"""The job worker (`flask jobs run`) as a real process: Huey on a SQLite file (the embedded default) and on Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from adapters.services.bootstrap import bootstrap
from adapters.services.platform import jobs
from tests.support.platform import settings_for

ROOT = Path(__file__).resolve().parents[3]


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def _worker(tmp: Path, database_url: str, queue: str, name: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ANPEI_DATA_DIR": str(tmp), "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
           "JOB_QUEUE": queue, "JOB_QUEUE_NAME": name, "FLASK_APP": "wsgi"}
    return subprocess.Popen([sys.executable, "-m", "flask", "jobs", "run", "--workers", "2",
                             "--sweep-interval", "0.5"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)


def _wait_done(wiring, job_ids: list[int], seconds: float = 30) -> list[str]:
    deadline = time.monotonic() + seconds
    while True:
        with wiring.platform.uow() as uow:
            states = [uow.jobs.get(i).state for i in job_ids]
        if all(s == "done" for s in states) or time.monotonic() > deadline:
            return states
        time.sleep(0.2)


@pytest.mark.parametrize("queue", ["sqlite", "redis://127.0.0.1:6379/0"])
def test_jobs_committed_by_the_app_are_run_by_a_separate_worker_process(tmp_path, db_template, queue):
    if queue.startswith("redis") and not _redis_up():
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    target = tmp_path / "anpei.db"
    target.write_bytes(db_template.read_bytes())
    url, name = f"sqlite:///{target}", f"anpei-test-{uuid.uuid4().hex[:8]}"
    wiring = bootstrap(settings_for(tmp_path, url, job_queue=queue, job_queue_name=name))
    worker = _worker(tmp_path, url, queue, name)
    try:
        with wiring.platform.uow() as uow:  # a mail job for tasks that have no mail: the handler finds nothing
            ids = [jobs.enqueue(uow, "notifications.deliver", {"task_ids": [f"t{n}"]}) for n in range(20)]
            uow.commit()
        assert _wait_done(wiring, ids) == ["done"] * 20
    finally:
        os.killpg(worker.pid, signal.SIGINT)
        output = worker.communicate(timeout=20)[0].decode()
        wiring.dispose()
    assert "job worker:" in output and "Traceback" not in output
