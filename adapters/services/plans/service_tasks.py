"""The named services of ``training_plan`` (S12), run inside the engine step, and the submit check of filing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from adapters.engine.errors import ServiceFailed
from adapters.rules import plans as rules
from adapters.rules.catalogue import is_known_job_type
from adapters.services.plans.context import PLAN_LINK, PlansContext, repo
from adapters.services.platform.context import active_uow
from storage.models_plans import TrainingPlan
from storage.repositories.plans import PlansRepository
from storage.uow import UnitOfWork


def _plan(plans: PlansRepository, plan_id: Any) -> TrainingPlan:
    found = plans.plan(int(plan_id or 0), lock=True)
    if found is None:
        raise ServiceFailed(f"培训计划 {plan_id} 不存在")
    return found


class PlanServices:
    def __init__(self, ctx: PlansContext) -> None:
        self.ctx = ctx

    def operators(self) -> dict[str, Callable[..., dict[str, Any]]]:
        return {"plans.open": self.open, "plans.submitted": self.submitted, "plans.returned": self.returned,
                "plans.publish": self.publish}

    def open(self, period: str, organisation_id: int, instance_id: int) -> dict[str, Any]:
        """The plan row of the institution for the quarter, its due date from the rule table (S12)."""
        uow = active_uow()
        plans = repo(uow)
        try:
            year, quarter = rules.parse_period(str(period))
            first_day = rules.due_date(year, quarter, 1)
            due = rules.due_date(year, quarter, self.ctx.due_day(first_day))
        except ValueError as err:
            raise ServiceFailed(str(err)) from err
        plan = plans.plan_for(int(organisation_id), year, quarter)
        if plan is None:
            plan = TrainingPlan(institution_id=int(organisation_id), year=year, quarter=quarter, due_date=due,
                                status="draft", review_comment="")
            plans.add(plan)
        plan.instance_id = int(instance_id)
        row = uow.instances.get(int(instance_id))
        if row is not None:
            row.subject = {**(row.subject or {}), "plan_id": plan.id, "link": PLAN_LINK.format(plan_id=plan.id)}
        org = plans.organisation(plan.institution_id)
        return {"plan_id": plan.id, "due_date": due.isoformat(), "year": year, "quarter": quarter,
                "institution_name": org.name if org else "", "plan_link": PLAN_LINK.format(plan_id=plan.id)}

    def submitted(self, plan_id: int) -> dict[str, Any]:
        plans = repo(active_uow())
        plan = _plan(plans, plan_id)
        if plan.submitted_on is None:  # a plan filed again after a return keeps its first filing day
            plan.submitted_on = self.ctx.today()
        plan.status = "submitted"
        on_time = plan.submitted_on <= plan.due_date
        return {"submitted_on": plan.submitted_on.isoformat(), "on_time": on_time,
                "entry_count": len(plans.entries(plan.id))}

    def returned(self, plan_id: int, comment: str) -> dict[str, Any]:
        plan = _plan(repo(active_uow()), plan_id)
        plan.status, plan.review_comment = "returned", str(comment or "")[:500]
        return {"status": "returned"}

    def publish(self, plan_id: int) -> dict[str, Any]:
        plan = _plan(repo(active_uow()), plan_id)
        plan.status, plan.published_on = "published", self.ctx.today()
        return {"status": "published", "published_on": plan.published_on.isoformat()}


def entry_values(entry: Any) -> rules.EntryValues:
    return rules.EntryValues(entry.job_type, entry.training_kind, entry.start_date, entry.end_date, entry.place,
                             entry.capacity)


def plan_ready(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
    """S12: a plan is filed with at least one class, every class inside the planned quarter."""
    plans = repo(uow)
    plan = plans.plan(int(data.get("plan_id") or 0))
    if plan is None:
        return {"confirmed": "培训计划不存在"}
    entries = plans.entries(plan.id)
    if not entries:
        return {"confirmed": "培训计划还没有任何培训班：请在培训计划页面添加后再提交"}
    for n, entry in enumerate(entries, start=1):
        errors = rules.entry_errors(plan.year, plan.quarter, entry_values(entry), is_known_job_type(entry.job_type))
        if errors:
            field, message = next(iter(errors.items()))
            return {"confirmed": f"第 {n} 个培训班（{field}）：{message}"}
    return {}


def checks() -> dict[str, Callable[[UnitOfWork, Mapping[str, Any]], dict[str, str]]]:
    return {"plan_ready": plan_ready}
