"""Administrators keep the working-day calendar and the rule values; deadlines and rules follow (A1.3, A1.4, S4)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from adapters.rules.catalogue import TEAM_LEADER
from adapters.rules.rulebook import RuleNotInForceError, certificate_dates
from adapters.rules.workdays import CalendarGapError, year_days
from adapters.services.platform import calendar_admin, calendar_files, rules_admin
from adapters.services.platform.calendar_admin import CalendarRefused
from adapters.services.platform.errors import Forbidden, InvalidData
from storage.models import AuditEntry

D = dt.date


def year_rows(year: int, holidays: dict[dt.date, str] | None = None,
              makeup: dict[dt.date, str] | None = None) -> list[list[str]]:
    """A whole year as import rows: weekends off, plus the given holidays and make-up working days."""
    holidays, makeup = holidays or {}, makeup or {}
    rows = []
    for day in year_days(year):
        working = (day.weekday() < 5 and day not in holidays) or day in makeup
        rows.append([day.isoformat(), "workday" if working else "holiday", holidays.get(day) or makeup.get(day, "")])
    return rows


def actions(wiring) -> list[str]:
    with wiring.platform.uow() as uow:
        return [e.action for e in uow.session.query(AuditEntry).order_by(AuditEntry.id)]


@pytest.fixture
def admin(people):
    return people.actor("admin")


# -- the calendar ----------------------------------------------------------------------------------------
def test_a_2027_deadline_is_refused_until_the_year_is_entered_then_skips_the_new_year_holiday(wiring, admin):
    """A1.3: "5 working days" after 2026-12-28 crosses into 2027, which chinesecalendar does not cover."""
    with pytest.raises(CalendarGapError) as refused:
        wiring.reference.calendar().add_working_days(D(2026, 12, 28), 5)
    assert refused.value.year == 2027

    years = calendar_admin.import_year(wiring.platform, admin, year_rows(2027, {D(2027, 1, 1): "元旦"}))
    wiring.reference.invalidate()

    assert years == [2027]
    # 29, 30, 31 December; 1 January is the holiday, 2–3 the weekend; then 4 and 5 January.
    assert wiring.reference.calendar().add_working_days(D(2026, 12, 28), 5) == D(2027, 1, 5)
    assert "calendar.import" in actions(wiring)


def test_an_incomplete_year_is_refused_whole_and_names_the_missing_days(wiring, admin):
    january = [row for row in year_rows(2027) if row[0] < "2027-02-01"]

    with pytest.raises(CalendarRefused) as refused:
        calendar_admin.import_year(wiring.platform, admin, january)

    assert "2027 年不完整：还缺 334 天" in refused.value.problems[0]
    assert "2027-02-01 至 2027-12-31" in refused.value.problems[0]
    with wiring.platform.reader() as uow:
        assert 2027 not in uow.reference.calendar_years()


def test_bad_rows_are_named_by_their_spreadsheet_row_and_nothing_is_stored(wiring, admin):
    rows = year_rows(2027)
    rows[1] = ["2027-02-30", "workday", ""]
    rows[3] = ["2027-01-04", "maybe", ""]
    rows[5] = ["2027-01-06", "holiday", "节" * 70]

    with pytest.raises(CalendarRefused) as refused:
        calendar_admin.import_year(wiring.platform, admin, rows, first_row_number=2)

    problems = "\n".join(refused.value.problems)
    assert "第 3 行：日期“2027-02-30”无效" in problems
    assert "第 5 行：类型“maybe”无法识别" in problems
    assert "第 7 行：备注超过60个字" in problems
    with wiring.platform.reader() as uow:
        assert 2027 not in uow.reference.calendar_years()


def test_a_partial_file_is_accepted_when_it_completes_a_stored_year(wiring, admin):
    """Correcting the national-day week of 2026 needs only those rows: the year stays complete."""
    rows = [[f"2026-10-0{n}", "holiday", "国庆节"] for n in range(1, 9)]
    assert calendar_admin.import_year(wiring.platform, admin, rows) == [2026]
    view = calendar_admin.year_view(wiring.platform, admin, 2026)
    october = [d for week in view.months[9] for d in week if d is not None]
    assert october[7].kind == "holiday" and october[7].note == "国庆节"


def test_a_single_day_is_corrected_in_a_complete_year_only(wiring, admin):
    calendar_admin.set_day(wiring.platform, admin, D(2026, 12, 31), False, "临时放假")
    with wiring.platform.reader() as uow:
        row = next(r for r in uow.reference.calendar_year(2026) if r.day == D(2026, 12, 31))
    assert (row.is_workday, row.note, row.source) == (False, "临时放假", "admin")
    assert actions(wiring)[-1] == "calendar.set_day"

    with pytest.raises(InvalidData) as refused:
        calendar_admin.set_day(wiring.platform, admin, D(2027, 1, 4), False, "")
    assert "2027 年的工作日历尚未完整录入" in refused.value.errors["day"]


def test_only_administrators_maintain_the_calendar(wiring, people):
    bureau = people.actor("bureau")
    with pytest.raises(Forbidden):
        calendar_admin.import_year(wiring.platform, bureau, year_rows(2027))
    with pytest.raises(Forbidden):
        calendar_admin.calendar_overview(wiring.platform, bureau)


def test_the_year_view_shows_holidays_and_make_up_days_and_an_entered_year_downloads_as_it_imports(wiring, admin):
    view = calendar_admin.year_view(wiring.platform, admin, 2026)
    january = {d.day: d for week in view.months[0] for d in week if d is not None}
    assert january[D(2026, 1, 1)].kind == "holiday"
    assert january[D(2026, 1, 4)].kind == "makeup"  # a Sunday at work (元旦调休上班)
    assert january[D(2026, 1, 10)].kind == "rest"
    assert view.complete and not view.missing

    rows = list(csv.reader(io.StringIO(calendar_admin.year_csv(wiring.platform, admin, 2026).decode("utf-8-sig"))))
    assert rows[0] == ["date", "kind", "note"] and len(rows) == 366
    assert calendar_admin.import_year(wiring.platform, admin, rows[1:], 2) == [2026]


def test_the_draft_of_a_new_year_has_weekdays_at_work_and_weekends_off(wiring, admin):
    draft = calendar_admin.year_draft(wiring.platform, admin, 2027)
    days = [d for month in draft.months for week in month for d in week if d is not None]
    assert draft.draft and len(days) == 365
    assert {d.kind for d in days} == {"workday", "rest"}
    assert calendar_admin.year_view(wiring.platform, admin, 2027).missing == [(D(2027, 1, 1), D(2027, 12, 31))]


def test_calendar_files_are_read_from_excel_and_from_chinese_windows_csv():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "类型", "备注"])
    sheet.append([dt.datetime(2027, 1, 1), "休息", "元旦"])
    sheet.append([dt.datetime(2027, 1, 2), "休息", None, None])
    out = io.BytesIO()
    book.save(out)
    rows, first = calendar_files.read_calendar_file("日历.xlsx", out.getvalue())
    assert (rows, first) == ([["2027-01-01", "休息", "元旦"], ["2027-01-02", "休息", ""]], 2)

    gbk = "日期,类型,备注\r\n2027-01-01,休息,元旦\r\n".encode("gb18030")
    assert calendar_files.read_calendar_file("a.csv", gbk) == ([["2027-01-01", "休息", "元旦"]], 2)
    with pytest.raises(InvalidData):
        calendar_files.read_calendar_file("a.pdf", b"%PDF")


# -- rule values -----------------------------------------------------------------------------------------
def test_an_overlapping_rule_period_is_refused(wiring, admin):
    with pytest.raises(InvalidData) as refused:
        rules_admin.add_rule_value(wiring.platform, admin, "exam_pass_mark", 85, "2026-06-01", None, "新规定")
    assert "生效期间重叠" in refused.value.errors["effective_from"]


def test_a_new_value_applies_from_its_date_and_the_old_one_stays_for_earlier_days(wiring, admin):
    rules_admin.add_rule_value(wiring.platform, admin, "archive_due_working_days", "7", "2026-06-01",
                               source="新文件第3条", close_open=True)
    wiring.reference.invalidate()

    rulebook = wiring.reference.rulebook()
    assert rulebook.value("archive_due_working_days", D(2026, 5, 31)) == 5
    assert rulebook.value("archive_due_working_days", D(2026, 6, 1)) == 7
    group = next(g for g in rules_admin.list_rules(wiring.platform, admin) if g.key == "archive_due_working_days")
    assert [(p.value, p.effective_to) for p in group.periods] == [(5, D(2026, 5, 31)), (7, None)]
    assert actions(wiring)[-1] == "rule_value.add"


def test_team_leader_certificates_need_the_validity_an_administrator_enters(wiring, admin):
    """S4: team-leader certificates are local; their validity has no national default."""
    with pytest.raises(RuleNotInForceError):
        certificate_dates(D(2026, 3, 2), TEAM_LEADER, wiring.reference.rulebook())

    rules_admin.add_rule_value(wiring.platform, admin, "team_leader_certificate_validity_years", 3, D(2021, 9, 16),
                               source="市局规定")
    wiring.reference.invalidate()

    assert certificate_dates(D(2026, 3, 2), TEAM_LEADER, wiring.reference.rulebook()) == (D(2029, 3, 2), None)


@pytest.mark.parametrize(("key", "value", "start", "end", "field"), [
    ("no_such_rule", 1, "2026-01-01", None, "key"),
    ("exam_pass_mark", -1, "2030-01-01", None, "value"),
    ("exam_pass_mark", "8.5", "2030-01-01", None, "value"),
    ("exam_pass_mark", 80, "", None, "effective_from"),
    ("exam_pass_mark", 80, "2030-02-01", "2030-01-01", "effective_to"),
])
def test_rule_values_are_validated(wiring, admin, key, value, start, end, field):
    with pytest.raises(InvalidData) as refused:
        rules_admin.add_rule_value(wiring.platform, admin, key, value, start, end)
    assert field in refused.value.errors


def test_closing_the_open_value_needs_a_later_start(wiring, admin):
    with pytest.raises(InvalidData) as refused:
        rules_admin.add_rule_value(wiring.platform, admin, "exam_pass_mark", 85, "2021-09-16", close_open=True)
    assert "必须晚于" in refused.value.errors["effective_from"]


def test_only_administrators_set_rule_values(wiring, people):
    with pytest.raises(Forbidden):
        rules_admin.add_rule_value(wiring.platform, people.actor("inst_a"), "exam_pass_mark", 85, "2030-01-01")
