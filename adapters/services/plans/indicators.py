"""The plans family's column of the bureau's compliance overview: plans filed by their due date (S12)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from adapters.rules import plans as rules
from adapters.services.plans.context import INSTITUTION_KIND, PlansContext, repo
from adapters.services.platform.compliance import Indicator, Measure, ReportPeriod
from storage.uow import UnitOfWork


def filed_on_time(ctx: PlansContext) -> Indicator:
    def compute(uow: UnitOfWork, period: ReportPeriod, org_ids: Sequence[int]) -> Mapping[int, Measure]:
        quarters = [period.quarter] if period.quarter else None
        counts: dict[int, list[int]] = {}
        for plan in repo(uow).plans(institution_ids=list(org_ids), year=period.year, quarters=quarters):
            verdict = rules.filed_on_time(plan.due_date, plan.submitted_on, ctx.today())
            if verdict is None:
                continue
            done = counts.setdefault(plan.institution_id, [0, 0])
            done[0] += int(verdict)
            done[1] += 1
        return {org: Measure(met / due, f"{met}/{due}", "ok" if met == due else "bad")
                for org, (met, due) in counts.items()}

    return Indicator("plans.filed_on_time", "培训计划按时报送", "Training plans filed on time", (INSTITUTION_KIND,),
                     compute, order=60)
