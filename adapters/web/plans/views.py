"""Quarterly training plans (S12): the plan list, the plan page (classes, filing, review, publication) and the
public page of the coming quarter's published classes with its printable PDF.

Only ``bp`` is registered by the app factory; the public pages are a blueprint nested in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.rules.plans import TRAINING_KINDS, EntryValues
from adapters.services.plans import plans
from adapters.services.plans.context import is_bureau
from adapters.services.platform.errors import InvalidData
from adapters.web.plans import public
from adapters.web.plans.common import ctx, job_type_groups
from adapters.web.security import current_actor, login_required

bp = Blueprint("plans", __name__, url_prefix="/plans")
bp.register_blueprint(public.bp)
STEP_FIELDS = {"file_plan": ("confirmed",), "review_plan": ("decision", "comment"), "publish_plan": ("confirmed",)}


@bp.get("/")
@login_required
def index() -> Any:
    return render_template("plans/index.html", rows=plans.plan_list(ctx(), current_actor()),
                           bureau=is_bureau(current_actor()))


def _show(plan_id: int, *, errors: dict[str, str] | None = None, status: int = 200) -> Any:
    actor = current_actor()
    plan = plans.plan_view(ctx(), actor, plan_id)
    steps = plans.open_steps(ctx(), actor, plan.instance_id)
    return render_template("plans/show.html", plan=plan, steps=steps, errors=errors or {}, values=request.form,
                           groups=job_type_groups(), kinds=TRAINING_KINDS), status


@bp.get("/<int:plan_id>")
@login_required
def show(plan_id: int) -> Any:
    return _show(plan_id)


def _day(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.form.get(name, "").strip())
    except ValueError:
        return None


def _int(name: str) -> int | None:
    try:
        return int(request.form.get(name, "").strip())
    except ValueError:
        return None


@bp.post("/<int:plan_id>/entries")
@login_required
def add_entry(plan_id: int) -> Any:
    form = request.form
    values = EntryValues(form.get("job_type", ""), form.get("training_kind", ""), _day("start_date"),
                         _day("end_date"), form.get("place", ""), _int("capacity"))
    try:
        plans.add_entry(ctx(), current_actor(), plan_id, values)
    except InvalidData as err:
        flash(_("培训班未添加：请按提示修改"), "error")
        return _show(plan_id, errors=dict(err.errors), status=422)
    flash(_("已添加培训班"), "success")
    return redirect(url_for("plans.show", plan_id=plan_id))


@bp.post("/<int:plan_id>/entries/<int:entry_id>/delete")
@login_required
def remove_entry(plan_id: int, entry_id: int) -> Any:
    plans.remove_entry(ctx(), current_actor(), plan_id, entry_id)
    flash(_("已删除培训班"), "success")
    return redirect(url_for("plans.show", plan_id=plan_id))


@bp.post("/<int:plan_id>/<any(file_plan, review_plan, publish_plan):step>")
@login_required
def finish(plan_id: int, step: str) -> Any:
    data: dict[str, Any] = {k: request.form.get(k, "") for k in STEP_FIELDS[step]}
    if "confirmed" in data:
        data["confirmed"] = data["confirmed"] in ("1", "on", "true")
    try:
        plans.finish_step(ctx(), current_actor(), plan_id, step, data)
    except InvalidData as err:
        flash(_("未提交：请按提示修改"), "error")
        return _show(plan_id, errors=dict(err.errors), status=422)
    flash(_("已提交"), "success")
    return redirect(url_for("plans.show", plan_id=plan_id))
