"""Shared by the enterprises pages: the family context of this app and small form readers."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, BinaryIO, cast

from flask import request, send_file

from adapters.services.enterprises import enterprises_context
from adapters.services.enterprises.context import EnterprisesContext
from adapters.services.platform import documents
from adapters.web.security import wiring

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ctx() -> EnterprisesContext:
    return enterprises_context(wiring())


def day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def number(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def upload(name: str) -> documents.Upload | None:
    file = request.files.get(name)
    if file is None or not file.filename:
        return None
    return documents.Upload(cast(BinaryIO, file.stream), file.filename)


def sheet_bytes(name: str = "sheet") -> bytes | None:
    file = request.files.get(name)
    return file.read() if file is not None and file.filename else None


def xlsx(data: bytes, filename: str) -> Any:
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=filename)
