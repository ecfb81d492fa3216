"""The named services the training diagrams call, registered by ``install``.

Services run inside the engine step (``active_uow``) and write in the step's transaction, inside a savepoint so a
failing adapter leaves nothing half-written behind its incident. Each returns a small dict of ids, dates and
counts — never rosters — for the diagram's data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from adapters.engine.errors import ServiceFailed
from adapters.services.issuance import archive, batches, exams, issuance, passwords
from adapters.services.issuance.checks import checks
from adapters.services.issuance.context import CLASS_LINK, SITE_ROLE, IssuanceContext, get_class, repo
from adapters.services.issuance.deadlines import close_deadline, open_deadline
from adapters.services.platform.context import active_uow
from adapters.services.platform.errors import InvalidData, ServiceError
from storage.repositories.issuance import IssuanceRepository
from storage.uow import UnitOfWork

Step = Callable[[UnitOfWork, IssuanceRepository], dict[str, Any]]
SUMMARY_LIMIT = 1500


def _day(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def _in_step(fn: Step) -> dict[str, Any]:
    uow = active_uow()
    training = repo(uow)
    try:
        with training.savepoint():
            return fn(uow, training)
    except InvalidData as err:
        raise ServiceFailed(f"{err}：{'；'.join(err.errors.values())}") from err
    except ServiceError as err:
        raise ServiceFailed(str(err)) from err


class TrainingServices:
    """One method per operator; parameters are the diagram's values (ids, ISO dates, short texts)."""

    def __init__(self, ctx: IssuanceContext) -> None:
        self.ctx = ctx

    def operators(self) -> dict[str, Callable[..., dict[str, Any]]]:
        return {
            "training.begin_issuance": self.begin, "training.submit_archive": self.submit_archive,
            "training.record_review": self.record_review, "training.move_to_examination": self.move_to_examination,
            "training.record_password_request": self.record_password_request,
            "training.schedule_exam": self.schedule_exam, "training.notify_exam_site": self.notify_exam_site,
            "exam.resit_candidates": self.resit_candidates, "exam.finalise_results": self.finalise_results,
            "training.submit_exam_archive": self.submit_exam_archive,
            "training.record_issuance_approval": self.record_issuance_approval,
            "training.issue_certificates": self.issue_certificates, "training.record_delivery": self.record_delivery,
            "training.close_receipts": self.close_receipts,
        }

    def begin(self, class_id: int, instance_id: int) -> dict[str, Any]:
        """Link the class to its instance and open the S1 archive deadline (counted from the class end)."""
        def run(_uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            cls = get_class(training, int(class_id), lock=True)
            row = _uow.instances.get(int(instance_id))
            if row is None or row.organisation_id != cls.institution_id:
                # Only the class's own institution's instance may take the class (no hijacking by class id).
                raise InvalidData({"class_id": f"期次 {cls.class_no} 不属于发起本流程的培训机构"})
            if cls.instance_id not in (None, int(instance_id)):
                raise InvalidData({"class_id": f"期次 {cls.class_no} 已由流程实例 {cls.instance_id} 办理"})
            cls.instance_id = int(instance_id)
            due = open_deadline(training, cls, "class_archive", cls.institution_id, cls.end_date)
            return {"class_no": cls.class_no, "class_end": cls.end_date.isoformat(),
                    "institution_id": cls.institution_id, "archive_due": due.due_date.isoformat()}
        return _in_step(run)

    def submit_archive(self, class_id: int) -> dict[str, Any]:
        def run(_uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            today = self.ctx.today()
            new = archive.submit_round(training, int(class_id), today, self.ctx.platform.now())
            close_deadline(training, int(class_id), "class_archive", today)  # the first submission counts
            return {"round": new.number}
        return _in_step(run)

    def record_review(self, class_id: int, decision: str, comment: str, return_items: Any) -> dict[str, Any]:
        def run(_uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            rows = return_items if isinstance(return_items, list) and decision == "return" else []
            reasons, errors = archive.parse_return_items(training, int(class_id), rows)
            if errors:
                raise InvalidData(errors)
            decided = archive.decide_round(training, int(class_id), decision, comment or "", reasons,
                                           self.ctx.platform.now())
            summary = return_summary(training, int(class_id), decided.number, reasons, comment or "")
            return {"round": decided.number, "summary": summary}
        return _in_step(run)

    def move_to_examination(self, class_id: int) -> dict[str, Any]:
        def run(_uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            cls = get_class(training, int(class_id), lock=True)
            cls.status = "examining"
            return {"status": cls.status}
        return _in_step(run)

    def record_password_request(self, class_id: int, requested_on: str, reference: str) -> dict[str, Any]:
        def run(_uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            passwords.record_request(training, int(class_id), _day(requested_on), reference or "")
            return {"requested_on": str(requested_on)[:10]}
        return _in_step(run)

    def schedule_exam(self, class_id: int, exam_site_code: str, exam_date: str) -> dict[str, Any]:
        def run(uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            sitting = exams.schedule_exam(self.ctx, uow, training, int(class_id), exam_site_code, _day(exam_date))
            site = training.organisation(sitting.exam_site_id)
            deadline = training.deadline(int(class_id), "exam_archive")
            return {"exam_site_id": sitting.exam_site_id, "exam_site_name": site.name if site else "",
                    "exam_date": sitting.exam_date.isoformat(), "pass_mark": sitting.pass_mark,
                    "exam_archive_due": deadline.due_date.isoformat() if deadline else ""}
        return _in_step(run)

    def notify_exam_site(self, class_id: int) -> dict[str, Any]:
        return _in_step(lambda _uow, training: {"notified": notify_site(self.ctx, training, int(class_id))})

    def resit_candidates(self, class_id: int) -> dict[str, Any]:
        return _in_step(lambda _uow, training: {
            "count": len(exams.open_candidates(training, int(class_id), self.ctx.today()))})

    def finalise_results(self, class_id: int) -> dict[str, Any]:
        def run(_uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            passed, failed = exams.finalise_results(self.ctx, training, int(class_id))
            return {"passed": passed, "failed": failed}
        return _in_step(run)

    def submit_exam_archive(self, class_id: int) -> dict[str, Any]:
        def run(_uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            due = exams.submit_exam_archive(self.ctx, training, int(class_id))
            return {"issuance_due": due.isoformat() if due else ""}
        return _in_step(run)

    def record_issuance_approval(self, class_id: int, decision: str, approved_on: str,
                                 reference: str) -> dict[str, Any]:
        def run(_uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            cls = get_class(training, int(class_id), lock=True)
            if decision == "approved":
                cls.issuance_approved_on, cls.issuance_reference = _day(approved_on), (reference or "")[:100]
            return {"decision": decision}
        return _in_step(run)

    def issue_certificates(self, class_id: int) -> dict[str, Any]:
        return _in_step(lambda uow, training: {
            "issued": issuance.issue_certificates(self.ctx, uow, training, int(class_id))})

    def record_delivery(self, class_id: int, delivered_on: str, delivered_to: str) -> dict[str, Any]:
        def run(_uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            due = issuance.record_delivery(training, int(class_id), _day(delivered_on), delivered_to or "")
            return {"receipt_due": due.isoformat()}
        return _in_step(run)

    def close_receipts(self, class_id: int) -> dict[str, Any]:
        def run(_uow: UnitOfWork, training: IssuanceRepository) -> dict[str, Any]:
            issuance.close_receipts(self.ctx, training, int(class_id))
            return {"closed": True}
        return _in_step(run)


def return_summary(training: IssuanceRepository, class_id: int, number: int,
                   reasons: list[archive.ReturnReason], comment: str) -> str:
    """A short text of the return for the institution's task (the full list is on the class page)."""
    if not reasons and not comment:
        return ""
    names = {t.id: t.name for t in training.trainees(class_id)}
    labels = archive.all_item_labels()
    parts = [f"{names.get(r.trainee_id or 0, '期次')} {labels.get(r.item_key, r.item_key)}：{r.reason}"
             for r in reasons]
    text = f"第{number}轮退回。" + (comment + "。" if comment else "") + "；".join(parts)
    return text if len(text) <= SUMMARY_LIMIT else text[:SUMMARY_LIMIT - 1] + "…"


def notify_site(ctx: IssuanceContext, training: IssuanceRepository, class_id: int) -> int:
    """An in-app notification for every exam-site user of the assigned site; returns how many."""
    cls = get_class(training, class_id)
    sitting = training.sitting(class_id)
    if sitting is None:
        return 0
    institution = training.organisation(cls.institution_id)
    title = (f"考试安排：{institution.name if institution else ''}期次 {cls.class_no} 定于 "
             f"{sitting.exam_date.isoformat()} 在本考点考试，请做好考务准备")[:300]
    now, link = ctx.platform.now(), CLASS_LINK.format(class_id=class_id)
    users = training.site_user_ids(sitting.exam_site_id, SITE_ROLE)
    training.notify([{"user_id": u, "kind": "exam_scheduled", "title": title, "link": link, "task_id": None,
                      "created_at": now, "email_state": "none", "email_attempts": 0} for u in users])
    return len(users)


def register(ctx: IssuanceContext) -> None:
    """Register every adapter and submit check with the platform of ``ctx``."""
    registry = ctx.platform.runtime.services
    for name, fn in {**TrainingServices(ctx).operators(), **batches.operators()}.items():
        registry.register(name, fn)
    ctx.platform.submit_checks.update(checks(ctx))
