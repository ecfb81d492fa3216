"""Enterprise records, suspension cases and rosters (S5), team-leader applications and imported certificates (S4),
rescue-team courses (S6)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from storage.models import HumanTask, Organisation, User
from storage.models_enterprises import (
    EnterpriseRecord,
    ImportedTeamLeaderCertificate,
    RescueCourse,
    RescueMember,
    SuspensionCase,
    SuspensionPerson,
    SuspensionSitting,
    TeamLeaderApplicant,
    TeamLeaderApplication,
)
from storage.repositories.family import FamilyRepository


class EnterprisesRepository(FamilyRepository):
    # -- organisations ----------------------------------------------------------------------------
    def organisations_of_kind(self, *kinds: str) -> Sequence[Organisation]:
        query = select(Organisation).where(Organisation.kind.in_(kinds), Organisation.active.is_(True))
        return self.session.scalars(query.order_by(Organisation.code)).all()

    def organisation_by_name(self, name: str) -> Organisation | None:
        return self.session.scalars(select(Organisation).where(Organisation.name == name)).first()

    def user(self, user_id: int | None) -> User | None:
        return self.session.get(User, user_id) if user_id else None

    # -- enterprise records -------------------------------------------------------------------------
    def record(self, organisation_id: int) -> EnterpriseRecord | None:
        query = select(EnterpriseRecord).where(EnterpriseRecord.organisation_id == organisation_id)
        return self.session.scalars(query).first()

    def record_by_credit_code(self, code: str) -> EnterpriseRecord | None:
        query = select(EnterpriseRecord).where(EnterpriseRecord.credit_code == code)
        return self.session.scalars(query).first()

    def enterprises(self, organisation_ids: Sequence[int] | None) -> Sequence[tuple[Organisation, EnterpriseRecord]]:
        query = select(Organisation, EnterpriseRecord).join(
            EnterpriseRecord, EnterpriseRecord.organisation_id == Organisation.id)
        if organisation_ids is not None:
            query = query.where(Organisation.id.in_(organisation_ids))
        return [(o, r) for o, r in self.session.execute(query.order_by(Organisation.name)).all()]

    # -- suspension cases (S5) --------------------------------------------------------------------
    def case(self, case_id: int, *, lock: bool = False) -> SuspensionCase | None:
        if not lock:
            return self.session.get(SuspensionCase, case_id)
        query = select(SuspensionCase).where(SuspensionCase.id == case_id).with_for_update()
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def cases(self, *, enterprise_ids: Sequence[int] | None = None, status: str = "") -> Sequence[SuspensionCase]:
        query = select(SuspensionCase)
        if enterprise_ids is not None:
            query = query.where(SuspensionCase.enterprise_id.in_(enterprise_ids))
        if status:
            query = query.where(SuspensionCase.status == status)
        return self.session.scalars(query.order_by(SuspensionCase.id.desc())).all()

    def case_by_instance(self, instance_id: int) -> SuspensionCase | None:
        return self.session.scalars(select(SuspensionCase).where(SuspensionCase.instance_id == instance_id)).first()

    def open_case_of(self, enterprise_id: int) -> SuspensionCase | None:
        query = select(SuspensionCase).where(SuspensionCase.enterprise_id == enterprise_id,
                                             SuspensionCase.status != "resumed")
        return self.session.scalars(query).first()

    def people(self, case_id: int) -> Sequence[SuspensionPerson]:
        query = select(SuspensionPerson).where(SuspensionPerson.case_id == case_id).order_by(SuspensionPerson.id)
        return self.session.scalars(query).all()

    def person(self, person_id: int) -> SuspensionPerson | None:
        return self.session.get(SuspensionPerson, person_id)

    def result_counts(self, case_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        query = (select(SuspensionPerson.case_id, SuspensionPerson.result, func.count())
                 .where(SuspensionPerson.case_id.in_(case_ids))
                 .group_by(SuspensionPerson.case_id, SuspensionPerson.result))
        counts: dict[int, dict[str, int]] = {}
        for case_id, result, count in self.session.execute(query).all():
            counts.setdefault(case_id, {})[result] = count
        return counts

    def sittings(self, case_id: int) -> Sequence[SuspensionSitting]:
        query = select(SuspensionSitting).where(SuspensionSitting.case_id == case_id)
        return self.session.scalars(query.order_by(SuspensionSitting.number)).all()

    def decider(self, instance_id: int, bpmn_id: str) -> str | None:
        """Who completed the latest task ``bpmn_id`` of an instance (the resumption decision, S5)."""
        self.session.flush()  # the completion being saved is not flushed yet (the session does not autoflush)
        query = (select(User.display_name).join(HumanTask, HumanTask.completed_by_id == User.id)
                 .where(HumanTask.instance_id == instance_id, HumanTask.bpmn_id == bpmn_id,
                        HumanTask.state == "completed")
                 .order_by(HumanTask.completed_at.desc()))
        return self.session.scalars(query).first()

    # -- team leaders (S4) ------------------------------------------------------------------------
    def application(self, application_id: int, *, lock: bool = False) -> TeamLeaderApplication | None:
        if not lock:
            return self.session.get(TeamLeaderApplication, application_id)
        query = select(TeamLeaderApplication).where(TeamLeaderApplication.id == application_id).with_for_update()
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def applications(self, enterprise_ids: Sequence[int] | None) -> Sequence[TeamLeaderApplication]:
        query = select(TeamLeaderApplication)
        if enterprise_ids is not None:
            query = query.where(TeamLeaderApplication.enterprise_id.in_(enterprise_ids))
        return self.session.scalars(query.order_by(TeamLeaderApplication.id.desc())).all()

    def applicants(self, application_id: int) -> Sequence[TeamLeaderApplicant]:
        query = select(TeamLeaderApplicant).where(TeamLeaderApplicant.application_id == application_id)
        return self.session.scalars(query.order_by(TeamLeaderApplicant.id)).all()

    def imported_certificates(self, id_number: str) -> Sequence[ImportedTeamLeaderCertificate]:
        query = (select(ImportedTeamLeaderCertificate)
                 .where(ImportedTeamLeaderCertificate.id_number == id_number)
                 .order_by(ImportedTeamLeaderCertificate.issue_date.desc()))
        return self.session.scalars(query).all()

    def imported_numbers(self, numbers: Sequence[str]) -> set[str]:
        query = select(ImportedTeamLeaderCertificate.number).where(ImportedTeamLeaderCertificate.number.in_(numbers))
        return set(self.session.scalars(query).all())

    # -- rescue-team members (S6) -----------------------------------------------------------------
    def course(self, course_id: int, *, lock: bool = False) -> RescueCourse | None:
        if not lock:
            return self.session.get(RescueCourse, course_id)
        query = select(RescueCourse).where(RescueCourse.id == course_id).with_for_update()
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def courses(self) -> Sequence[RescueCourse]:
        return self.session.scalars(select(RescueCourse).order_by(RescueCourse.id.desc())).all()

    def members(self, course_id: int) -> Sequence[RescueMember]:
        query = select(RescueMember).where(RescueMember.course_id == course_id).order_by(RescueMember.id)
        return self.session.scalars(query).all()
