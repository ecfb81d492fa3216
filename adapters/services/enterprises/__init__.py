"""Enterprises (S4–S6): enterprise records, team leaders by jurisdiction, the full-staff exam before a suspended
high-risk enterprise resumes, and part-time mine rescue team members.

Pages call the use cases of the submodules with an ``EnterprisesContext`` (``enterprises_context(wiring)``); the
diagrams ``full_staff_exam``, ``team_leader_certification`` and ``mine_rescue_training`` call the services
``install`` registers. Exams run on ``exam_with_resit`` through the issuance family's published operators.
"""

from __future__ import annotations

from typing import Any

from adapters.services.enterprises import hooks, rescue_tasks, team_leader_tasks
from adapters.services.enterprises.checks import checks
from adapters.services.enterprises.context import EnterprisesContext, enterprises_context
from adapters.services.enterprises.service_tasks import SuspensionServices

__all__ = ["EnterprisesContext", "enterprises_context", "install"]


def install(wiring: Any) -> EnterprisesContext:
    """Register the enterprises services, submit checks and hooks on the wiring's platform; returns the context."""
    ctx = enterprises_context(wiring)
    registry = ctx.platform.runtime.services
    operators = {**SuspensionServices(ctx).operators(), **team_leader_tasks.TeamLeaderServices(ctx).operators(),
                 **rescue_tasks.RescueServices(ctx).operators()}
    for name, fn in operators.items():
        registry.register(name, fn)
    ctx.platform.submit_checks.update(checks(ctx))
    ctx.platform.submit_checks.update(team_leader_tasks.checks(ctx))
    ctx.platform.submit_checks.update(rescue_tasks.checks())
    ctx.platform.on("step_saved", hooks.record_decider)
    return ctx
