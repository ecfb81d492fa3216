"""Helpers for the render tests: valid ID numbers and filling xlsx files like a user would."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl

from adapters.rules.idnumbers import check_character


def make_id(first_17: str) -> str:
    """Return a checksum-valid ID number for the given first 17 digits."""
    return first_17 + check_character(first_17)


MALE_ID = make_id("14050219900101001")
FEMALE_ID = make_id("14052119850315002")
OTHER_MALE_ID = make_id("14058119770707013")
X_ID = next(
    candidate
    for candidate in (make_id(f"14052519880808{sequence:03d}") for sequence in range(1, 1000))
    if candidate.endswith("X")
)


def fill(template: bytes, rows: Sequence[Sequence[Any]], *, sheet: str, start_row: int = 2) -> bytes:
    """Write `rows` into a template sheet from `start_row`, as a user typing into Excel would."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    worksheet = workbook[sheet]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            worksheet.cell(row=start_row + offset, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_values(data: bytes, sheet: str) -> list[tuple[Any, ...]]:
    """Return every row of a sheet as a tuple of values."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]
