"""Task handling for every process: 转办 (hand to a colleague), 催办 (remind), decisions and the 审批意见 history.

撤回 and 退回 (taking the instance back to an earlier step) are in ``rewinding``; 批量办理 in ``batch``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound
from storage.models import HumanTask
from storage.models_handling import TaskEvent
from storage.repositories.handling import HandlingRepository
from storage.repositories.notifications import NotificationRepository
from storage.uow import UnitOfWork

REMIND_EVERY = dt.timedelta(hours=4)  # one reminder per task in this interval
NOTE_FIELDS = ("comment", "decision_note", "reason", "submit_note", "note", "remark", "opinion")
KIND_LABELS = {"decision": "办理", "transfer": "转办", "remind": "催办", "withdraw": "撤回", "return": "退回"}
TASK_LINK = "/tasks/{task_id}"
AUDIT_LABELS = {
    "task.transfer": "转办任务", "task.remind": "催办任务", "task.withdraw": "撤回提交",
    "task.return": "退回到前序步骤",
    "task.batch": "批量办理", "delegation.create": "委托他人办理", "delegation.revoke": "撤销委托",
}


@dataclass(frozen=True)
class Opinion:
    """One line of the 审批意见 history: who, when, which step, what they decided and wrote."""

    at: dt.datetime
    who: str
    step: str
    kind: str
    decision: str
    note: str
    to: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def record_decision(uow: UnitOfWork, task: HumanTask, actor: Actor, form: Any, cleaned: Mapping[str, Any],
                    now: dt.datetime) -> None:
    """In the completion's transaction: the decision (label of a ``decision`` choice) and note of a step."""
    decision = ""
    for spec in getattr(form, "fields", ()):
        if spec.name == "decision" and cleaned.get("decision") not in (None, ""):
            labels = {value: label for value, label in spec.choices}
            decision = _zh(labels.get(cleaned["decision"], cleaned["decision"]))
    note = next((str(cleaned[name]) for name in NOTE_FIELDS if cleaned.get(name)), "")
    HandlingRepository(uow.session).add(TaskEvent(
        instance_id=task.instance_id, task_id=task.id, bpmn_id=task.bpmn_id, step=task.title, kind="decision",
        user_id=actor.user_id, decision=decision[:40], note=note[:4000], at=now))


def opinions(uow: UnitOfWork, instance_id: int) -> list[Opinion]:
    """Every decision, 转办, 撤回 and 退回 of the instance, oldest first (reminders are shown on their task)."""
    events = [e for e in HandlingRepository(uow.session).for_instance(instance_id) if e.kind != "remind"]
    names = display_names(uow, [e.user_id for e in events] + [e.to_user_id for e in events])
    return [Opinion(at=e.at, who=names.get(e.user_id, ""), step=e.step, kind=e.kind, decision=e.decision,
                    note=e.note, to=names.get(e.to_user_id, "")) for e in events]


def reminders(uow: UnitOfWork, task_id: str) -> list[Opinion]:
    events = HandlingRepository(uow.session).for_task(task_id, ["remind"])
    names = display_names(uow, [e.user_id for e in events])
    return [Opinion(at=e.at, who=names.get(e.user_id, ""), step=e.step, kind=e.kind, decision="", note=e.note)
            for e in events]


def last_return(uow: UnitOfWork, task: HumanTask) -> Opinion | None:
    """The 退回 or 撤回 that reopened this task (what its receiver must read), if it is open because of one."""
    if task.state != "open":
        return None
    events = HandlingRepository(uow.session).for_task(task.id, ["return", "withdraw", "decision"])
    if not events or events[0].kind == "decision":
        return None
    event = events[0]
    names = display_names(uow, [event.user_id])
    return Opinion(at=event.at, who=names.get(event.user_id, ""), step=str(event.detail.get("from_step", "")),
                   kind=event.kind, decision="", note=event.note)


# -- 转办 -------------------------------------------------------------------------------------------
def colleagues(platform: Platform, actor: Actor, task_id: str) -> list[tuple[int, str]]:
    """(user id, name) of the people of the task's role and organisation it may be handed to."""
    with platform.reader() as uow:
        task = _open_task(uow, task_id)
        return [(u.id, u.display_name) for u in uow.directory.users_with_role_in(task.role_key, task.organisation_id)
                if u.id != actor.user_id]


def transfer(platform: Platform, actor: Actor, task_id: str, to_user_id: int, note: str) -> str:
    """Hand an open task the actor may work on to a colleague of the same role and organisation."""
    from adapters.services.platform.tasks import may_work_on
    note = (note or "").strip()
    with platform.uow() as uow:
        task = _open_task(uow, task_id)
        if not may_work_on(actor, task):
            raise Forbidden(f"您不能转办任务「{task.title}」：只有可办理此任务的人员可以转办")
        target = {u.id: u for u in uow.directory.users_with_role_in(task.role_key, task.organisation_id)}.get(
            to_user_id)
        if target is None or target.id == actor.user_id:
            raise InvalidData({"to_user": "请选择本单位具有相同角色的另一位同事"})
        if len(note) > 500:
            raise InvalidData({"note": "转办说明不能超过 500 字"})
        now = platform.now()
        task.assignee_id, task.claimed_at = target.id, now
        uow.tasks.delete_drafts(task.id)
        _event(uow, task, "transfer", actor, now, note=note, to_user_id=target.id)
        _notify(uow, [target.id], "task_transferred", f"{actor.display_name} 将任务转办给您：{task.title}"
                + (f"（{note}）" if note else ""), task, now)
        uow.audit.record("task.transfer", user_id=actor.user_id, username=actor.username,
                         instance_id=task.instance_id, task_id=task.id,
                         detail={"to_user_id": target.id, "to": target.display_name, "note": note})
        uow.commit()
        return target.display_name


# -- 催办 -------------------------------------------------------------------------------------------
def may_remind(uow: UnitOfWork, actor: Actor, task: HumanTask) -> bool:
    """The one waiting: who completed an earlier step of the instance or started it, or a supervisor whose
    jurisdiction holds the task's organisation; never a person who could do the task themselves."""
    if task.state != "open" or (actor.has_role(task.role_key) and actor.organisation_id == task.organisation_id):
        return False
    row = uow.instances.get(task.instance_id)
    if row is not None and row.started_by_id == actor.user_id:
        return True
    if any(t.completed_by_id == actor.user_id for t in uow.tasks.for_instance(task.instance_id)):
        return True
    return actor.sees_organisation(task.organisation_id) and actor.organisation_id != task.organisation_id


def remind(platform: Platform, actor: Actor, task_id: str, note: str) -> int:
    """Send a reminder to the assignee (or every candidate); at most once per task per ``REMIND_EVERY``."""
    note = (note or "").strip()[:300]
    with platform.uow() as uow:
        task = _open_task(uow, task_id)
        if not may_remind(uow, actor, task):
            raise Forbidden(f"您不能催办任务「{task.title}」：只有等待此任务的人员可以催办")
        now = platform.now()
        earlier = HandlingRepository(uow.session).for_task(task.id, ["remind"])
        if earlier and now - earlier[0].at < REMIND_EVERY:
            allowed = earlier[0].at + REMIND_EVERY
            raise Conflict(f"此任务已于 {_beijing(earlier[0].at)} 催办过，{_beijing(allowed)} 后可再次催办")
        if task.assignee_id:
            recipients = [task.assignee_id]
        else:
            recipients = [u.id for u in uow.directory.users_with_role_in(task.role_key, task.organisation_id)]
        _event(uow, task, "remind", actor, now, note=note)
        _notify(uow, recipients, "task_reminder",
                f"{actor.display_name} 催办：{task.title}" + (f"（{note}）" if note else ""), task, now)
        uow.audit.record("task.remind", user_id=actor.user_id, username=actor.username,
                         instance_id=task.instance_id, task_id=task.id,
                         detail={"recipients": len(recipients), "note": note})
        uow.commit()
        return len(recipients)


# -- shared ---------------------------------------------------------------------------------------
def _open_task(uow: UnitOfWork, task_id: str) -> HumanTask:
    task = uow.tasks.get(task_id)
    if task is None:
        raise NotFound(f"任务 {task_id} 不存在")
    if task.state != "open":
        raise Conflict(f"任务「{task.title}」已{'完成' if task.state == 'completed' else '取消'}")
    return task


def _event(uow: UnitOfWork, task: HumanTask, kind: str, actor: Actor, now: dt.datetime, *, note: str = "",
           to_user_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
    HandlingRepository(uow.session).add(TaskEvent(
        instance_id=task.instance_id, task_id=task.id, bpmn_id=task.bpmn_id, step=task.title, kind=kind,
        user_id=actor.user_id or None, to_user_id=to_user_id, note=note, detail=detail or {}, at=now))


def _notify(uow: UnitOfWork, user_ids: Iterable[int], kind: str, title: str, task: HumanTask,
            now: dt.datetime) -> None:
    rows = [{"user_id": user_id, "kind": kind, "title": title[:300], "link": TASK_LINK.format(task_id=task.id),
             "task_id": task.id, "created_at": now, "email_state": "none", "email_attempts": 0}
            for user_id in sorted(set(user_ids))]
    if rows:
        NotificationRepository(uow.session).add_all(rows)


def display_names(uow: UnitOfWork, ids: Iterable[int | None]) -> dict[int | None, str]:
    names: dict[int | None, str] = {}
    for user_id in {i for i in ids if i}:
        user = uow.directory.user(user_id)
        names[user_id] = user.display_name if user else f"#{user_id}"
    return names


def _zh(label: Any) -> str:
    if isinstance(label, Mapping):
        return str(label.get("zh") or next(iter(label.values()), ""))
    return str(label)


def _beijing(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
