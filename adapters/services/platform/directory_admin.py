"""Administering the directory: the organisation tree, role names and lanes, and reading the audit log."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden, InvalidData, NotFound
from storage.models import Organisation
from storage.repositories.accounts import AccountQueries
from storage.uow import UnitOfWork


def N_(text: str) -> str:  # the conventional name of a gettext marker
    """Mark a label for the translation catalogue; the web layer translates it when showing it."""
    return text


ORGANISATION_KINDS = {
    "city_bureau": N_("市应急管理局"), "county_bureau": N_("县级应急管理局"), "institution": N_("培训机构"),
    "exam_site": N_("考点"), "exam_centre": N_("考试中心"), "rescue_team": N_("救援救护队"),
    "enterprise": N_("企业"),
}
SUPERVISION_LEVELS = {"city": N_("市级监管"), "county": N_("县级监管")}
AUDIT_PAGE = 50


@dataclass(frozen=True)
class OrgInput:
    code: str
    name: str
    kind: str
    parent_id: int | None = None
    division_code: str = ""
    supervision_level: str = ""
    industry: str = ""
    high_risk: bool = False
    active: bool = True


@dataclass(frozen=True)
class OrgNode:
    id: int
    depth: int
    data: OrgInput
    users: int


@dataclass(frozen=True)
class RoleRow:
    key: str
    name: str
    lane_name: str
    organisation_kind: str
    users: int


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    username: str
    action: str
    result: str
    entity: str | None
    entity_id: str | None
    instance_id: int | None
    task_id: str | None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    next_before: int | None


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("只有管理员可以管理机构、角色和审计日志")


# -- organisations ---------------------------------------------------------------------------------------
def organisation_tree(platform: Platform, admin: Actor) -> list[OrgNode]:
    """Every organisation in tree order (parents before children), with its depth and member count."""
    _require_admin(admin)
    with platform.reader() as uow:
        orgs = list(uow.directory.organisations())
        members = AccountQueries(uow.session).users_per_organisation()
    known = {o.id for o in orgs}
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    for org in orgs:
        children[org.parent_id if org.parent_id in known else None].append(org)
    nodes: list[OrgNode] = []
    stack = [(org, 0) for org in sorted(children[None], key=lambda o: o.code, reverse=True)]
    while stack:
        org, depth = stack.pop()
        nodes.append(OrgNode(org.id, depth, _org_input(org), members.get(org.id, 0)))
        below = sorted(children[org.id], key=lambda o: o.code, reverse=True)
        stack.extend((child, depth + 1) for child in below)
    return nodes


def save_organisation(platform: Platform, admin: Actor, org_id: int | None, data: OrgInput) -> int:
    """Create (``org_id`` None) or change an organisation; refuses duplicates and cycles in the tree."""
    _require_admin(admin)
    with platform.uow() as uow:
        org = _org(uow, org_id) if org_id is not None else Organisation()
        errors = _org_errors(uow, org_id, data)
        if errors:
            raise InvalidData(errors, "无法保存机构")
        before = _org_input(org) if org_id is not None else None
        _apply_org(org, data)
        if org_id is None:
            uow.directory.add_organisation(org)
        uow.audit.record("organisation.create" if org_id is None else "organisation.update",
                         user_id=admin.user_id or None, username=admin.username, entity="organisation",
                         entity_id=org.id, detail=_changes(before, data))
        uow.commit()
    platform.forget_lanes()  # the organisation tree is cached for task routing
    return org.id


def _org(uow: UnitOfWork, org_id: int) -> Organisation:
    org = uow.directory.organisation(org_id)
    if org is None:
        raise NotFound(f"机构 {org_id} 不存在")
    return org


def _org_input(org: Organisation) -> OrgInput:
    return OrgInput(code=org.code, name=org.name, kind=org.kind, parent_id=org.parent_id,
                    division_code=org.division_code or "", supervision_level=org.supervision_level or "",
                    industry=org.industry or "", high_risk=bool(org.high_risk),
                    active=org.active is not False)


def _org_errors(uow: UnitOfWork, org_id: int | None, data: OrgInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    code = data.code.strip()
    if not code or len(code) > 40:
        errors["code"] = "机构代码必填，最多 40 个字符"
    elif (same := uow.directory.organisation_by_code(code)) is not None and same.id != org_id:
        errors["code"] = f"机构代码 {code} 已被「{same.name}」使用"
    if not data.name.strip() or len(data.name.strip()) > 200:
        errors["name"] = "机构名称必填，最多 200 个字符"
    if data.kind not in ORGANISATION_KINDS:
        errors["kind"] = "请选择机构类型"
    if data.division_code and not (len(data.division_code) == 6 and data.division_code.isdigit()):
        errors["division_code"] = "行政区划代码应为 6 位数字，如 140525"
    if data.supervision_level and data.supervision_level not in SUPERVISION_LEVELS:
        errors["supervision_level"] = "监管层级只能是市级或县级"
    if len(data.industry) > 60:
        errors["industry"] = "行业最多 60 个字符"
    if data.parent_id is not None and (problem := _parent_problem(uow, org_id, data.parent_id)):
        errors["parent_id"] = problem
    return errors


def _parent_problem(uow: UnitOfWork, org_id: int | None, parent_id: int) -> str | None:
    """Why the parent cannot be used, if it cannot: it must exist and must not lie below the organisation."""
    parents = {o.id: o.parent_id for o in uow.directory.organisations()}
    if parent_id not in parents:
        return "上级机构不存在"
    current: int | None = parent_id
    while current is not None:
        if current == org_id:
            return "上级机构不能是本机构或其下级机构"
        current = parents.get(current)
    return None


def _apply_org(org: Organisation, data: OrgInput) -> None:
    org.code, org.name, org.kind = data.code.strip(), data.name.strip(), data.kind
    org.parent_id = data.parent_id
    org.division_code = data.division_code or None
    org.supervision_level = data.supervision_level or None
    org.industry = data.industry.strip() or None
    org.high_risk, org.active = data.high_risk, data.active


def _changes(before: OrgInput | None, after: OrgInput) -> dict[str, Any]:
    new = asdict(after)
    if before is None:
        return new
    old = asdict(before)
    return {key: [old[key], value] for key, value in new.items() if old[key] != value}


# -- roles -----------------------------------------------------------------------------------------------
def list_roles(platform: Platform, admin: Actor) -> list[RoleRow]:
    _require_admin(admin)
    with platform.reader() as uow:
        members = AccountQueries(uow.session).users_per_role()
        return [RoleRow(r.key, r.name, r.lane_name, r.organisation_kind, members.get(r.key, 0))
                for r in uow.directory.roles()]


def update_role(platform: Platform, admin: Actor, key: str, name: str, lane_name: str) -> None:
    """Rename a role or its BPMN lane; lanes of deployed diagrams map to roles by this name."""
    _require_admin(admin)
    name, lane_name = name.strip(), lane_name.strip()
    with platform.uow() as uow:
        role = uow.directory.role(key)
        if role is None:
            raise NotFound(f"角色 {key} 不存在")
        errors: dict[str, str] = {}
        if not name or len(name) > 80:
            errors["name"] = "角色名称必填，最多 80 个字符"
        if not lane_name or len(lane_name) > 80:
            errors["lane_name"] = "泳道名称必填，最多 80 个字符"
        elif (same := AccountQueries(uow.session).role_by_lane(lane_name)) is not None and same.id != role.id:
            errors["lane_name"] = f"泳道名称「{lane_name}」已属于角色 {same.key}"
        if errors:
            raise InvalidData(errors, "无法保存角色")
        detail = {"name": [role.name, name], "lane_name": [role.lane_name, lane_name]}
        role.name, role.lane_name = name, lane_name
        uow.audit.record("role.update", user_id=admin.user_id or None, username=admin.username, entity="role",
                         entity_id=key, detail=detail)
        uow.commit()
    platform.forget_lanes()


# -- audit log -------------------------------------------------------------------------------------------
def audit_log(platform: Platform, admin: Actor, *, username: str = "", action: str = "",
              before_id: int | None = None, limit: int = AUDIT_PAGE) -> AuditPage:
    """A page of the audit log, newest first; continue with ``before_id=page.next_before``."""
    _require_admin(admin)
    with platform.reader() as uow:
        entries = AccountQueries(uow.session).audit_entries(username=username.strip()[:60],
                                                            action=action.strip()[:60],
                                                            before_id=before_id, limit=limit + 1)
        rows = [AuditRow(e.id, e.at, e.username, e.action, e.result, e.entity, e.entity_id, e.instance_id,
                         e.task_id, dict(e.detail or {})) for e in entries[:limit]]
    return AuditPage(rows=rows, next_before=rows[-1].id if len(entries) > limit else None)
