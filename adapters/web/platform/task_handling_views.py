"""Task handling on the task page, for every process: 转办, 催办, 撤回, 退回到前序步骤 and the 审批意见 history.

The page includes ``tasks/_handling.html``, which asks ``task_handling(task)`` for what to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from adapters.services.platform import handling, rewinding, tasks
from adapters.services.platform.errors import InvalidData, ServiceError
from adapters.web.security import current_actor, login_required, wiring

bp = Blueprint("task_handling", __name__, url_prefix="/tasks")


@dataclass(frozen=True)
class Handling:
    """What the task page shows and offers beyond the form."""

    colleagues: list[tuple[int, str]] = field(default_factory=list)
    return_targets: list[rewinding.ReturnTarget] = field(default_factory=list)
    may_withdraw: bool = False
    withdraw_refusal: str = ""
    may_remind: bool = False
    reminders: list[handling.Opinion] = field(default_factory=list)
    opinions: list[handling.Opinion] = field(default_factory=list)
    returned: handling.Opinion | None = None


@bp.app_template_global("task_handling")
def task_handling(task: Any) -> Handling:
    platform, actor = wiring().platform, current_actor()
    workable = task.state == "open" and tasks.may_work_on(actor, task)
    refusal = ""
    if task.state == "completed" and task.completed_by_id == actor.user_id:
        refusal = rewinding.withdrawal_refusal(platform, actor, task.id)
    with platform.reader() as uow:
        return Handling(
            colleagues=handling.colleagues(platform, actor, task.id) if workable else [],
            return_targets=rewinding.return_targets(platform, actor, task.id) if workable else [],
            may_withdraw=task.state == "completed" and task.completed_by_id == actor.user_id and not refusal,
            withdraw_refusal=refusal,
            may_remind=handling.may_remind(uow, actor, task),
            reminders=handling.reminders(uow, task.id) if task.state == "open" else [],
            opinions=handling.opinions(uow, task.instance_id),
            returned=handling.last_return(uow, task))


def _back(task_id: str) -> Any:
    return redirect(url_for("task_views.show", task_id=task_id))


def _refused(err: ServiceError) -> None:
    if isinstance(err, InvalidData):
        for message in err.errors.values():
            flash(message, "error")
    else:
        flash(str(err), "error")


@bp.post("/<task_id>/transfer")
@login_required
def transfer(task_id: str) -> Any:
    to_user = request.form.get("to_user", "")
    try:
        name = handling.transfer(wiring().platform, current_actor(), task_id,
                                 int(to_user) if to_user.isdigit() else 0, request.form.get("note", ""))
    except ServiceError as err:
        _refused(err)
        return _back(task_id)
    flash(_("已转办给 %(name)s", name=name), "success")
    return redirect(url_for("inbox.index"))


@bp.post("/<task_id>/remind")
@login_required
def remind(task_id: str) -> Any:
    try:
        count = handling.remind(wiring().platform, current_actor(), task_id, request.form.get("note", ""))
    except ServiceError as err:
        _refused(err)
    else:
        flash(_("已催办，%(n)s 人收到提醒", n=count), "success")
    return _back(task_id)


@bp.post("/<task_id>/withdraw")
@login_required
def withdraw(task_id: str) -> Any:
    try:
        rewinding.withdraw(wiring().platform, current_actor(), task_id)
    except ServiceError as err:
        _refused(err)
    else:
        flash(_("已撤回，您可以修改后再次提交"), "success")
    return _back(task_id)


@bp.post("/<task_id>/return")
@login_required
def return_to(task_id: str) -> Any:
    try:
        step = rewinding.return_to(wiring().platform, current_actor(), task_id, request.form.get("target", ""),
                                   request.form.get("reason", ""))
    except ServiceError as err:
        _refused(err)
        return _back(task_id)
    flash(_("已退回到「%(step)s」", step=step), "success")
    return redirect(url_for("inbox.index"))
