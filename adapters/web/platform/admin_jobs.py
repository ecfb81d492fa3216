"""Administration of background jobs: what is waiting, running, done or failed, and a retry for failed ones."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.services.platform import jobs
from adapters.web.security import admin_required, current_actor, wiring

bp = Blueprint("admin_jobs", __name__, url_prefix="/admin/jobs")
STATES = ("pending", "running", "done", "failed")


def kind_labels() -> dict[str, str]:
    return {"issuance.render_certificates": _("生成电子证书"), "notifications.deliver": _("发送邮件通知"),
            "notifications.scan": _("到期提醒与邮件重发")}


def state_labels() -> dict[str, str]:
    return {"pending": _("等待中"), "running": _("执行中"), "done": _("已完成"), "failed": _("失败")}


@bp.get("/")
@admin_required
def index() -> Any:
    state = request.args.get("state") if request.args.get("state") in STATES else None
    views, counts = jobs.listing(wiring().platform, current_actor(), state=state)
    return render_template("admin/jobs.html", jobs=views, counts=counts, state=state, states=STATES,
                           kind_labels=kind_labels(), state_labels=state_labels())


@bp.post("/<int:job_id>/retry")
@admin_required
def retry(job_id: int) -> Any:
    jobs.retry(wiring().platform, current_actor(), job_id)
    flash(_("已重新排队，稍后刷新查看结果"), "success")
    return redirect(url_for("admin_jobs.index", state=request.args.get("state") or None))
