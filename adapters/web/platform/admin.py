"""Administration: organisations, users (roles, passwords, lock-out, API tokens), roles and the audit log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from adapters.services.platform import directory_admin, user_admin
from adapters.services.platform.errors import InvalidData, NotFound
from adapters.web.security import admin_required, current_actor, wiring

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _int(value: str | None) -> int | None:
    """A form or query id; junk becomes -1 so the service reports it as unknown instead of crashing."""
    if value is None or not value.strip():
        return None
    return int(value) if value.strip().isdigit() else -1


def _checked(form: MultiDict[str, str], name: str) -> bool:
    return form.get(name) in ("1", "on", "true", "y")


@bp.get("/")
@admin_required
def index() -> Any:
    return redirect(url_for("admin.organisations"))


# -- organisations ---------------------------------------------------------------------------------------
@bp.get("/organisations")
@admin_required
def organisations() -> Any:
    tree = directory_admin.organisation_tree(wiring().platform, current_actor())
    return render_template("admin/organisations.html", tree=tree, kinds=directory_admin.ORGANISATION_KINDS,
                           levels=directory_admin.SUPERVISION_LEVELS)


def _org_input(form: MultiDict[str, str]) -> directory_admin.OrgInput:
    return directory_admin.OrgInput(
        code=form.get("code", ""), name=form.get("name", ""), kind=form.get("kind", ""),
        parent_id=_int(form.get("parent_id")), division_code=form.get("division_code", "").strip(),
        supervision_level=form.get("supervision_level", ""), industry=form.get("industry", ""),
        high_risk=_checked(form, "high_risk"), active=_checked(form, "active"))


@bp.route("/organisations/new", methods=["GET", "POST"], defaults={"org_id": None})
@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@admin_required
def organisation(org_id: int | None) -> Any:
    actor = current_actor()
    if request.method == "POST":
        data = _org_input(request.form)
        try:
            saved = directory_admin.save_organisation(wiring().platform, actor, org_id, data)
        except InvalidData as err:
            return _org_page(org_id, data, err.errors), 422
        flash(_("机构已保存"), "success")
        return redirect(url_for("admin.organisation", org_id=saved))
    return _org_page(org_id, None, {})


def _org_page(org_id: int | None, data: directory_admin.OrgInput | None, errors: dict[str, str]) -> str:
    tree = directory_admin.organisation_tree(wiring().platform, current_actor())
    if data is None and org_id is not None:
        data = next((node.data for node in tree if node.id == org_id), None)
        if data is None:
            raise NotFound(f"机构 {org_id} 不存在")
    return render_template("admin/organisation_form.html", org_id=org_id, tree=tree, errors=errors,
                           data=data or directory_admin.OrgInput(code="", name="", kind="institution"),
                           kinds=directory_admin.ORGANISATION_KINDS, levels=directory_admin.SUPERVISION_LEVELS)


# -- users -----------------------------------------------------------------------------------------------
@bp.get("/users")
@admin_required
def users() -> Any:
    text = request.args.get("q", "")
    page = user_admin.list_users(wiring().platform, current_actor(), text, _int(request.args.get("page")) or 1)
    return render_template("admin/users.html", page=page, q=text)


def _user_input(form: MultiDict[str, str]) -> user_admin.UserInput:
    return user_admin.UserInput(
        username=form.get("username", ""), display_name=form.get("display_name", ""),
        organisation_id=_int(form.get("organisation_id")), role_keys=tuple(form.getlist("role_keys")),
        email=form.get("email", ""), active=_checked(form, "active"), is_admin=_checked(form, "is_admin"),
        password=form.get("password", ""))


@bp.route("/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user(user_id: int | None) -> Any:
    actor, platform = current_actor(), wiring().platform
    if request.method == "POST":
        data = _user_input(request.form)
        try:
            if user_id is None:
                user_id = user_admin.create_user(platform, actor, data)
            else:
                user_admin.update_user(platform, actor, user_id, data)
        except InvalidData as err:
            form = user_admin.user_form(platform, actor, user_id)
            return render_template("admin/user_form.html", form=form, data=data, errors=err.errors), 422
        flash(_("用户已保存"), "success")
        return redirect(url_for("admin.user", user_id=user_id))
    form = user_admin.user_form(platform, actor, user_id)
    return render_template("admin/user_form.html", form=form, data=None, errors={})


@bp.post("/users/<int:user_id>/password")
@admin_required
def reset_password(user_id: int) -> Any:
    try:
        user_admin.reset_password(wiring().platform, current_actor(), user_id, request.form.get("password", ""))
    except InvalidData as err:
        form = user_admin.user_form(wiring().platform, current_actor(), user_id)
        return render_template("admin/user_form.html", form=form, data=None, errors=err.errors), 422
    flash(_("密码已重置，账户已解锁"), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/unlock")
@admin_required
def unlock(user_id: int) -> Any:
    user_admin.unlock_user(wiring().platform, current_actor(), user_id)
    flash(_("账户已解锁"), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/token")
@admin_required
def issue_token(user_id: int) -> Any:
    token = user_admin.issue_api_token(wiring().platform, current_actor(), user_id)
    form = user_admin.user_form(wiring().platform, current_actor(), user_id)
    response = make_response(render_template("admin/user_token.html", form=form, token=token))
    response.headers["Cache-Control"] = "no-store"  # the token is shown once and must not linger in caches
    return response


@bp.post("/users/<int:user_id>/token/revoke")
@admin_required
def revoke_token(user_id: int) -> Any:
    user_admin.revoke_api_token(wiring().platform, current_actor(), user_id)
    flash(_("API 令牌已作废"), "success")
    return redirect(url_for("admin.user", user_id=user_id))


# -- roles and audit -------------------------------------------------------------------------------------
@bp.get("/roles")
@admin_required
def roles() -> Any:
    rows = directory_admin.list_roles(wiring().platform, current_actor())
    return render_template("admin/roles.html", roles=rows, kinds=directory_admin.ORGANISATION_KINDS, errors={})


@bp.post("/roles/<key>")
@admin_required
def role(key: str) -> Any:
    platform, actor = wiring().platform, current_actor()
    try:
        directory_admin.update_role(platform, actor, key, request.form.get("name", ""),
                                    request.form.get("lane_name", ""))
    except InvalidData as err:
        rows = directory_admin.list_roles(platform, actor)
        return render_template("admin/roles.html", roles=rows, kinds=directory_admin.ORGANISATION_KINDS,
                               errors={key: err.errors}), 422
    flash(_("角色已保存"), "success")
    return redirect(url_for("admin.roles"))


@bp.get("/audit")
@admin_required
def audit() -> Any:
    args = request.args
    page = directory_admin.audit_log(wiring().platform, current_actor(), username=args.get("user", ""),
                                     action=args.get("action", ""), before_id=_int(args.get("before")))
    return render_template("admin/audit.html", page=page, user=args.get("user", ""),
                           action=args.get("action", ""))
