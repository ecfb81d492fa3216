"""The modeler's JSON API (contract: issue 7, MODELER-API): catalogue, drafts, validation, deployment, versions,
forms and instance migration. Session-cookie auth, process owners and administrators only; CSRF header on writes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, g, jsonify, render_template, request
from flask_babel import get_locale

from adapters.services.platform import catalogue, drafts, form_editor, migration, validation, versions
from adapters.services.platform.drafts import ProblemsFound
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound, ServiceError
from adapters.web.security import current_actor, wiring
from forms.wtf import build_wtform

bp = Blueprint("modeler_api", __name__, url_prefix="/modeler/api")
F = TypeVar("F", bound=Callable[..., Any])
STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, InvalidData: 422, ProblemsFound: 422}


def owner_required(view: F) -> F:
    """401 without a session, 403 for anyone who is neither a process owner nor an administrator (as JSON)."""
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("actor") is None:
            return jsonify({"error": "请先登录", "problems": []}), 401
        drafts.require_owner(current_actor())
        return view(*args, **kwargs)
    return wrapped  # type: ignore[return-value]


@bp.errorhandler(ServiceError)
def _service_error(err: ServiceError) -> Any:
    status = next((s for cls, s in STATUS.items() if isinstance(err, cls)), 400)
    problems: list[Any] = []
    if isinstance(err, ProblemsFound):
        problems = [p.as_dict() for p in err.problems]
    elif isinstance(err, InvalidData):
        problems = [{"element_id": None, "field": k, "message": v, "severity": "error", "code": "invalid"}
                    for k, v in err.errors.items()]
    message = str(err).split(": ")[0] if isinstance(err, InvalidData) else str(err)
    return jsonify({"error": message, "problems": problems}), status


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidData({"_body": "请求体必须是 JSON 对象"}, "请求无效")
    return body


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str):
        raise InvalidData({name: f"缺少 {name}（文本）"}, "请求无效")
    return value


def _platform() -> Any:
    return wiring().platform


@bp.get("/catalogue")
@owner_required
def get_catalogue() -> Any:
    w = wiring()
    return jsonify(catalogue.catalogue(w.platform, current_actor(), w.forms,
                                       w.settings.bpmn_dir / "element_templates.json",
                                       request.args.get("process") or None))


@bp.get("/processes")
@owner_required
def list_processes() -> Any:
    return jsonify(drafts.list_processes(_platform(), current_actor()))


@bp.post("/processes/<key>/drafts")
@owner_required
def open_draft(key: str) -> Any:
    return jsonify(drafts.open_draft(_platform(), current_actor(), key).as_dict())


@bp.post("/drafts")
@owner_required
def new_draft() -> Any:
    return jsonify(drafts.new_draft(_platform(), current_actor(), _text(_body(), "xml")).as_dict()), 201


@bp.get("/drafts/<int:draft_id>")
@owner_required
def get_draft(draft_id: int) -> Any:
    return jsonify(drafts.get_draft(_platform(), current_actor(), draft_id).as_dict())


@bp.put("/drafts/<int:draft_id>")
@owner_required
def save_draft(draft_id: int) -> Any:
    view, problems = drafts.save_draft(_platform(), current_actor(), draft_id, _text(_body(), "xml"))
    return jsonify({"saved_at": view.updated_at.isoformat(), "stale": view.stale,
                    "problems": [p.as_dict() for p in problems]})


@bp.delete("/drafts/<int:draft_id>")
@owner_required
def delete_draft(draft_id: int) -> Any:
    drafts.delete_draft(_platform(), current_actor(), draft_id)
    return "", 204


@bp.post("/drafts/<int:draft_id>/deploy")
@owner_required
def deploy_draft(draft_id: int) -> Any:
    comment = (request.get_json(silent=True) or {}).get("comment") or ""
    version = drafts.deploy_draft(_platform(), current_actor(), draft_id, str(comment))
    return jsonify({"version": version})


@bp.get("/drafts/<int:draft_id>/download")
@owner_required
def download_draft(draft_id: int) -> Any:
    view = drafts.get_draft(_platform(), current_actor(), draft_id)
    return Response(view.xml, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{view.process_key}.bpmn"'})


@bp.post("/validate")
@owner_required
def validate() -> Any:
    platform = _platform()
    xml = _text(_body(), "xml")
    problems = validation.validate_xml(platform, xml, validation.form_lookup(platform))
    return jsonify({"problems": [p.as_dict() for p in problems]})


@bp.get("/processes/<key>/versions")
@owner_required
def list_versions(key: str) -> Any:
    return jsonify(versions.history(_platform(), current_actor(), key))


@bp.get("/processes/<key>/versions/<int:number>")
@owner_required
def show_version(key: str, number: int) -> Any:
    return jsonify(versions.version_detail(_platform(), current_actor(), key, number))


@bp.post("/processes/<key>/versions/<int:number>/rollback")
@owner_required
def rollback(key: str, number: int) -> Any:
    comment = (request.get_json(silent=True) or {}).get("comment") or ""
    return jsonify({"version": versions.rollback(_platform(), current_actor(), key, number, str(comment))})


@bp.get("/processes/<key>/compare")
@owner_required
def compare(key: str) -> Any:
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    if a is None or b is None:
        raise InvalidData({"a": "请选择要比较的两个版本"}, "请求无效")
    return jsonify(versions.compare_versions(_platform(), current_actor(), key, a, b))


@bp.get("/forms/<key>")
@owner_required
def get_form(key: str) -> Any:
    return jsonify(form_editor.form_detail(_platform(), current_actor(), key))


@bp.post("/forms/preview")
@owner_required
def preview_form() -> Any:
    definition = _body().get("definition")
    parsed, problems = form_editor.preview(_platform(), current_actor(), definition)
    html = ""
    if parsed is not None:
        lang = str(get_locale() or "zh")[:2]
        html = render_template("forms/preview.html", definition=parsed, form=build_wtform(parsed, lang, data={}))
    return jsonify({"html": html, "problems": problems})


@bp.put("/forms/<key>")
@owner_required
def save_form(key: str) -> Any:
    body = _body()
    process = body.get("process")
    saved_in = form_editor.save_form(_platform(), current_actor(), key, body.get("definition"),
                                     str(process) if process else None)
    return jsonify({"saved_in": saved_in})


@bp.post("/processes/<key>/migrations/dry-run")
@owner_required
def migration_dry_run(key: str) -> Any:
    req = migration.request_from(key, _body())
    return jsonify({"instances": migration.dry_run(_platform(), current_actor(), req)})


@bp.post("/processes/<key>/migrations")
@owner_required
def migrate(key: str) -> Any:
    req = migration.request_from(key, _body())
    return jsonify(migration.migrate(_platform(), current_actor(), req))
