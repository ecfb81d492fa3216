"""Use cases the JSON API needs beyond the shared ones: token sign-in, task pages, linked uploads."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import heapq
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.services.platform import Platform, documents, instances, tasks
from adapters.services.platform.actors import Actor
from adapters.services.platform.directory import actor_for
from adapters.services.platform.errors import InvalidData
from adapters.services.platform.user_admin import token_hash
from storage.models import Document, HumanTask, ProcessVersion
from storage.objects import ObjectStore
from storage.repositories.inbox import InboxRepository, OpenCursor, TaskFilter, open_sort_key

TASK_VIEWS = ("mine", "group", "all_open")
MAX_PAGE = 100
MAX_TOKEN_LENGTH = 512


def actor_for_token(platform: Platform, token: str) -> Actor | None:
    """The active user holding this token, or None (a presented but unknown token is audited as denied)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    with platform.reader() as uow:  # the common case reads only: one statement, no write lock
        user = uow.directory.user_by_token_hash(token_hash(token))
        if user is not None and user.active:
            return actor_for(uow, user, tree=platform.organisation_tree(uow))
        denied = (user.id, user.username) if user else (None, "unknown")
    with platform.uow() as uow:
        uow.audit.record("api.auth", user_id=denied[0], username=denied[1], result="denied",
                         detail={"reason": "inactive user" if denied[0] else "unknown token"})
        uow.commit()
    return None


def deployed_processes(platform: Platform) -> Sequence[ProcessVersion]:
    """The latest version of every deployed process."""
    with platform.reader() as uow:
        return uow.processes.latest_of_each()


def start_and_show(platform: Platform, actor: Actor, process_key: str, *, business_key: str | None = None,
                   title: str = "", data: Mapping[str, Any] | None = None) -> instances.InstanceView:
    """Start the latest version for the actor's organisation; return the new instance with its open tasks."""
    instance_id = instances.start_instance(platform, actor, process_key, business_key=business_key,
                                           title=title, data=data)
    return instances.show_instance(platform, actor, instance_id)


@dataclass(frozen=True)
class TaskPage:
    tasks: list[HumanTask]
    next_cursor: str | None


def task_page(platform: Platform, actor: Actor, view: str, *, limit: int = 50,
              cursor: str | None = None, instance_id: int | None = None) -> TaskPage:
    """One page of the actor's open tasks: ``mine`` (claimed by me), ``group`` (unclaimed for my roles in my
    organisation) or ``all_open`` (both), in inbox order (due date, undated last, then age), keyset-paged;
    ``instance_id`` narrows it to one process instance."""
    problems: dict[str, str] = {}
    if view not in TASK_VIEWS:
        problems["view"] = f"view 须为 {' / '.join(TASK_VIEWS)} 之一"
    if not 1 <= limit <= MAX_PAGE:
        problems["limit"] = f"limit 须在 1 到 {MAX_PAGE} 之间"
    after = _decode_cursor(cursor) if cursor else None
    if cursor and after is None:
        problems["cursor"] = "cursor 无效，请使用上一页返回的 next_cursor"
    if problems:
        raise InvalidData(problems, "查询参数有误")
    with platform.reader() as uow:
        rows = _open_rows(InboxRepository(uow.session), actor, view, after, limit + 1,
                          TaskFilter(instance_id=instance_id))
        more, rows = len(rows) > limit, rows[:limit]
        found = [uow.tasks.get(row.id) for row in rows]
    return TaskPage(tasks=[t for t in found if t is not None],
                    next_cursor=_encode_cursor(rows[-1]) if more and rows else None)


def _open_rows(repo: InboxRepository, actor: Actor, view: str, after: OpenCursor | None,
               limit: int, where: TaskFilter) -> list[Any]:
    mine = repo.claimed_by(actor.user_id, where, after, limit) if view != "group" else []
    group = (repo.group_open(actor.role_keys, actor.organisation_id, where, after, limit)
             if view != "mine" and actor.role_keys else [])
    return list(itertools.islice(heapq.merge(mine, group, key=open_sort_key), limit))


def _encode_cursor(row: Any) -> str:
    # Opaque to clients: the last row's sort key, so a page never repeats or skips a task.
    parts = [row.due_date.isoformat() if row.due_date else None, row.created_at.isoformat(), row.id]
    return base64.urlsafe_b64encode(json.dumps(parts, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> OpenCursor | None:
    try:
        due, created, task_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        created_at = dt.datetime.fromisoformat(created)
        if created_at.tzinfo is None or not isinstance(task_id, str):
            return None
        return OpenCursor(dt.date.fromisoformat(due) if due else None, created_at, task_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        return None


def claim_or_release(platform: Platform, actor: Actor, task_id: str, *, release: bool = False) -> HumanTask:
    """Claim the task (or hand it back to the group) and return it as it now stands."""
    if release:
        tasks.unclaim(platform, actor, task_id)
    else:
        tasks.claim(platform, actor, task_id)
    with platform.uow() as uow:
        return tasks.visible_task(uow, actor, task_id)


@dataclass(frozen=True)
class TaskDetail:
    task: HumanTask
    form: dict[str, Any]
    data: dict[str, Any]


def task_detail(platform: Platform, actor: Actor, task_id: str) -> TaskDetail:
    """The task, its form definition pinned with the process version (JSON as in ``forms/``) and its data."""
    task, _definition, data = tasks.task_context(platform, actor, task_id)
    with platform.reader() as uow:
        row = uow.instances.get(task.instance_id)
        version = uow.processes.get(row.process_version_id) if row else None
        text = (version.forms if version else {}).get(task.form_key)
    form = json.loads(text) if isinstance(text, str) else {}
    return TaskDetail(task=task, form=form, data=data)


def attach_linked(platform: Platform, store: ObjectStore, actor: Actor, upload: documents.Upload, *,
                  max_bytes: int, instance_id: int | None = None, task_id: str | None = None) -> Document:
    """Store an upload, optionally linked to an instance or task the actor can see; return its metadata."""
    instance_id = _checked_links(platform, actor, instance_id, task_id)
    document_id = documents.attach(platform, store, actor, upload, max_bytes=max_bytes,
                                   instance_id=instance_id, task_id=task_id, field="file")
    return documents.document_info(platform, actor, document_id)


def _checked_links(platform: Platform, actor: Actor, instance_id: int | None,
                   task_id: str | None) -> int | None:
    """Refuse links to records the actor cannot see (NotFound) or a task outside the given instance."""
    with platform.uow() as uow:
        if task_id is not None:
            task = tasks.visible_task(uow, actor, task_id)
            if instance_id is not None and instance_id != task.instance_id:
                raise InvalidData({"task_id": f"任务 {task_id} 不属于流程实例 {instance_id}"}, "关联有误")
            instance_id = task.instance_id
        if instance_id is not None:
            instances.visible_instance(uow, actor, instance_id)
    return instance_id
