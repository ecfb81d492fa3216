"""Training classes (期次) and certificate issuance (S1–S3, A1): the class list, registration and the class page.

Only ``bp`` is registered by the app factory; the archive, exam and report pages are blueprints nested in it.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from adapters.render.xlsx import RowError
from adapters.services.issuance import class_page, classes
from adapters.services.issuance.context import STATUS_LABELS
from adapters.services.issuance.pages import (
    ClassForm,
    Registration,
    SheetTrainees,
    class_list,
    issuing_bureaus,
    may_register,
    read_trainee_sheet,
    register,
    register_sheet,
    start,
)
from adapters.services.issuance.views import RESULT_LABELS
from adapters.services.platform.errors import Forbidden, InvalidData
from adapters.web.issuance import archive, exam, reports
from adapters.web.issuance.common import ctx, render_class, row_choices
from adapters.web.issuance.form_posts import (
    day,
    number,
    posted_rows,
    progress_stream,
    row_errors,
    trainee_inputs,
    wants_stream,
)
from adapters.web.security import current_actor, login_required, wiring

bp = Blueprint("issuance", __name__, url_prefix="/classes")
bp.register_blueprint(archive.bp)
bp.register_blueprint(exam.bp)
bp.register_blueprint(reports.bp)
bp.record_once(reports.register_links)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLANK_ROWS = 3


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {"class_status_labels": STATUS_LABELS, "result_labels": RESULT_LABELS}


@bp.get("/")
@login_required
def index() -> Any:
    status = request.args.get("status", "")
    page = request.args.get("page", 1, type=int) or 1
    rows, more = class_list(ctx(), current_actor(), status=status if status in STATUS_LABELS else "", page=page)
    return render_template("issuance/index.html", rows=rows, more=more, page=page, status=status,
                           statuses=STATUS_LABELS, may_register=may_register(current_actor()),
                           today=wiring().platform.today())


@bp.get("/template.xlsx")
@login_required
def template() -> Any:
    return send_file(io.BytesIO(classes.import_template()), mimetype=XLSX, as_attachment=True,
                     download_name="学员信息导入模板.xlsx")


def _class_form() -> ClassForm:
    form = request.form
    return ClassForm(class_no=form.get("class_no", "").strip(), job_type=form.get("job_type", ""),
                     training_kind=form.get("training_kind", ""), start_date=day(form.get("start_date")),
                     end_date=day(form.get("end_date")), issuing_organisation_id=number(form.get("issuing_bureau")),
                     location=form.get("location", "").strip())


def _new_page(rows: list[dict[str, str]], *, errors: dict[str, str] | None = None,
              cells: dict[int, dict[str, str]] | None = None, sheet_errors: list[RowError] | None = None,
              status: int = 200) -> Any:
    return render_template("issuance/new.html", rows=rows, errors=errors or {}, cells=cells or {},
                           sheet_errors=sheet_errors or [], bureaus=issuing_bureaus(ctx()), values=_values(),
                           **row_choices()), status


def _values() -> Any:
    """What was posted; on the first visit the fields a published plan entry prefills (S12)."""
    return request.form if request.method == "POST" else request.args


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if not may_register(current_actor()):
        raise Forbidden(_("只有培训机构经办人可以登记期次"))
    if request.method == "GET":
        return _new_page([{} for _row in range(BLANK_ROWS)])
    rows = posted_rows(request.form)
    if request.form.get("_action", "").startswith("addrow"):
        return _new_page([*rows, {}])
    sheet = request.files.get("sheet")
    if sheet is not None and sheet.filename:
        data, form = sheet.read(), _class_form()
        if wants_stream():
            return progress_stream(lambda progress: read_trainee_sheet(data, progress),
                                   lambda checked: _streamed_answer(form, checked))
        return _register_from_sheet(form, read_trainee_sheet(data), rows)
    form = _class_form()
    items, origin = trainee_inputs(rows, form.job_type, form.training_kind)
    try:
        registration = register(ctx(), current_actor(), form, items)
    except InvalidData as err:
        cells, other = row_errors(err.errors, origin)
        flash(_("期次未登记：请按提示修改标红的项目"), "error")
        return _new_page(rows or [{}], errors=other, cells=cells, status=422)
    return _registered(registration)


def _register_from_sheet(form: ClassForm, sheet: SheetTrainees, rows: list[dict[str, str]]) -> Any:
    outcome = register_sheet(ctx(), current_actor(), form, sheet)
    if outcome.registration is None:
        flash(_("期次未登记，未导入任何学员：请修改下列问题后重新上传"), "error")
        return _new_page(rows or [{}], errors=outcome.field_errors, sheet_errors=outcome.row_errors, status=422)
    return _registered(outcome.registration)


def _streamed_answer(form: ClassForm, sheet: SheetTrainees) -> dict[str, Any]:
    outcome = register_sheet(ctx(), current_actor(), form, sheet)
    if outcome.registration is None:
        html = render_template("issuance/_sheet_errors.html", sheet_errors=outcome.row_errors,
                               field_errors=outcome.field_errors)
        return {"ok": False, "html": html, "rows": len(outcome.row_errors)}
    # The session cookie left with the first line, so a flash would be lost: the class page shows the state.
    return {"ok": True, "redirect": url_for("issuance.show", class_id=outcome.registration.class_id)}


def _registered(registration: Registration) -> Any:
    if registration.instance_id is None:
        flash(_("期次已登记，但考核发证流程未能启动：%(why)s", why=registration.start_problem), "error")
    else:
        flash(_("期次已登记，考核发证流程已启动"), "success")
    return redirect(url_for("issuance.show", class_id=registration.class_id))


@bp.get("/<int:class_id>")
@login_required
def show(class_id: int) -> Any:
    return render_class(class_id)


@bp.get("/<int:class_id>/certificates/progress")
@login_required
def certificate_progress(class_id: int) -> Any:
    """How far the background rendering of the class's certificate PDFs is (polled by job_progress.js)."""
    job = class_page.certificate_progress(ctx(), current_actor(), class_id)
    if job is None:
        return jsonify(state="none", done=0, total=0)
    return jsonify(state=job.state, done=job.progress_done, total=job.progress_total)


@bp.post("/<int:class_id>/start")
@login_required
def start_process(class_id: int) -> Any:
    return _registered(start(ctx(), current_actor(), class_id))
