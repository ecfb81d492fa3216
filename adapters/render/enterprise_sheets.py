"""xlsx templates and readers of the enterprises family: staff rosters (S5), enterprise records, existing
team-leader certificates (S4) and rescue-team members (S6). Readers validate every row; nothing is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

from openpyxl import Workbook

from adapters.render.xlsx_common import (
    Cell,
    ImportResult,
    Progress,
    RowError,
    cell_text,
    parse_id_number,
    read_sheet,
    style_header,
    text_columns,
    validate_rows,
    workbook_bytes,
)
from adapters.rules.certnumbers import parse_team_leader_number
from adapters.rules.creditcodes import normalise_credit_code, validate_credit_code
from adapters.rules.enterprises import industry_code, supervision_level_code

ROSTER = ("姓名", "身份证号", "岗位")
ENTERPRISES = ("统一社会信用代码", "企业名称", "地址", "行业", "监管层级", "所在县（市、区）")
CERTIFICATES = ("证书编号", "姓名", "身份证号", "企业名称", "发证日期", "有效期至")
MEMBERS = ("姓名", "身份证号", "所在企业")
MAX_ROWS = 5000


def _text(cells: Mapping[str, Cell], column: str, limit: int, problems: dict[str, str], *,
          required: bool = True) -> str:
    value = cell_text(cells[column])
    if required and not value:
        problems[column] = f"请填写{column}"
    elif len(value) > limit:
        problems[column] = f"{column}不能超过{limit}个字"
    return value


def _id(cells: Mapping[str, Cell], problems: dict[str, str]) -> str:
    number, problem = parse_id_number(cells["身份证号"])
    if problem:
        problems["身份证号"] = problem
    return number


def _date(cells: Mapping[str, Cell], column: str, problems: dict[str, str]) -> dt.date | None:
    value = cells[column]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(cell_text(value).replace("/", "-"))
    except ValueError:
        problems[column] = f"{column}应为日期，例如 2024-05-01"
        return None


def _roster_row(cells: Mapping[str, Cell]) -> tuple[dict[str, Any], dict[str, str]]:
    problems: dict[str, str] = {}
    values = {"name": _text(cells, "姓名", 50, problems), "id_number": _id(cells, problems),
              "post": _text(cells, "岗位", 60, problems, required=False)}
    return values, problems


def _member_row(cells: Mapping[str, Cell]) -> tuple[dict[str, Any], dict[str, str]]:
    problems: dict[str, str] = {}
    values = {"name": _text(cells, "姓名", 50, problems), "id_number": _id(cells, problems),
              "enterprise_name": _text(cells, "所在企业", 200, problems, required=False)}
    return values, problems


def _enterprise_row(cells: Mapping[str, Cell]) -> tuple[dict[str, Any], dict[str, str]]:
    problems: dict[str, str] = {}
    code = normalise_credit_code(cell_text(cells["统一社会信用代码"]))
    problem = validate_credit_code(code)
    if problem:
        problems["统一社会信用代码"] = problem
    industry = industry_code(cell_text(cells["行业"]))
    if industry is None:
        problems["行业"] = f"行业“{cell_text(cells['行业'])}”不在行业列表中"
    level = supervision_level_code(cell_text(cells["监管层级"]))
    if level is None:
        problems["监管层级"] = "监管层级应为“市级”或“县级”"
    values = {"credit_code": code, "name": _text(cells, "企业名称", 200, problems),
              "address": _text(cells, "地址", 200, problems, required=False), "industry": industry or "",
              "level": level or "", "county": _text(cells, "所在县（市、区）", 60, problems)}
    return values, problems


def _certificate_row(cells: Mapping[str, Cell]) -> tuple[dict[str, Any], dict[str, str]]:
    problems: dict[str, str] = {}
    number = cell_text(cells["证书编号"]).upper()
    try:
        parsed = parse_team_leader_number(number)
    except ValueError as err:
        problems["证书编号"], parsed = str(err), None
    issued, until = _date(cells, "发证日期", problems), _date(cells, "有效期至", problems)
    if issued and until and until <= issued:
        problems["有效期至"] = "有效期至应晚于发证日期"
    values = {"number": number, "division_code": parsed.division_code if parsed else "",
              "name": _text(cells, "姓名", 50, problems), "id_number": _id(cells, problems),
              "enterprise_name": _text(cells, "企业名称", 200, problems, required=False),
              "issue_date": issued, "valid_until": until}
    return values, problems


def _reader(headers: Sequence[str], parse: Callable[[Mapping[str, Cell]], tuple[dict[str, Any], dict[str, str]]],
            key: str, key_column: str) -> Callable[..., ImportResult]:
    def read(stream: bytes | IO[bytes], progress: Progress | None = None) -> ImportResult:
        sheet = read_sheet(stream, sheet_name="", headers=headers, max_rows=MAX_ROWS, progress=progress)
        result = validate_rows(sheet, parse, headers, key=key)
        if key_column != "身份证号":  # the shared duplicate check speaks of ID numbers; name the real key
            result.errors = [RowError(e.row, key_column, e.message.replace("身份证号", key_column))
                             if e.column == "身份证号" and "重复" in e.message else e for e in result.errors]
        return result
    return read


read_roster = _reader(ROSTER, _roster_row, "id_number", "身份证号")
read_members = _reader(MEMBERS, _member_row, "id_number", "身份证号")
read_enterprises = _reader(ENTERPRISES, _enterprise_row, "credit_code", "统一社会信用代码")
read_certificates = _reader(CERTIFICATES, _certificate_row, "number", "证书编号")


def template(headers: Sequence[str], rows: Sequence[Sequence[Any]] = ()) -> bytes:
    """An empty import sheet with the headers (ID columns formatted as text so Excel keeps the X)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    style_header(sheet, headers, [22.0] * len(headers))
    text_columns(sheet, [chr(ord("A") + i) for i, h in enumerate(headers) if h in ("身份证号", "统一社会信用代码",
                                                                                  "证书编号")])
    for row in rows:
        sheet.append(list(row))
    return workbook_bytes(workbook)
