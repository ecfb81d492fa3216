"""Team leaders (S4): an enterprise applies for initial certification or renewal; the bureau imports existing
e-certificates. Review, exam and numbering run in the task inbox of the supervising bureau."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.services.enterprises import pages, team_leaders
from adapters.services.enterprises.team_leaders import ApplicantInput
from adapters.services.platform.errors import InvalidData
from adapters.web.enterprises.common import ctx, sheet_bytes
from adapters.web.security import current_actor, login_required

bp = Blueprint("team_leaders", __name__, url_prefix="/team_leaders")
BLANK_ROWS = 5


def _index(*, sheet_errors: list[Any] | None = None, status: int = 200) -> Any:
    return render_template("enterprises/team_leaders.html", rows=team_leaders.applications(ctx(), current_actor()),
                           sheet_errors=sheet_errors or []), status


@bp.get("/")
@login_required
def index() -> Any:
    return _index()


def _new_page(*, errors: dict[str, str] | None = None, sheet_errors: list[Any] | None = None,
              status: int = 200) -> Any:
    people = _posted() or [ApplicantInput("", "") for _row in range(BLANK_ROWS)]
    return render_template("enterprises/team_leader_new.html", kinds=team_leaders.KINDS, people=people,
                           errors=errors or {}, sheet_errors=sheet_errors or [], values=request.form), status


def _posted() -> list[ApplicantInput]:
    names, numbers = request.form.getlist("name"), request.form.getlist("id_number")
    return [ApplicantInput(n.strip(), i.strip()) for n, i in zip(names, numbers, strict=False)
            if n.strip() or i.strip()]


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if request.method == "GET":
        return _new_page()
    people = _posted()
    data = sheet_bytes()
    if data is not None:
        people, sheet_errors = team_leaders.applicants_from_sheet(data)
        if sheet_errors:
            flash(_("名单未导入：请修改下列问题后重新上传"), "error")
            return _new_page(sheet_errors=sheet_errors, status=422)
    try:
        application_id = team_leaders.apply(ctx(), current_actor(), request.form.get("kind", ""), people)
    except InvalidData as err:
        flash(_("申请未提交：请按提示修改"), "error")
        return _new_page(errors=dict(err.errors), status=422)
    flash(_("申请已提交，由监管本企业的应急管理局审核并组织考试"), "success")
    return redirect(url_for("enterprises.team_leaders.show", application_id=application_id))


def _show(application_id: int, *, errors: dict[str, str] | None = None, status: int = 200) -> Any:
    [row] = team_leaders.applications(ctx(), current_actor(), application_id)
    steps = pages.open_steps(ctx(), current_actor(), row.instance_id)
    return render_template("enterprises/team_leader.html", row=row, steps=steps, errors=errors or {},
                           sites=pages.exam_sites(ctx()) if "schedule_exam" in steps else [],
                           values=request.form), status


@bp.get("/<int:application_id>")
@login_required
def show(application_id: int) -> Any:
    return _show(application_id)


@bp.post("/<int:application_id>/<any(review_application, schedule_exam):step>")
@login_required
def finish(application_id: int, step: str) -> Any:
    """The bureau reviews and schedules on the application page (selects instead of typed site codes)."""
    [row] = team_leaders.applications(ctx(), current_actor(), application_id)
    fields = ("decision", "comment") if step == "review_application" else ("exam_site_code", "exam_date")
    try:
        pages.finish_step(ctx(), current_actor(), row.instance_id, step, {k: request.form.get(k, "") for k in fields})
    except InvalidData as err:
        flash(_("未提交：请按提示修改"), "error")
        return _show(application_id, errors=dict(err.errors), status=422)
    flash(_("已提交"), "success")
    return redirect(url_for("enterprises.team_leaders.show", application_id=application_id))


@bp.post("/certificates/import")
@login_required
def import_certificates() -> Any:
    data = sheet_bytes()
    if data is None:
        flash(_("请选择要导入的 xlsx 文件"), "error")
        return _index(status=422)
    count, errors = team_leaders.import_certificates(ctx(), current_actor(), data)
    if errors:
        flash(_("未导入任何证书：请修改下列问题后重新上传"), "error")
        return _index(sheet_errors=errors, status=422)
    flash(_("已导入 %(num)s 张班组长证书", num=count), "success")
    return redirect(url_for("enterprises.team_leaders.index"))
