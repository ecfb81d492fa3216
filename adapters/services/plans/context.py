"""What every plans use case needs, and who may see or change a plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden, NotFound
from storage.models_plans import TrainingPlan
from storage.repositories.plans import PlansRepository
from storage.uow import UnitOfWork

T = TypeVar("T")

PROCESS = "training_plan"
INSTITUTION_ROLE = "institution_staff"
BUREAU_ROLE = "bureau_training"
INSTITUTION_KIND = "institution"
PLAN_LINK = "/plans/{plan_id}"
STATUS_LABELS = {"draft": "待填报", "submitted": "待审核", "returned": "已退回", "approved": "已通过",
                 "published": "已公布"}


@dataclass(frozen=True)
class PlansContext:
    platform: Platform
    reference: Any = None  # the platform's ReferenceCache (plan_due_day with its effective dates)

    def today(self) -> dt.date:
        return self.platform.today()

    def due_day(self, on: dt.date) -> int:
        return int(self.reference.rulebook().value("plan_due_day", on))


def plans_context(wiring: Any) -> PlansContext:
    return PlansContext(platform=wiring.platform, reference=wiring.reference)


def repo(uow: UnitOfWork) -> PlansRepository:
    return PlansRepository(uow.session)


def read(ctx: PlansContext, fn: Callable[[UnitOfWork, PlansRepository], T]) -> T:
    with ctx.platform.reader() as uow:
        return fn(uow, repo(uow))


def is_bureau(actor: Actor) -> bool:
    return actor.is_admin or (actor.organisation_kind in ("city_bureau", "county_bureau")
                              and actor.has_role(BUREAU_ROLE))


def may_see(actor: Actor, plan: TrainingPlan) -> bool:
    """An institution sees its own plans; the bureau those of its jurisdiction."""
    if actor.organisation_id == plan.institution_id:
        return True
    return is_bureau(actor) and (actor.is_admin or actor.sees_organisation(plan.institution_id))


def visible_plan(plans: PlansRepository, actor: Actor, plan_id: int, *, lock: bool = False) -> TrainingPlan:
    plan = plans.plan(plan_id, lock=lock)
    if plan is None or not may_see(actor, plan):
        raise NotFound(f"培训计划 {plan_id} 不存在")
    return plan


def require_filer(actor: Actor, plan: TrainingPlan) -> None:
    if not (actor.has_role(INSTITUTION_ROLE) and actor.organisation_id == plan.institution_id):
        raise Forbidden("只有本机构的培训机构经办人可以填报培训计划")
    if plan.status not in ("draft", "returned"):
        raise Forbidden(f"培训计划当前状态为“{STATUS_LABELS.get(plan.status, plan.status)}”，不能修改")
