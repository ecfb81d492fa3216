"""Helpers of the plans tests: open a quarter's plan tasks by the calendar, add classes, walk a plan through."""

from __future__ import annotations

import datetime as dt

from adapters.rules.plans import EntryValues
from adapters.services import plans as plans_family
from adapters.services.plans import plans
from adapters.services.plans.context import PlansContext, plans_context
from adapters.services.platform import recurring
from storage.models_plans import TrainingPlan


def ctx_of(wiring) -> PlansContext:
    return plans_context(wiring)


def open_quarter(wiring, today: dt.date) -> list[int]:
    """Run the calendar start for ``today`` (the plans of the next quarter); returns the started instances."""
    [result] = [r for r in recurring.start_due(wiring.platform, today) if r.process_key == "training_plan"]
    return list(result.started)


def plan_of(wiring, institution_id: int, year: int, quarter: int) -> TrainingPlan:
    with wiring.platform.reader() as uow:
        found = plans_family.context.repo(uow).plan_for(institution_id, year, quarter)
        assert found is not None
        uow.session.expunge(found)
        return found


def entry(start: dt.date, days: int = 3, *, job_type: str = "1.2", kind: str = "initial", place: str = "晋城市培训楼",
          capacity: int | None = 40) -> EntryValues:
    return EntryValues(job_type, kind, start, start + dt.timedelta(days=days), place, capacity)


def file_plan(wiring, actor, plan_id: int, *starts: dt.date) -> str:
    ctx = ctx_of(wiring)
    for start in starts:
        plans.add_entry(ctx, actor, plan_id, entry(start))
    return plans.finish_step(ctx, actor, plan_id, "file_plan", {"confirmed": True})
