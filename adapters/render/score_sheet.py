"""Exam-site score entry by xlsx: a pre-filled template per class and the validating reader."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from adapters.render.xlsx_common import (
    Cell,
    ImportResult,
    Progress,
    cell_text,
    is_number,
    parse_id_number,
    read_sheet,
    style_header,
    text_columns,
    validate_rows,
    workbook_bytes,
    write_notes,
)

SHEET = "成绩录入"
NOTES_SHEET = "说明"
HEADERS = ("身份证号", "姓名", "理论正考", "理论补考", "实操正考", "实操补考")
WIDTHS = (22, 12, 11, 11, 11, 11)
SCORE_KEYS = {
    "理论正考": "theory_main",
    "理论补考": "theory_resit",
    "实操正考": "practical_main",
    "实操补考": "practical_resit",
}
RESIT_OF = {"理论补考": "理论正考", "实操补考": "实操正考"}
ABSENT = "absent"
ABSENT_LABEL = "缺考"
MIN_SCORE = 0.0
MAX_SCORE = 100.0
Score = float | str | None

_NOTES = (
    ("列名", "填写要求"),
    ("身份证号、姓名", "系统按本期次考生名单生成，已锁定，请勿修改或增删行"),
    ("理论正考、实操正考", "0–100 的分数，可带小数；未参加考试填“缺考”；尚无成绩留空"),
    ("理论补考、实操补考", "仅正考后参加当日补考（S3）的考生填写；规则同上"),
)


def _candidate_pairs(candidates: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    pairs = []
    for index, candidate in enumerate(candidates, start=1):
        id_number, name = candidate.get("id_number"), candidate.get("name")
        if not id_number or not name:
            raise ValueError(f"考生名单第{index}项缺少 id_number 或 name (candidate {index} incomplete)")
        pairs.append((str(id_number), str(name)))
    return pairs


def _score_validation(sheet: Worksheet, last_row: int) -> None:
    # A custom rule, because a number range alone would refuse the word 缺考.
    validation = DataValidation(
        type="custom",
        formula1=f'OR(C2="",C2="{ABSENT_LABEL}",AND(ISNUMBER(C2),C2>=0,C2<=100))',
        allow_blank=True,
    )
    validation.error = f"请输入 0–100 的分数，或“{ABSENT_LABEL}”"
    validation.errorTitle = "成绩无效"
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"C2:F{last_row}")


def score_import_template(candidates: list[dict[str, Any]]) -> bytes:
    """Return a score-entry sheet pre-filled with the class's candidates (dicts with id_number, name)."""
    pairs = _candidate_pairs(candidates)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = SHEET
    style_header(sheet, HEADERS, WIDTHS)
    sheet.freeze_panes = "C2"
    text_columns(sheet, ("A", "B"))
    for row, (id_number, name) in enumerate(pairs, start=2):
        sheet.cell(row=row, column=1, value=id_number).number_format = "@"
        sheet.cell(row=row, column=2, value=name)
        for column in range(3, 7):
            sheet.cell(row=row, column=column).protection = Protection(locked=False)
    # Without a password: this guards against accidental edits of the roster, it is not security.
    sheet.protection.sheet = True
    if pairs:
        _score_validation(sheet, len(pairs) + 1)
    write_notes(workbook.create_sheet(NOTES_SHEET), "成绩录入说明", _NOTES, (24, 70))
    return workbook_bytes(workbook)


def parse_score(value: Cell, column: str) -> tuple[Score, str | None]:
    """Return (score, None) or (None, message); a score is a float, ABSENT, or None when blank."""
    text = cell_text(value)
    if text == "":
        return None, None
    if text == ABSENT_LABEL:
        return ABSENT, None
    if isinstance(value, bool):
        return None, f"{column}应为 0–100 的分数或“{ABSENT_LABEL}”，当前为“{text}”"
    try:
        number = float(value) if is_number(value) else float(text)
    except ValueError:
        return None, f"{column}应为 0–100 的分数或“{ABSENT_LABEL}”，当前为“{text}”"
    if not math.isfinite(number) or not MIN_SCORE <= number <= MAX_SCORE:
        return None, f"{column}应在 0–100 之间，当前为“{text}”"
    return number, None


def _parse_row(
    cells: Mapping[str, Cell], roster: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    problems: dict[str, str] = {}
    values: dict[str, Any] = {"name": cell_text(cells["姓名"])}
    if cell_text(cells["身份证号"]) == "":
        problems["身份证号"] = "身份证号不能为空"
    else:
        values["id_number"], problem = parse_id_number(cells["身份证号"])
        if problem is None and values["id_number"] not in roster:
            problem = "身份证号不在本期次考生名单中"
        if problem:
            problems["身份证号"] = problem
        elif roster[values["id_number"]] != values["name"]:
            problems["姓名"] = f"姓名与考生名单不符（名单中为“{roster[values['id_number']]}”）"
    for column, key in SCORE_KEYS.items():
        values[key], problem = parse_score(cells[column], column)
        if problem:
            problems[column] = problem
    for resit, main in RESIT_OF.items():
        resit_only = values[SCORE_KEYS[resit]] is not None and values[SCORE_KEYS[main]] is None
        if resit_only and resit not in problems:
            problems[resit] = f"填写了{resit}成绩，但{main}为空"
    return values, problems


def read_score_rows(
    stream: bytes | IO[bytes],
    *,
    candidates: list[dict[str, Any]],
    max_rows: int = 2000,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate an uploaded score sheet against the class roster; nothing is stored.

    Rows come back with keys row, id_number, name, theory_main, theory_resit, practical_main and
    practical_resit; each score is a float, ABSENT ('absent'), or None when left blank.
    Pass marks and resit eligibility are rule values and are judged by the rules layer, not here.
    """
    roster = dict(_candidate_pairs(candidates))
    sheet = read_sheet(stream, sheet_name=SHEET, headers=HEADERS, max_rows=max_rows, progress=progress)
    return validate_rows(sheet, lambda cells: _parse_row(cells, roster), HEADERS)
