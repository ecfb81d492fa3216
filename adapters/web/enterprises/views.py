"""Enterprises (生产经营单位): the list by jurisdiction with S5 status, registration and xlsx import, one enterprise's
page with its supervision level. Only ``bp`` is registered by the app factory; the suspension, team-leader and
rescue pages are blueprints nested in it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.render.enterprise_sheets import CERTIFICATES, ENTERPRISES, MEMBERS, ROSTER, template
from adapters.rules.enterprises import CASE_STATUSES, INDUSTRIES, SUPERVISION_LEVELS
from adapters.services.enterprises import records
from adapters.services.enterprises.context import BUREAU_KINDS, SUPERVISOR_ROLE
from adapters.services.platform.errors import InvalidData
from adapters.web.enterprises import rescue, suspensions, team_leaders
from adapters.web.enterprises.common import ctx, number, sheet_bytes, xlsx
from adapters.web.security import current_actor, login_required

bp = Blueprint("enterprises", __name__, url_prefix="/enterprises")
bp.register_blueprint(suspensions.bp)
bp.register_blueprint(team_leaders.bp)
bp.register_blueprint(rescue.bp)
TEMPLATES = {"enterprises": (ENTERPRISES, "企业信息导入模板.xlsx"), "roster": (ROSTER, "全员花名册模板.xlsx"),
             "certificates": (CERTIFICATES, "班组长证书导入模板.xlsx"), "members": (MEMBERS, "救护队员名单模板.xlsx")}


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {"industries": {k: v[0] for k, v in INDUSTRIES.items()}, "supervision_levels": SUPERVISION_LEVELS,
            "case_statuses": CASE_STATUSES}


def may_maintain() -> bool:
    actor = current_actor()
    return actor.is_admin or (actor.organisation_kind in BUREAU_KINDS and actor.has_role(SUPERVISOR_ROLE))


def _list_page(*, errors: dict[str, str] | None = None, sheet_errors: list[Any] | None = None,
               status: int = 200) -> Any:
    args = request.args
    high = {"1": True, "0": False}.get(args.get("high_risk", ""))
    rows = records.enterprise_list(ctx(), current_actor(), status=args.get("status", ""),
                                   level=args.get("level", ""), county_bureau_id=number(args.get("county")),
                                   high_risk=high)
    return render_template("enterprises/index.html", rows=rows, counties=records.county_choices(ctx()),
                           may_maintain=may_maintain(), errors=errors or {}, sheet_errors=sheet_errors or [],
                           values=request.form, args=args), status


@bp.get("/")
@login_required
def index() -> Any:
    return _list_page()


def _input() -> records.EnterpriseInput:
    form = request.form
    return records.EnterpriseInput(form.get("credit_code", "").strip(), form.get("name", "").strip(),
                                   form.get("address", ""), form.get("industry", ""), form.get("level", ""),
                                   number(form.get("county_bureau_id")))


@bp.post("/new")
@login_required
def new() -> Any:
    try:
        org_id = records.register_enterprise(ctx(), current_actor(), _input())
    except InvalidData as err:
        flash(_("企业未登记：请按提示修改标红的项目"), "error")
        return _list_page(errors=dict(err.errors), status=422)
    flash(_("企业已登记"), "success")
    return redirect(url_for("enterprises.show", enterprise_id=org_id))


@bp.post("/import")
@login_required
def import_sheet() -> Any:
    data = sheet_bytes()
    if data is None:
        return _list_page(errors={"sheet": _("请选择要导入的 xlsx 文件")}, status=422)
    count, errors = records.import_enterprises(ctx(), current_actor(), data)
    if errors:
        flash(_("未导入任何企业：请修改下列问题后重新上传"), "error")
        return _list_page(sheet_errors=errors, status=422)
    flash(_("已导入 %(num)s 家企业", num=count), "success")
    return redirect(url_for("enterprises.index"))


@bp.get("/templates/<kind>.xlsx")
@login_required
def sheet_template(kind: str) -> Any:
    headers, filename = TEMPLATES.get(kind, TEMPLATES["roster"])
    return xlsx(template(headers), filename)


def _show(enterprise_id: int, *, errors: dict[str, str] | None = None, status: int = 200) -> Any:
    detail = records.enterprise_detail(ctx(), current_actor(), enterprise_id)
    return render_template("enterprises/show.html", e=detail, counties=records.county_choices(ctx()),
                           may_maintain=may_maintain(), errors=errors or {}), status


@bp.get("/<int:enterprise_id>")
@login_required
def show(enterprise_id: int) -> Any:
    return _show(enterprise_id)


@bp.post("/<int:enterprise_id>/supervision")
@login_required
def supervision(enterprise_id: int) -> Any:
    try:
        records.change_supervision(ctx(), current_actor(), enterprise_id, request.form.get("level", ""),
                                   number(request.form.get("county_bureau_id")))
    except InvalidData as err:
        return _show(enterprise_id, errors=dict(err.errors), status=422)
    flash(_("监管层级已变更：进行中的事项仍由原单位办理，新的待办按新层级分派"), "success")
    return redirect(url_for("enterprises.show", enterprise_id=enterprise_id))
