"""The OpenAPI 3.1 description of /api/v1; tests hold it to the registered routes and real responses."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from adapters.web.platform.api import bp

JSON = "application/json"
Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str, **extra: Any) -> Schema:
    return {"type": [kind, "null"], **extra}


def _object(required: list[str], **properties: Schema) -> Schema:
    return {"type": "object", "required": required, "properties": properties}


STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
STAMP = _nullable("string", format="date-time")
BINARY: Schema = {"type": "string", "contentMediaType": "application/octet-stream"}

SCHEMAS: dict[str, Schema] = {
    "Error": _object(["error", "message"], error=STR, message=STR),
    "ValidationError": _object(
        ["error", "message", "fields"], error=STR, message=STR,
        fields={"type": "object", "additionalProperties": STR,
                "description": "field name → message (cells as table[3].column; _body for the body itself)"}),
    "Process": _object(["key", "name", "version"], key=STR, name=STR, version=INT, deployed_at=STAMP),
    "Task": _object(
        ["id", "title", "process_key", "instance_id", "state", "role_key", "form_key"],
        id={"type": "string", "description": "engine task UUID"}, title=STR, process_key=STR,
        process_name=STR, instance_id=INT, bpmn_id=STR, business_key=_nullable("string"),
        subject_title=STR, role_key=STR, organisation_id=_nullable("integer"), form_key=STR,
        state={"type": "string", "enum": ["open", "completed", "cancelled"]},
        assignee_id=_nullable("integer"), due_date=_nullable("string", format="date"), created_at=STAMP,
        claimed_at=STAMP, completed_at=STAMP, completed_by_id=_nullable("integer")),
    "TaskDetail": {"allOf": [_ref("Task"), _object(
        ["form", "data"], form={"type": "object", "description": "form definition as in forms/<key>.json"},
        data={"type": "object", "description": "workflow data visible to the task"})]},
    "Incident": _object(["id", "element_id", "message"], id=INT, element_id=STR, message=STR,
                        created_at=STAMP),
    "Instance": _object(
        ["id", "process_key", "version", "status", "tasks", "incidents"],
        id=INT, process_key=STR, version=INT, business_key=_nullable("string"), title=STR,
        status={"type": "string", "description": "running, completed or incident (waits for an admin)"},
        organisation_id=_nullable("integer"), created_at=STAMP, completed_at=STAMP, next_timer_at=STAMP,
        tasks={"type": "array", "items": _ref("Task"), "description": "active (open) human tasks"},
        incidents={"type": "array", "items": _ref("Incident")}),
    "Document": _object(
        ["id", "filename", "content_type", "size", "sha256"],
        id=INT, filename=STR, content_type=STR, size=INT,
        sha256={"type": "string", "pattern": "^[0-9a-f]{64}$"},
        kind=STR, organisation_id=INT, instance_id=_nullable("integer"), task_id=_nullable("string"),
        uploaded_by_id=INT, uploaded_at=STAMP),
}

ERRORS = {
    "400": ("请求无效 (bad request)", "Error"),
    "401": ("缺少或无效的访问令牌 (missing or invalid bearer token)", "Error"),
    "403": ("无权执行此操作 (forbidden)", "Error"),
    "404": ("不存在或不可见 (not found, or not visible to you)", "Error"),
    "409": ("冲突：已完成、已被他人认领或已被他人更新 (conflict)", "Error"),
    "413": ("上传的文件过大 (payload too large)", "Error"),
    "422": ("数据有误，fields 按字段名给出原因 (invalid data)", "ValidationError"),
}

TASK_ID = {"name": "task_id", "in": "path", "required": True, "schema": STR}
INSTANCE_ID = {"name": "instance_id", "in": "path", "required": True, "schema": INT}
DOCUMENT_ID = {"name": "document_id", "in": "path", "required": True, "schema": INT}
TASK_QUERY = [
    {"name": "view", "in": "query",
     "schema": {"type": "string", "enum": ["mine", "group", "all_open"], "default": "all_open"},
     "description": "mine: claimed by me; group: unclaimed for my roles in my organisation; all_open: both"},
    {"name": "limit", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}},
    {"name": "cursor", "in": "query", "schema": STR, "description": "next_cursor of the previous page"},
    {"name": "instance_id", "in": "query", "schema": {"type": "integer", "minimum": 1},
     "description": "only the open tasks of this process instance"},
]
TASK_LIST = _object(["tasks", "next_cursor"], tasks={"type": "array", "items": _ref("Task")},
                    next_cursor=_nullable("string", description="cursor of the next page; null on the last"))
START_BODY = _object(
    ["process_key"], process_key={"type": "string", "minLength": 1},
    business_key=_nullable("string", maxLength=100), title=_nullable("string", maxLength=200),
    data={"type": "object", "description": "initial workflow data; names must not start with _"})
COMPLETE_BODY = _object(["data"], data={"type": "object", "description": "form field name → value"})
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": _object(
    ["file"], file={**BINARY, "description": "PDF, JPEG or PNG, sniffed from the content, not the name"},
    kind={"type": "string", "maxLength": 60}, instance_id=INT, task_id=STR)}}}


def _json(schema: Schema) -> dict[str, Any]:
    return {"content": {JSON: {"schema": schema}}}


def _responses(ok: str, description: str, schema: Schema, *errors: str) -> dict[str, Any]:
    responses: dict[str, Any] = {ok: {"description": description, **_json(schema)}}
    for status in ("401", *errors):
        responses[status] = {"$ref": f"#/components/responses/E{status}"}
    return responses


def _op(op_id: str, summary: str, responses: dict[str, Any], *, params: list[Schema] | None = None,
        body: Schema | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": op_id, "summary": summary, "responses": responses}
    if params:
        op["parameters"] = params
    if body:
        op["requestBody"] = body
    return op


def _task_paths() -> dict[str, Any]:
    task_ok = _responses("200", "the task as it now stands", _ref("Task"), "403", "404", "409")
    done = _object(["instance_status"], instance_status=STR)
    return {
        "/tasks": {"get": _op("listTasks", "我的待办任务（分页）", _responses(
            "200", "one page of open tasks", TASK_LIST, "422"), params=TASK_QUERY)},
        "/tasks/{task_id}": {"get": _op("getTask", "任务及其表单定义和数据", _responses(
            "200", "the task with its form and data", _ref("TaskDetail"), "404"), params=[TASK_ID])},
        "/tasks/{task_id}/claim": {"post": _op("claimTask", "认领任务", task_ok, params=[TASK_ID])},
        "/tasks/{task_id}/unclaim": {"post": _op("unclaimTask", "退回任务到组", task_ok, params=[TASK_ID])},
        "/tasks/{task_id}/complete": {"post": _op("completeTask", "提交表单并完成任务", _responses(
            "200", "the instance status after the step", done, "400", "403", "404", "409", "422"),
            params=[TASK_ID], body={"required": True, **_json(COMPLETE_BODY)})},
    }


def _document_paths() -> dict[str, Any]:
    download = _responses("200", "the file as an attachment", BINARY, "404")
    download["200"] = {"description": "the file as an attachment", "content": {"*/*": {"schema": BINARY}}}
    return {
        "/documents": {"post": _op("uploadDocument", "上传文件", _responses(
            "201", "the stored document", _ref("Document"), "400", "404", "413", "422"), body=UPLOAD_BODY)},
        "/documents/{document_id}": {"get": _op("getDocument", "文件信息", _responses(
            "200", "document metadata", _ref("Document"), "404"), params=[DOCUMENT_ID])},
        "/documents/{document_id}/content": {"get": _op(
            "downloadDocument", "下载文件（记入审计日志）", download, params=[DOCUMENT_ID])},
    }


def _paths() -> dict[str, Any]:
    processes = _object(["processes"], processes={"type": "array", "items": _ref("Process")})
    return {
        "/processes": {"get": _op("listProcesses", "已部署的流程（最新版本）", _responses(
            "200", "deployed processes", processes))},
        "/instances": {"post": _op("startInstance", "发起流程实例", _responses(
            "201", "the new instance and its first tasks", _ref("Instance"), "400", "403", "404", "422"),
            body={"required": True, **_json(START_BODY)})},
        "/instances/{instance_id}": {"get": _op(
            "getInstance", "流程实例：状态、版本、待办任务、异常",
            _responses("200", "the instance", _ref("Instance"), "404"), params=[INSTANCE_ID])},
        **_task_paths(),
        **_document_paths(),
        "/openapi.json": {"get": {**_op("getOpenApi", "本文档 (this document)", {
            "200": {"description": "OpenAPI 3.1 document", **_json({"type": "object"})}}), "security": []}},
    }


def document() -> dict[str, Any]:
    """The whole OpenAPI document; paths are relative to the server URL /api/v1."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "安培 Anpei API", "version": "1.0.0",
                 "description": "流程、任务与文件的 JSON 接口。请求头 Authorization: Bearer <token>"
                                "（令牌由管理员签发，只显示一次）。错误体为 {error, message}，"
                                "422 另含 fields（字段名 → 原因）。"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "personal token issued by an administrator"}},
            "schemas": SCHEMAS,
            "responses": {f"E{status}": {"description": text, **_json(_ref(name))}
                          for status, (text, name) in ERRORS.items()},
        },
    }


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(document())
