"""Map use-case errors to HTTP answers: pages for people, JSON for /api."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request

from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound, ServiceError

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, InvalidData: 422}


def _status_of(err: ServiceError) -> int:
    for cls, status in STATUS.items():
        if isinstance(err, cls):
            return status
    return 400


def _handle_service_error(err: ServiceError) -> Any:
    status = _status_of(err)
    if request.path.startswith("/api/"):
        body: dict[str, Any] = {"error": type(err).__name__, "message": str(err)}
        if isinstance(err, InvalidData):
            body["fields"] = err.errors
        return jsonify(body), status
    return render_template("error.html", status=status, message=str(err)), status


def _http_error(status: int, message: str) -> Any:
    if request.path.startswith("/api/"):
        return jsonify({"error": str(status), "message": message}), status
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    app.register_error_handler(ServiceError, _handle_service_error)
    for status, message in ((401, "请先登录"), (403, "没有权限"), (404, "页面不存在"), (405, "不支持的请求方式"),
                            (413, "上传的文件过大"), (400, "请求无效")):
        app.register_error_handler(status, lambda _e, s=status, m=message: _http_error(s, m))
