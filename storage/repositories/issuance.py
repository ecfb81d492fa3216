"""Classes, trainees and their files, review rounds, exams, certificates, deadlines and exam passwords."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models import CalendarDay, Document, Notification, Organisation, Role, RuleValue, User, utcnow
from storage.models_issuance import (
    ArchiveReturnItem,
    ArchiveRound,
    Certificate,
    ClassDocument,
    DeadlineRecord,
    ExamAttemptRecord,
    ExamPassword,
    ExamSitting,
    Trainee,
    TraineeDocument,
    TrainingClass,
)
from storage.repositories.family import FamilyRepository

# No scrypt hash ever equals this, so the account cannot sign in.
UNUSABLE_PASSWORD = "!"  # noqa: S105


class IssuanceRepository(FamilyRepository):
    # -- reference data read in the caller's transaction ------------------------------------------
    def calendar_days(self, first_year: int, last_year: int) -> dict[dt.date, bool]:
        query = select(CalendarDay.day, CalendarDay.is_workday).where(
            CalendarDay.day >= dt.date(first_year, 1, 1), CalendarDay.day <= dt.date(last_year, 12, 31))
        return {day: bool(workday) for day, workday in self.session.execute(query)}

    def rule_values(self) -> Sequence[RuleValue]:
        return self.session.scalars(select(RuleValue).order_by(RuleValue.key, RuleValue.effective_from)).all()

    # -- classes and trainees -------------------------------------------------------------------
    def training_class(self, class_id: int, *, lock: bool = False) -> TrainingClass | None:
        if not lock:
            return self.session.get(TrainingClass, class_id)
        query = select(TrainingClass).where(TrainingClass.id == class_id).with_for_update()
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def class_by_number(self, institution_id: int, class_no: str) -> TrainingClass | None:
        query = select(TrainingClass).where(TrainingClass.institution_id == institution_id,
                                            TrainingClass.class_no == class_no)
        return self.session.scalars(query).first()

    def classes(self, *, institution_ids: Sequence[int] | None = None, exam_site_id: int | None = None,
                status: str | None = None, limit: int = 100, offset: int = 0) -> Sequence[TrainingClass]:
        query = select(TrainingClass)
        if institution_ids is not None:
            query = query.where(TrainingClass.institution_id.in_(list(institution_ids)))
        if exam_site_id is not None:
            query = query.join(ExamSitting, ExamSitting.class_id == TrainingClass.id).where(
                ExamSitting.exam_site_id == exam_site_id)
        if status:
            query = query.where(TrainingClass.status == status)
        query = query.order_by(TrainingClass.end_date.desc(), TrainingClass.id.desc()).limit(limit).offset(offset)
        return self.session.scalars(query).all()

    def trainees(self, class_id: int) -> Sequence[Trainee]:
        query = select(Trainee).where(Trainee.class_id == class_id).order_by(Trainee.id)
        return self.session.scalars(query).all()

    def trainee(self, trainee_id: int) -> Trainee | None:
        return self.session.get(Trainee, trainee_id)

    # -- documents ------------------------------------------------------------------------------
    def trainee_document_keys(self, class_id: int) -> dict[int, set[str]]:
        """Trainee id → requirement keys that have at least one document."""
        query = (select(TraineeDocument.trainee_id, TraineeDocument.requirement_key)
                 .join(Trainee, Trainee.id == TraineeDocument.trainee_id).where(Trainee.class_id == class_id))
        keys: dict[int, set[str]] = defaultdict(set)
        for trainee_id, key in self.session.execute(query):
            keys[trainee_id].add(key)
        return keys

    def trainee_documents(self, trainee_id: int) -> Sequence[tuple[TraineeDocument, Document]]:
        query = (select(TraineeDocument, Document).join(Document, Document.id == TraineeDocument.document_id)
                 .where(TraineeDocument.trainee_id == trainee_id).order_by(TraineeDocument.id))
        return [(link, doc) for link, doc in self.session.execute(query)]

    def class_document_keys(self, class_id: int, stage: str) -> set[str]:
        query = select(ClassDocument.item_key).where(ClassDocument.class_id == class_id, ClassDocument.stage == stage)
        return set(self.session.scalars(query))

    def class_documents(self, class_id: int, stage: str) -> Sequence[tuple[ClassDocument, Document]]:
        query = (select(ClassDocument, Document).join(Document, Document.id == ClassDocument.document_id)
                 .where(ClassDocument.class_id == class_id, ClassDocument.stage == stage)
                 .order_by(ClassDocument.id))
        return [(link, doc) for link, doc in self.session.execute(query)]

    def document(self, document_id: int) -> Document | None:
        return self.session.get(Document, document_id)

    # -- review rounds --------------------------------------------------------------------------
    def rounds(self, class_id: int) -> Sequence[ArchiveRound]:
        query = select(ArchiveRound).where(ArchiveRound.class_id == class_id).order_by(ArchiveRound.number)
        return self.session.scalars(query).all()

    def return_items(self, round_ids: Sequence[int]) -> dict[int, list[ArchiveReturnItem]]:
        items: dict[int, list[ArchiveReturnItem]] = defaultdict(list)
        if not round_ids:
            return items
        query = select(ArchiveReturnItem).where(ArchiveReturnItem.round_id.in_(list(round_ids)))
        for item in self.session.scalars(query.order_by(ArchiveReturnItem.id)):
            items[item.round_id].append(item)
        return items

    # -- exams ----------------------------------------------------------------------------------
    def sitting(self, class_id: int) -> ExamSitting | None:
        return self.session.scalars(select(ExamSitting).where(ExamSitting.class_id == class_id)).first()

    def attempts(self, sitting_id: int) -> Sequence[ExamAttemptRecord]:
        query = select(ExamAttemptRecord).where(ExamAttemptRecord.sitting_id == sitting_id)
        return self.session.scalars(query.order_by(ExamAttemptRecord.id)).all()

    def exam_password(self, class_id: int) -> ExamPassword | None:
        return self.session.scalars(select(ExamPassword).where(ExamPassword.class_id == class_id)).first()

    # -- certificates ---------------------------------------------------------------------------
    def certificates(self, class_id: int) -> Sequence[Certificate]:
        query = select(Certificate).where(Certificate.class_id == class_id).order_by(Certificate.id)
        return self.session.scalars(query).all()

    def certificate_by_code(self, verify_code: str) -> Certificate | None:
        return self.session.scalars(select(Certificate).where(Certificate.verify_code == verify_code)).first()

    def certificate(self, certificate_id: int, *, lock: bool = False) -> Certificate | None:
        if not lock:
            return self.session.get(Certificate, certificate_id)
        query = select(Certificate).where(Certificate.id == certificate_id).with_for_update()
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def certificates_of_holder(self, id_number: str, job_type: str) -> Sequence[Certificate]:
        """A holder's certificates of one job type, newest first (renewals look up the current one)."""
        query = select(Certificate).where(Certificate.id_number == id_number, Certificate.job_type == job_type)
        return self.session.scalars(query.order_by(Certificate.issue_date.desc(), Certificate.id.desc())).all()

    def certificates_without_pdf(self, class_id: int | None = None) -> Sequence[Certificate]:
        query = select(Certificate).where(Certificate.document_id.is_(None))
        if class_id is not None:
            query = query.where(Certificate.class_id == class_id)
        return self.session.scalars(query.order_by(Certificate.id)).all()

    # -- deadlines ------------------------------------------------------------------------------
    def deadline(self, class_id: int, kind: str) -> DeadlineRecord | None:
        query = select(DeadlineRecord).where(DeadlineRecord.class_id == class_id, DeadlineRecord.kind == kind)
        return self.session.scalars(query).first()

    def deadlines(self, class_id: int) -> Sequence[DeadlineRecord]:
        query = select(DeadlineRecord).where(DeadlineRecord.class_id == class_id).order_by(DeadlineRecord.due_date)
        return self.session.scalars(query).all()

    def deadline_report(self, *, organisation_ids: Sequence[int] | None, kinds: Sequence[str] | None,
                        due_from: dt.date | None, due_to: dt.date | None,
                        limit: int = 5000) -> Sequence[tuple[DeadlineRecord, TrainingClass, Organisation]]:
        """Deadline records with their class and responsible organisation, oldest due date first."""
        query = (select(DeadlineRecord, TrainingClass, Organisation)
                 .join(TrainingClass, TrainingClass.id == DeadlineRecord.class_id)
                 .join(Organisation, Organisation.id == DeadlineRecord.organisation_id))
        if organisation_ids is not None:
            query = query.where(DeadlineRecord.organisation_id.in_(list(organisation_ids)))
        if kinds:
            query = query.where(DeadlineRecord.kind.in_(list(kinds)))
        if due_from is not None:
            query = query.where(DeadlineRecord.due_date >= due_from)
        if due_to is not None:
            query = query.where(DeadlineRecord.due_date <= due_to)
        query = query.order_by(DeadlineRecord.due_date, DeadlineRecord.id).limit(limit)
        return [(d, c, o) for d, c, o in self.session.execute(query)]

    # -- the account generated files are attributed to ---------------------------------------------
    def ensure_user(self, username: str, display_name: str, organisation_id: int) -> int:
        """Id of an inactive account that cannot sign in, created on first use (safe when two steps race)."""
        insert = pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        self.session.execute(insert(User).values(
            username=username, display_name=display_name, password_hash=UNUSABLE_PASSWORD,
            organisation_id=organisation_id, active=False, is_admin=False, failed_logins=0, language="zh",
            created_at=utcnow(),
        ).on_conflict_do_nothing(index_elements=["username"]))
        return int(self.session.scalars(select(User.id).where(User.username == username)).one())

    # -- notifications --------------------------------------------------------------------------
    def site_user_ids(self, organisation_id: int, role_key: str) -> list[int]:
        query = (select(User.id).join(User.roles).where(Role.key == role_key, User.active.is_(True),
                                                        User.organisation_id == organisation_id))
        return list(self.session.scalars(query))

    def notify(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.session.execute(insert(Notification), [dict(row) for row in rows])
