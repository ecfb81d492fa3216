"""The task page: header, claim/unclaim, the low-code form with uploads, drafts and completion."""

from __future__ import annotations

import re
from typing import Any, BinaryIO, cast

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from adapters.services.platform import inbox, task_page, tasks
from adapters.services.platform.documents import Upload
from adapters.services.platform.errors import InvalidData
from adapters.services.platform.task_page import TaskPage
from adapters.web.security import current_actor, login_required, wiring
from forms.formpost import from_form_post
from forms.labels import label_for
from forms.wtf import build_wtform, validate_wtform

bp = Blueprint("task_views", __name__, url_prefix="/tasks")
_CELL = re.compile(r"([A-Za-z][A-Za-z0-9_]*)\[([0-9]+)\](?:\.([A-Za-z][A-Za-z0-9_]*))?")
MIB = 1024 * 1024
KEEP, DROP, ACTION = "_keep_", "_drop_", "_action"


def _lang() -> str:
    return str(get_locale() or "zh")[:2]


@bp.app_template_filter("form_label")
def form_label(value: Any) -> str:
    """A form-definition label ({"zh", "en"} mapping or plain text) in the current language."""
    return label_for(value, _lang())


@bp.app_template_filter("file_types")
def file_types(accept: Any) -> str:
    """The file types a field accepts, as users know them ("PDF、JPG、PNG")."""
    return "、".join(task_page.type_names(task_page.allowed_types(accept or ())))


@bp.get("/<task_id>")
@login_required
def show(task_id: str) -> Any:
    page = task_page.task_page(wiring().platform, current_actor(), task_id)
    form = None
    if page.may_work:
        form = build_wtform(page.form, _lang(), data=page.draft if page.draft is not None else page.data)
    values = page.draft if page.draft is not None else page.data
    files = {name: [page.documents[i] for i in ids if i in page.documents]
             for name, ids in _file_values(page, values).items()}
    return _render(page, form, files)


@bp.post("/<task_id>")
@login_required
def act(task_id: str) -> Any:
    actor = current_actor()
    page = task_page.task_page(wiring().platform, actor, task_id)
    if not page.may_work:
        flash(page.refusal, "error")
        return redirect(url_for("task_views.show", task_id=task_id))
    action = request.form.get(ACTION, "submit")
    add_rows = _add_rows(page, action)
    form = build_wtform(page.form, _lang(), data=page.draft or page.data, add_rows=add_rows)
    file_ids, files, file_errors = _collect_files(page)
    if add_rows:
        return _render(page, form, files, errors=file_errors)
    if action == "draft":
        return _save_draft(page, form, file_ids, file_errors, files)
    return _submit(page, form, file_ids, file_errors, files)


@bp.post("/<task_id>/claim")
@login_required
def claim(task_id: str) -> Any:
    tasks.claim(wiring().platform, current_actor(), task_id)
    flash(_("已认领此任务，其他人将不能再处理它"), "success")
    return redirect(url_for("task_views.show", task_id=task_id))


@bp.post("/<task_id>/unclaim")
@login_required
def unclaim(task_id: str) -> Any:
    tasks.unclaim(wiring().platform, current_actor(), task_id)
    flash(_("已退回此任务，同组人员可以认领"), "success")
    return redirect(url_for("task_views.show", task_id=task_id))


def _save_draft(page: TaskPage, form: Any, file_ids: dict[str, list[int]], file_errors: dict[str, str],
                files: dict[str, list[Any]]) -> Any:
    data: dict[str, Any] = {**from_form_post(page.form, request.form), **file_ids}
    tasks.save_draft(wiring().platform, current_actor(), page.task.id, data)
    if file_errors:
        flash(_("草稿已保存，但有文件未能上传"), "error")
        return _render(page, form, files, errors=file_errors, status=422)
    flash(_("草稿已保存，下次打开此任务时会自动恢复"), "success")
    return redirect(url_for("task_views.show", task_id=page.task.id))


def _submit(page: TaskPage, form: Any, file_ids: dict[str, list[int]], file_errors: dict[str, str],
            files: dict[str, list[Any]]) -> Any:
    platform = wiring().platform
    cleaned, errors = validate_wtform(form, page.form, platform.today(), file_ids=_file_data(page, file_ids))
    errors.update(file_errors)
    if not errors:
        try:
            status = tasks.complete(platform, current_actor(), page.task.id, cleaned)
        except InvalidData as err:
            errors = err.errors
        else:
            if status == "incident":
                flash(_("已提交，但流程的后续步骤出错，管理员会尽快处理"), "error")
            else:
                flash(_("任务「%(title)s」已提交", title=page.task.title), "success")
            return redirect(url_for("inbox.index"))
    flash(_("提交未成功：请按提示修改标红的项目（已填写的内容都保留着）"), "error")
    return _render(page, form, files, errors=errors, status=422)


def _render(page: TaskPage, form: Any, files: dict[str, list[Any]], *, errors: dict[str, str] | None = None,
            status: int = 200) -> Any:
    errors = errors or {}
    if form is not None:
        _put_errors(form, page, errors)
    due = inbox.due_of(page.task.due_date, wiring().platform.today(), wiring().reference.calendar())
    body = render_template("tasks/show.html", page=page, task=page.task, form=form, files=files, due=due,
                           error_summary=error_summary(page.form, errors, _lang()),
                           config_upload_mb=wiring().settings.upload_max_mb)
    return body, status


def error_summary(definition: Any, errors: dict[str, str], lang: str) -> list[tuple[str, str]]:
    """(where, message) per error, "where" naming the field, or table, row and column, as the user sees them."""
    summary = []
    for key, message in errors.items():
        match = _CELL.fullmatch(key)
        name = match.group(1) if match else key
        try:
            spec = definition.field(name)
        except KeyError:
            summary.append(("", message))
            continue
        where = label_for(spec.label, lang)
        if match:
            where += _("第 %(n)s 行", n=int(match.group(2)) + 1)
            column = next((c for c in spec.columns if c.name == match.group(3)), None)
            where += " " + label_for(column.label, lang) if column is not None else ""
        summary.append((where, message))
    return summary


def _put_errors(form: Any, page: TaskPage, errors: dict[str, str]) -> None:
    """Messages the form itself did not place (uploads, submit checks) go onto their fields."""
    for spec in page.form.fields:
        message = errors.get(spec.name)
        if message and spec.type != "table" and message not in form[spec.name].errors:
            form[spec.name].errors = [message]


def _add_rows(page: TaskPage, action: str) -> dict[str, int]:
    name = action.removeprefix("addrow:") if action.startswith("addrow:") else ""
    tables = {spec.name for spec in page.form.fields if spec.type == "table"}
    return {name: 1} if name in tables else {}


def _file_values(page: TaskPage, values: dict[str, Any]) -> dict[str, list[int]]:
    """Document ids per file field in ``values`` (draft or workflow data)."""
    found: dict[str, list[int]] = {}
    for spec in page.form.fields:
        if spec.type == "file":
            found[spec.name] = sorted(task_page.file_ids(page.form, {spec.name: values.get(spec.name)}))
    return found


def _collect_files(page: TaskPage) -> tuple[dict[str, list[int]], dict[str, list[Any]], dict[str, str]]:
    """Per file field: kept ids (minus removed ones) plus newly stored uploads, their documents, upload errors."""
    platform, actor = wiring().platform, current_actor()
    values: dict[str, list[int]] = {}
    errors: dict[str, str] = {}
    for spec in (s for s in page.form.fields if s.type == "file"):
        drop = set(request.form.getlist(DROP + spec.name))
        kept = [int(v) for v in request.form.getlist(KEEP + spec.name) if v.isdigit() and v not in drop][:50]
        new = []
        uploads = [f for f in request.files.getlist(spec.name) if f and f.filename]
        for file in uploads if spec.multiple else uploads[:1]:
            try:
                new.append(task_page.upload_to_task(
                    platform, wiring().objects, actor, page.task.id, field_name=spec.name,
                    upload=Upload(cast(BinaryIO, file.stream), file.filename or "file", kind=spec.name),
                    max_bytes=wiring().settings.upload_max_mb * MIB))
            except InvalidData as err:
                errors[spec.name] = f"{file.filename}：{err.errors.get(spec.name, str(err))}"
        values[spec.name] = new if (new and not spec.multiple) else kept + new
    usable = {d.id: d for d in task_page.task_documents(platform, actor, page.task.id,
                                                        [i for ids in values.values() for i in ids])}
    values = {name: [i for i in ids if i in usable] for name, ids in values.items()}
    return values, {name: [usable[i] for i in ids] for name, ids in values.items()}, errors


def _file_data(page: TaskPage, file_ids: dict[str, list[int]]) -> dict[str, Any]:
    """The shape validation expects: a list for multiple-file fields, one id (or nothing) otherwise."""
    data: dict[str, Any] = {}
    for spec in (s for s in page.form.fields if s.type == "file"):
        ids = file_ids.get(spec.name, [])
        data[spec.name] = ids if spec.multiple else (ids[0] if ids else None)
    return data

