"""Do the stores agree? Instance states, the human-task table, the job outbox and the documents' objects.

Run after a crash, a restore or an operator's doubt (``flask --app wsgi check``): every instance that is not
finished must restore from its saved state, and its ready user tasks must be exactly the open rows of the task
table; finished instances keep no open task; no job sits on an expired lease or undispatched past the sweeper's
window, and every open job has a handler; every document's object exists with the SHA-256 recorded at upload.
Each disagreement is named with its place, so that an operator can go and look.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

from adapters.services.platform import Platform
from adapters.services.platform.jobs import LEASE, REDISPATCH_AFTER
from storage.objects import ObjectStore
from storage.objects.base import StorageError
from storage.repositories.consistency import ConsistencyQueries


@dataclass(frozen=True)
class Finding:
    place: str  # e.g. "流程实例 12", "待办 3f2a…", "后台任务 5", "文件 7"
    problem: str


@dataclass
class Report:
    checked: dict[str, int] = field(default_factory=lambda: {"instances": 0, "documents": 0, "jobs": 0})
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def check(platform: Platform, objects: ObjectStore, *, documents: bool = True) -> Report:
    report = Report()
    _instances_and_tasks(platform, report)
    _jobs(platform, report)
    if documents:
        _documents(platform, objects, report)
    return report


def _instances_and_tasks(platform: Platform, report: Report) -> None:
    with platform.reader() as uow:
        queries = ConsistencyQueries(uow.session)
        for rows in queries.unfinished_instances():
            open_rows = queries.open_task_ids([row.id for row in rows])
            for row in rows:
                report.checked["instances"] += 1
                place = f"流程实例 {row.id}"
                try:
                    bundle = platform.runtime.bundle(row.process_version_id,
                                                     functools.partial(uow.processes.spec_json, row.process_version_id))
                    ready = {t.task_id for t in platform.runtime.restore(bundle, row.state).snapshot().ready_tasks}
                except Exception as err:  # noqa: BLE001 - a state that cannot be read is itself the finding
                    report.findings.append(Finding(place, f"保存的流程状态无法恢复：{err}"))
                    continue
                rows_open = open_rows.get(row.id, set())
                for task_id in sorted(ready - rows_open):
                    report.findings.append(Finding(place, f"引擎中待办的任务 {task_id} 在待办表中没有打开的记录"))
                for task_id in sorted(rows_open - ready):
                    report.findings.append(Finding(place, f"待办表中打开的任务 {task_id} 在引擎状态中不是待办"))
        for task_id, instance_id, status in queries.open_tasks_of_finished_instances():
            report.findings.append(Finding(f"待办 {task_id}", f"流程实例 {instance_id} 已是 {status}，待办仍为打开"))


def _jobs(platform: Platform, report: Report) -> None:
    now = platform.now()
    with platform.reader() as uow:
        queries = ConsistencyQueries(uow.session)
        for job in queries.expired_leases(now - LEASE):
            report.findings.append(Finding(f"后台任务 {job.id}", f"{job.kind} 的租约已过期（工作进程 {job.worker} "
                                                              "可能已退出）；清扫器会收回并重试"))
        for job in queries.undispatched(now - 2 * REDISPATCH_AFTER):
            report.findings.append(Finding(f"后台任务 {job.id}", f"{job.kind} 等待超过 {2 * REDISPATCH_AFTER}"
                                                              " 仍未执行：是否有 `flask jobs run` 在运行？"))
        kinds = queries.open_job_kinds()
        report.checked["jobs"] = len(kinds)
        for kind in sorted(kinds - set(platform.job_handlers)):
            report.findings.append(Finding(f"后台任务类型 {kind}", "有未完成的任务，但没有注册处理程序"))


def _documents(platform: Platform, objects: ObjectStore, report: Report) -> None:
    with platform.reader() as uow:
        for rows in ConsistencyQueries(uow.session).documents():
            for doc in rows:
                report.checked["documents"] += 1
                place = f"文件 {doc.id}（{doc.filename}）"
                try:
                    digest, size = _sha256(objects, doc.object_key)
                except StorageError as err:
                    report.findings.append(Finding(place, f"对象 {doc.object_key} 无法读取：{err}"))
                    continue
                if digest != doc.sha256:
                    report.findings.append(Finding(place, f"对象内容的 SHA-256 与上传时记录的不符（{size} 字节）"))


def _sha256(objects: ObjectStore, key: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    stream = objects.open(key)
    try:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    finally:
        stream.close()
    return digest.hexdigest(), size

