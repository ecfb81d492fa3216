"""The class archive on the class page: file uploads per trainee and requirement (A1.2) and per class item (A1.1,
A1.4), and adding or removing trainees while the archive is being prepared."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.services.issuance import classes
from adapters.services.issuance.pages import (
    SheetTrainees,
    attach_class_files,
    attach_trainee_files,
    class_defaults,
    import_more,
    read_trainee_sheet,
)
from adapters.services.platform.errors import InvalidData
from adapters.web.issuance.common import ctx, render_class
from adapters.web.issuance.form_posts import (
    posted_rows,
    progress_stream,
    row_errors,
    trainee_inputs,
    uploads,
    wants_stream,
)
from adapters.web.security import current_actor, login_required

bp = Blueprint("archive", __name__)


def _class_url(class_id: int, anchor: str = "") -> str:
    return url_for("issuance.show", class_id=class_id, _anchor=anchor or None)


def _flash_invalid(err: InvalidData) -> None:
    details = "；".join(err.errors.values())
    flash(f"{err}：{details}" if details else str(err), "error")


@bp.post("/<int:class_id>/trainees/<int:trainee_id>/files/<key>")
@login_required
def trainee_files(class_id: int, trainee_id: int, key: str) -> Any:
    try:
        count = attach_trainee_files(ctx(), current_actor(), class_id, trainee_id, key,
                                     uploads())
    except InvalidData as err:
        _flash_invalid(err)
    else:
        flash(_("已上传 %(n)s 个文件", n=count), "success")
    return redirect(_class_url(class_id, f"trainee-{trainee_id}"))


@bp.post("/<int:class_id>/files/<key>")
@login_required
def class_files(class_id: int, key: str) -> Any:
    try:
        count = attach_class_files(ctx(), current_actor(), class_id, key, uploads())
    except InvalidData as err:
        _flash_invalid(err)
    else:
        flash(_("已上传 %(n)s 个文件", n=count), "success")
    return redirect(_class_url(class_id, request.form.get("anchor", "archive")))


@bp.post("/<int:class_id>/trainees")
@login_required
def add_trainees(class_id: int) -> Any:
    rows = posted_rows(request.form)
    if request.form.get("_action", "").startswith("addrow"):
        return render_class(class_id, add_rows=[*rows, {}], add_open=True)
    items, origin = trainee_inputs(rows, *class_defaults(ctx(), current_actor(), class_id))
    try:
        classes.add_trainees(ctx(), current_actor(), class_id, items)
    except InvalidData as err:
        cells, other = row_errors(err.errors, origin)
        for message in other.values():
            flash(message, "error")
        flash(_("未增加学员：请按提示修改标红的项目"), "error")
        return render_class(class_id, status=422, add_rows=rows or [{}], add_cells=cells, add_open=True)
    flash(_("已增加 %(n)s 名学员", n=len(items)), "success")
    return redirect(_class_url(class_id, "trainees"))


@bp.post("/<int:class_id>/trainees/import")
@login_required
def import_trainees(class_id: int) -> Any:
    sheet = request.files.get("sheet")
    if sheet is None or not sheet.filename:
        flash(_("请选择要导入的学员信息表（xlsx）"), "error")
        return redirect(_class_url(class_id, "trainees"))
    data = sheet.read()
    if wants_stream():
        return progress_stream(lambda progress: read_trainee_sheet(data, progress),
                               lambda checked: _streamed_answer(class_id, checked))
    errors = import_more(ctx(), current_actor(), class_id, read_trainee_sheet(data))
    if errors:
        flash(_("未导入任何学员：请修改下列问题后重新上传"), "error")
        return render_class(class_id, status=422, sheet_errors=errors, add_open=True)
    flash(_("学员已全部导入"), "success")
    return redirect(_class_url(class_id, "trainees"))


def _streamed_answer(class_id: int, sheet: SheetTrainees) -> dict[str, Any]:
    errors = import_more(ctx(), current_actor(), class_id, sheet)
    if errors:
        html = render_template("issuance/_sheet_errors.html", sheet_errors=errors, field_errors={})
        return {"ok": False, "html": html, "rows": len(errors)}
    return {"ok": True, "redirect": _class_url(class_id, "trainees")}


@bp.post("/<int:class_id>/trainees/<int:trainee_id>/remove")
@login_required
def remove_trainee(class_id: int, trainee_id: int) -> Any:
    try:
        classes.remove_trainee(ctx(), current_actor(), trainee_id)
    except InvalidData as err:
        _flash_invalid(err)
    else:
        flash(_("已删除学员"), "success")
    return redirect(_class_url(class_id, "trainees"))
