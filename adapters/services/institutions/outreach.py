"""送培入企 (S10, S11): institutions record each training inside an enterprise. Annual retraining of leaders counts
towards the yearly minimum; enterprise-commissioned full-staff or pre-job training is recorded but not counted, with
the reason; special-operations training inside an enterprise is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.rules.institutions import (
    MODES,
    OUTREACH_KINDS,
    PARTICIPANT_CATEGORIES,
    RefusedOutreach,
    judge_outreach,
)
from adapters.rules.quarters import quarter_of
from adapters.services.institutions.context import (
    INSTITUTION_KIND,
    InstitutionsContext,
    is_bureau,
    read,
    require_institution,
    unit,
)
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData
from storage.models_institutions import OutreachRecord
from storage.repositories.institutions import InstitutionsRepository
from storage.uow import UnitOfWork

MAX_PARTICIPANTS = 500


@dataclass(frozen=True)
class YearCount:
    organisation_id: int
    institution: str
    year: int
    counted: int
    minimum: int
    warn: bool  # fourth quarter and still below the minimum

    @property
    def below(self) -> bool:
        return self.counted < self.minimum


def _clean(fields: Mapping[str, Any], participants: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name, label, limit in (("enterprise_name", "企业名称", 200), ("course", "培训课程", 200)):
        value = str(fields.get(name) or "").strip()
        errors.update({name: f"请填写{label}"} if not value else
                      {name: f"{label}不能超过{limit}个字"} if len(value) > limit else {})
        cleaned[name] = value
    for name, label in (("start_date", "开始日期"), ("end_date", "结束日期")):
        try:
            cleaned[name] = dt.date.fromisoformat(str(fields.get(name) or ""))
        except ValueError:
            errors[name] = f"请填写{label}"
    if "start_date" in cleaned and "end_date" in cleaned and cleaned["end_date"] < cleaned["start_date"]:
        errors["end_date"] = "结束日期不能早于开始日期"
    if fields.get("mode") not in MODES:
        errors["mode"] = "请选择培训方式（线上、线下或线上线下结合）"
    cleaned["mode"] = fields.get("mode")
    if fields.get("kind") not in OUTREACH_KINDS:
        errors["kind"] = "请选择培训类别"
    cleaned["kind"] = fields.get("kind")
    try:
        hours = int(str(fields.get("hours") or ""))
        if not 1 <= hours <= 200:
            raise ValueError
        cleaned["hours"] = hours
    except ValueError:
        errors["hours"] = "学时须为1至200的整数"
    people = []
    for n, person in enumerate(participants):
        name, category = str(person.get("name") or "").strip(), str(person.get("category") or "")
        if not name and not category:
            continue
        if not name or len(name) > 50:
            errors[f"participants[{n}].name"] = f"第{n + 1}名参训人员：请填写姓名（不超过50字）"
        if category not in PARTICIPANT_CATEGORIES:
            errors[f"participants[{n}].category"] = f"第{n + 1}名参训人员：请选择人员类别"
        people.append({"name": name, "category": category})
    if not people:
        errors["participants"] = "请至少填写一名参训人员及其类别"
    elif len(people) > MAX_PARTICIPANTS:
        errors["participants"] = f"参训人员不超过{MAX_PARTICIPANTS}人，请分次登记"
    cleaned["participants"] = people
    if errors:
        raise InvalidData(errors, "送培入企记录未保存")
    return cleaned


def record(ctx: InstitutionsContext, actor: Actor, fields: Mapping[str, Any],
           participants: Sequence[Mapping[str, str]]) -> OutreachRecord:
    """S10/S11: store one 送培入企 record with whether it counts and why not; refused for special operations."""
    require_institution(actor, actor.organisation_id)
    cleaned = _clean(fields, participants)
    try:
        verdict = judge_outreach(cleaned["kind"], [p["category"] for p in cleaned["participants"]])
    except RefusedOutreach as err:
        raise InvalidData({"kind": str(err)}, "送培入企记录未保存") from err
    with unit(ctx) as (uow, repo):
        row = OutreachRecord(organisation_id=actor.organisation_id, counted=verdict.counted, reason=verdict.reason,
                             **cleaned)
        repo.add(row)
        uow.audit.record("institutions.outreach_recorded", user_id=actor.user_id, username=actor.username,
                         entity="outreach_record", entity_id=row.id, detail={"counted": verdict.counted})
        uow.commit()
        return row


def records_of(ctx: InstitutionsContext, actor: Actor, year: int) -> list[OutreachRecord]:
    org = None if is_bureau(actor) else actor.organisation_id
    return read(ctx, lambda _uow, repo: list(repo.outreach(org, year)))


def year_counts(ctx: InstitutionsContext, actor: Actor, year: int) -> list[YearCount]:
    """S10: each institution's counted 送培入企 of the year against the minimum; a warning in Q4 below it."""
    def run(_uow: UnitOfWork, repo: InstitutionsRepository) -> list[YearCount]:
        return counts(ctx, repo, year, [o.id for o in repo.organisations_of_kind(INSTITUTION_KIND)
                                        if is_bureau(actor) or o.id == actor.organisation_id])
    return read(ctx, run)


def counts(ctx: InstitutionsContext, repo: InstitutionsRepository, year: int, ids: Sequence[int]) -> list[YearCount]:
    today = ctx.today()
    minimum = ctx.rule("send_training_min_per_year", dt.date(year, 12, 31) if year < today.year else today)
    fourth = year < today.year or quarter_of(today) == 4
    result = []
    for org_id in ids:
        org = repo.organisation(org_id)
        counted = sum(1 for r in repo.outreach(org_id, year) if r.counted)
        result.append(YearCount(org_id, org.name if org else "", year, counted, minimum,
                                fourth and counted < minimum))
    return result
