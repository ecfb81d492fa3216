"""The named services of the full-staff exam diagram (S5), run inside the engine step (``active_uow``).

Sittings are examined on ``exam_with_resit`` through the issuance family's published operators (``exam.open_batch``,
``exam.batch_results``), looked up in the service registry by name — this package never imports that family.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from adapters.engine.errors import ServiceFailed
from adapters.rules.catalogue import FULL_STAFF
from adapters.rules.enterprises import RESOLVED_RESULTS, SUSPENSION_CAUSES, unresolved
from adapters.services.enterprises.context import EnterprisesContext, bureau_of, enterprise_of, repo
from adapters.services.platform.context import active_uow
from adapters.services.platform.errors import InvalidData, ServiceError
from storage.models_enterprises import SuspensionCase, SuspensionSitting
from storage.repositories.enterprises import EnterprisesRepository
from storage.uow import UnitOfWork

Step = Callable[[UnitOfWork, EnterprisesRepository], dict[str, Any]]
EXAM_KINDS = ("exam_site", "exam_centre")


def in_step(fn: Step) -> dict[str, Any]:
    uow = active_uow()
    ents = repo(uow)
    try:
        with ents.savepoint():
            return fn(uow, ents)
    except InvalidData as err:
        raise ServiceFailed(f"{err}：{'；'.join(err.errors.values())}") from err
    except ServiceError as err:
        raise ServiceFailed(str(err)) from err


def get_case(ents: EnterprisesRepository, case_id: int) -> SuspensionCase:
    case = ents.case(int(case_id), lock=True)
    if case is None:
        raise InvalidData({"suspension_id": f"停产整顿事项 {case_id} 不存在"})
    return case


def current_bureau(ents: EnterprisesRepository, case: SuspensionCase) -> int:
    """Re-read the enterprise's supervision now: a changed level routes the next task, not the open ones."""
    org, record = enterprise_of(ents, case.enterprise_id)
    case.bureau_id = bureau_of(ents, org, record)
    return case.bureau_id


def link_sitting(uow: UnitOfWork, instance_id: int | None, class_id: int) -> None:
    """The exam site's task page links to the sitting's score page through the instance's subject."""
    row = uow.instances.get(instance_id) if instance_id else None
    if row is not None:
        row.subject = {**(row.subject or {}), "class_id": class_id}


def find_exam_site(ents: EnterprisesRepository, code: str) -> Any:
    return next((o for o in ents.organisations_of_kind(*EXAM_KINDS) if o.code == code.strip()), None)


class SuspensionServices:
    def __init__(self, ctx: EnterprisesContext) -> None:
        self.ctx = ctx

    def operators(self) -> dict[str, Callable[..., dict[str, Any]]]:
        return {"enterprise.record_suspension": self.record_suspension,
                "enterprise.roster_received": self.roster_received, "enterprise.open_sitting": self.open_sitting,
                "enterprise.record_results": self.record_results, "enterprise.resume": self.resume}

    def record_suspension(self, enterprise_id: int, cause: str, order_no: str, order_date: str,
                          order_document_id: int, instance_id: int, started_by: str) -> dict[str, Any]:
        def run(uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            org, record = enterprise_of(ents, int(enterprise_id))
            if not org.high_risk:
                raise InvalidData({"enterprise_id": f"“{org.name}”不属于高危行业企业"})
            if cause not in SUSPENSION_CAUSES:
                raise InvalidData({"cause": f"停产原因“{cause}”无效"})
            if ents.open_case_of(org.id) is not None:
                raise InvalidData({"enterprise_id": f"“{org.name}”已有未结束的停产整顿事项"})
            case = SuspensionCase(enterprise_id=org.id, bureau_id=bureau_of(ents, org, record), cause=cause,
                                  order_no=str(order_no)[:60], order_date=dt.date.fromisoformat(str(order_date)),
                                  order_document_id=int(order_document_id) if order_document_id else None,
                                  instance_id=int(instance_id), status="suspended",
                                  created_by=str(started_by)[:60], created_at=self.ctx.platform.now())
            ents.add(case)
            row = uow.instances.get(int(instance_id))
            if row is not None:
                row.subject = {"suspension_id": case.id}
            return {"suspension_id": case.id, "bureau_id": case.bureau_id, "enterprise_name": org.name}
        return in_step(run)

    def roster_received(self, suspension_id: int) -> dict[str, Any]:
        def run(_uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            case = get_case(ents, suspension_id)
            count = len(ents.people(case.id))
            if not count:
                raise InvalidData({"roster": "花名册没有人员"})
            return {"count": count, "bureau_id": current_bureau(ents, case)}
        return in_step(run)

    def open_sitting(self, suspension_id: int, exam_site_code: str, exam_date: str) -> dict[str, Any]:
        """A new sitting of everyone still pending or failed, as an exam-only class on the issuance side."""
        def run(uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            case = get_case(ents, suspension_id)
            site = find_exam_site(ents, str(exam_site_code))
            if site is None:
                raise InvalidData({"exam_site_code": f"“{exam_site_code}”不是有效的考点机构代码"})
            people = [p for p in ents.people(case.id) if p.result not in RESOLVED_RESULTS]
            org = ents.organisation(case.enterprise_id)
            number = case.sittings + 1
            batch = self._service("exam.open_batch")(
                organisation_id=case.enterprise_id, issuing_organisation_id=case.bureau_id, job_type=FULL_STAFF,
                training_kind="initial", class_no=f"全员考试-{case.id}-{number}",
                people=[{"name": p.name, "id_number": p.id_number, "employer": org.name if org else ""}
                        for p in people],
                exam_site_id=site.id, exam_date=str(exam_date)[:10], now=self.ctx.platform.now())
            for person in people:
                person.last_class_id, person.attempts = batch["class_id"], person.attempts + 1
            ents.add(SuspensionSitting(case_id=case.id, number=number, class_id=batch["class_id"],
                                       exam_date=dt.date.fromisoformat(batch["exam_date"]), candidates=len(people)))
            case.sittings, case.status = number, "examining"
            link_sitting(uow, case.instance_id, batch["class_id"])
            return {**batch, "sitting": number, "candidates": len(people)}
        return in_step(run)

    def record_results(self, suspension_id: int, class_id: int) -> dict[str, Any]:
        """Copy the decided results of a sitting to the roster; removed persons stay removed."""
        def run(_uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            case = get_case(ents, suspension_id)
            results = self._service("exam.batch_results")(class_id=int(class_id))
            for person in ents.people(case.id):
                if person.last_class_id != int(class_id) or person.result == "removed":
                    continue
                result, reason = results.get(person.id_number, ("failed", "未参加本场考试"))
                person.result = "passed" if result == "passed" else "failed"
                person.result_reason = reason[:300]
            for sitting in ents.sittings(case.id):
                if sitting.class_id == int(class_id):
                    sitting.passed = sum(1 for r, _ in results.values() if r == "passed")
            people = ents.people(case.id)
            return {"passed": sum(p.result == "passed" for p in people),
                    "unresolved": len(unresolved((p.name, p.result) for p in people)),
                    "bureau_id": current_bureau(ents, case)}
        return in_step(run)

    def resume(self, suspension_id: int, note: str) -> dict[str, Any]:
        def run(_uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            case = get_case(ents, suspension_id)
            names = unresolved((p.name, p.result) for p in ents.people(case.id))
            if names:
                raise InvalidData({"decision": "仍有人员未合格且未调离：" + "、".join(names[:20])})
            case.status, case.decided_at = "resumed", self.ctx.platform.now()
            case.decision_note = str(note or "")[:500]
            return {"status": case.status, "decided_at": case.decided_at.isoformat()}
        return in_step(run)

    def _service(self, name: str) -> Callable[..., Any]:
        try:
            return self.ctx.platform.runtime.services[name]
        except KeyError:
            raise ServiceFailed(f"没有注册服务 {name}（考试与发证服务未安装）") from None
