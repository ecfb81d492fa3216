"""委托 (delegations) and 批量办理 (batch handling) pages, for every process; the inbox links to both."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.services.platform import batch, delegation
from adapters.services.platform.errors import InvalidData
from adapters.web.security import current_actor, login_required, wiring

bp = Blueprint("delegation_views", __name__)


@bp.app_template_global("delegated_tasks")
def delegated_tasks() -> list[Any]:
    """Open tasks the signed-in user handles by 委托 (shown in the inbox, marked 委托)."""
    return delegation.delegated_tasks(wiring().platform, current_actor())


@bp.get("/delegations")
@login_required
def index(errors: dict[str, str] | None = None, status: int = 200) -> Any:
    page = delegation.delegations_page(wiring().platform, current_actor())
    return render_template("handling/delegations.html", page=page, errors=errors or {},
                           form=request.form if errors else {}), status


@bp.post("/delegations")
@login_required
def create() -> Any:
    to_user = request.form.get("to_user", "")
    try:
        ends_on = dt.date.fromisoformat(request.form.get("ends_on", ""))
    except ValueError:
        ends_on = None
    try:
        delegation.delegate(wiring().platform, current_actor(), to_user_id=int(to_user) if to_user.isdigit() else 0,
                            role_key=request.form.get("role", ""), ends_on=ends_on,
                            note=request.form.get("note", ""))
    except InvalidData as err:
        return index(errors=err.errors, status=422)
    flash(_("委托已生效，被委托人将在待办中看到您的任务（标记为“委托”）"), "success")
    return redirect(url_for("delegation_views.index"))


@bp.post("/delegations/<int:delegation_id>/revoke")
@login_required
def revoke(delegation_id: int) -> Any:
    delegation.revoke(wiring().platform, current_actor(), delegation_id)
    flash(_("委托已撤销"), "success")
    return redirect(url_for("delegation_views.index"))


@bp.get("/tasks/batch")
@login_required
def batch_page() -> Any:
    groups = batch.batch_groups(wiring().platform, current_actor())
    return render_template("handling/batch.html", groups=groups, results=None, errors={})


@bp.post("/tasks/batch")
@login_required
def batch_complete() -> Any:
    platform, actor = wiring().platform, current_actor()
    try:
        results = batch.complete_batch(platform, actor, request.form.get("group", ""),
                                       request.form.getlist("task"), request.form.get("decision", ""),
                                       request.form.get("note", ""))
    except InvalidData as err:
        groups = batch.batch_groups(platform, actor)
        return render_template("handling/batch.html", groups=groups, results=None, errors=err.errors,
                               chosen=request.form.get("group", "")), 422
    return render_template("handling/batch.html", groups=batch.batch_groups(platform, actor), results=results,
                           errors={})
