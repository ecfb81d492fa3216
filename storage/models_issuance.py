"""Domain tables of the measure: classes (期次), trainees and their files, archive review rounds, exam sittings
and attempts (S3), certificates (S2, S4), deadline records (S1, S2) and exam passwords."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models import Base, utcnow


class TrainingClass(Base):
    """One class period (期次) of an institution: 机构 × 工种 × 初/复训 × period."""

    __tablename__ = "training_classes"
    __table_args__ = (UniqueConstraint("institution_id", "class_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    class_no: Mapped[str] = mapped_column(String(40))
    institution_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The bureau that examines and numbers (S4: the city, or a county for the enterprises it supervises).
    issuing_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    job_type: Mapped[str] = mapped_column(String(20))
    training_kind: Mapped[str] = mapped_column(String(10))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # An exam batch of another family (S4–S6 through ``exam.open_batch``): examined here, no institution archive.
    exam_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    status: Mapped[str] = mapped_column(String(20), default="registered", index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    issuance_approved_on: Mapped[dt.date | None] = mapped_column(Date)
    issuance_reference: Mapped[str | None] = mapped_column(String(100))
    delivered_on: Mapped[dt.date | None] = mapped_column(Date)
    delivered_to: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    trainees: Mapped[list[Trainee]] = relationship(back_populates="training_class", lazy="raise",
                                                   order_by="Trainee.id")


class Trainee(Base):
    """A trainee of one class; the ID number is sensitive personal information (mask it in lists)."""

    __tablename__ = "trainees"
    __table_args__ = (UniqueConstraint("class_id", "id_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    gender: Mapped[str] = mapped_column(String(6), default="")
    mobile: Mapped[str] = mapped_column(String(11), default="")
    education: Mapped[str] = mapped_column(String(30))
    job_type: Mapped[str] = mapped_column(String(20))
    training_kind: Mapped[str] = mapped_column(String(10))
    coal_mine: Mapped[bool] = mapped_column(Boolean, default=False)
    hazardous_chemicals_key_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    newly_appointed: Mapped[bool] = mapped_column(Boolean, default=False)
    employer: Mapped[str] = mapped_column(String(100), default="")
    result: Mapped[str] = mapped_column(String(10), default="pending")  # pending, passed, failed
    result_reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    training_class: Mapped[TrainingClass] = relationship(back_populates="trainees", lazy="raise")


class TraineeDocument(Base):
    """A document in a trainee's file (A1.2), filed under the requirement it satisfies."""

    __tablename__ = "trainee_documents"
    __table_args__ = (Index("ix_trainee_documents_key", "trainee_id", "requirement_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    requirement_key: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ClassDocument(Base):
    """A class-level archive item: the institution's A1.1 items or the exam site's A1.4 items."""

    __tablename__ = "class_documents"
    __table_args__ = (Index("ix_class_documents_item", "class_id", "stage", "item_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))  # class_archive (A1.1) or exam_archive (A1.4)
    item_key: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ArchiveRound(Base):
    """One submission of the class archive and the bureau's decision on it; every round is kept (S1)."""

    __tablename__ = "archive_rounds"
    __table_args__ = (UniqueConstraint("class_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decision: Mapped[str] = mapped_column(String(10), default="pending")  # pending, approved, returned
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")


class ArchiveReturnItem(Base):
    """One reason of a returned round: which item (of the class or of one trainee) and what to fix."""

    __tablename__ = "archive_return_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("archive_rounds.id", ondelete="CASCADE"), index=True)
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(500))


class ExamSitting(Base):
    """The exam of one class: site, day and the pass mark in force that day."""

    __tablename__ = "exam_sittings"
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), unique=True)
    exam_site_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    exam_date: Mapped[dt.date] = mapped_column(Date)
    pass_mark: Mapped[int] = mapped_column(Integer)
    scheduled_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    results_final_at: Mapped[dt.datetime | None] = mapped_column()


class ExamAttemptRecord(Base):
    """One recorded score; the unique key makes a second main or a second resit impossible (S3)."""

    __tablename__ = "exam_attempts"
    __table_args__ = (UniqueConstraint("trainee_id", "part", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("exam_sittings.id", ondelete="CASCADE"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    part: Mapped[str] = mapped_column(String(10))  # theory, practical
    kind: Mapped[str] = mapped_column(String(6))  # main, resit
    score: Mapped[float | None] = mapped_column(Float)  # None when absent (缺考)
    absent: Mapped[bool] = mapped_column(Boolean, default=False)
    taken_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(60), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Certificate(Base):
    """An issued certificate (S2); the PDF is a document in the object store."""

    __tablename__ = "certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), unique=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    job_type: Mapped[str] = mapped_column(String(20))
    training_kind: Mapped[str] = mapped_column(String(10))
    issuing_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    review_due: Mapped[dt.date | None] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    verify_code: Mapped[str] = mapped_column(String(32), unique=True)
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    received_note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DeadlineRecord(Base):
    """One deadline of a class (S1, S2): due date, the day it was met and the working days late."""

    __tablename__ = "deadline_records"
    __table_args__ = (UniqueConstraint("class_id", "kind"), Index("ix_deadlines_org_kind", "organisation_id", "kind"))
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"))
    # class_archive (S1), exam_archive (S2), issuance (S2), delivery (S2), receipt (S2)
    kind: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    due_date: Mapped[dt.date] = mapped_column(Date)
    done_date: Mapped[dt.date | None] = mapped_column(Date)
    working_days_late: Mapped[int | None] = mapped_column(Integer)


class ExamPassword(Base):
    """The provincial exam password of a class: request, answer; shown only to the site on the exam day."""

    __tablename__ = "exam_passwords"
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), unique=True)
    requested_on: Mapped[dt.date] = mapped_column(Date)
    request_reference: Mapped[str] = mapped_column(String(100), default="")
    password: Mapped[str | None] = mapped_column(String(100))
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    answered_by: Mapped[str | None] = mapped_column(String(60))
