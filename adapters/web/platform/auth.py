"""Signing in and out, the language switch, and the user's own account page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from adapters.services.platform import accounts
from adapters.services.platform.errors import InvalidData
from adapters.web import security
from adapters.web.security import current_actor, login_required, wiring

bp = Blueprint("auth", __name__)


def safe_next(value: str | None, fallback: str) -> str:
    """A local path to go back to, or ``fallback``: never another host (no open redirect)."""
    if not value:
        return fallback
    value = value.strip()
    if value.endswith("?"):
        value = value[:-1]  # request.full_path adds "?" even without a query
    parts = urlsplit(value)
    if (not value.startswith("/") or value.startswith(("//", "/\\")) or parts.scheme or parts.netloc
            or any(ord(c) < 32 or c == "\\" for c in value)):
        return fallback
    return value


def _home() -> str:
    return url_for("inbox.index")


@bp.before_app_request
def _say_session_expired() -> None:
    if g.get("session_expired"):
        flash(_("会话已超时，请重新登录"), "error")


@bp.get("/")
def home() -> Any:
    return redirect(_home() if g.get("actor") else url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    target = safe_next(request.values.get("next"), _home())
    if request.method == "GET":
        if g.get("actor"):
            return redirect(target)
        return render_template("auth/login.html", next=target, username="")
    settings = wiring().settings
    policy = accounts.LockPolicy(settings.login_max_failures, settings.login_lock_minutes)
    username = request.form.get("username", "")
    try:
        user_id = accounts.sign_in(wiring().platform, username, request.form.get("password", ""), policy,
                                   source=request.remote_addr or "")
    except accounts.SignInRefused:
        error = _("用户名或密码错误，或账户已被暂时锁定。连续失败 %(n)s 次将锁定 %(m)s 分钟。",
                  n=policy.max_failures, m=policy.lock_minutes)
        return render_template("auth/login.html", next=target, username=username, error=error), 200
    lang = session.get("lang")
    security.sign_in(user_id)
    if lang:
        session["lang"] = lang  # keep the language picked on the sign-in page
    return redirect(target)


@bp.post("/logout")
def logout() -> Any:
    actor = g.get("actor")
    if actor is not None:
        accounts.record_sign_out(wiring().platform, actor)
    security.sign_out()
    flash(_("您已安全退出"), "success")
    return redirect(url_for("auth.login"))


@bp.get("/language/<code>")
def language(code: str) -> Any:
    if code in security.LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("auth.home")))


@bp.get("/account")
@login_required
def account() -> Any:
    return render_template("auth/account.html", account=accounts.account_of(wiring().platform, current_actor()),
                           errors={})


@bp.post("/account/password")
@login_required
def change_password() -> Any:
    form = request.form
    try:
        accounts.change_password(wiring().platform, current_actor(), form.get("current", ""), form.get("new", ""),
                                 form.get("confirm", ""))
    except InvalidData as err:
        view = accounts.account_of(wiring().platform, current_actor())
        return render_template("auth/account.html", account=view, errors=err.errors), 422
    flash(_("密码已修改"), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/language")
@login_required
def change_language() -> Any:
    code = request.form.get("language", "")
    accounts.set_language(wiring().platform, current_actor(), code)
    session["lang"] = code
    flash(_("语言设置已保存"), "success")
    return redirect(url_for("auth.account"))
