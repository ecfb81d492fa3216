"""The class archive (S1, A1.1–A1.3): files per trainee and per class, completeness, review rounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.rules.documents import (
    TraineeProfile,
    class_archive_items,
    eligibility_problems,
    exam_archive_items,
    missing_documents,
    trainee_required_documents,
)
from adapters.rules.idnumbers import mask_id_number
from adapters.services.issuance.context import (
    EDITABLE_STATUSES,
    IssuanceContext,
    get_class,
    reading,
    require_institution,
    require_site,
    require_status,
    unit,
    visible_class,
)
from adapters.services.platform import documents
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData, NotFound
from storage.models_issuance import ArchiveReturnItem, ArchiveRound, ClassDocument, Trainee, TraineeDocument
from storage.repositories.issuance import IssuanceRepository

CLASS_STAGE = "class_archive"
EXAM_STAGE = "exam_archive"
OTHER_ITEM = "other"


def profile_of(trainee: Trainee) -> TraineeProfile:
    return TraineeProfile(job_type=trainee.job_type, training_kind=trainee.training_kind,
                          education=trainee.education, coal_mine=trainee.coal_mine,
                          hazardous_chemicals_key_unit=trainee.hazardous_chemicals_key_unit,
                          newly_appointed=trainee.newly_appointed)


def all_item_labels() -> dict[str, str]:
    """Every archive item key a reviewer may name when returning an archive (A1.1, A1.2), with its label."""
    labels = dict(class_archive_items())
    for profile in _SAMPLE_PROFILES:
        labels.update((d.key, d.label) for d in trainee_required_documents(profile))
    labels[OTHER_ITEM] = "其他"
    return labels


# Profiles that between them need every A1.2 document, so the label list is complete without a constant.
_SAMPLE_PROFILES = (
    TraineeProfile("principal_leader", "renewal", "junior_middle", hazardous_chemicals_key_unit=True,
                   newly_appointed=True),
    TraineeProfile("principal_leader", "initial", "bachelor"),
    TraineeProfile("5.1", "initial", "high_school", coal_mine=True),
)


# -- attaching files ------------------------------------------------------------------------------
def attach_trainee_document(ctx: IssuanceContext, actor: Actor, trainee_id: int, requirement_key: str,
                            upload: documents.Upload) -> int:
    """Store a file of a trainee's A1.2 file under the requirement it satisfies; returns the document id."""
    with unit(ctx) as (_uow, training):
        trainee = training.trainee(trainee_id)
        if trainee is None:
            raise NotFound(f"学员 {trainee_id} 不存在")
        cls = get_class(training, trainee.class_id)
        require_institution(actor, cls)
        require_status(cls, EDITABLE_STATUSES, "上传学员材料")
        required = {d.key for d in trainee_required_documents(profile_of(trainee))}
        if requirement_key not in required:
            raise InvalidData({"requirement_key": f"学员{trainee.name}不需要提交“{requirement_key}”类材料"})
        instance_id = cls.instance_id
    doc_id = documents.attach(ctx.platform, ctx.objects, actor, _kind(upload, requirement_key),
                              max_bytes=ctx.upload_max_bytes, instance_id=instance_id, field="file")
    with unit(ctx) as (uow, training):
        training.add(TraineeDocument(trainee_id=trainee_id, requirement_key=requirement_key, document_id=doc_id,
                                     added_by_id=actor.user_id, added_at=ctx.platform.now()))
        uow.commit()
    return doc_id


def attach_class_document(ctx: IssuanceContext, actor: Actor, class_id: int, item_key: str,
                          upload: documents.Upload) -> int:
    """Store a class-level item: A1.1 by the institution, or A1.4 by the assigned exam site."""
    stage = _stage_of(item_key)
    with unit(ctx) as (_uow, training):
        cls = get_class(training, class_id)
        if stage == CLASS_STAGE:
            require_institution(actor, cls)
            require_status(cls, EDITABLE_STATUSES, "上传期次档案材料")
        else:
            require_site(actor, training.sitting(cls.id), cls)
            require_status(cls, ("scheduled", "examined"), "上传考试档案材料")
        instance_id = cls.instance_id
    doc_id = documents.attach(ctx.platform, ctx.objects, actor, _kind(upload, item_key),
                              max_bytes=ctx.upload_max_bytes, instance_id=instance_id, field="file")
    with unit(ctx) as (uow, training):
        training.add(ClassDocument(class_id=class_id, stage=stage, item_key=item_key, document_id=doc_id,
                                   added_by_id=actor.user_id, added_at=ctx.platform.now()))
        uow.commit()
    return doc_id


def _kind(upload: documents.Upload, key: str) -> documents.Upload:
    return documents.Upload(upload.stream, upload.filename, key)


def _stage_of(item_key: str) -> str:
    if item_key in dict(class_archive_items()):
        return CLASS_STAGE
    if item_key in dict(exam_archive_items()):
        return EXAM_STAGE
    raise InvalidData({"item_key": f"“{item_key}”不是期次档案（A1.1）或考试档案（A1.4）的项目"})


# -- completeness -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TraineeFile:
    """One trainee's A1.2 file: what is required, what is missing, and reviewer warnings."""

    trainee_id: int
    name: str
    id_number_masked: str
    required: list[tuple[str, str]]
    missing: list[tuple[str, str]]
    warnings: list[str]


@dataclass(frozen=True)
class ArchiveStatus:
    """Completeness of the class archive (A1.1 + A1.2); submission is blocked until ``complete``."""

    class_id: int
    class_missing: list[tuple[str, str]]
    trainees: list[TraineeFile] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.class_missing and all(not t.missing for t in self.trainees) and bool(self.trainees)

    def errors(self) -> dict[str, str]:
        """Exactly what is missing, one message per trainee (for the submit check and the page)."""
        errors = {}
        if not self.trainees:
            errors["trainees"] = "期次还没有学员"
        if self.class_missing:
            errors["class_archive"] = "期次档案缺少：" + "、".join(label for _, label in self.class_missing)
        for item in self.trainees:
            if item.missing:
                errors[f"trainee_{item.trainee_id}"] = (
                    f"学员{item.name}（{item.id_number_masked}）缺少：" + "、".join(label for _, label in item.missing))
        return errors


def archive_status_of(training: IssuanceRepository, class_id: int) -> ArchiveStatus:
    cls = training.training_class(class_id)
    if cls is not None and cls.exam_only:
        return ArchiveStatus(class_id, [], [])  # an exam batch has no institution archive (A1 does not apply)
    present = training.trainee_document_keys(class_id)
    files = []
    for trainee in training.trainees(class_id):
        profile = profile_of(trainee)
        required = trainee_required_documents(profile)
        missing = missing_documents(required, present.get(trainee.id, set()))
        files.append(TraineeFile(trainee.id, trainee.name, mask_id_number(trainee.id_number),
                                 [(d.key, d.label) for d in required], [(d.key, d.label) for d in missing],
                                 eligibility_problems(profile)))
    class_present = training.class_document_keys(class_id, CLASS_STAGE)
    class_missing = [(key, label) for key, label in class_archive_items() if key not in class_present]
    return ArchiveStatus(class_id, class_missing, files)


def archive_status(ctx: IssuanceContext, actor: Actor, class_id: int) -> ArchiveStatus:
    """The completeness page: per trainee exactly which A1.2 documents are missing, and the A1.1 items."""
    with reading(ctx) as (_uow, training):
        visible_class(training, actor, class_id)
        return archive_status_of(training, class_id)


# -- review rounds (run by service tasks inside the step's transaction) ------------------------------------
def submit_round(training: IssuanceRepository, class_id: int, today: dt.date, now: dt.datetime) -> ArchiveRound:
    """Record a submission of a complete archive as the next round."""
    cls = get_class(training, class_id, lock=True)
    status = archive_status_of(training, class_id)
    if not status.complete:
        raise InvalidData(status.errors(), "期次档案不完整，不能报送")
    rounds = training.rounds(class_id)
    if rounds and rounds[-1].decision == "pending":
        return rounds[-1]  # a retried step must not open a second round
    new = ArchiveRound(class_id=class_id, number=len(rounds) + 1, submitted_on=today, submitted_at=now)
    training.add(new)
    cls.status = "submitted"
    return new


@dataclass(frozen=True)
class ReturnReason:
    """One reason of a return: the item, optionally the trainee it concerns, and what to fix."""

    item_key: str
    reason: str
    trainee_id: int | None = None


def parse_return_items(training: IssuanceRepository, class_id: int,
                       rows: Sequence[Mapping[str, Any]]) -> tuple[list[ReturnReason], dict[str, str]]:
    """Turn the reviewer's table rows (trainee name or ID tail, item, reason) into reasons, or errors by cell."""
    trainees = training.trainees(class_id)
    labels = all_item_labels()
    reasons, errors = [], {}
    for index, row in enumerate(rows):
        who = str(row.get("trainee") or "").strip()
        item = str(row.get("item") or "")
        if item not in labels:
            errors[f"return_items[{index}].item"] = f"未知的档案项目“{item}”"
        trainee_id = None
        if who:
            matches = _matching_trainees(who, trainees)
            if len(matches) != 1:
                errors[f"return_items[{index}].trainee"] = (
                    f"“{who}”{'对应多名学员，请加上身份证号后四位' if matches else '不是本期次的学员'}")
            else:
                trainee_id = matches[0].id
        reasons.append(ReturnReason(item, str(row.get("reason") or "").strip(), trainee_id))
    return reasons, errors


def _matching_trainees(who: str, trainees: Sequence[Trainee]) -> list[Trainee]:
    """Trainees named by "张三", "张三1234" / "张三 1234" (ID tail) or a full ID number."""
    text = who.replace(" ", "").upper()
    return [t for t in trainees
            if text in (t.name, t.id_number) or (text.startswith(t.name) and len(text) > len(t.name)
                                                 and t.id_number.endswith(text[len(t.name):]))]


def decide_round(training: IssuanceRepository, class_id: int, decision: str, comment: str,
                 reasons: Sequence[ReturnReason], now: dt.datetime) -> ArchiveRound:
    """Record the bureau's decision on the pending round; a return keeps every reason (S1)."""
    cls = get_class(training, class_id, lock=True)
    rounds = training.rounds(class_id)
    if not rounds:
        raise InvalidData({"decision": "期次档案尚未报送"})
    current = rounds[-1]
    if current.decision != "pending":
        return current  # already decided in an earlier attempt of this step
    if decision not in ("approve", "return"):
        raise InvalidData({"decision": "审核结论应为通过或退回"})
    if decision == "return" and not reasons and not comment.strip():
        raise InvalidData({"return_items": "退回时须逐项写明退回原因"})
    current.decision = "approved" if decision == "approve" else "returned"
    current.decided_at, current.comment = now, comment.strip()
    training.add_all(ArchiveReturnItem(round_id=current.id, trainee_id=r.trainee_id, item_key=r.item_key,
                                       reason=r.reason[:500]) for r in reasons if decision == "return")
    cls.status = "returned" if decision == "return" else "approved"
    return current


@dataclass(frozen=True)
class RoundView:
    number: int
    submitted_on: dt.date
    decision: str
    decided_at: dt.datetime | None
    comment: str
    reasons: list[tuple[str, str, str]]  # (trainee name or "", item label, reason)


def archive_rounds(ctx: IssuanceContext, actor: Actor, class_id: int) -> list[RoundView]:
    """Every submission round with its decision and reasons, oldest first."""
    with reading(ctx) as (_uow, training):
        visible_class(training, actor, class_id)
        rounds = training.rounds(class_id)
        items = training.return_items([r.id for r in rounds])
        names = {t.id: t.name for t in training.trainees(class_id)}
        labels = all_item_labels()
        return [RoundView(r.number, r.submitted_on, r.decision, r.decided_at, r.comment,
                          [(names.get(i.trainee_id or 0, ""), labels.get(i.item_key, i.item_key), i.reason)
                           for i in items.get(r.id, [])]) for r in rounds]
