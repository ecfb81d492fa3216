"""The A1.4(3) score summary table (考生成绩汇总表) of one class, as a printable xlsx."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from adapters.render.score_sheet import ABSENT, ABSENT_LABEL, SCORE_KEYS
from adapters.render.xlsx_common import BORDER, CENTER, style_header, workbook_bytes
from adapters.rules.idnumbers import mask_id_number

SHEET = "成绩汇总表"
HEADERS = ("序号", "姓名", "身份证号", "理论正考", "理论补考", "实操正考", "实操补考", "考核结果")
WIDTHS = (7, 12, 22, 11, 11, 11, 11, 12)
REQUIRED_INFO = ("institution_name", "job_type_label", "training_kind_label", "class_no")
TABLE_START = 4
LAST_COLUMN = len(HEADERS)


def summary_title(class_info: Mapping[str, Any]) -> str:
    """Return "××(机构)××(工种)初(复)训×期次考生成绩汇总表" filled in from class_info."""
    missing = [key for key in REQUIRED_INFO if not str(class_info.get(key) or "").strip()]
    if missing:
        raise ValueError(f"成绩汇总表缺少期次信息 (class_info missing): {', '.join(missing)}")
    return (
        f"{class_info['institution_name']}{class_info['job_type_label']}"
        f"{class_info['training_kind_label']}{class_info['class_no']}期次考生成绩汇总表"
    )


def format_score(value: Any) -> str | float | None:
    """Show a score as a number, 缺考 or an empty cell; whole numbers lose the '.0'."""
    if value is None:
        return None
    if value == ABSENT:
        return ABSENT_LABEL
    number = float(value)
    return int(number) if number.is_integer() else number


def _result_label(passed: bool | None) -> str | None:
    if passed is None:
        return None
    return "合格" if passed else "不合格"


def _merged_line(sheet: Worksheet, row: int, text: str, font: Font, align: str = "left") -> None:
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LAST_COLUMN)
    cell = sheet.cell(row=row, column=1, value=text)
    cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)


def _heading(sheet: Worksheet, class_info: Mapping[str, Any]) -> None:
    _merged_line(sheet, 1, summary_title(class_info), Font(bold=True, size=16), "center")
    # Room for two lines: a long institution name wraps, and Excel never grows merged rows itself.
    sheet.row_dimensions[1].height = 44
    exam_date = class_info.get("exam_date")
    parts = [
        f"考点：{class_info.get('exam_site_name') or ''}",
        f"考试日期：{exam_date.isoformat() if isinstance(exam_date, date) else exam_date or ''}",
    ]
    _merged_line(sheet, 2, "　　".join(parts), Font(size=11))


def _table(sheet: Worksheet, rows: Sequence[Mapping[str, Any]]) -> int:
    style_header(sheet, HEADERS, WIDTHS, row=TABLE_START)
    for index, source in enumerate(rows, start=1):
        line = (
            index,
            source["name"],
            mask_id_number(str(source["id_number"])),
            *(format_score(source.get(key)) for key in SCORE_KEYS.values()),
            _result_label(source.get("passed")),
        )
        for column, value in enumerate(line, start=1):
            cell = sheet.cell(row=TABLE_START + index, column=column, value=value)
            cell.border = BORDER
            cell.alignment = CENTER
    return TABLE_START + len(rows)


def _totals(rows: Sequence[Mapping[str, Any]]) -> str:
    passed = sum(1 for row in rows if row.get("passed") is True)
    failed = sum(1 for row in rows if row.get("passed") is False)
    rate = f"{passed / len(rows):.1%}" if rows else "—"
    return f"应考人数：{len(rows)}　　合格：{passed}　　不合格：{failed}　　合格率：{rate}"


def _signatures(sheet: Worksheet, row: int) -> None:
    lines = (
        "考点负责人（签字）：________________　　　　监考人员（签字）：________________",
        "考点（盖章）　　　　　　　　　　　　　　　　日期：　　　　年　　月　　日",
    )
    for offset, text in enumerate(lines):
        _merged_line(sheet, row + offset * 2, text, Font(size=12))
        sheet.row_dimensions[row + offset * 2].height = 28


def _page_setup(sheet: Worksheet, last_row: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.print_title_rows = f"{TABLE_START}:{TABLE_START}"
    sheet.print_area = f"A1:H{last_row}"
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
    sheet.page_margins.left = sheet.page_margins.right = 0.5


def score_summary_xlsx(class_info: dict[str, Any], rows: list[dict[str, Any]]) -> bytes:
    """Return the class's 考生成绩汇总表 with masked ID numbers and signature lines for the exam site.

    class_info: institution_name, job_type_label, training_kind_label ('初训'/'复训'), class_no,
    optional exam_site_name and exam_date. rows: name, id_number (masked here), the four scores
    as read_score_rows returns them, and passed (bool, or None while the result is open).
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = SHEET
    _heading(sheet, class_info)
    last = _table(sheet, rows)
    _merged_line(sheet, last + 1, _totals(rows), Font(size=11))
    _signatures(sheet, last + 3)
    _page_setup(sheet, last + 5)
    return workbook_bytes(workbook)
