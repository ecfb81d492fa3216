"""The signed-in user's notifications: the list, mark one or all read, and the header badge's unread count."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.services.platform import notifications
from adapters.web.security import current_actor, login_required, wiring

bp = Blueprint("notification_views", __name__, url_prefix="/notifications")
PAGE_SIZE = 50


@bp.get("/")
@login_required
def index() -> Any:
    before = request.args.get("before", type=int)
    items, more = notifications.list_notifications(wiring().platform, current_actor(), limit=PAGE_SIZE,
                                                   before_id=before)
    return render_template("notifications/index.html", items=items, more=more, before=before)


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int) -> Any:
    notifications.mark_read(wiring().platform, current_actor(), notification_id)
    if request.headers.get("X-Requested-With") == "fetch":
        return "", 204  # the list's script marks a notification read as its link is followed
    return redirect(url_for(".index", before=request.args.get("before", type=int)))


@bp.post("/read-all")
@login_required
def read_all() -> Any:
    changed = notifications.mark_all_read(wiring().platform, current_actor())
    flash(_("已将 %(n)d 条通知标为已读", n=changed) if changed else _("没有未读通知"), "success")
    return redirect(url_for(".index"))


def unread_notifications() -> int:
    """Unread count for the header badge: one COUNT per request, kept in ``g``."""
    if "unread_notifications" not in g:
        actor = g.get("actor")
        g.unread_notifications = notifications.unread_count(wiring().platform, actor) if actor else 0
    count: int = g.unread_notifications
    return count


@bp.app_context_processor
def _badge() -> dict[str, Any]:
    return {"unread_notifications": unread_notifications}
