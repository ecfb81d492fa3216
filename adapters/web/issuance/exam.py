"""The exam of a class: the score grid with the same-day resit (S3), score xlsx import and template, the A1.4(3)
score summary, the exam password (bureau enters it; the site sees it on the exam day) and certificate receipts."""

from __future__ import annotations

import io
import re
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from adapters.render.xlsx import RowError
from adapters.services.issuance import exams, issuance, passwords, scores
from adapters.services.issuance.class_page import CELL_NAMES, record_grid, score_page
from adapters.services.platform.errors import InvalidData
from adapters.web.issuance.common import ctx
from adapters.web.issuance.form_posts import day
from adapters.web.security import current_actor, login_required

bp = Blueprint("exam", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CELL = re.compile(r"s-([0-9]{1,9})-([a-z_]+)")


def _grid(class_id: int, *, errors: dict[str, str] | None = None, typed: dict[str, str] | None = None,
          sheet_errors: list[RowError] | None = None, status: int = 200) -> Any:
    page = score_page(ctx(), current_actor(), class_id)
    errors, typed = errors or {}, typed or {}
    loose = {key: message for key, message in errors.items() if key not in typed}  # not on a cell shown
    return render_template("issuance/scores.html", page=page, sheet=page.sheet, class_id=class_id,
                           cells=CELL_NAMES, errors=errors, typed=typed, loose=loose,
                           sheet_errors=sheet_errors or []), status


@bp.get("/<int:class_id>/scores")
@login_required
def scores_page(class_id: int) -> Any:
    return _grid(class_id)


@bp.post("/<int:class_id>/scores")
@login_required
def record(class_id: int) -> Any:
    cells: dict[int, dict[str, str]] = {}
    typed = {}
    for key, value in request.form.items():
        match = CELL.fullmatch(key)
        if match and match.group(2) in CELL_NAMES:
            cells.setdefault(int(match.group(1)), {})[match.group(2)] = value
            typed[f"{match.group(1)}.{match.group(2)}"] = value
    try:
        sheet = record_grid(ctx(), current_actor(), class_id, cells)
    except InvalidData as err:
        flash(_("成绩未保存：%(why)s", why=str(err)), "error")
        return _grid(class_id, errors=err.errors, typed=typed, status=422)
    flash(_("成绩已保存。合格 %(passed)s 人，待补考 %(resit)s 人", passed=sheet.count("passed"),
            resit=sheet.count("resit_allowed")), "success")
    return redirect(url_for("issuance.exam.scores_page", class_id=class_id))


@bp.get("/<int:class_id>/scores/template.xlsx")
@login_required
def score_template(class_id: int) -> Any:
    data = scores.score_template(ctx(), current_actor(), class_id)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=f"成绩录入-{class_id}.xlsx")


@bp.post("/<int:class_id>/scores/import")
@login_required
def import_scores(class_id: int) -> Any:
    sheet = request.files.get("sheet")
    if sheet is None or not sheet.filename:
        flash(_("请选择要导入的成绩表（xlsx）"), "error")
        return redirect(url_for("issuance.exam.scores_page", class_id=class_id))
    outcome = scores.import_scores_xlsx(ctx(), current_actor(), class_id, sheet.read())
    if not outcome.recorded:
        flash(_("成绩未导入：请修改下列问题后重新上传（本次未保存任何成绩）"), "error")
        return _grid(class_id, sheet_errors=outcome.errors, status=422)
    flash(_("成绩已导入"), "success")
    return redirect(url_for("issuance.exam.scores_page", class_id=class_id))


@bp.get("/<int:class_id>/scores/summary.xlsx")
@login_required
def summary(class_id: int) -> Any:
    data = exams.score_summary(ctx(), current_actor(), class_id)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=f"考生成绩汇总表-{class_id}.xlsx")


@bp.post("/<int:class_id>/password")
@login_required
def password(class_id: int) -> Any:
    try:
        passwords.record_exam_password(ctx(), current_actor(), class_id, request.form.get("password", ""))
    except InvalidData as err:
        flash("；".join(err.errors.values()) or str(err), "error")
    else:
        flash(_("考试密码已录入；仅承考考点在考试当日可见"), "success")
    return redirect(url_for("issuance.show", class_id=class_id, _anchor="exam"))


@bp.post("/<int:class_id>/receipts")
@login_required
def receipts(class_id: int) -> Any:
    received_on = day(request.form.get("received_on"))
    chosen = [int(v) for v in request.form.getlist("certificate") if v.isdigit()]
    if received_on is None or not chosen:
        flash(_("请勾选已领取证书的学员并填写领取日期"), "error")
        return redirect(url_for("issuance.show", class_id=class_id, _anchor="certificates"))
    try:
        count = issuance.record_receipts(ctx(), current_actor(), class_id,
                                         [issuance.Receipt(cid, received_on) for cid in chosen])
    except InvalidData as err:
        flash("；".join(err.errors.values()) or str(err), "error")
    else:
        flash(_("已登记 %(n)s 名学员领取证书", n=count), "success")
    return redirect(url_for("issuance.show", class_id=class_id, _anchor="certificates"))
