"""Demo data of the plans family for the embedded default: the current quarter's plan tasks (the calendar start
run once now), and one institution's plan for the coming quarter filed, approved and published, so the public page
has content while tongan's plan task waits in the inbox."""

from __future__ import annotations

import datetime as dt

from adapters.rules import plans as rules
from adapters.rules.quarters import quarter_bounds
from adapters.services import plans as plans_family
from adapters.services.plans import plans
from adapters.services.plans.context import PlansContext, repo
from adapters.services.platform import recurring
from adapters.services.platform.directory import actor_by_username

PUBLISHED_BY = ("antai", "jiaoyu")  # the institution that files, the bureau that reviews and publishes
# job type, kind, days after the quarter's first day, length in days, place, capacity
CLASSES = (
    ("1.2", "initial", 6, 5, "泽州县南村镇安全培训基地（演示）", 40),
    ("principal_leader", "renewal", 20, 2, "泽州县安泰培训中心二楼（演示）", 60),
    ("4.1", "initial", 40, 7, "泽州县安泰培训中心实操场（演示）", 30),
)


def load(ctx: PlansContext) -> str | None:
    """Open the plan tasks and publish the demo institution's plan; idempotent. Returns what was published."""
    period = rules.plan_period_open_on(ctx.today())
    recurring.start_period(ctx.platform, plans_family.recurrence(), period)
    year, quarter = rules.parse_period(period)
    filer, bureau = (actor_by_username(ctx.platform, name) for name in PUBLISHED_BY)
    with ctx.platform.reader() as uow:
        plan = repo(uow).plan_for(filer.organisation_id, year, quarter)
        if plan is None or plan.status != "draft" or repo(uow).entries(plan.id):
            return None
        plan_id = plan.id
    first, _last = quarter_bounds(year, quarter)
    for job_type, kind, offset, days, place, capacity in CLASSES:
        start = first + dt.timedelta(days=offset)
        plans.add_entry(ctx, filer, plan_id, rules.EntryValues(job_type, kind, start, start + dt.timedelta(days=days),
                                                               place, capacity))
    plans.finish_step(ctx, filer, plan_id, "file_plan", {"confirmed": True})
    plans.finish_step(ctx, bureau, plan_id, "review_plan", {"decision": "approve", "comment": ""})
    plans.finish_step(ctx, bureau, plan_id, "publish_plan", {"confirmed": True})
    return f"{year} 年第 {quarter} 季度"
