"""Enterprise records (生产经营单位): registered and imported by the bureau, listed by jurisdiction with the
status of their latest suspension case (S5); a supervision-level change re-routes new work only and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from adapters.render.enterprise_sheets import read_enterprises
from adapters.render.xlsx_common import Progress, RowError
from adapters.rules.creditcodes import normalise_credit_code, validate_credit_code
from adapters.rules.enterprises import (
    CASE_STATUSES,
    INDUSTRIES,
    SUPERVISION_LEVELS,
    industry_label,
    is_high_risk,
)
from adapters.services.enterprises.context import (
    ENTERPRISE_KIND,
    EnterprisesContext,
    bureau_of,
    city_bureau_of,
    read,
    require_bureau_staff,
    unit,
    visible_enterprise,
)
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData
from storage.models import Organisation
from storage.models_enterprises import EnterpriseRecord
from storage.repositories.enterprises import EnterprisesRepository
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class EnterpriseInput:
    credit_code: str
    name: str
    address: str
    industry: str
    level: str
    county_bureau_id: int | None


@dataclass(frozen=True)
class EnterpriseRow:
    id: int
    name: str
    credit_code: str
    industry: str
    high_risk: bool
    level: str
    county: str
    status: str
    status_label: str
    case_id: int | None
    supervisor_id: int | None = None


def input_problems(ents: EnterprisesRepository, item: EnterpriseInput, *, own_id: int | None = None
                   ) -> dict[str, str]:
    errors: dict[str, str] = {}
    problem = validate_credit_code(item.credit_code)
    if problem:
        errors["credit_code"] = problem
    else:
        other = ents.record_by_credit_code(normalise_credit_code(item.credit_code))
        if other is not None and other.organisation_id != own_id:
            errors["credit_code"] = f"统一社会信用代码 {item.credit_code} 已登记"
    if not item.name.strip():
        errors["name"] = "请填写企业名称"
    if item.industry not in INDUSTRIES:
        errors["industry"] = "请选择行业"
    if item.level not in SUPERVISION_LEVELS:
        errors["level"] = "请选择监管层级"
    county = ents.organisation(item.county_bureau_id)
    if county is None or county.kind != "county_bureau":
        errors["county_bureau_id"] = "请选择企业所在的县（市、区）"
    return errors


def _parent(ents: EnterprisesRepository, item: EnterpriseInput) -> int | None:
    """County-supervised enterprises hang under their county (its jurisdiction), city-supervised ones under the city."""
    if item.level == "county":
        return item.county_bureau_id
    city = city_bureau_of(ents, item.county_bureau_id)
    return city.id if city else None


def _create(uow: UnitOfWork, ents: EnterprisesRepository, item: EnterpriseInput, now: dt.datetime) -> int:
    code = normalise_credit_code(item.credit_code)
    county = ents.organisation(item.county_bureau_id)
    org = uow.directory.add_organisation(Organisation(
        code=f"ENT-{code}", name=item.name.strip()[:200], kind=ENTERPRISE_KIND, parent_id=_parent(ents, item),
        division_code=county.division_code if county else None, supervision_level=item.level,
        industry=industry_label(item.industry), high_risk=is_high_risk(item.industry)))
    ents.add(EnterpriseRecord(organisation_id=org.id, credit_code=code, address=item.address.strip()[:200],
                              industry_code=item.industry, county_bureau_id=item.county_bureau_id,
                              created_at=now, updated_at=now))
    return org.id


def register_enterprise(ctx: EnterprisesContext, actor: Actor, item: EnterpriseInput) -> int:
    require_bureau_staff(actor)
    with unit(ctx) as (uow, ents):
        errors = input_problems(ents, item)
        if errors:
            raise InvalidData(errors, "企业信息有误")
        org_id = _create(uow, ents, item, ctx.platform.now())
        uow.audit.record("enterprise.register", user_id=actor.user_id, username=actor.username,
                         entity="enterprise", entity_id=org_id, detail={"credit_code": item.credit_code})
        uow.commit()
    ctx.platform.forget_lanes()  # the organisation tree that routes tasks changed
    return org_id


def change_supervision(ctx: EnterprisesContext, actor: Actor, enterprise_id: int, level: str,
                       county_bureau_id: int | None) -> None:
    """Change the supervision level: open tasks stay where they are, new tasks route by the new level (audited)."""
    require_bureau_staff(actor)
    with unit(ctx) as (uow, ents):
        org, record = visible_enterprise(ents, actor, enterprise_id)
        item = EnterpriseInput(record.credit_code, org.name, record.address, record.industry_code, level,
                               county_bureau_id)
        errors = input_problems(ents, item, own_id=org.id)
        if errors:
            raise InvalidData(errors, "监管层级有误")
        before = {"level": org.supervision_level, "county_bureau_id": record.county_bureau_id}
        org.supervision_level, record.county_bureau_id = level, county_bureau_id
        org.parent_id = _parent(ents, item)
        record.updated_at = ctx.platform.now()
        uow.audit.record("enterprise.supervision.change", user_id=actor.user_id, username=actor.username,
                         entity="enterprise", entity_id=org.id,
                         detail={"before": before, "after": {"level": level, "county_bureau_id": county_bureau_id}})
        uow.commit()
    ctx.platform.forget_lanes()


def import_enterprises(ctx: EnterprisesContext, actor: Actor, stream: bytes | IO[bytes],
                       progress: Progress | None = None) -> tuple[int, list[RowError]]:
    """Import an enterprise sheet: every row is registered, or — on any row error — none is."""
    require_bureau_staff(actor)
    sheet = read_enterprises(stream, progress)
    if sheet.errors:
        return 0, sheet.errors
    with unit(ctx) as (uow, ents):
        counties = {o.name: o.id for o in ents.organisations_of_kind("county_bureau")}
        counties.update({name.replace("应急管理局", ""): oid for name, oid in list(counties.items())})
        errors: list[RowError] = []
        now = ctx.platform.now()
        for row in sheet.rows:
            item = EnterpriseInput(row["credit_code"], row["name"], row["address"], row["industry"], row["level"],
                                   counties.get(row["county"]))
            problems = input_problems(ents, item)
            if problems:
                labels = {"credit_code": "统一社会信用代码", "county_bureau_id": "所在县（市、区）"}
                errors += [RowError(row["row"], labels.get(k, k), v) for k, v in problems.items()]
                continue
            _create(uow, ents, item, now)
        if errors:
            return 0, errors  # nothing is committed: the unit of work rolls back
        uow.audit.record("enterprise.import", user_id=actor.user_id, username=actor.username,
                         detail={"rows": len(sheet.rows)})
        uow.commit()
    ctx.platform.forget_lanes()
    return len(sheet.rows), []


def enterprise_list(ctx: EnterprisesContext, actor: Actor, *, status: str = "", level: str = "",
                    county_bureau_id: int | None = None, high_risk: bool | None = None) -> list[EnterpriseRow]:
    """Enterprises of the actor's jurisdiction (an enterprise user: only their own) with their S5 status."""
    def query(_uow: UnitOfWork, ents: EnterprisesRepository) -> list[EnterpriseRow]:
        ids = None if actor.is_admin else ([actor.organisation_id] if actor.organisation_kind == ENTERPRISE_KIND
                                           else sorted(actor.jurisdiction))
        latest: dict[int, Any] = {}
        for found in ents.cases(enterprise_ids=ids):
            latest.setdefault(found.enterprise_id, found)
        rows = []
        for org, record in ents.enterprises(ids):
            case = latest.get(org.id)
            state = case.status if case else ""
            county = ents.organisation(record.county_bureau_id)
            row = EnterpriseRow(org.id, org.name, record.credit_code, industry_label(record.industry_code),
                                org.high_risk, org.supervision_level or "", county.name if county else "",
                                state, CASE_STATUSES.get(state, "正常生产"), case.id if case else None,
                                _supervisor(ents, org, record))
            if _matches(row, record, status, level, county_bureau_id, high_risk):
                rows.append(row)
        return rows
    return read(ctx, query)


def _supervisor(ents: EnterprisesRepository, org: Organisation, record: EnterpriseRecord) -> int | None:
    try:
        return bureau_of(ents, org, record)
    except InvalidData:
        return None


def _matches(row: EnterpriseRow, record: EnterpriseRecord, status: str, level: str, county: int | None,
             high_risk: bool | None) -> bool:
    return ((not status or row.status == status or (status == "normal" and not row.status))
            and (not level or row.level == level) and (county is None or record.county_bureau_id == county)
            and (high_risk is None or row.high_risk == high_risk))


def county_choices(ctx: EnterprisesContext) -> list[tuple[int, str]]:
    return read(ctx, lambda _uow, ents: [(o.id, o.name) for o in ents.organisations_of_kind("county_bureau")])


def enterprise_detail(ctx: EnterprisesContext, actor: Actor, enterprise_id: int) -> Mapping[str, Any]:
    def query(_uow: UnitOfWork, ents: EnterprisesRepository) -> Mapping[str, Any]:
        org, record = visible_enterprise(ents, actor, enterprise_id)
        county = ents.organisation(record.county_bureau_id)
        cases: Sequence[Any] = ents.cases(enterprise_ids=[org.id])
        return {"id": org.id, "name": org.name, "credit_code": record.credit_code, "address": record.address,
                "industry": industry_label(record.industry_code), "industry_code": record.industry_code,
                "high_risk": org.high_risk, "level": org.supervision_level or "",
                "level_label": SUPERVISION_LEVELS.get(org.supervision_level or "", ""),
                "county_bureau_id": record.county_bureau_id, "county": county.name if county else "",
                "cases": [{"id": c.id, "status": c.status, "status_label": CASE_STATUSES.get(c.status, c.status),
                           "order_no": c.order_no, "order_date": c.order_date} for c in cases]}
    return read(ctx, query)
