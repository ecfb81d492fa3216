"""Suspension orders and the full-staff exam before resumption (S5): the page-side use cases.

The bureau records the order (which starts ``full_staff_exam``), the enterprise uploads its full staff roster,
and either side records a person's removal from post with a reason and a document. The diagram's service tasks
(``service_tasks``) open sittings, collect results and record the resumption decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from adapters.render.enterprise_sheets import read_roster
from adapters.render.xlsx_common import Progress, RowError
from adapters.rules.enterprises import CASE_STATUSES, PERSON_RESULTS, RESOLVED_RESULTS, SUSPENSION_CAUSES
from adapters.rules.idnumbers import mask_id_number
from adapters.services.enterprises.context import (
    ENTERPRISE_ROLE,
    SUSPENSION_PROCESS,
    EnterprisesContext,
    bureau_of,
    enterprise_of,
    read,
    require_supervisor,
    unit,
    visible_enterprise,
)
from adapters.services.platform import documents, instances
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound
from storage.models_enterprises import SuspensionCase, SuspensionPerson
from storage.repositories.enterprises import EnterprisesRepository
from storage.uow import UnitOfWork

ORDER_TYPES = ("application/pdf", "image/jpeg", "image/png")


@dataclass(frozen=True)
class SuspensionInput:
    enterprise_id: int
    cause: str
    order_no: str
    order_date: dt.date | None


def suspension_problems(ents: EnterprisesRepository, actor: Actor, item: SuspensionInput, today: dt.date,
                        *, enterprise: bool = True) -> dict[str, str]:
    """Why a suspension order cannot be recorded (field → message); the enterprise must be high-risk (S5)."""
    errors: dict[str, str] = {}
    if enterprise:
        org, _record = visible_enterprise(ents, actor, item.enterprise_id)
        if not org.high_risk:
            errors["enterprise_id"] = f"“{org.name}”不属于高危行业企业，全员考试复产复工程序不适用（S5）"
        elif ents.open_case_of(org.id) is not None:
            errors["enterprise_id"] = f"“{org.name}”已有未结束的停产整顿事项"
    if item.cause not in SUSPENSION_CAUSES:
        errors["cause"] = "请选择停产原因（亡人事故或重大事故隐患）"
    if not item.order_no.strip():
        errors["order_no"] = "请填写停产整顿指令文书编号"
    if item.order_date is None:
        errors["order_date"] = "请填写指令日期"
    elif item.order_date > today:
        errors["order_date"] = "指令日期不能晚于今天"
    return errors


def suspend(ctx: EnterprisesContext, actor: Actor, item: SuspensionInput, order: documents.Upload | None) -> int:
    """Record the suspension order and start the full-staff exam process; returns the case id."""
    with ctx.platform.reader() as uow:
        ents = EnterprisesRepository(uow.session)
        if item.enterprise_id and ents.organisation(item.enterprise_id) is not None:
            require_supervisor(ents, actor, item.enterprise_id)
            errors = suspension_problems(ents, actor, item, ctx.today())
            name = enterprise_of(ents, item.enterprise_id)[0].name
        else:
            errors = {"enterprise_id": "请选择企业"}
            errors.update(suspension_problems(ents, actor, item, ctx.today(), enterprise=False))
        if order is None:
            errors["order_document"] = "请上传停产整顿指令文书（PDF 或图片）"
        if errors:
            raise InvalidData(errors, "停产整顿指令有误")
    assert order is not None and item.order_date is not None
    document_id = documents.attach(ctx.platform, ctx.objects, actor, order, max_bytes=ctx.upload_max_bytes,
                                   allowed=ORDER_TYPES, organisation_id=item.enterprise_id, field="order_document")
    instance_id = instances.start_instance(
        ctx.platform, actor, SUSPENSION_PROCESS, dedicated=True, business_key=item.order_no.strip()[:100],
        title=f"{name} 停产整顿全员考试", organisation_id=item.enterprise_id,
        data={"enterprise_id": item.enterprise_id, "cause": item.cause, "order_no": item.order_no.strip()[:60],
              "order_date": item.order_date.isoformat(), "order_document_id": document_id})
    case = read(ctx, lambda _uow, ents: ents.case_by_instance(instance_id))
    if case is None:
        raise Conflict("停产整顿事项未能登记（流程实例出现异常，请联系管理员）")
    return case.id


def _case(ents: EnterprisesRepository, actor: Actor, case_id: int, *, lock: bool = False) -> SuspensionCase:
    case = ents.case(case_id, lock=lock)
    if case is None:
        raise NotFound(f"停产整顿事项 {case_id} 不存在")
    visible_enterprise(ents, actor, case.enterprise_id)  # 404 for anyone outside (other enterprises included)
    return case


def _require_enterprise_user(actor: Actor, case: SuspensionCase) -> None:
    if not (actor.has_role(ENTERPRISE_ROLE) and actor.organisation_id == case.enterprise_id):
        raise Forbidden("只有本企业的安全管理人员可以上报花名册")


def import_roster(ctx: EnterprisesContext, actor: Actor, case_id: int, stream: bytes | IO[bytes],
                  progress: Progress | None = None) -> tuple[int, list[RowError]]:
    """Replace the case's roster with an uploaded sheet: all rows, or — on any row error — none (S5)."""
    sheet = read_roster(stream, progress)
    with unit(ctx) as (uow, ents):
        case = _case(ents, actor, case_id, lock=True)
        _require_enterprise_user(actor, case)
        if case.sittings:
            raise Conflict("已安排考试，花名册不能再整体替换；离岗人员请逐人登记调离")
        if sheet.errors:
            return 0, sheet.errors
        for person in ents.people(case.id):
            ents.delete(person)
        ents.add_all([SuspensionPerson(case_id=case.id, name=row["name"], id_number=row["id_number"],
                                       post=row["post"]) for row in sheet.rows])
        uow.audit.record("suspension.roster", user_id=actor.user_id, username=actor.username,
                         entity="suspension_case", entity_id=case.id, detail={"people": len(sheet.rows)})
        uow.commit()
    return len(sheet.rows), []


def remove_from_post(ctx: EnterprisesContext, actor: Actor, person_id: int, reason: str,
                     proof: documents.Upload | None) -> None:
    """Record that a person left their post (reason + document): they no longer block resumption (S5)."""
    with ctx.platform.reader() as uow:
        ents = EnterprisesRepository(uow.session)
        person = ents.person(person_id)
        if person is None:
            raise NotFound(f"人员 {person_id} 不存在")
        case = _case(ents, actor, person.case_id)
        _may_remove(ents, actor, case)
    errors = {}
    if not reason.strip():
        errors["reason"] = "请填写调离岗位的原因"
    if proof is None:
        errors["document"] = "请上传调离岗位的证明文件"
    if errors:
        raise InvalidData(errors, f"{person.name}的调离登记不完整")
    assert proof is not None
    document_id = documents.attach(ctx.platform, ctx.objects, actor, proof, max_bytes=ctx.upload_max_bytes,
                                   allowed=ORDER_TYPES, organisation_id=case.enterprise_id, field="document")
    with unit(ctx) as (uow, ents):
        case = _case(ents, actor, case.id, lock=True)
        person = ents.person(person_id)
        assert person is not None
        if case.status == "resumed" or person.result in RESOLVED_RESULTS:
            raise Conflict(f"{person.name}已{PERSON_RESULTS[person.result]}，无需登记调离")
        person.result, person.removal_reason = "removed", reason.strip()[:300]
        person.removal_document_id, person.removed_by, person.removed_at = (document_id, actor.display_name[:60],
                                                                            ctx.platform.now())
        uow.audit.record("suspension.person.removed", user_id=actor.user_id, username=actor.username,
                         entity="suspension_person", entity_id=person.id, detail={"case_id": case.id})
        uow.commit()


def _may_remove(ents: EnterprisesRepository, actor: Actor, case: SuspensionCase) -> None:
    if actor.has_role(ENTERPRISE_ROLE) and actor.organisation_id == case.enterprise_id:
        return
    require_supervisor(ents, actor, case.enterprise_id)


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    id_number_masked: str
    post: str
    result: str
    result_label: str
    reason: str
    attempts: int
    removal_document_id: int | None


@dataclass(frozen=True)
class CasePage:
    id: int
    enterprise_id: int
    enterprise_name: str
    bureau_name: str
    cause_label: str
    order_no: str
    order_date: dt.date
    order_document_id: int | None
    status: str
    status_label: str
    instance_id: int | None
    sittings: int
    people: list[PersonRow]
    counts: dict[str, int]
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str
    is_enterprise: bool
    is_supervisor: bool

    @property
    def unresolved(self) -> int:
        return sum(1 for p in self.people if p.result not in RESOLVED_RESULTS)


def case_page(ctx: EnterprisesContext, actor: Actor, case_id: int) -> CasePage:
    def query(_uow: UnitOfWork, ents: EnterprisesRepository) -> CasePage:
        case = _case(ents, actor, case_id)
        org, record = enterprise_of(ents, case.enterprise_id)
        bureau = ents.organisation(bureau_of(ents, org, record))
        people = [PersonRow(p.id, p.name, mask_id_number(p.id_number), p.post, p.result, PERSON_RESULTS[p.result],
                            p.removal_reason if p.result == "removed" else p.result_reason, p.attempts,
                            p.removal_document_id) for p in ents.people(case.id)]
        counts = {key: sum(1 for p in people if p.result == key) for key in PERSON_RESULTS}
        is_enterprise = actor.has_role(ENTERPRISE_ROLE) and actor.organisation_id == case.enterprise_id
        try:
            require_supervisor(ents, actor, case.enterprise_id)
            is_supervisor = True
        except Forbidden:
            is_supervisor = False
        return CasePage(case.id, org.id, org.name, bureau.name if bureau else "",
                        SUSPENSION_CAUSES.get(case.cause, case.cause), case.order_no, case.order_date,
                        case.order_document_id, case.status, CASE_STATUSES.get(case.status, case.status),
                        case.instance_id, case.sittings, people, counts, case.decided_by, case.decided_at,
                        case.decision_note, is_enterprise, is_supervisor)
    return read(ctx, query)


def case_list(ctx: EnterprisesContext, actor: Actor, *, status: str = "") -> list[tuple[SuspensionCase, str,
                                                                                    dict[str, int]]]:
    """Suspension cases of the actor's jurisdiction (an enterprise: its own), with per-result counts."""
    def query(_uow: UnitOfWork, ents: EnterprisesRepository) -> list[tuple[SuspensionCase, str, dict[str, int]]]:
        ids = None if actor.is_admin else ([actor.organisation_id] if actor.organisation_kind == "enterprise"
                                           else sorted(actor.jurisdiction))
        cases: Sequence[SuspensionCase] = ents.cases(enterprise_ids=ids, status=status)
        counts = ents.result_counts([c.id for c in cases])
        names = {}
        for c in cases:
            org = ents.organisation(c.enterprise_id)
            names[c.enterprise_id] = org.name if org else ""
        return [(c, names[c.enterprise_id], counts.get(c.id, {})) for c in cases]
    return read(ctx, query)


__all__ = ["CasePage", "PersonRow", "SuspensionInput", "case_list", "case_page",
           "import_roster", "remove_from_post", "suspend"]
