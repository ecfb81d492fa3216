"""Use cases of the plan page (S12): the plans an actor sees, one plan with its classes, adding and removing
classes, and finishing the plan's open step (filing, review, publication) from the page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.rules import plans as rules
from adapters.rules.catalogue import is_known_job_type, job_type_label
from adapters.services.plans.context import (
    STATUS_LABELS,
    PlansContext,
    is_bureau,
    read,
    repo,
    require_filer,
    visible_plan,
)
from adapters.services.platform import instances, tasks
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, InvalidData
from storage.models_plans import PlanEntry, TrainingPlan
from storage.repositories.plans import PlansRepository
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class EntryRow:
    id: int
    job_type: str
    job_type_label: str
    training_kind: str
    training_kind_label: str
    start_date: str
    end_date: str
    place: str
    capacity: int


@dataclass(frozen=True)
class PlanView:
    id: int
    institution_id: int
    institution_name: str
    year: int
    quarter: int
    status: str
    status_label: str
    due_date: str
    submitted_on: str
    on_time: bool | None
    review_comment: str
    instance_id: int | None
    entries: tuple[EntryRow, ...]

    @property
    def period(self) -> str:
        return f"{self.year} 年第 {self.quarter} 季度"


def entry_row(entry: PlanEntry) -> EntryRow:
    return EntryRow(entry.id, entry.job_type, job_type_label(entry.job_type), entry.training_kind,
                    rules.TRAINING_KINDS.get(entry.training_kind, entry.training_kind), entry.start_date.isoformat(),
                    entry.end_date.isoformat(), entry.place, entry.capacity)


def _view(ctx: PlansContext, plans: PlansRepository, plan: TrainingPlan) -> PlanView:
    org = plans.organisation(plan.institution_id)
    return PlanView(plan.id, plan.institution_id, org.name if org else "", plan.year, plan.quarter, plan.status,
                    STATUS_LABELS.get(plan.status, plan.status), plan.due_date.isoformat(),
                    plan.submitted_on.isoformat() if plan.submitted_on else "",
                    rules.filed_on_time(plan.due_date, plan.submitted_on, ctx.today()), plan.review_comment,
                    plan.instance_id, tuple(entry_row(e) for e in plans.entries(plan.id)))


def plan_list(ctx: PlansContext, actor: Actor) -> list[PlanView]:
    """An institution's own plans; the bureau's staff see every plan of their jurisdiction."""
    def query(_uow: UnitOfWork, plans: PlansRepository) -> list[PlanView]:
        if actor.is_admin:
            found = plans.plans()
        elif is_bureau(actor):
            found = plans.plans(institution_ids=sorted(actor.jurisdiction))
        else:
            found = plans.plans(institution_ids=[actor.organisation_id])
        return [_view(ctx, plans, p) for p in found]
    return read(ctx, query)


def plan_view(ctx: PlansContext, actor: Actor, plan_id: int) -> PlanView:
    return read(ctx, lambda _uow, plans: _view(ctx, plans, visible_plan(plans, actor, plan_id)))


def add_entry(ctx: PlansContext, actor: Actor, plan_id: int, values: rules.EntryValues) -> int:
    """Add one planned class; refused naming the field (a date outside the planned quarter names the date)."""
    with ctx.platform.uow() as uow:
        plans = repo(uow)
        plan = visible_plan(plans, actor, plan_id, lock=True)
        require_filer(actor, plan)
        errors = rules.entry_errors(plan.year, plan.quarter, values, is_known_job_type(values.job_type))
        if errors:
            raise InvalidData(errors, "培训班未添加")
        assert values.start_date is not None and values.end_date is not None and values.capacity is not None
        entry = PlanEntry(plan_id=plan.id, job_type=values.job_type, training_kind=values.training_kind,
                          start_date=values.start_date, end_date=values.end_date, place=values.place.strip(),
                          capacity=values.capacity)
        plans.add(entry)
        uow.audit.record("plan.entry.add", user_id=actor.user_id or None, username=actor.username,
                         entity="training_plan", entity_id=plan.id, detail={"job_type": values.job_type})
        uow.commit()
        return entry.id


def remove_entry(ctx: PlansContext, actor: Actor, plan_id: int, entry_id: int) -> None:
    with ctx.platform.uow() as uow:
        plans = repo(uow)
        plan = visible_plan(plans, actor, plan_id, lock=True)
        require_filer(actor, plan)
        entry = plans.entry(entry_id)
        if entry is None or entry.plan_id != plan.id:
            raise InvalidData({"entry": f"培训班 {entry_id} 不在此计划中"})
        plans.delete(entry)
        uow.commit()


def open_steps(ctx: PlansContext, actor: Actor, instance_id: int | None) -> dict[str, str]:
    """The plan's open tasks the actor may work on: BPMN id → task id."""
    if instance_id is None:
        return {}
    view = instances.show_instance(ctx.platform, actor, instance_id)
    return {t.bpmn_id: t.id for t in view.active_tasks if tasks.may_work_on(actor, t)}


def finish_step(ctx: PlansContext, actor: Actor, plan_id: int, bpmn_id: str, data: Mapping[str, Any]) -> str:
    """Complete the plan's open task ``bpmn_id`` (the same checks as the generic task page)."""
    plan = plan_view(ctx, actor, plan_id)
    task_id = open_steps(ctx, actor, plan.instance_id).get(bpmn_id)
    if task_id is None:
        raise Conflict("该步骤当前不在您的待办中（可能已由他人办理）")
    return tasks.complete(ctx.platform, actor, task_id, dict(data))
