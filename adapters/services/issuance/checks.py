"""Submit checks the training forms name in their ``checks`` list: (unit of work, task data + submitted values)
→ errors by key; a non-empty result refuses the submission with exactly these messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from adapters.services.issuance import archive, exams, issuance, passwords
from adapters.services.issuance.context import IssuanceContext, repo
from adapters.services.issuance.scores import sheet_of
from storage.uow import UnitOfWork

Check = Callable[[UnitOfWork, Mapping[str, Any]], dict[str, str]]


def _class_id(data: Mapping[str, Any]) -> int:
    return int(data["class_id"])


def archive_complete(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
    """S1 / A1.1–A1.2: every class item and every trainee's required documents are on file."""
    return archive.archive_status_of(repo(uow), _class_id(data)).errors()


def review_valid(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
    """A return names at least one item, and every named trainee is one of the class."""
    if data.get("decision") != "return":
        return {}
    rows = data.get("return_items") or []
    _reasons, errors = archive.parse_return_items(repo(uow), _class_id(data), rows)
    if not rows:
        errors["return_items"] = "退回时请逐项列出需要补正的材料及原因"
    return errors


def password_recorded(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
    return passwords.password_problems(repo(uow), _class_id(data))


def exam_archive_complete(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
    """A1.4: the exam plan, the records of the sessions held and the signed score summary."""
    return exams.exam_archive_status_of(repo(uow), _class_id(data)).errors()


def receipts_complete(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
    return issuance.receipt_problems(repo(uow), _class_id(data))


def checks(ctx: IssuanceContext) -> dict[str, Check]:
    """Check name (as the forms name them) → check; those needing today's date close over the context."""

    def schedule_valid(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
        return exams.schedule_problems(ctx, uow, data)

    def main_scores_complete(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
        return exams.main_scores_problems(repo(uow), _class_id(data), ctx.today())

    def resit_scores_complete(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
        training = repo(uow)
        if ctx.today() > sheet_of(training, _class_id(data), ctx.today()).exam_date:
            return {}  # the exam day is over: resits still open are final failures (S3)
        return exams.open_candidates(training, _class_id(data), ctx.today())

    def issuance_ready(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
        if data.get("issuance_decision") != "approved":
            return {}
        return issuance.issuance_problems(ctx, repo(uow), _class_id(data))

    return {
        "issuance_archive_complete": archive_complete, "issuance_review_valid": review_valid,
        "issuance_exam_password_recorded": password_recorded, "issuance_exam_schedule_valid": schedule_valid,
        "exam_main_scores_complete": main_scores_complete, "exam_resit_scores_complete": resit_scores_complete,
        "exam_archive_complete": exam_archive_complete, "issuance_ready": issuance_ready,
        "issuance_receipts_complete": receipts_complete,
    }
