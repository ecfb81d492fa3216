"""API routes for processes, instances and tasks: each translates HTTP to one use case and back."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for

from adapters.services.platform import api_support, instances, tasks
from adapters.services.platform.errors import InvalidData
from adapters.web.platform.api import bp, payloads
from adapters.web.security import current_actor, wiring


@bp.get("/processes")
def processes() -> Any:
    rows = api_support.deployed_processes(wiring().platform)
    return jsonify({"processes": [payloads.process(v) for v in rows]})


@bp.post("/instances")
def start_instance() -> Any:
    body = payloads.json_object()
    errors: dict[str, str] = {}
    process_key = body.get("process_key")
    if not isinstance(process_key, str) or not process_key.strip():
        errors["process_key"] = "process_key 必填（流程标识）"
    business_key = payloads.optional_text(body, "business_key", 100, errors)
    title = payloads.optional_text(body, "title", 200, errors) or ""
    data = payloads.optional_object(body, "data", errors)
    if errors:
        raise InvalidData(errors, "发起流程的参数有误")
    view = api_support.start_and_show(wiring().platform, current_actor(), str(process_key).strip(),
                                      business_key=business_key, title=title, data=data)
    response = jsonify(payloads.instance(view))
    response.status_code = 201
    response.headers["Location"] = url_for("api.show_instance", instance_id=view.id)
    return response


@bp.get("/instances/<int:instance_id>")
def show_instance(instance_id: int) -> Any:
    view = instances.show_instance(wiring().platform, current_actor(), instance_id)
    return jsonify(payloads.instance(view))


@bp.get("/tasks")
def list_tasks() -> Any:
    errors: dict[str, str] = {}
    limit = payloads.optional_int(request.args, "limit", errors)
    instance_id = payloads.optional_int(request.args, "instance_id", errors)
    if errors:
        raise InvalidData(errors, "查询参数有误")
    page = api_support.task_page(wiring().platform, current_actor(), request.args.get("view", "all_open"),
                                 limit=limit or 50, cursor=request.args.get("cursor") or None,
                                 instance_id=instance_id)
    return jsonify({"tasks": [payloads.task(t) for t in page.tasks], "next_cursor": page.next_cursor})


@bp.get("/tasks/<task_id>")
def show_task(task_id: str) -> Any:
    detail = api_support.task_detail(wiring().platform, current_actor(), task_id)
    return jsonify(payloads.task_detail(detail))


@bp.post("/tasks/<task_id>/claim")
def claim_task(task_id: str) -> Any:
    row = api_support.claim_or_release(wiring().platform, current_actor(), task_id)
    return jsonify(payloads.task(row))


@bp.post("/tasks/<task_id>/unclaim")
def unclaim_task(task_id: str) -> Any:
    row = api_support.claim_or_release(wiring().platform, current_actor(), task_id, release=True)
    return jsonify(payloads.task(row))


@bp.post("/tasks/<task_id>/complete")
def complete_task(task_id: str) -> Any:
    body = payloads.json_object()
    data = body.get("data")
    if not isinstance(data, dict):
        raise InvalidData({"data": "data 必填，须为表单字段名到值的 JSON 对象"}, "提交的数据有误")
    status = tasks.complete(wiring().platform, current_actor(), task_id, data)
    return jsonify({"instance_status": status})
