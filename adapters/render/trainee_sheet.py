"""Trainee import: the xlsx template institutions fill in, and the validating reader."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from adapters.render.xlsx_common import (
    Cell,
    ImportResult,
    Progress,
    cell_text,
    is_number,
    list_validation,
    parse_id_number,
    read_sheet,
    style_header,
    text_columns,
    validate_rows,
    workbook_bytes,
    write_notes,
)
from adapters.rules.idnumbers import is_male, validate_mobile

SHEET = "学员信息"
NOTES_SHEET = "说明"
HEADERS = (
    "姓名", "身份证号", "性别", "手机号", "文化程度", "工种代码", "培训类型(初训/复训)",
    "是否煤矿", "是否两重点一重大单位", "是否新任职", "工作单位",
)
WIDTHS = (12, 22, 7, 15, 12, 12, 18, 10, 20, 11, 34)
REQUIRED = ("姓名", "身份证号", "手机号", "文化程度", "工种代码", "培训类型(初训/复训)", "工作单位")
EDUCATION_LEVELS = {
    "junior_middle": "初中",
    "high_school": "高中",
    "secondary_vocational": "中专/中技",
    "junior_college": "大专",
    "bachelor": "本科",
    "master": "硕士",
    "doctor": "博士",
}
# People write 中专 or 中技 alone, and full-width slashes; all mean the same level.
_EDUCATION_ALIASES = {"中专": "secondary_vocational", "中技": "secondary_vocational"}
TRAINING_KINDS = {"初训": "initial", "复训": "renewal"}
GENDERS = {"男": "male", "女": "female"}
YES_NO = {"是": True, "否": False}
FLAG_KEYS = {
    "是否煤矿": "is_coal_mine",
    "是否两重点一重大单位": "is_key_hazard_unit",
    "是否新任职": "is_newly_appointed",
}
TEMPLATE_ROWS = 2000
MAX_NAME = 50
MAX_EMPLOYER = 100


def _education_key(text: str) -> str | None:
    wanted = text.replace("／", "/")
    for key, label in EDUCATION_LEVELS.items():
        if wanted in (key, label):
            return key
    return _EDUCATION_ALIASES.get(wanted)


def _notes(job_types: Mapping[str, str] | None) -> list[tuple[str, str, str]]:
    education = "、".join(EDUCATION_LEVELS.values())
    job_note = "从下拉列表选择，代码见本页下方工种表" if job_types else "按市局公布的工种代码填写"
    return [
        ("列名", "是否必填", "填写要求"),
        ("姓名", "必填", f"与身份证一致，不超过{MAX_NAME}字"),
        ("身份证号", "必填", "18位居民身份证号码，末位X大写；本列已设为文本格式，请勿改为数字格式"),
        ("性别", "选填", "男 或 女；留空时按身份证号自动判断"),
        ("手机号", "必填", "11位手机号码"),
        ("文化程度", "必填", f"{education} 之一"),
        ("工种代码", "必填", job_note),
        ("培训类型(初训/复训)", "必填", "初训 或 复训"),
        ("是否煤矿", "选填", "是 或 否；留空视为“否”"),
        ("是否两重点一重大单位", "选填", "是 或 否；留空视为“否”"),
        ("是否新任职", "选填", "是 或 否（主要负责人、安全生产管理人员填写）；留空视为“否”"),
        ("工作单位", "必填", f"单位全称，不超过{MAX_EMPLOYER}字"),
        ("（行数）", "", f"每个文件最多{TEMPLATE_ROWS}行，超出请分批导入；同一身份证号只能出现一次"),
    ]


def _add_validations(sheet: Worksheet, job_range: str | None) -> None:
    last = TEMPLATE_ROWS + 1
    list_validation(sheet, f"C2:C{last}", '"男,女"', "请选择 男 或 女")
    education = ",".join(EDUCATION_LEVELS.values())
    list_validation(sheet, f"E2:E{last}", f'"{education}"', "请从列表中选择文化程度")
    if job_range:
        list_validation(sheet, f"F2:F{last}", job_range, "请从列表中选择工种代码")
    list_validation(sheet, f"G2:G{last}", '"初训,复训"', "请选择 初训 或 复训")
    list_validation(sheet, f"H2:J{last}", '"是,否"', "请选择 是 或 否")


def _write_job_types(notes: Worksheet, job_types: Mapping[str, str]) -> str:
    start = notes.max_row + 2
    notes.cell(row=start, column=1, value="工种代码表").font = Font(bold=True)
    style_header(notes, ("工种代码", "工种名称"), (24, 10), row=start + 1)
    for offset, (code, label) in enumerate(job_types.items(), start=start + 2):
        notes.cell(row=offset, column=1, value=code).number_format = "@"
        notes.cell(row=offset, column=2, value=label)
    return f"'{NOTES_SHEET}'!$A${start + 2}:$A${start + 1 + len(job_types)}"


def trainee_import_template(job_types: Mapping[str, str] | None = None) -> bytes:
    """Return the trainee import template; `job_types` (code → name) adds a job-type dropdown."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = SHEET
    style_header(sheet, HEADERS, WIDTHS)
    sheet.freeze_panes = "A2"
    text_columns(sheet, ("B", "D", "F"))
    notes = workbook.create_sheet(NOTES_SHEET)
    title = "学员信息导入说明（第1行为表头，请从第2行起逐行填写，勿改动表头）"
    write_notes(notes, title, _notes(job_types), (24, 10, 70))
    job_range = _write_job_types(notes, job_types) if job_types else None
    _add_validations(sheet, job_range)
    return workbook_bytes(workbook)


def _job_type(value: Cell, job_types: Collection[str]) -> tuple[str, str | None]:
    text = cell_text(value)
    if is_number(value):
        # Excel turns 5.10 into 5.1: accept a number only when exactly one known code reads as it.
        matches = [code for code in job_types if _as_float(code) == float(value)]
        if len(matches) == 1:
            return matches[0], None
        return "", f"工种代码“{text}”被 Excel 存成了数字，无法区分（如5.1与5.10）；请将该列设置为文本格式"
    if text not in job_types:
        return "", f"工种代码“{text}”不在工种目录中"
    return text, None


def _as_float(code: str) -> float | None:
    try:
        return float(code)
    except ValueError:
        return None


def _flag(value: Cell, column: str) -> tuple[bool, str | None]:
    if isinstance(value, bool):
        return value, None
    text = cell_text(value)
    if text == "":
        return False, None
    if text not in YES_NO:
        return False, f"{column}应填写“是”或“否”，当前为“{text}”"
    return YES_NO[text], None


def _gender(value: Cell, id_number: str) -> tuple[str, str | None]:
    text = cell_text(value)
    derived = ("male" if is_male(id_number) else "female") if id_number else ""
    if text == "":
        return derived, None
    if text not in GENDERS:
        return "", f"性别应填写“男”或“女”，当前为“{text}”"
    if derived and GENDERS[text] != derived:
        return "", f"性别“{text}”与身份证号不符"
    return GENDERS[text], None


def _mobile(value: Cell) -> tuple[str, str | None]:
    text = cell_text(value)
    return text, validate_mobile(text)


def _text(value: Cell, column: str, limit: int) -> tuple[str, str | None]:
    text = cell_text(value)
    if len(text) > limit:
        return "", f"{column}不能超过{limit}字"
    return text, None


def _choice(value: Cell, column: str, choices: Mapping[str, str]) -> tuple[str, str | None]:
    text = cell_text(value)
    if text not in choices:
        return "", f"{column}应为 {'、'.join(choices)} 之一，当前为“{text}”"
    return choices[text], None


def _education(value: Cell) -> tuple[str, str | None]:
    text = cell_text(value)
    key = _education_key(text)
    if key is None:
        return "", f"文化程度“{text}”无法识别，应为 {'、'.join(EDUCATION_LEVELS.values())} 之一"
    return key, None


def _parse_row(
    cells: Mapping[str, Cell], job_types: Collection[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse one row into (values, {column: message}); a required blank is reported once."""
    problems = {column: f"{column}不能为空" for column in REQUIRED if cell_text(cells[column]) == ""}
    values: dict[str, Any] = {}
    parsers = {
        "姓名": ("name", lambda v: _text(v, "姓名", MAX_NAME)),
        "身份证号": ("id_number", parse_id_number),
        "手机号": ("mobile", _mobile),
        "文化程度": ("education", _education),
        "工种代码": ("job_type_code", lambda v: _job_type(v, job_types)),
        "培训类型(初训/复训)": ("training_kind", lambda v: _choice(v, "培训类型", TRAINING_KINDS)),
        "工作单位": ("employer", lambda v: _text(v, "工作单位", MAX_EMPLOYER)),
    }
    for column, (key, parse) in parsers.items():
        if column not in problems:
            values[key], problem = parse(cells[column])
            if problem:
                problems[column] = problem
    values["gender"], problem = _gender(cells["性别"], values.get("id_number", ""))
    if problem:
        problems["性别"] = problem
    for column, key in FLAG_KEYS.items():
        values[key], problem = _flag(cells[column], column)
        if problem:
            problems[column] = problem
    return values, problems


def read_trainee_rows(
    stream: bytes | IO[bytes],
    *,
    job_types: Collection[str],
    max_rows: int = 2000,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate an uploaded trainee sheet against the job-type codes in effect; nothing is stored.

    Rows come back with keys row, name, id_number, gender (male/female), mobile, education
    (EDUCATION_LEVELS key), job_type_code, training_kind (initial/renewal), is_coal_mine,
    is_key_hazard_unit, is_newly_appointed and employer; only rows without errors are returned.
    """
    sheet = read_sheet(stream, sheet_name=SHEET, headers=HEADERS, max_rows=max_rows, progress=progress)
    return validate_rows(sheet, lambda cells: _parse_row(cells, job_types), HEADERS)
