"""Suspension orders and the full-staff exam before resumption (S5): the bureau records the order, the enterprise
uploads its roster and records removals, the bureau schedules sittings and decides on resumption."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.rules.enterprises import CASE_STATUSES, SUSPENSION_CAUSES
from adapters.services.enterprises import pages, suspensions
from adapters.services.platform.errors import InvalidData
from adapters.web.enterprises.common import ctx, day, number, sheet_bytes, upload
from adapters.web.security import current_actor, login_required

bp = Blueprint("suspensions", __name__, url_prefix="/suspensions")


@bp.get("/")
@login_required
def index() -> Any:
    status = request.args.get("status", "")
    rows = suspensions.case_list(ctx(), current_actor(), status=status if status in CASE_STATUSES else "")
    return render_template("enterprises/suspensions.html", rows=rows, status=status)


def _new_page(*, errors: dict[str, str] | None = None, status: int = 200) -> Any:
    return render_template("enterprises/suspension_new.html", causes=SUSPENSION_CAUSES,
                           enterprises=pages.supervised_enterprises(ctx(), current_actor()), errors=errors or {},
                           values=request.values), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if request.method == "GET":
        return _new_page()
    form = request.form
    item = suspensions.SuspensionInput(number(form.get("enterprise_id")) or 0, form.get("cause", ""),
                                       form.get("order_no", ""), day(form.get("order_date")))
    try:
        case_id = suspensions.suspend(ctx(), current_actor(), item, upload("order_document"))
    except InvalidData as err:
        flash(_("停产整顿指令未登记：请按提示修改标红的项目"), "error")
        return _new_page(errors=dict(err.errors), status=422)
    flash(_("停产整顿指令已登记，已通知企业上报全员花名册"), "success")
    return redirect(url_for("enterprises.suspensions.show", case_id=case_id))


def render_case(case_id: int, *, errors: dict[str, str] | None = None, sheet_errors: list[Any] | None = None,
                status: int = 200) -> Any:
    actor = current_actor()
    page = suspensions.case_page(ctx(), actor, case_id)
    steps = pages.open_steps(ctx(), actor, page.instance_id)
    return render_template("enterprises/suspension.html", page=page, steps=steps,
                           sites=pages.exam_sites(ctx()) if "schedule_sitting" in steps else [],
                           errors=errors or {}, sheet_errors=sheet_errors or [], values=request.form), status


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int) -> Any:
    return render_case(case_id)


@bp.post("/<int:case_id>/roster")
@login_required
def roster(case_id: int) -> Any:
    data = sheet_bytes()
    if data is None:
        return render_case(case_id, errors={"sheet": _("请选择花名册 xlsx 文件")}, status=422)
    count, errors = suspensions.import_roster(ctx(), current_actor(), case_id, data)
    if errors:
        flash(_("花名册未导入：请修改下列问题后重新上传（整表未导入任何人员）"), "error")
        return render_case(case_id, sheet_errors=errors, status=422)
    flash(_("已导入 %(num)s 人的花名册；核对无误后请提交", num=count), "success")
    return redirect(url_for("enterprises.suspensions.show", case_id=case_id))


def _step(case_id: int, bpmn_id: str, data: dict[str, Any], done: str) -> Any:
    page = suspensions.case_page(ctx(), current_actor(), case_id)
    try:
        pages.finish_step(ctx(), current_actor(), page.instance_id, bpmn_id, data)
    except InvalidData as err:
        flash(_("未提交：请按提示修改"), "error")
        return render_case(case_id, errors=dict(err.errors), status=422)
    flash(done, "success")
    return redirect(url_for("enterprises.suspensions.show", case_id=case_id))


@bp.post("/<int:case_id>/submit-roster")
@login_required
def submit_roster(case_id: int) -> Any:
    return _step(case_id, "submit_roster", {"confirmed": request.form.get("confirmed") == "on"},
                 _("花名册已上报，等待监管局安排考试"))


@bp.post("/<int:case_id>/schedule")
@login_required
def schedule(case_id: int) -> Any:
    data = {"exam_site_code": request.form.get("exam_site_code", ""), "exam_date": request.form.get("exam_date", "")}
    return _step(case_id, "schedule_sitting", data, _("考试场次已安排，考点将在考试当日录入成绩"))


@bp.post("/<int:case_id>/decide")
@login_required
def decide(case_id: int) -> Any:
    data = {"decision": request.form.get("decision", ""), "decision_note": request.form.get("decision_note", "")}
    return _step(case_id, "resumption_review", data, _("审查结论已提交"))


@bp.post("/<int:case_id>/people/<int:person_id>/remove")
@login_required
def remove(case_id: int, person_id: int) -> Any:
    try:
        suspensions.remove_from_post(ctx(), current_actor(), person_id, request.form.get("reason", ""),
                                     upload("document"))
    except InvalidData as err:
        flash(_("调离登记未保存：请按提示补全"), "error")
        return render_case(case_id, errors={f"p{person_id}_{k}": v for k, v in err.errors.items()}, status=422)
    flash(_("已登记调离岗位"), "success")
    return redirect(url_for("enterprises.suspensions.show", case_id=case_id) + f"#p{person_id}")
