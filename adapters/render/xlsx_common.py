"""Shared pieces of the xlsx templates and readers: result types, sheet reading, cell parsing, styling."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from adapters.rules.idnumbers import normalise_id_number, validate_id_number

Progress = Callable[[int, int], None]
Cell = Any
# Parses one row's cells into (values, {column header: Chinese message}).
RowParser = Callable[[Mapping[str, Cell]], tuple[dict[str, Any], dict[str, str]]]

TEXT_FORMAT = "@"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
# A sheet formatted down to row 1,048,576 yields a million empty rows in read-only mode;
# after this many consecutive blank rows the data has clearly ended.
BLANK_ROWS_BEFORE_STOP = 1000
PROGRESS_EVERY = 50
_INVISIBLE = "\u200b\u200c\u200d\ufeff"


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded sheet: Excel row (1-based, header is row 1; 0 = whole file)."""

    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    """Rows that passed validation, and every problem found; import only when `errors` is empty."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file has no errors."""
        return not self.errors


@dataclass
class SheetRows:
    """Non-blank data rows of a sheet keyed by header, plus file-level errors."""

    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def normalise_header(value: Cell) -> str:
    """Make header matching tolerant of full-width brackets and stray spaces."""
    text = "" if value is None else str(value)
    return "".join(text.replace("（", "(").replace("）", ")").split())


def cell_text(value: Cell) -> str:
    """Return a cell as stripped text ('' for blank); whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    for invisible in _INVISIBLE:
        text = text.replace(invisible, "")
    return text.strip()


def is_number(value: Cell) -> bool:
    """True for numeric cells (bool is not a number here, although Python thinks so)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _open_workbook(stream: bytes | IO[bytes]) -> Workbook | None:
    source = io.BytesIO(stream) if isinstance(stream, bytes | bytearray) else stream
    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        return None


def _header_columns(header: Sequence[Cell], expected: Sequence[str]) -> tuple[dict[str, int], list[RowError]]:
    found = {normalise_header(value): index for index, value in enumerate(header)}
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    for name in expected:
        index = found.get(normalise_header(name))
        if index is None:
            errors.append(RowError(1, name, f"表头缺少“{name}”列，请使用系统下载的模板"))
        else:
            columns[name] = index
    return columns, errors


def read_sheet(
    stream: bytes | IO[bytes],
    *,
    sheet_name: str,
    headers: Sequence[str],
    max_rows: int,
    progress: Progress | None = None,
) -> SheetRows:
    """Read the named sheet (or the first one) into header-keyed rows, skipping blank rows."""
    workbook = _open_workbook(stream)
    if workbook is None:
        return SheetRows(errors=[RowError(0, "", "无法读取文件：请上传 Excel 工作簿（.xlsx）")])
    try:
        sheet = workbook[sheet_name] if sheet_name in workbook.sheetnames else workbook.worksheets[0]
        return _collect_rows(sheet, headers, max_rows, progress)
    finally:
        workbook.close()


def _collect_rows(
    sheet: Any, headers: Sequence[str], max_rows: int, progress: Progress | None
) -> SheetRows:
    result = SheetRows()
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None)
    columns, result.errors = _header_columns(header or (), headers)
    if result.errors:
        return result
    total = max((sheet.max_row or 0) - 1, 0)
    scanned = blank_run = 0
    for row_number, values in enumerate(lines, start=2):
        scanned += 1
        if progress is not None and scanned % PROGRESS_EVERY == 0:
            progress(scanned, max(total, scanned))
        cells = {name: values[index] if index < len(values) else None for name, index in columns.items()}
        if all(cell_text(value) == "" for value in cells.values()):
            blank_run += 1
            if blank_run >= BLANK_ROWS_BEFORE_STOP:
                break
            continue
        blank_run = 0
        if len(result.rows) >= max_rows:
            message = f"数据超过{max_rows}行上限，请分批导入（从第{row_number}行起未读取）"
            result.errors.append(RowError(row_number, "", message))
            break
        result.rows.append((row_number, cells))
    if progress is not None:
        progress(scanned, scanned)
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "", "表格中没有数据，请从第2行起逐行填写"))
    return result


def duplicate_id_errors(rows_by_id: Mapping[str, list[int]], column: str = "身份证号") -> list[RowError]:
    """Report every row whose ID number appears more than once, naming the other rows."""
    errors = []
    for rows in rows_by_id.values():
        if len(rows) < 2:
            continue
        for row in rows:
            others = "、".join(str(other) for other in rows if other != row)
            errors.append(RowError(row, column, f"身份证号与第{others}行重复"))
    return errors


def parse_id_number(value: Cell) -> tuple[str, str | None]:
    """Return (normalised ID number, None) or ('', Chinese error message)."""
    if is_number(value):
        # Excel keeps 15 significant digits and cannot hold the X, so the value is already damaged.
        return "", "身份证号被 Excel 存成了数字，末位X或后几位可能已丢失；请将该列设置为文本格式后重新填写"
    text = cell_text(value)
    problem = validate_id_number(text)
    return (normalise_id_number(text), None) if problem is None else ("", problem)


def validate_rows(
    sheet: SheetRows, parse: RowParser, headers: Sequence[str], *, key: str = "id_number"
) -> ImportResult:
    """Parse every row, add duplicate-ID errors, keep only clean rows and sort errors by row and column."""
    result = ImportResult(errors=list(sheet.errors))
    rows_by_id: dict[str, list[int]] = defaultdict(list)
    for row_number, cells in sheet.rows:
        values, problems = parse(cells)
        result.errors.extend(RowError(row_number, column, message) for column, message in problems.items())
        if values.get(key):
            rows_by_id[values[key]].append(row_number)
        if not problems:
            result.rows.append({"row": row_number, **values})
    duplicates = duplicate_id_errors(rows_by_id)
    result.errors.extend(duplicates)
    duplicate_rows = {error.row for error in duplicates}
    result.rows = [row for row in result.rows if row["row"] not in duplicate_rows]
    order = {name: index for index, name in enumerate(headers)}
    result.errors.sort(key=lambda error: (error.row, order.get(error.column, -1)))
    return result


def style_header(sheet: Worksheet, headers: Sequence[str], widths: Sequence[float], row: int = 1) -> None:
    """Write a bold, filled, bordered header row and set column widths."""
    for column, (name, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=row, column=column, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER
        sheet.column_dimensions[get_column_letter(column)].width = width


def text_columns(sheet: Worksheet, letters: Iterable[str]) -> None:
    """Format whole columns as text so Excel keeps ID numbers and codes exactly as typed."""
    for letter in letters:
        sheet.column_dimensions[letter].number_format = TEXT_FORMAT


def list_validation(sheet: Worksheet, cells: str, formula: str, error: str) -> None:
    """Attach a dropdown list to a cell range; `formula` is a quoted list or a range reference."""
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = error
    validation.errorTitle = "输入值无效"
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(cells)


def write_notes(
    sheet: Worksheet, title: str, lines: Sequence[Sequence[str]], widths: Sequence[float]
) -> None:
    """Fill an explanation sheet: a bold title, a header row and one row per column described."""
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    style_header(sheet, lines[0], widths, row=2)
    for row, line in enumerate(lines[1:], start=3):
        for column, text in enumerate(line, start=1):
            cell = sheet.cell(row=row, column=column, value=text)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = BORDER


def workbook_bytes(workbook: Workbook) -> bytes:
    """Serialise a workbook to xlsx bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
