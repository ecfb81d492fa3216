"""Team leaders (班组长, S4): initial certification (初训领证) and renewal (复训换证), routed by the enterprise's
supervision level to the city or its county, which reviews, examines and numbers in its own gap-free sequence.

Existing e-certificates are imported and stay valid until they expire; a renewal finds the holder's current
certificate (imported or issued on the platform) and refuses one that has expired or does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from adapters.render.enterprise_sheets import read_certificates, read_roster
from adapters.render.xlsx_common import Progress, RowError
from adapters.rules.catalogue import TEAM_LEADER
from adapters.rules.documents import TRAINING_KINDS
from adapters.rules.idnumbers import mask_id_number, normalise_id_number, validate_id_number
from adapters.services.enterprises.context import (
    ENTERPRISE_ROLE,
    TEAM_LEADER_PROCESS,
    EnterprisesContext,
    read,
    require_bureau_staff,
    unit,
    visible_enterprise,
)
from adapters.services.platform import instances
from adapters.services.platform.actors import Actor
from adapters.services.platform.context import engine_scope
from adapters.services.platform.errors import Forbidden, InvalidData, NotFound
from storage.models_enterprises import ImportedTeamLeaderCertificate, TeamLeaderApplicant, TeamLeaderApplication
from storage.repositories.enterprises import EnterprisesRepository
from storage.uow import UnitOfWork

KINDS = {"initial": "初训领证", "renewal": "复训换证"}
STATUSES = {"applied": "待审核", "rejected": "未通过审核", "examining": "考试中", "issued": "已发证"}


@dataclass(frozen=True)
class ApplicantInput:
    name: str
    id_number: str


@dataclass(frozen=True)
class CurrentCertificate:
    number: str
    valid_until: dt.date
    source: str  # imported or issued


def current_certificate(ctx: EnterprisesContext, uow: UnitOfWork, ents: EnterprisesRepository,
                        id_number: str) -> CurrentCertificate | None:
    """The holder's newest team-leader certificate: imported ones here, issued ones through issuance's operator."""
    found = [CurrentCertificate(c.number, c.valid_until, "imported") for c in ents.imported_certificates(id_number)]
    lookup = ctx.platform.runtime.services.get("certificates.current")
    if lookup is not None:
        with engine_scope(uow):
            issued = lookup(id_number=id_number, job_type=TEAM_LEADER)
        if issued:
            found.append(CurrentCertificate(issued["number"], dt.date.fromisoformat(issued["valid_until"]), "issued"))
    return max(found, key=lambda c: c.valid_until) if found else None


def applicant_problems(ctx: EnterprisesContext, uow: UnitOfWork, ents: EnterprisesRepository, kind: str,
                       people: Sequence[ApplicantInput]) -> tuple[dict[str, str], dict[str, str]]:
    """Errors by field (``people[i]``) and, for a renewal, the certificate each person renews (S4)."""
    errors: dict[str, str] = {}
    previous: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = "请选择初训领证或复训换证"
    if not people:
        errors["people"] = "请至少填写一名班组长"
    seen: dict[str, int] = {}
    today = ctx.today()
    for index, person in enumerate(people):
        key = f"people[{index}]"
        number = normalise_id_number(person.id_number)
        problem = validate_id_number(number, today) if person.id_number else "请填写身份证号"
        if not person.name.strip():
            errors[key] = f"第{index + 1}行：请填写姓名"
        elif problem:
            errors[key] = f"第{index + 1}行 {person.name}：{problem}"
        elif number in seen:
            errors[key] = f"第{index + 1}行 {person.name}：身份证号与第{seen[number] + 1}行重复"
        elif kind == "renewal":
            cert = current_certificate(ctx, uow, ents, number)
            if cert is None:
                errors[key] = f"第{index + 1}行 {person.name}：未找到其班组长证书，不能复训换证，请申请初训领证"
            elif cert.valid_until < today:
                errors[key] = (f"第{index + 1}行 {person.name}：证书 {cert.number} 已于 {cert.valid_until.isoformat()} "
                               "过期，不能复训换证，请申请初训领证")
            else:
                previous[number] = cert.number
        seen.setdefault(number, index)
    return errors, previous


def apply(ctx: EnterprisesContext, actor: Actor, kind: str, people: Sequence[ApplicantInput]) -> int:
    """The enterprise applies for its team leaders; starts the certification process; returns the application id."""
    if not actor.has_role(ENTERPRISE_ROLE):
        raise Forbidden("只有企业的安全管理人员可以申请班组长取证")
    with unit(ctx) as (uow, ents):
        org, _record = visible_enterprise(ents, actor, actor.organisation_id)
        errors, previous = applicant_problems(ctx, uow, ents, kind, people)
        if errors:
            raise InvalidData(errors, "班组长申请有误")
        application = TeamLeaderApplication(enterprise_id=org.id, bureau_id=org.parent_id or org.id, kind=kind,
                                            created_by=actor.username, created_at=ctx.platform.now())
        ents.add(application)
        ents.add_all([TeamLeaderApplicant(application_id=application.id, name=p.name.strip()[:50],
                                          id_number=normalise_id_number(p.id_number),
                                          previous_number=previous.get(normalise_id_number(p.id_number), ""))
                      for p in people])
        uow.commit()
        application_id, name = application.id, org.name
    instances.start_instance(ctx.platform, actor, TEAM_LEADER_PROCESS, dedicated=True,
                             business_key=f"班组长-{application_id}", organisation_id=actor.organisation_id,
                             title=f"{name} 班组长{KINDS[kind]}（{len(people)}人）",
                             data={"application_id": application_id},
                             subject={"team_leader_application_id": application_id})
    return application_id


def applicants_from_sheet(stream: bytes | IO[bytes]) -> tuple[list[ApplicantInput], list[RowError]]:
    sheet = read_roster(stream)
    return [ApplicantInput(r["name"], r["id_number"]) for r in sheet.rows], sheet.errors


def import_certificates(ctx: EnterprisesContext, actor: Actor, stream: bytes | IO[bytes],
                        progress: Progress | None = None) -> tuple[int, list[RowError]]:
    """Import existing team-leader e-certificates: every row, or — on any row error — none (S4)."""
    require_bureau_staff(actor)
    sheet = read_certificates(stream, progress)
    if sheet.errors:
        return 0, sheet.errors
    with unit(ctx) as (uow, ents):
        bureaus = {o.division_code: o.id for o in ents.organisations_of_kind("city_bureau", "county_bureau")}
        known = ents.imported_numbers([r["number"] for r in sheet.rows])
        errors = [RowError(r["row"], "证书编号", f"证书编号 {r['number']} 已导入") for r in sheet.rows
                  if r["number"] in known]
        errors += [RowError(r["row"], "证书编号", f"证书编号中的发证机关代码 {r['division_code']} 不是本市的应急管理局")
                   for r in sheet.rows if r["division_code"] not in bureaus]
        if errors:
            return 0, sorted(errors, key=lambda e: e.row)
        now = ctx.platform.now()
        ents.add_all([ImportedTeamLeaderCertificate(
            number=r["number"], holder_name=r["name"], id_number=r["id_number"], enterprise_name=r["enterprise_name"],
            issuing_organisation_id=bureaus[r["division_code"]], issue_date=r["issue_date"],
            valid_until=r["valid_until"], imported_by=actor.username, imported_at=now) for r in sheet.rows])
        uow.audit.record("team_leader.certificates.import", user_id=actor.user_id, username=actor.username,
                         detail={"rows": len(sheet.rows)})
        uow.commit()
    return len(sheet.rows), []


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    enterprise_name: str
    bureau_name: str
    kind_label: str
    status: str
    status_label: str
    people: list[tuple[str, str, str, str]]  # name, masked ID, previous number, new number
    instance_id: int | None


def applications(ctx: EnterprisesContext, actor: Actor, application_id: int | None = None) -> list[ApplicationRow]:
    """Applications of the actor's jurisdiction (an enterprise: its own)."""
    def query(_uow: UnitOfWork, ents: EnterprisesRepository) -> list[ApplicationRow]:
        ids = None if actor.is_admin else ([actor.organisation_id] if actor.organisation_kind == "enterprise"
                                           else sorted(actor.jurisdiction))
        rows = []
        for app in ents.applications(ids):
            if application_id is not None and app.id != application_id:
                continue
            org, bureau = ents.organisation(app.enterprise_id), ents.organisation(app.bureau_id)
            people = [(p.name, mask_id_number(p.id_number), p.previous_number, p.new_number)
                      for p in ents.applicants(app.id)]
            rows.append(ApplicationRow(app.id, org.name if org else "", bureau.name if bureau else "",
                                       KINDS.get(app.kind, app.kind), app.status, STATUSES.get(app.status, app.status),
                                       people, app.instance_id))
        if application_id is not None and not rows:
            raise NotFound(f"班组长申请 {application_id} 不存在")
        return rows
    return read(ctx, query)


def kind_label(kind: str) -> str:
    return KINDS.get(kind, TRAINING_KINDS.get(kind, kind))


__all__ = ["KINDS", "ApplicantInput", "apply", "applications", "current_certificate", "import_certificates",
           "kind_label"]
