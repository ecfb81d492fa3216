"""Pages of the browser modeler for process owners: process list, modeler, versions, form editor.

The pages are shells: the bundle built from ``adapters/web/assets`` (``static/build``) talks to the JSON API of
blueprint ``modeler_api`` (``/modeler/api``). Only process owners (role ``process_owner``) and admins get in.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, render_template, request

from adapters.services.platform.errors import NotFound
from adapters.web.security import current_actor, login_required

bp = Blueprint("modeler", __name__, url_prefix="/modeler")
F = TypeVar("F", bound=Callable[..., Any])
PROCESS_OWNER = "process_owner"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def may_model(actor: Any) -> bool:
    """Process owners and admins change processes in the browser."""
    return bool(actor and (actor.is_admin or actor.has_role(PROCESS_OWNER)))


def owner_required(view: F) -> F:
    @functools.wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not may_model(current_actor()):
            raise NotFound("页面不存在")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _key(value: str) -> str:
    if not KEY.match(value):
        raise NotFound("页面不存在")
    return value


@bp.get("/")
@owner_required
def index() -> Any:
    return render_template("modeler/index.html")


@bp.get("/new")
@owner_required
def new() -> Any:
    key = (request.args.get("key") or "").strip()
    name = (request.args.get("name") or "").strip()[:200]
    return render_template("modeler/modeler.html", process_key=None, draft_id=None,
                           new_xml=render_template("modeler/new_process.bpmn", key=_key(key), name=name or key))


@bp.get("/drafts/<int:draft_id>")
@owner_required
def draft(draft_id: int) -> Any:
    return render_template("modeler/modeler.html", process_key=None, draft_id=draft_id, new_xml=None)


@bp.get("/<process_key>")
@owner_required
def edit(process_key: str) -> Any:
    return render_template("modeler/modeler.html", process_key=_key(process_key), draft_id=None, new_xml=None)


@bp.get("/<process_key>/versions")
@owner_required
def versions(process_key: str) -> Any:
    return render_template("modeler/versions.html", process_key=_key(process_key))


@bp.get("/forms/<form_key>")
@owner_required
def form_editor(form_key: str) -> Any:
    return render_template("modeler/form_editor.html", form_key=_key(form_key))
