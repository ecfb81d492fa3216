"""API routes for documents: streamed upload (sniffed, bounded, hashed), metadata and audited download."""

from __future__ import annotations

from typing import Any, BinaryIO, cast

from flask import jsonify, request, send_file, url_for

from adapters.services.platform import api_support, documents
from adapters.services.platform.errors import InvalidData
from adapters.web.platform.api import bp, payloads
from adapters.web.security import current_actor, wiring


@bp.post("/documents")
def upload_document() -> Any:
    errors: dict[str, str] = {}
    file = request.files.get("file")
    if file is None or not file.filename:
        errors["file"] = "请选择要上传的文件（multipart 字段 file）"
    instance_id = payloads.optional_int(request.form, "instance_id", errors)
    task_id = (request.form.get("task_id") or "").strip() or None
    kind = (request.form.get("kind") or "").strip()
    if len(kind) > 60:
        errors["kind"] = "kind 最多 60 个字符"
    if errors or file is None:
        raise InvalidData(errors, "上传参数有误")
    settings = wiring().settings
    row = api_support.attach_linked(
        wiring().platform, wiring().objects, current_actor(),
        documents.Upload(stream=cast(BinaryIO, file.stream), filename=file.filename or "file", kind=kind),
        max_bytes=settings.upload_max_mb * 1024 * 1024, instance_id=instance_id, task_id=task_id)
    response = jsonify(payloads.document(row))
    response.status_code = 201
    response.headers["Location"] = url_for("api.document_metadata", document_id=row.id)
    return response


@bp.get("/documents/<int:document_id>")
def document_metadata(document_id: int) -> Any:
    row = documents.document_info(wiring().platform, current_actor(), document_id)
    return jsonify(payloads.document(row))


@bp.get("/documents/<int:document_id>/content")
def document_content(document_id: int) -> Any:
    row, stream = documents.open_document(wiring().platform, wiring().objects, current_actor(), document_id)
    response = send_file(stream, mimetype=row.content_type, as_attachment=True, download_name=row.filename,
                         etag=row.sha256, conditional=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
