"""Quarterly surveys with their A2 forms (S7–S9) and 送培入企 records (S10, S11)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.models import Organisation
from storage.models_institutions import InstitutionSurvey, OutreachRecord, SurveyEnterpriseForm
from storage.repositories.family import FamilyRepository


class InstitutionsRepository(FamilyRepository):
    def organisations_of_kind(self, kind: str) -> Sequence[Organisation]:
        return self.session.scalars(select(Organisation).where(Organisation.kind == kind)
                                    .order_by(Organisation.code)).all()

    def survey(self, survey_id: int, *, lock: bool = False) -> InstitutionSurvey | None:
        query = select(InstitutionSurvey).where(InstitutionSurvey.id == survey_id)
        return self.session.scalars(query.with_for_update() if lock else query).first()

    def survey_of(self, organisation_id: int, year: int, quarter: int) -> InstitutionSurvey | None:
        return self.session.scalars(select(InstitutionSurvey).filter_by(
            organisation_id=organisation_id, year=year, quarter=quarter)).first()

    def surveys(self, *, year: int | None = None, quarter: int | None = None,
                organisation_id: int | None = None) -> Sequence[InstitutionSurvey]:
        query = select(InstitutionSurvey)
        if year is not None:
            query = query.where(InstitutionSurvey.year == year)
        if quarter is not None:
            query = query.where(InstitutionSurvey.quarter == quarter)
        if organisation_id is not None:
            query = query.where(InstitutionSurvey.organisation_id == organisation_id)
        return self.session.scalars(query.order_by(InstitutionSurvey.year.desc(), InstitutionSurvey.quarter.desc(),
                                                   InstitutionSurvey.organisation_id)).all()

    def forms(self, survey_id: int) -> Sequence[SurveyEnterpriseForm]:
        return self.session.scalars(select(SurveyEnterpriseForm).filter_by(survey_id=survey_id)
                                    .order_by(SurveyEnterpriseForm.id)).all()

    def outreach(self, organisation_id: int | None = None, year: int | None = None) -> Sequence[OutreachRecord]:
        query = select(OutreachRecord)
        if organisation_id is not None:
            query = query.where(OutreachRecord.organisation_id == organisation_id)
        rows = self.session.scalars(query.order_by(OutreachRecord.start_date, OutreachRecord.id)).all()
        return [r for r in rows if year is None or r.start_date.year == year]
