"""What the class pages show: class lists by role, one class with its trainees (ID numbers masked) and progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from adapters.rules.catalogue import job_type_label
from adapters.rules.documents import EDUCATION_LEVELS, TRAINING_KINDS, exam_archive_items
from adapters.rules.idnumbers import mask_id_number
from adapters.services.issuance import archive, deadlines, exams
from adapters.services.issuance.context import (
    SITE_ROLE,
    STATUS_LABELS,
    IssuanceContext,
    reading,
    visible_class,
)
from adapters.services.platform.actors import Actor
from storage.models_issuance import Trainee, TrainingClass
from storage.repositories.issuance import IssuanceRepository

RESULT_LABELS = {"pending": "待考试", "passed": "合格", "failed": "不合格"}
GENDER_LABELS = {"male": "男", "female": "女"}


@dataclass(frozen=True)
class ClassSummary:
    id: int
    class_no: str
    institution_name: str
    job_type_label: str
    training_kind_label: str
    start_date: dt.date
    end_date: dt.date
    status: str
    status_label: str
    location: str
    trainee_count: int
    instance_id: int | None
    exam_date: dt.date | None
    exam_site_name: str
    exam_only: bool = False  # an exam batch of another family: no archive, password or issuance process here


@dataclass(frozen=True)
class TraineeRow:
    id: int
    name: str
    id_number_masked: str
    gender: str
    education: str
    job_type: str
    training_kind: str
    employer: str
    result: str
    result_reason: str


def _summary(training: IssuanceRepository, cls: TrainingClass) -> ClassSummary:
    institution = training.organisation(cls.institution_id)
    sitting = training.sitting(cls.id)
    site = training.organisation(sitting.exam_site_id) if sitting else None
    return ClassSummary(cls.id, cls.class_no, institution.name if institution else "", job_type_label(cls.job_type),
                        TRAINING_KINDS.get(cls.training_kind, ""), cls.start_date, cls.end_date, cls.status,
                        STATUS_LABELS.get(cls.status, cls.status), cls.location, len(training.trainees(cls.id)),
                        cls.instance_id, sitting.exam_date if sitting else None, site.name if site else "",
                        bool(cls.exam_only))


def trainee_row(trainee: Trainee) -> TraineeRow:
    return TraineeRow(trainee.id, trainee.name, mask_id_number(trainee.id_number),
                      GENDER_LABELS.get(trainee.gender, ""), EDUCATION_LEVELS.get(trainee.education, ("", 0))[0],
                      job_type_label(trainee.job_type), TRAINING_KINDS.get(trainee.training_kind, ""),
                      trainee.employer, RESULT_LABELS.get(trainee.result, trainee.result), trainee.result_reason)


def list_classes(ctx: IssuanceContext, actor: Actor, *, status: str | None = None, limit: int = 100,
                 offset: int = 0) -> list[ClassSummary]:
    """Classes the actor works with: an exam site's assigned classes, otherwise those in the jurisdiction."""
    with reading(ctx) as (_uow, training):
        if actor.is_admin:
            found = training.classes(status=status, limit=limit, offset=offset)
        elif actor.has_role(SITE_ROLE):
            found = training.classes(exam_site_id=actor.organisation_id, status=status, limit=limit, offset=offset)
        else:
            found = training.classes(institution_ids=sorted(actor.jurisdiction), status=status, limit=limit,
                                     offset=offset)
        return [_summary(training, cls) for cls in found]


@dataclass(frozen=True)
class ClassOverview:
    """One class page: summary, trainees, archive completeness, review rounds, exam archive and deadlines."""

    summary: ClassSummary
    trainees: list[TraineeRow]
    archive: archive.ArchiveStatus
    exam_archive: exams.ExamArchiveStatus | None
    deadlines: list[deadlines.DeadlineRow]


def class_overview(ctx: IssuanceContext, actor: Actor, class_id: int) -> ClassOverview:
    with reading(ctx) as (_uow, training):
        cls = visible_class(training, actor, class_id)
        exam_status = exams.exam_archive_status_of(training, class_id) if training.sitting(class_id) else None
        summary = _summary(training, cls)
        rows = [trainee_row(t) for t in training.trainees(class_id)]
        status = archive.archive_status_of(training, class_id)
    return ClassOverview(summary, rows, status, exam_status, deadlines.class_deadlines(ctx, class_id))


@dataclass(frozen=True)
class FileRow:
    """One stored file of an archive: what it is for, and the document to link to."""

    key: str
    label: str
    document_id: int
    filename: str
    added_at: dt.datetime


def trainee_files(ctx: IssuanceContext, actor: Actor, trainee_id: int) -> list[FileRow]:
    """A trainee's A1.2 file, oldest first (a replaced copy stays listed; the newest is the one that counts)."""
    with reading(ctx) as (_uow, training):
        trainee = training.trainee(trainee_id)
        if trainee is None:
            return []
        visible_class(training, actor, trainee.class_id)
        labels = archive.all_item_labels()
        return [FileRow(link.requirement_key, labels.get(link.requirement_key, link.requirement_key), doc.id,
                        doc.filename, link.added_at) for link, doc in training.trainee_documents(trainee_id)]


def class_files(ctx: IssuanceContext, actor: Actor, class_id: int, stage: str = archive.CLASS_STAGE) -> list[FileRow]:
    """The class-level files of the class archive (A1.1) or of the exam archive (A1.4, ``stage="exam_archive"``)."""
    with reading(ctx) as (_uow, training):
        visible_class(training, actor, class_id)
        labels = {**archive.all_item_labels(), **dict(exam_archive_items())}
        return [FileRow(link.item_key, labels.get(link.item_key, link.item_key), doc.id, doc.filename,
                        link.added_at) for link, doc in training.class_documents(class_id, stage)]
