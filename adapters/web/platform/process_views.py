"""Deployed processes: list with versions, one process's diagram, and the form that starts an instance."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.services.platform import processes
from adapters.services.platform.errors import InvalidData
from adapters.web.security import current_actor, login_required, wiring

bp = Blueprint("process_views", __name__, url_prefix="/processes")


@bp.get("/")
@login_required
def index() -> Any:
    return render_template("processes/index.html",
                           processes=processes.list_processes(wiring().platform, current_actor()))


@bp.get("/<process_key>")
@login_required
def show(process_key: str) -> Any:
    detail = processes.process_detail(wiring().platform, current_actor(), process_key)
    return render_template("processes/show.html", detail=detail, process=detail.summary, errors={}, values={})


@bp.post("/<process_key>/start")
@login_required
def start(process_key: str) -> Any:
    platform, actor = wiring().platform, current_actor()
    values = {"business_key": request.form.get("business_key", ""), "title": request.form.get("title", "")}
    try:
        instance_id = processes.start_process(platform, actor, process_key, **values)
    except InvalidData as err:
        detail = processes.process_detail(platform, actor, process_key)
        body = render_template("processes/show.html", detail=detail, process=detail.summary, errors=err.errors,
                               values=values)
        return body, 422
    flash(_("流程已发起"), "success")
    return redirect(url_for("instance_views.show", instance_id=instance_id))
