"""Tables of the enterprises family: enterprise records (生产经营单位), suspension cases and their full-staff rosters
(S5), team-leader applications and imported team-leader certificates (S4), rescue-team member courses (S6).

Exam sittings themselves are classes of the issuance family (``training_classes``), examined on ``exam_with_resit``;
these tables keep only the link (``class_id``) and each person's resolved result.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class EnterpriseRecord(Base):
    """The record of one enterprise organisation; level and industry stay on the organisation (routing uses them)."""

    __tablename__ = "enterprise_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    industry_code: Mapped[str] = mapped_column(String(30))
    # The county bureau the enterprise lies in; it supervises when the level is "county".
    county_bureau_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    staff_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SuspensionCase(Base):
    """A suspension order (停产整顿) of a high-risk enterprise and the full-staff exam before resumption (S5)."""

    __tablename__ = "suspension_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    cause: Mapped[str] = mapped_column(String(20))  # fatal_accident, major_hazard
    order_no: Mapped[str] = mapped_column(String(60))
    order_date: Mapped[dt.date] = mapped_column(Date)
    order_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    status: Mapped[str] = mapped_column(String(20), default="suspended", index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    roster_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    sittings: Mapped[int] = mapped_column(Integer, default=0)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decision_note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SuspensionPerson(Base):
    """One person of a suspended enterprise's full staff roster and where they stand (S5)."""

    __tablename__ = "suspension_people"
    __table_args__ = (UniqueConstraint("case_id", "id_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("suspension_cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))
    post: Mapped[str] = mapped_column(String(60), default="")
    result: Mapped[str] = mapped_column(String(10), default="pending")  # pending, passed, failed, removed
    result_reason: Mapped[str] = mapped_column(String(300), default="")
    last_class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    removal_reason: Mapped[str] = mapped_column(String(300), default="")
    removal_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    removed_by: Mapped[str | None] = mapped_column(String(60))
    removed_at: Mapped[dt.datetime | None] = mapped_column()


class SuspensionSitting(Base):
    """One exam sitting of a case: the exam-only class it was examined in."""

    __tablename__ = "suspension_sittings"
    __table_args__ = (UniqueConstraint("case_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("suspension_cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"))
    exam_date: Mapped[dt.date] = mapped_column(Date)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    passed: Mapped[int | None] = mapped_column(Integer)


class TeamLeaderApplication(Base):
    """Initial certification (初训领证) or renewal (复训换证) of an enterprise's team leaders (S4)."""

    __tablename__ = "team_leader_applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # initial, renewal
    status: Mapped[str] = mapped_column(String(20), default="applied")
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id"))
    created_by: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TeamLeaderApplicant(Base):
    """A person of an application; a renewal names the current certificate it replaces."""

    __tablename__ = "team_leader_applicants"
    __table_args__ = (UniqueConstraint("application_id", "id_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("team_leader_applications.id", ondelete="CASCADE"),
                                                index=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))
    previous_number: Mapped[str] = mapped_column(String(40), default="")
    new_number: Mapped[str] = mapped_column(String(40), default="")


class ImportedTeamLeaderCertificate(Base):
    """A team-leader e-certificate issued before the platform; valid until it expires (S4)."""

    __tablename__ = "imported_team_leader_certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    holder_name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    issuing_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    imported_by: Mapped[str] = mapped_column(String(60), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RescueCourse(Base):
    """Training and exam of part-time mine rescue team members (S6): rescue team and exam centre together."""

    __tablename__ = "rescue_courses"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="training")
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RescueMember(Base):
    __tablename__ = "rescue_members"
    __table_args__ = (UniqueConstraint("course_id", "id_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("rescue_courses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    practical_score: Mapped[float | None] = mapped_column(Float)
    theory_result: Mapped[str] = mapped_column(String(10), default="pending")
