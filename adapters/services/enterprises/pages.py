"""What the enterprises pages need beyond the use cases: the open step of a case and finishing it from the page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.services.enterprises.context import EnterprisesContext, read
from adapters.services.enterprises.records import enterprise_list
from adapters.services.platform import instances, tasks
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict
from storage.repositories.enterprises import EnterprisesRepository
from storage.uow import UnitOfWork


def open_steps(ctx: EnterprisesContext, actor: Actor, instance_id: int | None) -> dict[str, str]:
    """The open tasks of a case the actor may work on: BPMN id → task id."""
    if instance_id is None:
        return {}
    view = instances.show_instance(ctx.platform, actor, instance_id)
    return {t.bpmn_id: t.id for t in view.active_tasks if tasks.may_work_on(actor, t)}


def finish_step(ctx: EnterprisesContext, actor: Actor, instance_id: int | None, bpmn_id: str,
                data: Mapping[str, Any]) -> str:
    """Complete the case's open task ``bpmn_id`` with ``data`` (the same checks as the generic task page)."""
    task_id = open_steps(ctx, actor, instance_id).get(bpmn_id)
    if task_id is None:
        raise Conflict("该步骤当前不在您的待办中（可能已由他人办理）")
    return tasks.complete(ctx.platform, actor, task_id, data)


def exam_sites(ctx: EnterprisesContext) -> list[tuple[str, str]]:
    """Exam sites and the exam centre, for the sitting select (code, name)."""
    def query(_uow: UnitOfWork, ents: EnterprisesRepository) -> list[tuple[str, str]]:
        return [(o.code, o.name) for o in ents.organisations_of_kind("exam_site", "exam_centre")]
    return read(ctx, query)


def supervised_enterprises(ctx: EnterprisesContext, actor: Actor) -> list[tuple[int, str]]:
    """High-risk enterprises the actor's bureau supervises (the suspension form's select)."""
    rows = enterprise_list(ctx, actor, high_risk=True)
    return [(r.id, r.name) for r in rows
            if r.status in ("", "resumed") and (actor.is_admin or r.supervisor_id == actor.organisation_id)]
