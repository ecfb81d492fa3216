"""Benchmark set-up: a prepared database (SQLite file or a throwaway PostgreSQL database) and gunicorn on loopback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from adapters.services.bootstrap import Wiring, bootstrap  # noqa: E402
from adapters.services.platform import deploy, directory, user_admin  # noqa: E402
from adapters.services.platform.actors import SYSTEM  # noqa: E402
from adapters.services.platform.setup import upgrade_database  # noqa: E402
from tests.support.platform import PASSWORD, populate, settings_for  # noqa: E402
from tests.support.scenarios import linear, task  # noqa: E402

STEPS = 5
PROCESS = "bench_w1"
STEP_FORM = {
    "key": "bench_step", "title": {"zh": "办理", "en": "Handle"},
    "fields": [
        {"name": "comment", "type": "textarea", "label": {"zh": "意见", "en": "Comment"}, "required": True,
         "max_length": 2000},
        {"name": "ok", "type": "choice", "label": {"zh": "是否同意", "en": "Agree"}, "required": True,
         "widget": "radio", "choices": [["yes", {"zh": "是", "en": "Yes"}], ["no", {"zh": "否", "en": "No"}]]},
    ],
}
W1_XML = linear(PROCESS, *[task(i, f"第{i + 1}步", form="bench_step") for i in range(STEPS)], name="基准流程")


@dataclass
class Prepared:
    database_url: str
    data_dir: Path
    forms_dir: Path
    token: str  # API token of the measured institution user ``inst_a``
    username: str = "inst_a"
    password: str = PASSWORD


def forms_with_bench_step(tmp: Path) -> Path:
    forms = tmp / "forms"
    if not forms.exists():
        shutil.copytree(ROOT / "forms", forms, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        (forms / "bench_step.json").write_text(json.dumps(STEP_FORM, ensure_ascii=False), encoding="utf-8")
    return forms


def prepare(tmp: Path, database_url: str) -> Prepared:
    """Migrate, add the test cast of users, deploy W1 and issue an API token for ``inst_a``."""
    forms = forms_with_bench_step(tmp)
    wiring = bootstrap(settings_for(tmp, database_url, forms_dir=forms))
    try:
        upgrade_database(wiring.platform, database_url)
        populate(wiring)
        deploy.deploy(wiring.platform, {"bench_w1.bpmn": W1_XML}, "bench")
        user = directory.actor_by_username(wiring.platform, "inst_a")
        token = user_admin.issue_api_token(wiring.platform, SYSTEM, user.user_id)
    finally:
        wiring.dispose()
    return Prepared(database_url, tmp, forms, token)


def wiring_for(prepared: Prepared) -> Wiring:
    return bootstrap(settings_for(prepared.data_dir, prepared.database_url, forms_dir=prepared.forms_dir))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]

    def pids(self) -> list[int]:
        """The gunicorn master and its workers."""
        pids = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if ppid == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def cpu_seconds(self) -> float:
        total = 0.0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def worker_memory_kb(self) -> tuple[int, int]:
        """(current RSS, peak RSS) of the first worker, in KiB."""
        worker = self.pids()[-1]
        status = dict(line.split(":", 1) for line in Path(f"/proc/{worker}/status").read_text().splitlines()
                      if ":" in line)
        return int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0])


@contextmanager
def gunicorn(prepared: Prepared, workers: int) -> Iterator[Server]:
    port = free_port()
    env = {**os.environ, "ANPEI_DATA_DIR": str(prepared.data_dir), "DATABASE_URL": prepared.database_url,
           "SECRET_KEY": "bench-secret", "FORMS_DIR": str(prepared.forms_dir), "JOB_QUEUE": "inline",
           "SERVER_TIMING": "1", "UPLOAD_MAX_MB": "30"}
    process = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
                                "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/login", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")
        time.sleep(0.2)
    try:
        yield Server(url, process)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
