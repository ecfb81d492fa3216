"""Tables of the institutions family: each institution's quarterly enterprise survey (S7–S9) with one A2 form per
enterprise visited, the bureau's score of it (S8), and the 送培入企 in-enterprise training records (S10, S11).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class InstitutionSurvey(Base):
    """One institution's survey of one quarter (S7): opened by the calendar, filed by the due day (S9), scored by
    the bureau (S8); results are visible to every institution once published."""

    __tablename__ = "institution_surveys"
    __table_args__ = (UniqueConstraint("organisation_id", "year", "quarter", name="uq_institution_survey_quarter"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[dt.date] = mapped_column(Date)
    needs_analysis: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    report_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    days_late: Mapped[int | None] = mapped_column(Integer)  # calendar days after the due date; 0 = on time
    score: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[str | None] = mapped_column(String(10))  # good / fair / poor
    score_note: Mapped[str] = mapped_column(Text, default="")
    scored_on: Mapped[dt.date | None] = mapped_column(Date)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SurveyEnterpriseForm(Base):
    """One A2 survey form: one enterprise visited, its photos and the signature scan of its head or HR (S8, S9)."""

    __tablename__ = "survey_enterprise_forms"
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("institution_surveys.id"), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200))
    visit_date: Mapped[dt.date] = mapped_column(Date)
    enterprise_head: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(30))
    survey_method: Mapped[str] = mapped_column(String(30))
    surveyors: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    needs: Mapped[str] = mapped_column(Text)
    signature_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    photo_document_ids: Mapped[list[Any]] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OutreachRecord(Base):
    """One 送培入企 training inside an enterprise (S10); ``counted`` is False with ``reason`` when S11 excludes it."""

    __tablename__ = "outreach_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(10))  # online / offline / both
    course: Mapped[str] = mapped_column(String(200))
    hours: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    participants: Mapped[list[Any]] = mapped_column()  # [{"name": ..., "category": ...}]
    counted: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
