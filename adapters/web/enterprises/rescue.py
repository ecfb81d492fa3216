"""Part-time mine rescue team members (S6): the rescue team registers the course, confirms the members and
records the practical scores; the exam centre's theory exam runs in its inbox on the exam-with-resit process."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.services.enterprises import pages, rescue
from adapters.services.platform.errors import InvalidData
from adapters.web.enterprises.common import ctx, sheet_bytes
from adapters.web.security import current_actor, login_required

bp = Blueprint("rescue", __name__, url_prefix="/rescue")


@bp.get("/")
@login_required
def index() -> Any:
    return render_template("enterprises/rescue_index.html", courses=rescue.courses(ctx(), current_actor()),
                           statuses=rescue.STATUSES)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if request.method == "GET":
        return render_template("enterprises/rescue_new.html", errors={}, sheet_errors=[], values=request.form)
    data = sheet_bytes()
    errors = {} if data is not None else {"sheet": _("请选择队员名单 xlsx 文件")}
    try:
        course_id, sheet_errors = (rescue.create_course(ctx(), current_actor(), request.form.get("title", ""), data)
                                   if data is not None else (None, []))
    except InvalidData as err:
        errors, course_id, sheet_errors = {**errors, **err.errors}, None, []
    if course_id is None:
        flash(_("培训班未登记：请按提示修改"), "error")
        return render_template("enterprises/rescue_new.html", errors=errors, sheet_errors=sheet_errors,
                               values=request.form), 422
    flash(_("培训班已登记，请确认参训队员"), "success")
    return redirect(url_for("enterprises.rescue.show", course_id=course_id))


def _show(course_id: int, *, errors: dict[str, str] | None = None, status: int = 200) -> Any:
    page = rescue.course_page(ctx(), current_actor(), course_id)
    steps = pages.open_steps(ctx(), current_actor(), page.instance_id)
    return render_template("enterprises/rescue.html", page=page, steps=steps, errors=errors or {}), status


@bp.get("/<int:course_id>")
@login_required
def show(course_id: int) -> Any:
    return _show(course_id)


@bp.post("/<int:course_id>/members")
@login_required
def members(course_id: int) -> Any:
    chosen = [int(x) for x in request.form.getlist("member") if x.isdigit()]
    rescue.confirm_members(ctx(), current_actor(), course_id, chosen)
    page = rescue.course_page(ctx(), current_actor(), course_id)
    try:
        pages.finish_step(ctx(), current_actor(), page.instance_id, "confirm_members", {"confirmed": True})
    except InvalidData as err:
        return _show(course_id, errors=dict(err.errors), status=422)
    flash(_("参训队员已确认"), "success")
    return redirect(url_for("enterprises.rescue.show", course_id=course_id))


@bp.post("/<int:course_id>/practical")
@login_required
def practical(course_id: int) -> Any:
    scores = {int(k[1:]): v for k, v in request.form.items() if k.startswith("m") and k[1:].isdigit()}
    try:
        rescue.record_practical(ctx(), current_actor(), course_id, scores)
        if request.form.get("finish") == "1":
            page = rescue.course_page(ctx(), current_actor(), course_id)
            pages.finish_step(ctx(), current_actor(), page.instance_id, "practical", {"confirmed": True})
    except InvalidData as err:
        flash(_("实操成绩未保存：请按提示修改"), "error")
        return _show(course_id, errors=dict(err.errors), status=422)
    flash(_("实操成绩已保存"), "success")
    return redirect(url_for("enterprises.rescue.show", course_id=course_id))
