"""Quarterly training plans (S12): each quarter every institution files next quarter's classes by the due day of
the quarter's last month, the bureau approves or returns them and publishes them on a public page.

``install`` registers the services and the submit check of ``training_plan``, the calendar start (one plan task
per active institution per quarter) and the compliance indicator "plans filed on time".
"""

from __future__ import annotations

from typing import Any

from adapters.rules import plans as rules
from adapters.services.plans import indicators
from adapters.services.plans.context import INSTITUTION_KIND, PROCESS, PlansContext, plans_context
from adapters.services.plans.service_tasks import PlanServices, checks
from adapters.services.platform import compliance, recurring
from storage.models import Organisation

__all__ = ["PlansContext", "install", "plans_context", "recurrence"]


def _title(period: str, org: Organisation) -> str:
    year, quarter = rules.parse_period(period)
    return f"{org.name} 报送 {year} 年第 {quarter} 季度培训计划"


def recurrence() -> recurring.Recurrence:
    """During each quarter, the plan for the next quarter is opened for every institution (S12)."""
    return recurring.Recurrence(PROCESS, INSTITUTION_KIND, period_of=rules.plan_period_open_on,
                                data=lambda period, org: {"period": period}, title=_title)


def install(wiring: Any) -> PlansContext:
    ctx = plans_context(wiring)
    registry = ctx.platform.runtime.services
    for name, fn in PlanServices(ctx).operators().items():
        registry.register(name, fn)
    ctx.platform.submit_checks.update(checks())
    recurring.register(ctx.platform, recurrence())
    compliance.register(ctx.platform, indicators.filed_on_time(ctx))
    return ctx
