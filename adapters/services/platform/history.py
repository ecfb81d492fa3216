"""What happened in a process instance: diagram state, tasks, documents, incidents and the audit trail."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.handling import AUDIT_LABELS as HANDLING_AUDIT_LABELS
from adapters.services.platform.instances import visible_instance
from adapters.services.platform.tasks import may_see_task
from storage.models import AuditEntry, Document, HumanTask, Incident, ProcessInstance, ProcessVersion
from storage.repositories.history import HistoryQueries
from storage.uow import UnitOfWork

STATUSES = ("running", "incident", "completed")
ACTION_LABELS = {
    "instance.start": "发起流程", "instance.retry": "重试出错的步骤", "instance.message": "收到外部消息",
    "task.claim": "认领任务", "task.unclaim": "退回任务", "task.complete": "完成任务",
    "document.upload": "上传文件", "document.download": "下载文件", "document.preview": "预览文件",
}
ACTION_LABELS.update(HANDLING_AUDIT_LABELS)  # 转办, 催办, 撤回, 退回, 委托, 批量办理
# Thumbnails are fetched by every page view; they stay in the audit log but would drown the timeline.
QUIET_ACTIONS = frozenset({"document.thumb"})


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    who: str
    action: str
    label: str
    result: str
    task_id: str | None
    task_title: str
    document_id: int | None
    document_name: str


@dataclass(frozen=True)
class InstancePage:
    row: ProcessInstance
    process_name: str
    version: int
    organisation: str
    started_by: str
    diagram_xml: str
    states: dict[str, str]
    tasks: list[HumanTask]
    people: dict[int, str]
    incidents: list[Incident]
    documents: list[Document]
    history: list[HistoryEntry]
    may_retry: bool
    readable_tasks: frozenset[str]  # tasks whose page the actor may open


@dataclass(frozen=True)
class InstanceList:
    rows: list[ProcessInstance]
    total: int
    page: int
    per_page: int
    process_names: dict[str, str]
    organisations: dict[int, str]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def instance_page(platform: Platform, actor: Actor, instance_id: int) -> InstancePage:
    """The instance as its page shows it; NotFound when the actor may not see it."""
    with platform.reader() as uow:
        row = visible_instance(uow, actor, instance_id)
        version = uow.processes.get(row.process_version_id)
        assert version is not None
        queries = HistoryQueries(uow.session)
        tasks = list(uow.tasks.for_instance(row.id))
        docs = list(uow.documents.for_instance(row.id))
        entries = [e for e in uow.audit.for_instance(row.id) if e.action not in QUIET_ACTIONS]
        people = queries.display_names({i for t in tasks for i in (t.assignee_id, t.completed_by_id) if i}
                                       | {d.uploaded_by_id for d in docs} | {row.started_by_id or 0})
        organisation = uow.directory.organisation(row.organisation_id) if row.organisation_id else None
        return InstancePage(
            row=row, process_name=version.name, version=version.version,
            organisation=organisation.name if organisation else "",
            started_by=people.get(row.started_by_id or 0, ""), diagram_xml=diagram_of(version),
            states=_element_states(platform, uow, row), tasks=tasks, people=people,
            incidents=list(uow.instances.open_incidents(row.id)), documents=docs,
            history=_history(queries, entries, tasks, docs),
            may_retry=actor.is_admin and row.status == "incident",
            readable_tasks=frozenset(t.id for t in tasks if may_see_task(actor, t)))


def list_instances(platform: Platform, actor: Actor, *, status: str | None = None,
                   process_key: str | None = None, page: int = 1, per_page: int = 25) -> InstanceList:
    """Instances the actor may see, newest first, one page at a time."""
    page, per_page = max(1, page), min(max(1, per_page), 100)
    with platform.reader() as uow:
        queries = HistoryQueries(uow.session)
        rows, total = queries.instances_page(
            organisation_ids=None if actor.is_admin else actor.jurisdiction, user_id=actor.user_id,
            status=status if status in STATUSES else None, process_key=process_key or None,
            limit=per_page, offset=(page - 1) * per_page)
        organisations = {o.id: o.name for o in uow.directory.organisations()}
        return InstanceList(rows=list(rows), total=total, page=page, per_page=per_page,
                            process_names=queries.process_names(), organisations=organisations)


def diagram_of(version: ProcessVersion) -> str:
    """The BPMN file of the version that defines its top process (a version may carry called diagrams)."""
    files: dict[str, Any] = dict(version.files or {})
    pattern = re.compile(r"<(?:\w+:)?process\b[^>]*\bid=\"" + re.escape(version.process_key) + "\"")
    for name in sorted(files):
        if pattern.search(str(files[name])):
            return str(files[name])
    bpmn = [str(files[n]) for n in sorted(files) if n.lower().endswith(".bpmn")]
    return bpmn[0] if bpmn else ""


def _element_states(platform: Platform, uow: UnitOfWork, row: ProcessInstance) -> dict[str, str]:
    bundle = platform.runtime.bundle(row.process_version_id,
                                     lambda: uow.processes.spec_json(row.process_version_id))
    return platform.runtime.restore(bundle, row.state).element_states()


def _history(queries: HistoryQueries, entries: list[AuditEntry], tasks: list[HumanTask],
             docs: list[Document]) -> list[HistoryEntry]:
    titles = {t.id: t.title for t in tasks}
    names = {d.id: d.filename for d in docs}
    people = queries.display_names_by_username({e.username for e in entries})
    result = []
    for entry in entries:
        is_document = entry.entity == "document" and (entry.entity_id or "").isdigit()
        doc_id = int(entry.entity_id or 0) if is_document else None
        result.append(HistoryEntry(
            at=entry.at, who=people.get(entry.username, entry.username), action=entry.action,
            label=ACTION_LABELS.get(entry.action, entry.action), result=entry.result, task_id=entry.task_id,
            task_title=titles.get(entry.task_id or "", ""), document_id=doc_id,
            document_name=names.get(doc_id or 0, "")))
    return result
