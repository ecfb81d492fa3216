"""HTTP to plain values for the class pages: posted trainee rows, dates, uploads, and progress streamed as NDJSON."""

from __future__ import annotations

import datetime as dt
import json
import queue
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, BinaryIO, TypeVar, cast

from flask import Response, request, stream_with_context
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from adapters.render.xlsx_common import Progress
from adapters.services.issuance.classes import TraineeInput
from adapters.services.issuance.pages import trainee_key
from adapters.services.platform.documents import Upload
from adapters.services.platform.errors import ServiceError

T = TypeVar("T")
ROW = re.compile(r"t-([0-9]{1,4})-([a-z_]+)")
MAX_ROWS = 500
NDJSON = "application/x-ndjson"


def day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def number(text: str | None) -> int | None:
    value = (text or "").strip()
    return int(value) if value.isdigit() else None


def posted_rows(form: MultiDict[str, str]) -> list[dict[str, str]]:
    """The trainee rows as posted (``t-<n>-<column>``), in row order, blank rows included."""
    rows: dict[int, dict[str, str]] = {}
    for key in form:
        match = ROW.fullmatch(key)
        if match and (int(match.group(1)) < MAX_ROWS):
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = form.get(key, "").strip()
    return [rows[index] for index in sorted(rows)]


def trainee_inputs(rows: list[dict[str, str]], default_job: str = "", default_kind: str = ""
                   ) -> tuple[list[TraineeInput], list[int]]:
    """Trainees of the filled rows (a blank job type or kind is the class's), and the row each came from."""
    items, origin = [], []
    for index, row in enumerate(rows):
        if not any(row.get(column) for column in ("name", "id_number", "mobile", "employer")):
            continue
        items.append(TraineeInput(
            name=row.get("name", ""), id_number=row.get("id_number", ""), education=row.get("education", ""),
            job_type=row.get("job_type") or default_job, training_kind=row.get("training_kind") or default_kind,
            mobile=row.get("mobile", ""), employer=row.get("employer", ""), coal_mine=row.get("coal_mine") == "y",
            hazardous_chemicals_key_unit=row.get("hazardous_chemicals_key_unit") == "y",
            newly_appointed=row.get("newly_appointed") == "y"))
        origin.append(index)
    return items, origin


def row_errors(errors: Mapping[str, str], origin: list[int]) -> tuple[dict[int, dict[str, str]], dict[str, str]]:
    """Use-case errors ``trainees[i].field`` placed on the posted rows; the rest by field."""
    cells: dict[int, dict[str, str]] = {}
    other = {}
    for key, message in errors.items():
        index, field = trainee_key(key)
        if index is None or index >= len(origin):
            other[key] = message
        else:
            cells.setdefault(origin[index], {})[field] = message
    return cells, other


def uploads(name: str = "file") -> list[Upload]:
    """The files posted under ``name`` (empty file inputs are left out)."""
    return [Upload(cast(BinaryIO, f.stream), f.filename or "file") for f in request.files.getlist(name)
            if f and f.filename][:20]


def wants_stream() -> bool:
    return NDJSON in request.headers.get("Accept", "")


def progress_stream(work: Callable[[Progress], T], finish: Callable[[T], dict[str, Any]]) -> Response:
    """Run ``work`` in a thread, streaming its progress as NDJSON lines, then ``finish``'s answer as the last line.

    Stateless on purpose (any worker can serve it): the browser reads the lines as they arrive.
    """
    events: queue.Queue[dict[str, Any] | None] = queue.Queue()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work(lambda done, total: events.put({"stage": "parse", "done": done, "total": total}))
        except Exception as err:  # re-raised in the response generator, where it belongs
            outcome["error"] = err
        finally:
            events.put(None)

    def lines() -> Iterator[str]:
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        yield _line({"stage": "parse", "done": 0, "total": 0})
        while (event := events.get()) is not None:
            yield _line(event)
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        yield _line({"stage": "save"})
        try:
            answer = finish(outcome["value"])
        except ServiceError as err:  # the status line has gone out: the refusal travels as the last line
            answer = {"ok": False, "html": str(escape(str(err)))}
        yield _line(answer)

    return Response(stream_with_context(lines()), mimetype=NDJSON,
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _line(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False) + "\n"
