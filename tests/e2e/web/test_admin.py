"""Administration over HTTP: organisations, users, roles, API tokens and the audit log; every change audited."""

from __future__ import annotations

import hashlib
import re

import pytest

from adapters.services.platform import user_admin
from storage.models import AuditEntry
from tests.e2e.web.conftest import post_form, sign_in


@pytest.fixture
def admin(login):
    return login("admin")


def _actions(wiring) -> list[tuple[str, str, str]]:
    with wiring.platform.uow() as uow:
        return [(e.username, e.action, e.result) for e in uow.session.query(AuditEntry).order_by(AuditEntry.id)]


def _user_id(wiring, username: str) -> int:
    with wiring.platform.uow() as uow:
        return uow.directory.user_by_name(username).id


ORG = {"code": "ENT-1", "name": "晋城某煤矿", "kind": "enterprise", "division_code": "140525",
       "supervision_level": "county", "industry": "煤矿", "high_risk": "1", "active": "1"}


def test_admin_creates_an_organisation_below_a_county_and_sees_it_in_the_tree(admin, people, wiring):
    response = post_form(admin, "/admin/organisations/new", {**ORG, "parent_id": people.orgs["ZZ"]})
    assert response.status_code == 302
    with wiring.platform.uow() as uow:
        org = uow.directory.organisation_by_code("ENT-1")
        assert (org.parent_id, org.supervision_level, org.industry, org.high_risk) == (people.orgs["ZZ"], "county", "煤矿", True)
    page = admin.get("/admin/organisations").get_data(as_text=True)
    assert page.index("泽州县应急管理局") < page.index("晋城某煤矿") and "高危" in page
    assert ("admin", "organisation.create", "ok") in _actions(wiring)


def test_an_organisation_cannot_be_moved_below_itself(admin, people):
    city = people.orgs["CITY"]
    form = {"code": "CITY", "name": "晋城市应急管理局", "kind": "city_bureau", "parent_id": people.orgs["INST-A"],
            "active": "1"}
    response = post_form(admin, f"/admin/organisations/{city}", form)
    assert response.status_code == 422
    assert "上级机构不能是本机构或其下级机构" in response.get_data(as_text=True)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("code", "INST-A", "已被「晋城安培职业培训学校」使用"),
    ("division_code", "14052", "行政区划代码应为 6 位数字"),
    ("kind", "bank", "请选择机构类型"),
    ("parent_id", "abc", "上级机构不存在"),
    ("supervision_level", "province", "监管层级只能是市级或县级"),
])
def test_invalid_organisation_fields_are_named(admin, field, value, message):
    response = post_form(admin, "/admin/organisations/new", {**ORG, field: value})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_editing_an_organisation_audits_what_changed(admin, people, wiring):
    inst = people.orgs["INST-A"]
    page = admin.get(f"/admin/organisations/{inst}").get_data(as_text=True)
    assert 'value="INST-A"' in page
    form = {"code": "INST-A", "name": "晋城安培培训学校", "kind": "institution", "parent_id": people.orgs["CITY"],
            "division_code": "140500", "active": "1"}
    assert post_form(admin, f"/admin/organisations/{inst}", form).status_code == 302
    with wiring.platform.uow() as uow:
        entry = uow.session.query(AuditEntry).filter_by(action="organisation.update").one()
        assert entry.detail == {"name": ["晋城安培职业培训学校", "晋城安培培训学校"]}
    assert admin.get("/admin/organisations/9999").status_code == 404


def test_admin_creates_a_user_with_roles_who_can_then_sign_in(admin, app, people, wiring):
    form = {"username": "new_staff", "display_name": "王五", "email": "ww@example.cn",
            "organisation_id": people.orgs["INST-B"], "role_keys": ["institution_staff"], "password": "Start1234",
            "active": "1"}
    response = post_form(admin, "/admin/users/new", form)
    assert response.status_code == 302
    actor = people.actor("new_staff")
    assert actor.role_keys == {"institution_staff"} and actor.organisation_id == people.orgs["INST-B"]
    assert sign_in(app.test_client(), "new_staff", "Start1234").status_code == 302
    assert "王五" in admin.get("/admin/users?q=new").get_data(as_text=True)
    assert ("admin", "user.create", "ok") in _actions(wiring)


def test_a_weak_password_or_a_taken_name_is_refused_when_creating_a_user(admin, people):
    form = {"username": "inst_a", "display_name": "X", "organisation_id": people.orgs["INST-A"], "password": "abc"}
    response = post_form(admin, "/admin/users/new", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "用户名 inst_a 已存在" in page and "密码至少 8 位" in page


def test_admin_changes_roles_and_disables_a_user_whose_session_then_ends(admin, as_user, people, wiring):
    staff = as_user("inst_a")
    uid = _user_id(wiring, "inst_a")
    form = {"display_name": "inst_a", "organisation_id": people.orgs["INST-A"],
            "role_keys": ["institution_staff", "exam_site_staff"]}  # "active" unticked
    assert post_form(admin, f"/admin/users/{uid}", form).status_code == 302
    with wiring.platform.uow() as uow:
        user = uow.directory.user(uid)
        assert not user.active and sorted(r.key for r in user.roles) == ["exam_site_staff", "institution_staff"]
    assert staff.get("/inbox/").status_code == 302


def test_an_admin_cannot_disable_or_demote_themselves(admin, people, wiring):
    uid = _user_id(wiring, "admin")
    form = {"display_name": "admin", "organisation_id": people.orgs["CITY"], "active": "1"}  # is_admin unticked
    response = post_form(admin, f"/admin/users/{uid}", form)
    assert response.status_code == 422 and "不能停用自己的账户" in response.get_data(as_text=True)


def test_admin_resets_a_password_which_also_unlocks_the_account(admin, app, wiring):
    stranger = app.test_client()
    for _ in range(wiring.settings.login_max_failures):
        sign_in(stranger, "inst_b", "Wrong-pass1")
    uid = _user_id(wiring, "inst_b")
    assert "该账户因连续登录失败已被锁定" in admin.get(f"/admin/users/{uid}").get_data(as_text=True)
    assert "已锁定" in admin.get("/admin/users").get_data(as_text=True)
    assert post_form(admin, f"/admin/users/{uid}/password", {"password": "weak"}).status_code == 422
    assert post_form(admin, f"/admin/users/{uid}/password", {"password": "Reset2026x"}).status_code == 302
    assert sign_in(stranger, "inst_b", "Reset2026x").status_code == 302


def test_admin_unlocks_a_locked_account(admin, app, wiring):
    stranger = app.test_client()
    for _ in range(wiring.settings.login_max_failures):
        sign_in(stranger, "inst_b", "Wrong-pass1")
    assert sign_in(stranger, "inst_b").status_code == 200
    assert post_form(admin, f"/admin/users/{_user_id(wiring, 'inst_b')}/unlock").status_code == 302
    assert sign_in(stranger, "inst_b").status_code == 302
    assert ("admin", "user.unlock", "ok") in _actions(wiring)


def test_an_api_token_is_shown_once_and_only_its_hash_is_stored(admin, wiring):
    uid = _user_id(wiring, "site")
    response = post_form(admin, f"/admin/users/{uid}/token")
    assert response.headers["Cache-Control"] == "no-store"
    token = re.search(r'<code class="token" id="token">([^<]+)</code>', response.get_data(as_text=True)).group(1)
    digest = hashlib.sha256(token.encode()).hexdigest()
    with wiring.platform.uow() as uow:
        user = uow.directory.user_by_token_hash(digest)
        assert user.username == "site" and user.api_token_hash == digest == user_admin.token_hash(token)
    page = admin.get(f"/admin/users/{uid}").get_data(as_text=True)
    assert token not in page and "已签发" in page
    assert post_form(admin, f"/admin/users/{uid}/token/revoke").status_code == 302
    with wiring.platform.uow() as uow:
        assert uow.directory.user_by_token_hash(digest) is None


def test_renaming_a_lane_takes_effect_at_once(admin, wiring):
    with wiring.platform.uow() as uow:
        assert wiring.platform.lane_role(uow, "市局教育训练科")[0] == "bureau_training"  # now cached
    response = post_form(admin, "/admin/roles/bureau_training", {"name": "教育训练科", "lane_name": "市局培训科"})
    assert response.status_code == 302
    with wiring.platform.uow() as uow:
        assert wiring.platform.lane_role(uow, "市局培训科")[0] == "bureau_training"
        assert wiring.platform.lane_role(uow, "市局教育训练科") == ("", "")
    assert "教育训练科" in admin.get("/admin/roles").get_data(as_text=True)


def test_a_lane_name_cannot_belong_to_two_roles(admin):
    response = post_form(admin, "/admin/roles/bureau_training", {"name": "x", "lane_name": "培训机构"})
    assert response.status_code == 422 and "已属于角色 institution_staff" in response.get_data(as_text=True)
    assert post_form(admin, "/admin/roles/nope", {"name": "x", "lane_name": "y"}).status_code == 404


def test_the_audit_log_pages_and_filters_by_user_and_action(admin, app, wiring):
    stranger = app.test_client()
    for _ in range(3):
        sign_in(stranger, "inst_b", "Wrong-pass1")
    page = admin.get("/admin/audit?user=inst_b&action=auth.").get_data(as_text=True)
    assert page.count("auth.login") == 3 and "failed" in page
    assert "inst_b" not in admin.get("/admin/audit?user=admin").get_data(as_text=True).split("<tbody>")[1]
    first = admin.get("/admin/audit?action=auth.login")
    assert first.status_code == 200 and "更早" not in first.get_data(as_text=True)
    assert admin.get("/admin/audit?before=2").status_code == 200
