"""The workloads, each through real HTTP against gunicorn: W1 (JSON API and HTML pages), W2 (inbox at size), W4."""

from __future__ import annotations

import io
import os
import re
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field

import requests
from server import PROCESS, STEPS, Prepared, Server

SQL = re.compile(r'sql;desc="(\d+) statements"')
TASK_LINK = re.compile(r'href="/tasks/([0-9a-f-]{36})"')
CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SUBMIT = {"comment": "材料齐全，同意。", "ok": "yes"}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


@dataclass
class Result:
    """Latencies per request kind (ms), SQL statements per submit, and the run's totals."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    submit_sql: list[int] = field(default_factory=list)
    tasks: int = 0
    instances: int = 0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0

    def timed(self, kind: str, started: float) -> None:
        self.latencies[kind].append((time.perf_counter() - started) * 1000)

    def summary(self) -> dict[str, object]:
        return {
            "requests": {k: {"median_ms": round(statistics.median(v), 2), "p95_ms": round(pct(v, 95), 2),
                             "n": len(v)} for k, v in self.latencies.items()},
            "tasks_per_second": round(self.tasks / self.wall_seconds, 1) if self.wall_seconds else 0,
            "sql_per_submit": statistics.median(self.submit_sql) if self.submit_sql else None,
            "cpu_seconds_per_instance": round(self.cpu_seconds / self.instances, 4) if self.instances else None,
        }


def _sql(response: requests.Response) -> int:
    match = SQL.search(response.headers.get("Server-Timing", ""))
    return int(match.group(1)) if match else -1


def w1_api(server: Server, prepared: Prepared, instances: int) -> Result:
    """Start → 5 tasks → end, one instance after another; per task: list, open, submit (JSON API)."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {prepared.token}"
    api, result = f"{server.url}/api/v1", Result()
    for _ in range(3):  # warm-up: every worker imports, connects and caches the bundle
        _api_instance(http, api, Result())
    cpu0, t0 = server.cpu_seconds(), time.perf_counter()
    for _ in range(instances):
        _api_instance(http, api, result)
    result.wall_seconds, result.cpu_seconds = time.perf_counter() - t0, server.cpu_seconds() - cpu0
    result.instances, result.tasks = instances, instances * STEPS
    return result


def _api_instance(http: requests.Session, api: str, result: Result) -> None:
    t = time.perf_counter()
    started = http.post(f"{api}/instances", json={"process_key": PROCESS})
    result.timed("start", t)
    instance_id = started.json()["id"]
    for _ in range(STEPS):
        t = time.perf_counter()
        listed = http.get(f"{api}/tasks", params={"instance_id": instance_id, "limit": 20})
        result.timed("list", t)
        task_id = listed.json()["tasks"][0]["id"]
        t = time.perf_counter()
        assert http.get(f"{api}/tasks/{task_id}").status_code == 200
        result.timed("open", t)
        t = time.perf_counter()
        done = http.post(f"{api}/tasks/{task_id}/complete", json={"data": SUBMIT})
        result.timed("submit", t)
        assert done.status_code == 200, done.text[:300]
        result.submit_sql.append(_sql(done))


def login(server: Server, username: str, password: str) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{server.url}/login").text
    token = CSRF_META.search(page).group(1)  # type: ignore[union-attr]
    answer = http.post(f"{server.url}/login", data={"username": username, "password": password,
                                                    "csrf_token": token}, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:300]
    return http


def w1_html(server: Server, prepared: Prepared, instances: int) -> Result:
    """The same flow through the pages a person uses: group inbox, task page, form post (CSRF, redirect)."""
    http, result = login(server, prepared.username, prepared.password), Result()
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {prepared.token}"
    for _ in range(3):
        _html_instance(http, api, server, Result())
    cpu0, t0 = server.cpu_seconds(), time.perf_counter()
    for _ in range(instances):
        _html_instance(http, api, server, result)
    result.wall_seconds, result.cpu_seconds = time.perf_counter() - t0, server.cpu_seconds() - cpu0
    result.instances, result.tasks = instances, instances * STEPS
    return result


def _html_instance(http: requests.Session, api: requests.Session, server: Server, result: Result) -> None:
    t = time.perf_counter()
    assert api.post(f"{server.url}/api/v1/instances", json={"process_key": PROCESS}).status_code == 201
    result.timed("start (API)", t)
    for _ in range(STEPS):
        t = time.perf_counter()
        inbox = http.get(f"{server.url}/inbox/", params={"tab": "group"})
        result.timed("list", t)
        task_id = TASK_LINK.search(inbox.text).group(1)  # type: ignore[union-attr]
        t = time.perf_counter()
        page = http.get(f"{server.url}/tasks/{task_id}")
        result.timed("open", t)
        token = CSRF_FIELD.search(page.text).group(1)  # type: ignore[union-attr]
        t = time.perf_counter()
        done = http.post(f"{server.url}/tasks/{task_id}", data={"csrf_token": token, "_action": "submit",
                                                                **SUBMIT}, allow_redirects=False)
        result.timed("submit", t)
        assert done.status_code == 302, done.text[:300]
        result.submit_sql.append(_sql(done))


def w2_inbox(server: Server, username: str, password: str, token: str, runs: int) -> Result:
    """The inbox page and the API task list of a user of the largest organisation."""
    http, api, result = login(server, username, password), requests.Session(), Result()
    api.headers["Authorization"] = f"Bearer {token}"
    for n in range(runs + 5):
        for kind, call in (("inbox page (group)", lambda: http.get(f"{server.url}/inbox/?tab=group")),
                           ("inbox page (mine)", lambda: http.get(f"{server.url}/inbox/?tab=mine")),
                           ("API task list", lambda: api.get(f"{server.url}/api/v1/tasks?limit=50"))):
            t = time.perf_counter()
            assert call().status_code == 200
            if n >= 5:
                result.timed(kind, t)
    return result


def w4_upload(server: Server, prepared: Prepared, megabytes: int = 20, runs: int = 3) -> dict[str, object]:
    """A scan of ``megabytes`` MB uploaded and downloaded through the API: throughput and worker peak memory."""
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {prepared.token}"
    body = b"%PDF-1.4\n" + os.urandom(megabytes * 1024 * 1024 - 20) + b"\n%%EOF\n"
    rss0, peak0 = server.worker_memory_kb()
    up, down = [], []
    for _ in range(runs):
        t = time.perf_counter()
        answer = api.post(f"{server.url}/api/v1/documents", files={"file": ("scan.pdf", io.BytesIO(body),
                                                                             "application/pdf")})
        up.append(time.perf_counter() - t)
        assert answer.status_code == 201, answer.text[:300]
        t = time.perf_counter()
        got = api.get(f"{server.url}/api/v1/documents/{answer.json()['id']}/content")
        down.append(time.perf_counter() - t)
        assert got.content == body
    _rss, peak = server.worker_memory_kb()
    mb = len(body) / 1e6
    return {"size_mb": round(mb, 1), "upload_mb_per_s": round(mb / statistics.median(up), 1),
            "download_mb_per_s": round(mb / statistics.median(down), 1),
            "worker_peak_growth_mb": round((peak - rss0) / 1024, 1),
            "worker_peak_growth_over_previous_peak_mb": round(max(0, peak - peak0) / 1024, 1)}
