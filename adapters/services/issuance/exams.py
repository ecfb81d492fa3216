"""Exam scheduling, the end of the exam day (results final, S3) and the exam site's archive (S2, A1.4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.render.xlsx import score_summary_xlsx
from adapters.rules.catalogue import job_type_label
from adapters.rules.documents import TRAINING_KINDS, exam_archive_items
from adapters.services.issuance.archive import EXAM_STAGE
from adapters.services.issuance.context import (
    IssuanceContext,
    city_bureau_of,
    get_class,
    reading,
    repo,
    require_status,
    unit,
    visible_class,
)
from adapters.services.issuance.deadlines import close_deadline, open_deadline
from adapters.services.issuance.reference import Reference
from adapters.services.issuance.scores import CELLS, candidate_outcome, cell_name, has_practical, sheet_of
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData
from storage.models import Organisation
from storage.models_issuance import ExamSitting
from storage.repositories.issuance import IssuanceRepository
from storage.uow import UnitOfWork

SITE_KIND = "exam_site"


# -- scheduling --------------------------------------------------------------------------------------
def find_exam_site(uow: UnitOfWork, code: str) -> Organisation | None:
    org = uow.directory.organisation_by_code(code.strip())
    return org if org is not None and org.kind == SITE_KIND and org.active else None


def schedule_problems(ctx: IssuanceContext, uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
    """Why the bureau's exam assignment cannot be accepted (site code, exam day, calendar)."""
    errors = {}
    code = str(data.get("exam_site_code") or "")
    if find_exam_site(uow, code) is None:
        errors["exam_site_code"] = f"“{code}”不是有效的考点机构代码"
    try:
        day = dt.date.fromisoformat(str(data.get("exam_date") or ""))
    except ValueError:
        return {**errors, "exam_date": "请填写考试日期"}
    if day < ctx.today():
        errors["exam_date"] = "考试日期不能早于今天"
    else:
        ref = Reference(repo(uow))
        try:
            ref.add_working_days(day, int(ref.rule("exam_archive_due_working_days", day)), field="exam_date")
            ref.rule("exam_pass_mark", day)
        except InvalidData as err:
            errors["exam_date"] = "；".join(err.errors.values())
    return errors


def schedule_exam(ctx: IssuanceContext, uow: UnitOfWork, training: IssuanceRepository, class_id: int,
                  exam_site_code: str, exam_date: dt.date) -> ExamSitting:
    """Assign site and day, fix the pass mark in force that day, and open the exam-archive deadline (S2)."""
    cls = get_class(training, class_id, lock=True)
    site = find_exam_site(uow, exam_site_code)
    if site is None:
        raise InvalidData({"exam_site_code": f"“{exam_site_code}”不是有效的考点机构代码"})
    sitting = training.sitting(class_id)
    pass_mark = int(Reference(training).rule("exam_pass_mark", exam_date))
    if sitting is None:
        sitting = ExamSitting(class_id=class_id, exam_site_id=site.id, exam_date=exam_date, pass_mark=pass_mark,
                              scheduled_at=ctx.platform.now())
        training.add(sitting)
    elif not training.attempts(sitting.id):
        sitting.exam_site_id, sitting.exam_date, sitting.pass_mark = site.id, exam_date, pass_mark
    open_deadline(training, cls, "exam_archive", site.id, exam_date)
    cls.status = "scheduled"
    return sitting


# -- the exam day ------------------------------------------------------------------------------------
def main_scores_problems(training: IssuanceRepository, class_id: int, today: dt.date) -> dict[str, str]:
    """Candidates still missing a main score (theory for all; practical for those who passed theory)."""
    sheet = sheet_of(training, class_id, today)
    errors = {}
    for row in sheet.rows:
        missing = []
        if row.cells.get("theory_main") is None:
            missing.append("理论正考")
        theory = row.cells.get("theory_main")
        theory_passed = isinstance(theory, float) and theory >= sheet.pass_mark
        if row.practical and theory_passed and row.cells.get("practical_main") is None:
            missing.append("实操正考")
        if missing:
            errors[f"trainee_{row.trainee_id}"] = (f"{row.name}（{row.id_number_masked}）尚缺{'、'.join(missing)}成绩"
                                                   "（缺考请填“缺考”）")
    return errors


def open_candidates(training: IssuanceRepository, class_id: int, today: dt.date) -> dict[str, str]:
    """Candidates whose result is still open on the exam day (a resit is allowed or a part is pending)."""
    sheet = sheet_of(training, class_id, today)
    return {f"trainee_{row.trainee_id}": f"{row.name}（{row.id_number_masked}）：{'；'.join(row.reasons)}"
            for row in sheet.rows if row.status in ("pending", "resit_allowed")}


def finalise_results(ctx: IssuanceContext, training: IssuanceRepository, class_id: int) -> tuple[int, int]:
    """Close the exam day: every candidate passed or failed (a missing resit is final), trainees updated."""
    cls = get_class(training, class_id, lock=True)
    # Results are decided once, on a scheduled exam; a finished class is never re-examined by a stray process.
    require_status(cls, ("scheduled",), "确定考试成绩")
    sitting = training.sitting(class_id)
    if sitting is None:
        raise InvalidData({"exam": f"期次 {cls.class_no} 尚未安排考试"})
    records: dict[int, list[Any]] = {}
    for record in training.attempts(sitting.id):
        records.setdefault(record.trainee_id, []).append(record)
    passed = failed = 0
    for trainee in training.trainees(class_id):
        outcome = candidate_outcome(records.get(trainee.id, []), sitting, closed=True,
                                    practical=has_practical(trainee.job_type))
        trainee.result = "passed" if outcome.status == "passed" else "failed"
        trainee.result_reason = "；".join(outcome.reasons)[:300]
        passed += trainee.result == "passed"
        failed += trainee.result == "failed"
    if sitting.results_final_at is None:
        sitting.results_final_at = ctx.platform.now()
    cls.status = "examined"
    return passed, failed


def score_summary(ctx: IssuanceContext, actor: Actor, class_id: int) -> bytes:
    """The A1.4(3) score summary as xlsx, generated from the recorded scores, for signing and scanning."""
    with unit(ctx) as (uow, training):
        cls = visible_class(training, actor, class_id)
        sheet = sheet_of(training, class_id, ctx.today())
        sitting = training.sitting(class_id)
        assert sitting is not None  # sheet_of refuses a class without a sitting
        institution = training.organisation(cls.institution_id)
        site = training.organisation(sitting.exam_site_id)
        numbers = {t.id: t.id_number for t in training.trainees(class_id)}
        info = {"institution_name": institution.name if institution else "", "class_no": cls.class_no,
                "job_type_label": job_type_label(cls.job_type),
                "training_kind_label": TRAINING_KINDS[cls.training_kind],
                "exam_site_name": site.name if site else "", "exam_date": sitting.exam_date}
        rows = [{"name": row.name, "id_number": numbers[row.trainee_id],
                 **{cell_name(p, k): row.cells.get(cell_name(p, k)) for p, k in CELLS},
                 "passed": {"passed": True, "failed": False}.get(row.status)} for row in sheet.rows]
        uow.audit.record("exam.summary.generate", user_id=actor.user_id, username=actor.username,
                         entity="training_class", entity_id=cls.id)
        uow.commit()
    return score_summary_xlsx(info, rows)


# -- the exam site's archive (A1.4) ---------------------------------------------------------------------
@dataclass(frozen=True)
class ExamArchiveStatus:
    required: list[tuple[str, str]]
    missing: list[tuple[str, str]]
    not_required: list[tuple[str, str]]

    @property
    def complete(self) -> bool:
        return not self.missing

    def errors(self) -> dict[str, str]:
        if not self.missing:
            return {}
        return {"exam_archive": "考试档案缺少：" + "、".join(label for _, label in self.missing)}


def exam_archive_status_of(training: IssuanceRepository, class_id: int) -> ExamArchiveStatus:
    """A1.4 items; a resit record (or the practical record) is needed only if that session took place."""
    sitting = training.sitting(class_id)
    records = training.attempts(sitting.id) if sitting else []
    held = {"theory_main_record": True, "score_summary": True, "exam_plan": True,
            "practical_main_record": any(r.part == "practical" for r in records),
            "theory_resit_record": any(r.part == "theory" and r.kind == "resit" and not r.absent for r in records),
            "practical_resit_record": any(r.part == "practical" and r.kind == "resit" and not r.absent
                                          for r in records)}
    present = training.class_document_keys(class_id, EXAM_STAGE)
    items = exam_archive_items()
    required = [(k, label) for k, label in items if held[k]]
    return ExamArchiveStatus(required, [(k, label) for k, label in required if k not in present],
                             [(k, label) for k, label in items if not held[k]])


def exam_archive_status(ctx: IssuanceContext, actor: Actor, class_id: int) -> ExamArchiveStatus:
    with reading(ctx) as (_uow, training):
        visible_class(training, actor, class_id)
        return exam_archive_status_of(training, class_id)


def submit_exam_archive(ctx: IssuanceContext, training: IssuanceRepository, class_id: int) -> dt.date | None:
    """Record the exam archive (S2, A1.4) and open the bureau's issuance and delivery deadlines."""
    cls = get_class(training, class_id, lock=True)
    status = exam_archive_status_of(training, class_id)
    if not status.complete:
        raise InvalidData(status.errors(), "考试档案不完整，不能报送")
    today = ctx.today()
    close_deadline(training, class_id, "exam_archive", today)
    if not any(t.result == "passed" for t in training.trainees(class_id)):
        cls.status = "no_passers"  # nothing to issue: the issuance deadlines never start
        return None
    bureau = city_bureau_of(training, cls.institution_id)
    bureau_id = bureau.id if bureau else cls.issuing_organisation_id
    issuance = open_deadline(training, cls, "issuance", bureau_id, today)
    open_deadline(training, cls, "delivery", bureau_id, today)
    cls.status = "exam_archived"
    return issuance.due_date
