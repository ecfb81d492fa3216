"""Process instances: the list the actor may see, and one instance with diagram, history and documents."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.services.platform import history, instances
from adapters.web.security import current_actor, login_required, wiring

bp = Blueprint("instance_views", __name__, url_prefix="/instances")


@bp.get("/")
@login_required
def index() -> Any:
    status = request.args.get("status", "")
    process_key = request.args.get("process", "")
    listing = history.list_instances(wiring().platform, current_actor(), status=status, process_key=process_key,
                                     page=request.args.get("page", 1, type=int) or 1)
    return render_template("instances/index.html", listing=listing, status=status, process_key=process_key,
                           statuses=history.STATUSES)


@bp.get("/<int:instance_id>")
@login_required
def show(instance_id: int) -> Any:
    page = history.instance_page(wiring().platform, current_actor(), instance_id)
    return render_template("instances/show.html", page=page, row=page.row)


@bp.post("/<int:instance_id>/retry")
@login_required
def retry(instance_id: int) -> Any:
    status = instances.retry_instance(wiring().platform, current_actor(), instance_id)
    if status == "incident":
        flash(_("重试后仍然出错，请查看异常信息"), "error")
    else:
        flash(_("已重试，流程继续运行"), "success")
    return redirect(url_for("instance_views.show", instance_id=instance_id))
