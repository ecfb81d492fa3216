"""The named services of ``team_leader_certification`` (S4), run inside the engine step.

The exam and the numbering are the issuance family's, called by operator name: ``exam.open_batch`` makes the
sitting, ``training.issue_certificates`` numbers each passer in the issuing bureau's own gap-free sequence
(``BZZ<division>-<year>-<n>``, the sequence row locked until the step commits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from adapters.engine.errors import ServiceFailed
from adapters.rules.catalogue import TEAM_LEADER
from adapters.rules.rulebook import RuleNotInForceError, certificate_dates
from adapters.services.enterprises.context import EnterprisesContext, bureau_of, enterprise_of, repo
from adapters.services.enterprises.service_tasks import find_exam_site, in_step, link_sitting
from adapters.services.platform.errors import InvalidData
from storage.models_enterprises import TeamLeaderApplication
from storage.repositories.enterprises import EnterprisesRepository
from storage.uow import UnitOfWork


def _application(ents: EnterprisesRepository, application_id: int) -> TeamLeaderApplication:
    found = ents.application(int(application_id), lock=True)
    if found is None:
        raise InvalidData({"application_id": f"班组长申请 {application_id} 不存在"})
    return found


class TeamLeaderServices:
    def __init__(self, ctx: EnterprisesContext) -> None:
        self.ctx = ctx

    def operators(self) -> dict[str, Callable[..., dict[str, Any]]]:
        return {"team_leader.begin": self.begin, "team_leader.reject": self.reject,
                "team_leader.open_sitting": self.open_sitting, "team_leader.issue": self.issue}

    def begin(self, application_id: int, instance_id: int) -> dict[str, Any]:
        """Link the instance and route: the supervising bureau of the enterprise's current record (S4)."""
        def run(_uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            app = _application(ents, application_id)
            org, record = enterprise_of(ents, app.enterprise_id)
            app.bureau_id, app.instance_id = bureau_of(ents, org, record), int(instance_id)
            bureau = ents.organisation(app.bureau_id)
            return {"bureau_id": app.bureau_id, "bureau_name": bureau.name if bureau else "", "kind": app.kind,
                    "count": len(ents.applicants(app.id)), "enterprise_name": org.name}
        return in_step(run)

    def reject(self, application_id: int) -> dict[str, Any]:
        def run(_uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            _application(ents, application_id).status = "rejected"
            return {"status": "rejected"}
        return in_step(run)

    def open_sitting(self, application_id: int, exam_site_code: str, exam_date: str) -> dict[str, Any]:
        def run(uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            app = _application(ents, application_id)
            site = find_exam_site(ents, str(exam_site_code))
            if site is None:
                raise InvalidData({"exam_site_code": f"“{exam_site_code}”不是有效的考点机构代码"})
            org = ents.organisation(app.enterprise_id)
            people = [{"name": p.name, "id_number": p.id_number, "employer": org.name if org else ""}
                      for p in ents.applicants(app.id)]
            batch = self._service("exam.open_batch")(
                organisation_id=app.enterprise_id, issuing_organisation_id=app.bureau_id, job_type=TEAM_LEADER,
                training_kind=app.kind, class_no=f"班组长-{app.id}", people=people, exam_site_id=site.id,
                exam_date=str(exam_date)[:10], now=self.ctx.platform.now())
            app.class_id, app.status = batch["class_id"], "examining"
            link_sitting(uow, app.instance_id, batch["class_id"])
            return batch
        return in_step(run)

    def issue(self, application_id: int, class_id: int) -> dict[str, Any]:
        """Number the passers' certificates in the issuing bureau's own sequence (S4) and note them per person."""
        def run(_uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            app = _application(ents, application_id)
            issued = self._service("training.issue_certificates")(class_id=int(class_id))
            numbers = self._service("certificates.of_batch")(class_id=int(class_id))
            for person in ents.applicants(app.id):
                person.new_number = numbers.get(person.id_number, "")
            app.status = "issued"
            return {"issued": issued["issued"], "numbers": len(numbers)}
        return in_step(run)

    def _service(self, name: str) -> Callable[..., Any]:
        try:
            return self.ctx.platform.runtime.services[name]
        except KeyError:
            raise ServiceFailed(f"没有注册服务 {name}（考试与发证服务未安装）") from None


def checks(ctx: EnterprisesContext) -> dict[str, Callable[[UnitOfWork, Mapping[str, Any]], dict[str, str]]]:
    def sitting_valid(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
        errors = {}
        code = str(data.get("exam_site_code") or "")
        if find_exam_site(repo(uow), code) is None:
            errors["exam_site_code"] = f"“{code}”不是有效的考点"
        try:
            day = dt.date.fromisoformat(str(data.get("exam_date") or ""))
        except ValueError:
            return {**errors, "exam_date": "请填写考试日期"}
        if day < ctx.today():
            errors["exam_date"] = "考试日期不能早于今天"
        elif ctx.reference is not None:
            try:  # refuse now, in words, rather than as an incident at issuance
                certificate_dates(day, TEAM_LEADER, ctx.reference.rulebook())
            except (RuleNotInForceError, ValueError) as err:
                errors["exam_date"] = f"班组长证书有效期规则在考试日未生效，请管理员先录入：{err}"
        return errors

    return {"team_leader_sitting_valid": sitting_valid}
