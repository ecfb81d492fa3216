"""The compliance overview as an xlsx workbook: one sheet per organisation kind, plain values in, bytes out.

Every text cell is written as a string, never a formula: a name such as ``=HYPERLINK(...)`` typed into the
directory stays text when the bureau opens the export (CSV/formula injection).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from adapters.render.xlsx_common import BORDER, CENTER, HEADER_FILL, HEADER_FONT

RISKY_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class SheetData:
    title: str  # the sheet name
    headers: tuple[str, ...]
    rows: tuple[tuple[str | float | None, ...], ...]


def safe_cell(cell, value: str | float | None) -> None:  # type: ignore[no-untyped-def]
    """Write the value; text that a spreadsheet would read as a formula is forced to a quoted string."""
    cell.value = value
    if isinstance(value, str) and value.startswith(RISKY_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def overview_xlsx(sheets: Sequence[SheetData]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for data in sheets:
        sheet = book.create_sheet(data.title[:31])
        for col, header in enumerate(data.headers, start=1):
            cell = sheet.cell(row=1, column=col)
            safe_cell(cell, header)
            cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, CENTER, BORDER
            sheet.column_dimensions[get_column_letter(col)].width = 28 if col == 1 else 16
        for r, row in enumerate(data.rows, start=2):
            for col, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=col)
                safe_cell(cell, value)
                cell.border = BORDER
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
