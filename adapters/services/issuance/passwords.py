"""Provincial exam passwords (S1): the bureau records the request and the answer; only the assigned exam site
sees the password, and only on the exam day. It never enters workflow data or task history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from adapters.services.issuance.context import (
    SITE_ROLE,
    IssuanceContext,
    get_class,
    require_bureau,
    unit,
    visible_class,
)
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, InvalidData
from storage.models_issuance import ExamPassword
from storage.repositories.issuance import IssuanceRepository

MASK = "******"
MAX_PASSWORD = 100


def record_request(training: IssuanceRepository, class_id: int, requested_on: dt.date, reference: str) -> ExamPassword:
    """Record the application to the province for the class's exam password (run by a service task)."""
    get_class(training, class_id)
    record = training.exam_password(class_id)
    if record is None:
        record = ExamPassword(class_id=class_id, requested_on=requested_on, request_reference=reference[:100])
        training.add(record)
    else:
        record.requested_on, record.request_reference = requested_on, reference[:100]
    return record


def record_exam_password(ctx: IssuanceContext, actor: Actor, class_id: int, password: str) -> None:
    """The bureau enters the province's answer (on the class page, so it stays out of workflow data)."""
    text = password.strip()
    if not text or len(text) > MAX_PASSWORD:
        raise InvalidData({"password": f"请填写省厅回复的考试密码（不超过{MAX_PASSWORD}个字符）"})
    with unit(ctx) as (uow, training):
        cls = get_class(training, class_id, lock=True)
        require_bureau(actor, cls)
        record = training.exam_password(class_id)
        if record is None:
            raise Conflict(f"期次 {cls.class_no} 尚未登记考试密码申请")
        sitting = training.sitting(class_id)
        if sitting is not None and sitting.results_final_at is not None:
            raise Conflict(f"期次 {cls.class_no} 的考试已结束，不能再修改考试密码")
        record.password, record.answered_on, record.answered_by = text, ctx.today(), actor.username
        uow.audit.record("exam_password.record", user_id=actor.user_id, username=actor.username,
                         entity="training_class", entity_id=cls.id)  # the value itself is never logged
        uow.commit()


@dataclass(frozen=True)
class PasswordView:
    """What the actor may see; ``password`` is the real value only for the assigned site on the exam day."""

    requested_on: dt.date | None
    request_reference: str
    answered_on: dt.date | None
    recorded: bool
    password: str
    revealed: bool
    note: str


def exam_password_view(ctx: IssuanceContext, actor: Actor, class_id: int) -> PasswordView:
    """The password of the class, masked unless the actor is the assigned exam site on the exam day."""
    today = ctx.today()
    with unit(ctx) as (uow, training):
        cls = visible_class(training, actor, class_id)
        record = training.exam_password(class_id)
        sitting = training.sitting(class_id)
        if record is None:
            return PasswordView(None, "", None, False, "", False, "尚未申请考试密码")
        recorded = bool(record.password)
        site_today = (sitting is not None and actor.has_role(SITE_ROLE)
                      and actor.organisation_id == sitting.exam_site_id and today == sitting.exam_date)
        revealed = recorded and site_today
        if revealed:
            uow.audit.record("exam_password.reveal", user_id=actor.user_id, username=actor.username,
                             entity="training_class", entity_id=cls.id)
            uow.commit()
        note = "" if revealed else ("考试密码仅在考试当日向承考考点显示" if recorded else "尚未收到省厅回复")
        return PasswordView(record.requested_on, record.request_reference, record.answered_on, recorded,
                            (record.password or "") if revealed else (MASK if recorded else ""), revealed, note)


def password_problems(training: IssuanceRepository, class_id: int) -> dict[str, str]:
    """Submit check: the province's answer must have been recorded on the class page."""
    record = training.exam_password(class_id)
    if record is None or not record.password:
        return {"confirmed": "尚未录入省厅回复的考试密码：请在期次页面“考试密码”栏录入后再提交"}
    return {}
