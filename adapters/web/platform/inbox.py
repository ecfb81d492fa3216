"""The task inbox: tabs, filters, keyset pages, and claiming or handing back a task."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from adapters.services.platform import inbox, tasks
from adapters.web.platform.auth import safe_next
from adapters.web.security import current_actor, login_required, wiring

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


def task_url(task_id: str) -> str:
    """The task page; the task blueprint may not be registered yet, so fall back to its agreed path."""
    if "task_views.show" in current_app.view_functions:
        try:
            return url_for("task_views.show", task_id=task_id)
        except BuildError:
            pass
    return f"/tasks/{task_id}"


@bp.get("/")
@login_required
def index() -> Any:
    args = request.args
    query = inbox.InboxQuery(tab=args.get("tab", ""), process_key=args.get("process", ""),
                             due=args.get("due", "all"), text=args.get("q", ""), cursor=args.get("after", ""))
    page = inbox.inbox_page(wiring().platform, current_actor(), query, wiring().reference.calendar())
    return render_template("inbox/index.html", page=page, task_url=task_url)


@bp.post("/<task_id>/claim")
@login_required
def claim(task_id: str) -> Any:
    tasks.claim(wiring().platform, current_actor(), task_id)
    flash(_("已认领任务，它现在在“我的待办”中"), "success")
    return redirect(safe_next(request.form.get("next"), url_for("inbox.index", tab="mine")))


@bp.post("/<task_id>/unclaim")
@login_required
def unclaim(task_id: str) -> Any:
    tasks.unclaim(wiring().platform, current_actor(), task_id)
    flash(_("已退回任务，组内其他人可以认领"), "success")
    return redirect(safe_next(request.form.get("next"), url_for("inbox.index", tab="group")))
