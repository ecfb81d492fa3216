"""Working-day calendar files: read an administrator's CSV or xlsx into rows, write a year back as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from adapters.services.platform.errors import InvalidData

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 5000  # a little over ten years of days: enough for any real import, small enough to check at once
HEADER_WORDS = frozenset({"date", "日期"})
CSV_HEADER = ("date", "kind", "note")


def read_calendar_file(filename: str, data: bytes) -> tuple[list[list[str]], int]:
    """Return (rows of text cells, spreadsheet row number of the first row) from a .csv or .xlsx file."""
    if not data:
        raise InvalidData({"file": "请选择要导入的文件（.csv 或 .xlsx）"}, "文件为空")
    if len(data) > MAX_FILE_BYTES:
        raise InvalidData({"file": f"文件超过 {MAX_FILE_BYTES // 1024} KB，工作日历文件不应这么大"}, "文件过大")
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise InvalidData({"file": f"不支持的文件类型“{filename}”：请上传 .csv 或 .xlsx 文件"}, "文件类型不支持")
    return _without_header(_trimmed(rows))


def _csv_rows(data: bytes) -> list[list[str]]:
    # Excel on Chinese Windows saves CSV as GB18030 (GBK); UTF-8 with or without BOM comes from everything else.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    raise InvalidData({"file": "无法识别文件编码，请另存为 UTF-8 编码的 CSV"}, "文件编码无法识别")


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as err:
        raise InvalidData({"file": "无法读取文件：请上传 Excel 工作簿（.xlsx）"}, "文件无法读取") from err
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A cell as text; Excel dates become YYYY-MM-DD so they parse like typed dates."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _trimmed(rows: Iterable[Sequence[str]]) -> list[list[str]]:
    """Drop empty cells beyond the third column and blank rows at the end (spreadsheets pad both)."""
    result: list[list[str]] = []
    for row in rows:
        cells = [str(cell) for cell in row]
        while len(cells) > 3 and not cells[-1].strip():
            cells.pop()
        result.append(cells)
    while result and not any(cell.strip() for cell in result[-1]):
        result.pop()
    if len(result) > MAX_ROWS + 1:
        raise InvalidData({"file": f"文件超过 {MAX_ROWS} 行"}, "文件行数过多")
    return result


def _without_header(rows: list[list[str]]) -> tuple[list[list[str]], int]:
    if rows and rows[0] and rows[0][0].strip().lower().lstrip("\ufeff") in HEADER_WORDS:
        return rows[1:], 2
    return rows, 1


def calendar_csv(days: Iterable[tuple[dt.date, bool, str]]) -> bytes:
    """The days as CSV (date,kind,note) in UTF-8 with a BOM, so Excel shows the Chinese notes correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for day, is_workday, note in days:
        writer.writerow((day.isoformat(), "workday" if is_workday else "holiday", note))
    return out.getvalue().encode("utf-8-sig")
