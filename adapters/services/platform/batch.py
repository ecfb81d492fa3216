"""批量办理: several open tasks of the same kind (process version, step and form) completed with one decision and
comment; each in its own transaction, so one refusal never undoes the others."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from adapters.services.platform import Platform, tasks
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData, ServiceError
from adapters.services.platform.handling import NOTE_FIELDS
from storage.models import HumanTask
from storage.repositories.handling import HandlingRepository


@dataclass(frozen=True)
class BatchGroup:
    """Open tasks of one kind the actor may complete together, with the form's decision choices."""

    key: str  # "<version id>:<bpmn id>:<form key>"
    title: str
    process_name: str
    tasks: list[HumanTask]
    decisions: list[tuple[str, Any]]  # (value, label) of the form's ``decision`` field
    note_field: str  # the form's comment field ("" when it has none)


@dataclass(frozen=True)
class BatchResult:
    task_id: str
    title: str
    subject: str
    ok: bool
    message: str


def batch_groups(platform: Platform, actor: Actor) -> list[BatchGroup]:
    """Kinds of which the actor has at least two workable open tasks and whose form has a decision choice."""
    with platform.reader() as uow:
        repo = HandlingRepository(uow.session)
        candidates = [t for t in uow.tasks.open_for_actor(actor.user_id, sorted(actor.role_keys),
                                                          actor.organisation_id, limit=500)]
        candidates += [t for t in repo.delegated_open_tasks(actor.delegations) if t not in candidates]
        versions = repo.versions_of([t.instance_id for t in candidates])
        kinds: dict[str, list[HumanTask]] = defaultdict(list)
        for task in candidates:
            if tasks.may_work_on(actor, task):
                kinds[f"{versions[task.instance_id]}:{task.bpmn_id}:{task.form_key}"].append(task)
        groups = []
        for key, members in sorted(kinds.items()):
            if len(members) < 2:
                continue
            form = platform.version_form(uow, int(key.split(":")[0]), members[0].form_key)
            fields = {spec.name: spec for spec in getattr(form, "fields", ())}
            if "decision" not in fields or not fields["decision"].choices:
                continue
            note = next((name for name in NOTE_FIELDS if name in fields), "")
            groups.append(BatchGroup(key=key, title=members[0].title, process_name=members[0].process_name,
                                     tasks=members, decisions=list(fields["decision"].choices), note_field=note))
        return groups


def complete_batch(platform: Platform, actor: Actor, group_key: str, task_ids: Sequence[str], decision: str,
                   note: str) -> list[BatchResult]:
    """Complete each chosen task of the group with the decision and note; a result per task, in order."""
    group = next((g for g in batch_groups(platform, actor) if g.key == group_key), None)
    if group is None:
        raise InvalidData({"tasks": "这些任务已不能一起办理，请刷新页面"})
    if not task_ids:
        raise InvalidData({"tasks": "请至少选择一个任务"})
    if decision not in {value for value, _ in group.decisions}:
        raise InvalidData({"decision": "请选择审批结论"})
    members = {t.id: t for t in group.tasks}
    data: dict[str, Any] = {"decision": decision}
    if group.note_field:
        data[group.note_field] = note
    results = []
    for task_id in dict.fromkeys(task_ids):
        task = members.get(task_id)
        if task is None:
            results.append(BatchResult(task_id, "", "", False, "该任务不属于本组或已不能办理"))
            continue
        try:
            status = tasks.complete(platform, actor, task_id, data)
        except InvalidData as err:
            message = "；".join(err.errors.values())
            results.append(BatchResult(task_id, task.title, task.subject_title, False, message))
        except ServiceError as err:
            results.append(BatchResult(task_id, task.title, task.subject_title, False, str(err)))
        else:
            message = "已办理" if status != "incident" else "已办理，但后续步骤出错，管理员会处理"
            results.append(BatchResult(task_id, task.title, task.subject_title, True, message))
    with platform.uow() as uow:
        uow.audit.record("task.batch", user_id=actor.user_id, username=actor.username,
                         result="ok" if all(r.ok for r in results) else "partial",
                         detail={"group": group_key, "decision": decision, "done": sum(r.ok for r in results),
                                 "failed": sum(not r.ok for r in results)})
        uow.commit()
    return results
