"""Rows to JSON and JSON to plain values: the shapes here are the schemas documented in ``openapi``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask import request

from adapters.services.platform.api_support import TaskDetail
from adapters.services.platform.errors import InvalidData
from adapters.services.platform.instances import InstanceView
from storage.models import Document, HumanTask, Incident, ProcessVersion


def jsonable(value: Any) -> Any:
    """Workflow data as JSON: dates in ISO 8601, decimals as strings (as forms store them)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def process(version: ProcessVersion) -> dict[str, Any]:
    return {"key": version.process_key, "name": version.name, "version": version.version,
            "deployed_at": _iso(version.deployed_at)}


def task(row: HumanTask) -> dict[str, Any]:
    return {
        "id": row.id, "title": row.title, "process_key": row.process_key, "process_name": row.process_name,
        "instance_id": row.instance_id, "bpmn_id": row.bpmn_id, "business_key": row.business_key,
        "subject_title": row.subject_title, "role_key": row.role_key, "organisation_id": row.organisation_id,
        "form_key": row.form_key, "state": row.state, "assignee_id": row.assignee_id,
        "due_date": _iso(row.due_date), "created_at": _iso(row.created_at),
        "claimed_at": _iso(row.claimed_at), "completed_at": _iso(row.completed_at),
        "completed_by_id": row.completed_by_id,
    }


def task_detail(detail: TaskDetail) -> dict[str, Any]:
    return {**task(detail.task), "form": jsonable(detail.form), "data": jsonable(detail.data)}


def incident(row: Incident) -> dict[str, Any]:
    return {"id": row.id, "element_id": row.element_id, "message": row.message,
            "created_at": _iso(row.created_at)}


def instance(view: InstanceView) -> dict[str, Any]:
    return {
        "id": view.id, "process_key": view.process_key, "version": view.version,
        "business_key": view.business_key, "title": view.title, "status": view.status,
        "organisation_id": view.organisation_id, "created_at": _iso(view.created_at),
        "completed_at": _iso(view.completed_at), "next_timer_at": _iso(view.next_timer_at),
        "tasks": [task(t) for t in view.active_tasks], "incidents": [incident(i) for i in view.incidents],
    }


def document(row: Document) -> dict[str, Any]:
    return {
        "id": row.id, "filename": row.filename, "content_type": row.content_type, "size": row.size,
        "sha256": row.sha256, "kind": row.kind, "organisation_id": row.organisation_id,
        "instance_id": row.instance_id, "task_id": row.task_id, "uploaded_by_id": row.uploaded_by_id,
        "uploaded_at": _iso(row.uploaded_at),
    }


# -- requests -------------------------------------------------------------------------------------------
def json_object() -> dict[str, Any]:
    """The request body as a JSON object (422 naming ``_body`` otherwise)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidData({"_body": "请求体须为 JSON 对象，Content-Type: application/json"}, "请求体有误")
    return body


def optional_text(body: Mapping[str, Any], name: str, max_length: int, errors: dict[str, str]) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_length:
        errors[name] = f"{name} 须为不超过 {max_length} 个字符的字符串"
        return None
    return value.strip() or None


def optional_object(body: Mapping[str, Any], name: str, errors: dict[str, str]) -> dict[str, Any]:
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors[name] = f"{name} 须为 JSON 对象"
        return {}
    return value


def optional_int(values: Mapping[str, Any], name: str, errors: dict[str, str], *,
                 minimum: int = 1) -> int | None:
    """A positive integer from form or query values; a bad value is recorded in ``errors``."""
    raw = values.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(str(raw))
    except ValueError:
        value = minimum - 1
    if value < minimum:
        errors[name] = f"{name} 须为不小于 {minimum} 的整数"
        return None
    return value
