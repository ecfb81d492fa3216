"""Administration of reference data: the working-day calendar (month grids, whole-year entry) and rule values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.services.platform import calendar_admin, calendar_files, rules_admin
from adapters.services.platform.calendar_admin import CalendarRefused
from adapters.services.platform.errors import InvalidData
from adapters.web.security import admin_required, current_actor, wiring

bp = Blueprint("admin_reference", __name__, url_prefix="/admin/reference")


def _changed() -> None:
    # Deadlines and rule lookups read a cached copy; drop it so the change counts from the next request on.
    wiring().reference.invalidate()


# -- calendar --------------------------------------------------------------------------------------------
@bp.get("/calendar")
@admin_required
def calendar() -> Any:
    return _overview_page([])


def _overview_page(problems: list[str], status: int = 200) -> Any:
    overview = calendar_admin.calendar_overview(wiring().platform, current_actor())
    return render_template("admin/reference_calendar.html", overview=overview, problems=problems), status


@bp.post("/calendar/import")
@admin_required
def import_file() -> Any:
    upload = request.files.get("file")
    try:
        rows, first = calendar_files.read_calendar_file((upload.filename or "") if upload else "",
                                                        upload.read() if upload else b"")
        years = calendar_admin.import_year(wiring().platform, current_actor(), rows, first)
    except CalendarRefused as err:
        return _overview_page(err.problems, 422)
    except InvalidData as err:
        return _overview_page(list(err.errors.values()), 422)
    _changed()
    flash(_("已导入 %(years)s 年的工作日历", years="、".join(map(str, years))), "success")
    return redirect(url_for("admin_reference.year", year=years[0]))


@bp.get("/calendar/new")
@admin_required
def new_year() -> Any:
    raw = request.args.get("year", "").strip()
    if not raw.isdigit() or not calendar_admin.FIRST_YEAR <= int(raw) <= calendar_admin.LAST_YEAR:
        flash(_("请输入 %(first)s–%(last)s 之间的年份", first=calendar_admin.FIRST_YEAR,
                last=calendar_admin.LAST_YEAR), "error")
        return redirect(url_for("admin_reference.calendar"))
    return redirect(url_for("admin_reference.edit_year", year=int(raw)))


@bp.get("/calendar/<int:year>")
@admin_required
def year(year: int) -> Any:
    view = calendar_admin.year_view(wiring().platform, current_actor(), year)
    return render_template("admin/reference_year.html", view=view, errors={})


@bp.get("/calendar/<int:year>.csv")
@admin_required
def year_csv(year: int) -> Any:
    data = calendar_admin.year_csv(wiring().platform, current_actor(), year)
    return Response(data, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=calendar-{year}.csv", "Cache-Control": "no-store"})


@bp.route("/calendar/<int:year>/edit", methods=["GET", "POST"])
@admin_required
def edit_year(year: int) -> Any:
    platform, actor = wiring().platform, current_actor()
    if request.method == "GET":
        view = calendar_admin.year_draft(platform, actor, year)
        return render_template("admin/reference_year_edit.html", view=view, notes_text=_notes_text(view),
                               problems=[], work=None)
    work = set(request.form.getlist("work"))
    notes_text = request.form.get("notes", "")
    try:
        notes = calendar_admin.parse_note_lines(notes_text)
        days = {day: (day.isoformat() in work, notes.pop(day, "")) for day in calendar_admin.generate_year_draft(year)}
        if notes:
            raise CalendarRefused([f"备注中的日期 {day.isoformat()} 不属于 {year} 年" for day in sorted(notes)])
        calendar_admin.save_year(platform, actor, year, days)
    except CalendarRefused as err:
        view = calendar_admin.year_draft(platform, actor, year)
        return render_template("admin/reference_year_edit.html", view=view, notes_text=notes_text,
                               problems=err.problems, work=work), 422
    _changed()
    flash(_("%(year)s 年工作日历已保存", year=year), "success")
    return redirect(url_for("admin_reference.year", year=year))


def _notes_text(view: calendar_admin.YearView) -> str:
    return "\n".join(f"{d.day.isoformat()} {d.note}" for month in view.months for week in month
                     for d in week if d is not None and d.note)


@bp.post("/calendar/<int:year>/day")
@admin_required
def set_day(year: int) -> Any:
    platform, actor, form = wiring().platform, current_actor(), request.form
    try:
        day = dt.date.fromisoformat(form.get("day", ""))
    except ValueError:
        day = None
    try:
        if day is None or day.year != year:
            raise InvalidData({"day": f"请选择 {year} 年内的日期"}, "日期无效")
        calendar_admin.set_day(platform, actor, day, form.get("kind") == "workday", form.get("note", ""))
    except InvalidData as err:
        view = calendar_admin.year_view(platform, actor, year)
        return render_template("admin/reference_year.html", view=view, errors=err.errors), 422
    _changed()
    flash(_("%(day)s 已更新", day=day.isoformat()), "success")
    return redirect(url_for("admin_reference.year", year=year))


# -- rules -----------------------------------------------------------------------------------------------
@bp.route("/rules", methods=["GET", "POST"])
@admin_required
def rules() -> Any:
    platform, actor, form = wiring().platform, current_actor(), request.form
    if request.method == "POST":
        try:
            rules_admin.add_rule_value(platform, actor, form.get("key", ""), form.get("value", ""),
                                       form.get("effective_from", ""), form.get("effective_to", ""),
                                       form.get("source", ""), close_open=form.get("close_open") == "1")
        except InvalidData as err:
            groups = rules_admin.list_rules(platform, actor)
            return render_template("admin/reference_rules.html", groups=groups, errors=err.errors,
                                   data=form), 422
        _changed()
        flash(_("规则取值已保存"), "success")
        return redirect(url_for("admin_reference.rules", _anchor=f"rule-{form.get('key', '')}"))
    groups = rules_admin.list_rules(platform, actor)
    return render_template("admin/reference_rules.html", groups=groups, errors={},
                           data={"key": request.args.get("key", "")})
