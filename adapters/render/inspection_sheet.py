"""The bureau's enforcement-inspection list (S8) as xlsx: institutions rated poor in last year's surveys."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook

from adapters.render.xlsx_common import style_header, workbook_bytes

HEADERS = ("序号", "培训机构", "机构代码", "调研季度", "评估得分", "评估等级", "评估意见")


def inspection_xlsx(year: int, rows: Sequence[tuple[str, str, str, int, str, str]]) -> bytes:
    """``rows``: (institution, code, quarter label, score, rating label, note); one row per poor survey."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年执法检查名单"[:31]
    style_header(sheet, HEADERS, (6, 30, 14, 12, 10, 10, 40))
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    return workbook_bytes(book)
