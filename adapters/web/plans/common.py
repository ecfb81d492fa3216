"""Shared by the plans pages: the family context of this app and the job-type select."""

from __future__ import annotations

from adapters.rules.catalogue import CATEGORIES, LEADER_JOB_TYPES, operation_types
from adapters.services.plans import plans_context
from adapters.services.plans.context import PlansContext
from adapters.web.security import wiring


def ctx() -> PlansContext:
    return plans_context(wiring())


def job_type_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The job-type catalogue for a grouped select: leader roles, then each special-operations category."""
    groups = [("主要负责人、安全生产管理人员、班组长", list(LEADER_JOB_TYPES.items()))]
    for code, name in CATEGORIES.items():
        groups.append((f"{code} {name}", [(op.code, f"{op.code} {op.name}") for op in operation_types(code)]))
    return groups
