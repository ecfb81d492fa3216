"""What every enterprises use case needs, and the access rules they share (bureaus by jurisdiction, an enterprise
only its own records)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from adapters.rules.enterprises import Supervision, supervising_bureau
from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden, InvalidData, NotFound
from storage.models import Organisation
from storage.models_enterprises import EnterpriseRecord
from storage.objects import ObjectStore
from storage.repositories.enterprises import EnterprisesRepository
from storage.uow import UnitOfWork

T = TypeVar("T")

SUPERVISOR_ROLE = "supervising_bureau"
ENTERPRISE_ROLE = "enterprise_staff"
EXAM_CENTRE_ROLE = "exam_centre_staff"
RESCUE_ROLE = "rescue_team_staff"
BUREAU_KINDS = ("city_bureau", "county_bureau")
ENTERPRISE_KIND = "enterprise"
SUSPENSION_PROCESS = "full_staff_exam"
TEAM_LEADER_PROCESS = "team_leader_certification"
RESCUE_PROCESS = "mine_rescue_training"
CASE_LINK = "/enterprises/suspensions/{case_id}"


@dataclass(frozen=True)
class EnterprisesContext:
    platform: Platform
    objects: ObjectStore
    upload_max_bytes: int
    reference: Any = None  # the platform's ReferenceCache (rule values with effective dates)

    def today(self) -> dt.date:
        return self.platform.today()


def enterprises_context(wiring: Any) -> EnterprisesContext:
    return EnterprisesContext(platform=wiring.platform, objects=wiring.objects,
                              upload_max_bytes=wiring.settings.upload_max_mb * 1024 * 1024,
                              reference=wiring.reference)


def repo(uow: UnitOfWork) -> EnterprisesRepository:
    return EnterprisesRepository(uow.session)


@contextmanager
def unit(ctx: EnterprisesContext) -> Iterator[tuple[UnitOfWork, EnterprisesRepository]]:
    with ctx.platform.uow() as uow:
        yield uow, repo(uow)


def read(ctx: EnterprisesContext, fn: Callable[[UnitOfWork, EnterprisesRepository], T]) -> T:
    with ctx.platform.reader() as uow:
        return fn(uow, repo(uow))


def city_bureau_of(ents: EnterprisesRepository, organisation_id: int | None) -> Organisation | None:
    org = ents.organisation(organisation_id)
    while org is not None and org.kind != "city_bureau":
        org = ents.organisation(org.parent_id)
    return org


def enterprise_of(ents: EnterprisesRepository, enterprise_id: int) -> tuple[Organisation, EnterpriseRecord]:
    org = ents.organisation(enterprise_id)
    record = ents.record(enterprise_id) if org is not None else None
    if org is None or record is None or org.kind != ENTERPRISE_KIND:
        raise NotFound(f"企业 {enterprise_id} 不存在")
    return org, record


def bureau_of(ents: EnterprisesRepository, org: Organisation, record: EnterpriseRecord) -> int:
    """The supervising bureau of an enterprise, from its current record (S4, S5: city or county)."""
    city = city_bureau_of(ents, org.id)
    if city is None:
        raise InvalidData({"enterprise": f"企业“{org.name}”不在任何市局辖区内"})
    try:
        return supervising_bureau(Supervision(org.supervision_level or "city", record.county_bureau_id, city.id))
    except ValueError as err:
        raise InvalidData({"county": str(err)}) from err


def may_see_enterprise(actor: Actor, enterprise_id: int) -> bool:
    """Bureaus see the enterprises of their jurisdiction; an enterprise user sees only their own."""
    if actor.is_admin or actor.organisation_id == enterprise_id:
        return True
    return actor.organisation_kind != ENTERPRISE_KIND and actor.sees_organisation(enterprise_id)


def visible_enterprise(ents: EnterprisesRepository, actor: Actor, enterprise_id: int
                       ) -> tuple[Organisation, EnterpriseRecord]:
    if not may_see_enterprise(actor, enterprise_id):
        raise NotFound(f"企业 {enterprise_id} 不存在")
    return enterprise_of(ents, enterprise_id)


def require_supervisor(ents: EnterprisesRepository, actor: Actor, enterprise_id: int) -> int:
    """The actor must work at the enterprise's supervising bureau in the supervising role; returns that bureau."""
    org, record = visible_enterprise(ents, actor, enterprise_id)
    bureau = bureau_of(ents, org, record)
    if not (actor.has_role(SUPERVISOR_ROLE) and actor.organisation_id == bureau):
        name = (ents.organisation(bureau) or org).name
        raise Forbidden(f"企业“{org.name}”由{name}监管，只有该局的监管人员可以办理")
    return bureau


def require_bureau_staff(actor: Actor) -> None:
    if not (actor.is_admin or (actor.organisation_kind in BUREAU_KINDS and actor.has_role(SUPERVISOR_ROLE))):
        raise Forbidden("只有市、县应急管理局的监管人员可以维护企业信息")
