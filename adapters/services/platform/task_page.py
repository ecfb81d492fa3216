"""The task page: what one screen shows about a human task, and uploads into the task's file fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.engine.user_tasks import describe_user_task, is_user_task
from adapters.services.platform import Platform, documents, tasks
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound
from storage.models import Document, HumanTask, ProcessInstance
from storage.objects import ALLOWED, ObjectStore
from storage.uow import UnitOfWork

MIB = 1024 * 1024


@dataclass(frozen=True)
class TaskPage:
    """Everything the task page shows; ``data`` is the workflow data (open) or the submitted data (done)."""

    task: HumanTask
    form: Any
    data: dict[str, Any]
    draft: dict[str, Any] | None
    draft_saved_at: dt.datetime | None
    instructions: str
    organisation: str
    assignee: str
    completed_by: str
    candidates: tuple[str, ...]
    may_work: bool
    refusal: str = ""  # why the actor cannot work on the task, when they cannot
    documents: dict[int, Document] = field(default_factory=dict)
    # What happened before this task in the same instance: who completed which step, and the files so far.
    earlier: list[tuple[HumanTask, str]] = field(default_factory=list)
    subject: dict[str, Any] = field(default_factory=dict)  # the records the instance is about, e.g. {"class_id": 3}
    instance_documents: list[Document] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.task.state == "open"

    @property
    def shown(self) -> list[tuple[Any, Any]]:
        """(label, value) of the form's ``show`` items found in the data ("class.no" reads nested values)."""
        items = []
        for item in self.form.show:
            value: Any = self.data
            for part in item.var.split("."):
                value = value.get(part) if isinstance(value, Mapping) else None
            if value not in (None, "", [], {}):  # an empty earlier value (e.g. no previous return) is not shown
                items.append((item.label, value))
        return items


def task_page(platform: Platform, actor: Actor, task_id: str) -> TaskPage:
    """The task with its form, visible data, the actor's draft, people and the documents it refers to."""
    task, form, data = tasks.task_context(platform, actor, task_id)
    with platform.reader() as uow:
        row = uow.instances.get(task.instance_id)
        assert row is not None
        draft = uow.tasks.draft(task.id, actor.user_id) if task.state == "open" else None
        draft_data = dict(draft.data) if draft else None
        names = _display_names(uow, [task.assignee_id, task.completed_by_id])
        organisation = uow.directory.organisation(task.organisation_id) if task.organisation_id else None
        candidates = _candidates(uow, actor, task)
        ids = file_ids(form, data) | file_ids(form, draft_data or {})
        return TaskPage(
            task=task, form=form, data=data, draft=draft_data,
            draft_saved_at=draft.saved_at if draft else None,
            instructions=_instructions(platform, uow, row, task.bpmn_id),
            organisation=organisation.name if organisation else "", assignee=names.get(task.assignee_id, ""),
            completed_by=names.get(task.completed_by_id, ""), candidates=candidates,
            may_work=task.state == "open" and tasks.may_work_on(actor, task),
            refusal=_refusal(actor, task, names),
            documents=_visible_documents(uow, actor, ids),
            earlier=_earlier_steps(uow, task), subject=dict(row.subject or {}),
            instance_documents=list(uow.documents.for_instance(task.instance_id)))


def _earlier_steps(uow: UnitOfWork, task: HumanTask) -> list[tuple[HumanTask, str]]:
    done = [t for t in uow.tasks.for_instance(task.instance_id) if t.state == "completed" and t.id != task.id]
    names = _display_names(uow, [t.completed_by_id for t in done])
    return [(t, names.get(t.completed_by_id, "")) for t in sorted(done, key=lambda t: t.completed_at or t.created_at)]


def file_ids(form: Any, data: Mapping[str, Any]) -> set[int]:
    """Document ids held by the form's file fields in ``data`` (ints or digit strings)."""
    found: set[int] = set()
    for spec in form.fields:
        if spec.type != "file":
            continue
        value = data.get(spec.name)
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, int) and not isinstance(item, bool):
                found.add(item)
            elif isinstance(item, str) and item.isdigit() and len(item) < 16:
                found.add(int(item))
    return found


def task_documents(platform: Platform, actor: Actor, task_id: str, ids: Iterable[int]) -> list[Document]:
    """Of ``ids``, the documents the actor may use in this task (``documents.usable_in_task``).

    Document ids come back from the browser, so an id of someone else's file is dropped, never attached.
    """
    with platform.reader() as uow:
        task = tasks.visible_task(uow, actor, task_id)
        found = (uow.documents.get(doc_id) for doc_id in sorted(set(ids)))
        return [d for d in found if d is not None and documents.usable_in_task(uow, actor, d, task)]


def upload_to_task(platform: Platform, store: ObjectStore, actor: Actor, task_id: str, *, field_name: str,
                   upload: documents.Upload, max_bytes: int) -> int:
    """Store one file for a file field of an open task the actor may work on; returns the document id.

    The field's ``accept`` list narrows the platform's types and its ``max_mb`` lowers ``max_bytes``;
    a refused file raises InvalidData keyed by the field name.
    """
    task, spec = _upload_target(platform, actor, task_id, field_name)
    allowed = allowed_types(spec.accept)
    if not allowed:
        raise InvalidData({field_name: "表单允许的文件类型均不受平台支持，请联系管理员"})
    limit = min(max_bytes, spec.max_mb * MIB) if spec.max_mb else max_bytes
    return documents.attach(platform, store, actor, upload, max_bytes=limit, allowed=allowed,
                            instance_id=task.instance_id, task_id=task.id, field=field_name)


def allowed_types(accept: Collection[str]) -> frozenset[str]:
    """Platform types matching a field's MIME list ("image/*" included); the default set when it is empty."""
    if not accept:
        return documents.DEFAULT_TYPES
    return frozenset(t for t in ALLOWED for pattern in accept
                     if pattern == t or (pattern.endswith("/*") and t.startswith(pattern[:-1])))


def type_names(types: Collection[str]) -> list[str]:
    """Extensions users know ("PDF", "JPG") for content types, in a stable order."""
    return sorted(ALLOWED[t].upper() for t in types if t in ALLOWED)


def _upload_target(platform: Platform, actor: Actor, task_id: str, field_name: str) -> tuple[HumanTask, Any]:
    with platform.uow() as uow:
        task = tasks.visible_task(uow, actor, task_id)
        if task.state != "open":
            raise Conflict(f"任务「{task.title}」已结束，不能再上传文件")
        if not tasks.may_work_on(actor, task):
            raise Forbidden(f"您没有处理任务「{task.title}」的权限")
        row = uow.instances.get(task.instance_id)
        assert row is not None
        form = platform.version_form(uow, row.process_version_id, task.form_key)
    try:
        spec = form.field(field_name)
    except KeyError as err:
        raise NotFound(f"表单没有字段 {field_name}") from err
    if spec.type != "file":
        raise InvalidData({field_name: "此字段不是文件字段"})
    return task, spec


def _refusal(actor: Actor, task: HumanTask, names: Mapping[int | None, str]) -> str:
    if task.state != "open":
        return f"任务「{task.title}」已{'完成' if task.state == 'completed' else '取消'}"
    if task.assignee_id not in (None, actor.user_id):
        return f"任务「{task.title}」已由 {names.get(task.assignee_id, '他人')} 认领"
    if not tasks.may_work_on(actor, task):
        return f"您没有处理任务「{task.title}」的权限（需要本单位的相应角色）"
    return ""


def _candidates(uow: UnitOfWork, actor: Actor, task: HumanTask) -> tuple[str, ...]:
    """Other people who could take the open task (its role in its organisation)."""
    if task.state != "open" or task.organisation_id is None:
        return ()
    users = uow.directory.users_with_role_in(task.role_key, task.organisation_id)
    return tuple(u.display_name for u in users if u.id != actor.user_id)


def _display_names(uow: UnitOfWork, ids: Iterable[int | None]) -> dict[int | None, str]:
    names: dict[int | None, str] = {}
    for user_id in {i for i in ids if i}:
        user = uow.directory.user(user_id)
        names[user_id] = user.display_name if user else f"#{user_id}"
    return names


def _visible_documents(uow: UnitOfWork, actor: Actor, ids: set[int]) -> dict[int, Document]:
    found: dict[int, Document] = {}
    for doc_id in sorted(ids):
        try:
            found[doc_id] = documents.visible_document(uow, actor, doc_id)
        except NotFound:
            continue  # a stale or foreign id is simply not shown
    return found


def _instructions(platform: Platform, uow: UnitOfWork, row: ProcessInstance, bpmn_id: str) -> str:
    """The user task's instructionsForEndUser text from the version's spec (plain text, never a template)."""
    bundle = platform.runtime.bundle(row.process_version_id,
                                     lambda: uow.processes.spec_json(row.process_version_id))
    for spec in (bundle.spec, *bundle.subprocess_specs.values()):
        for task_spec in spec.task_specs.values():
            if getattr(task_spec, "bpmn_id", None) == bpmn_id and is_user_task(task_spec):
                return describe_user_task(task_spec).instructions or ""
    return ""
