"""The modeler's JSON API through HTTP with CSRF on: access, drafts, deployment, versions, forms, migration."""

from __future__ import annotations

import pytest

from adapters.services.platform import instances

ENDPOINTS = [
    ("GET", "/modeler/api/catalogue"), ("GET", "/modeler/api/processes"),
    ("POST", "/modeler/api/processes/approval/drafts"), ("POST", "/modeler/api/drafts"),
    ("GET", "/modeler/api/drafts/1"), ("PUT", "/modeler/api/drafts/1"), ("DELETE", "/modeler/api/drafts/1"),
    ("POST", "/modeler/api/drafts/1/deploy"), ("GET", "/modeler/api/drafts/1/download"),
    ("POST", "/modeler/api/validate"), ("GET", "/modeler/api/processes/approval/versions"),
    ("GET", "/modeler/api/processes/approval/versions/1"),
    ("POST", "/modeler/api/processes/approval/versions/1/rollback"),
    ("GET", "/modeler/api/processes/approval/compare?a=1&b=1"), ("GET", "/modeler/api/forms/generic_approval"),
    ("POST", "/modeler/api/forms/preview"), ("PUT", "/modeler/api/forms/generic_approval"),
    ("POST", "/modeler/api/processes/approval/migrations/dry-run"),
    ("POST", "/modeler/api/processes/approval/migrations"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_only_process_owners_and_admins_use_the_modeler_api(api_as, client, deployed, method, url):
    response = api_as("bureau")(method, url, {"xml": "<x/>", "definition": {}})
    assert response.status_code == 403 and "流程管理员" in response.json["error"]
    anonymous = client.open(url, method=method, json={})
    assert anonymous.status_code in (400, 401)  # writes fail CSRF first, reads ask for a sign-in
    admin = api_as("admin")(method, url, {"xml": "<x/>", "definition": {}})
    assert admin.status_code != 403


@pytest.mark.parametrize(("method", "url"), [e for e in ENDPOINTS if e[0] != "GET"])
def test_writes_without_the_csrf_header_are_refused(api, deployed, method, url):
    assert api(method, url, {"xml": "<x/>"}, csrf=False).status_code == 400


def test_catalogue_offers_roles_forms_operators_processes_functions_and_sources(api, deployed):
    body = api("GET", "/modeler/api/catalogue?process=approval").json
    assert {"培训机构", "市局教育训练科"} <= {r["name"] for r in body["roles"]}
    assert "流程管理员" not in {r["name"] for r in body["roles"]}
    assert {"key": "generic_approval", "title": "审批"} in body["forms"]
    operator = next(o for o in body["operators"] if o["name"] == "training.notify_exam_site")
    assert operator["params"] == [{"name": "class_id", "type": "int", "required": True}]
    assert {"key": "approval", "name": "审批"} in body["processes"]
    assert "add_working_days(date, n)" in {f["signature"] for f in body["functions"]}
    assert "approved_n" in body["variables"]
    assert "exam_sites_of_jurisdiction" in {s["key"] for s in body["choice_sources"]}


def test_an_owner_edits_saves_sees_problems_and_deploys_a_new_version(api, deployed, wiring, people):
    draft = api("POST", "/modeler/api/processes/approval/drafts").json
    assert (draft["base_version"], draft["stale"]) == (1, False)
    assert api("POST", "/modeler/api/processes/approval/drafts").json["id"] == draft["id"]  # the same draft
    broken = draft["xml"].replace('value="generic_approval"', 'value="no_such_form"', 1)
    saved = api("PUT", f"/modeler/api/drafts/{draft['id']}", {"xml": broken}).json
    [problem] = [p for p in saved["problems"] if p["severity"] == "error"]
    assert problem["element_id"] == "submit" and "no_such_form" in problem["message"]
    refused = api("POST", f"/modeler/api/drafts/{draft['id']}/deploy", {"comment": "x"})
    assert refused.status_code == 422 and refused.json["problems"][0]["element_id"] == "submit"
    fixed = draft["xml"].replace("审核材料", "审核全部材料")
    assert api("PUT", f"/modeler/api/drafts/{draft['id']}", {"xml": fixed}).status_code == 200
    assert api("POST", f"/modeler/api/drafts/{draft['id']}/deploy", {"comment": "审核改名"}).json == {"version": 2}
    [v2, v1] = api("GET", "/modeler/api/processes/approval/versions").json
    assert (v2["version"], v2["deployed_by"], v2["comment"], v1["version"]) == (2, "owner", "审核改名", 1)
    assert api("GET", f"/modeler/api/drafts/{draft['id']}").status_code == 404  # deployed drafts close
    with wiring.platform.reader() as uow:
        actions = {e.action: e for e in uow.audit.latest() if e.username == "owner"}
    assert actions["process.deploy_draft"].detail["diff"]["changed"] == ["review"]
    assert "process.draft_save" in actions


def test_a_draft_warns_when_the_deployed_version_moved_on(api, api_as, deployed):
    mine = api("POST", "/modeler/api/processes/approval/drafts").json
    admin = api_as("admin")
    theirs = admin("POST", "/modeler/api/processes/approval/drafts").json
    assert theirs["id"] != mine["id"]  # each owner keeps their own draft
    admin("PUT", f"/modeler/api/drafts/{theirs['id']}", {"xml": theirs["xml"].replace("审核材料", "复核")})
    admin("POST", f"/modeler/api/drafts/{theirs['id']}/deploy", {"comment": ""})
    assert api("GET", f"/modeler/api/drafts/{mine['id']}").json["stale"] is True
    assert api("PUT", f"/modeler/api/drafts/{mine['id']}", {"xml": mine["xml"]}).json["stale"] is True
    assert admin("GET", f"/modeler/api/drafts/{mine['id']}").status_code == 404  # not someone else's draft


def test_a_new_process_is_drafted_from_uploaded_xml_downloaded_and_deleted(api, deployed):
    from tests.support.scenarios import linear, task

    xml = linear("brand_new", task(0, "登记")).decode()
    created = api("POST", "/modeler/api/drafts", {"xml": xml})
    assert created.status_code == 201 and created.json["process_key"] == "brand_new"
    download = api("GET", f"/modeler/api/drafts/{created.json['id']}/download")
    assert download.get_data(as_text=True) == xml and "brand_new.bpmn" in download.headers["Content-Disposition"]
    assert api("POST", "/modeler/api/drafts", {"xml": xml}).status_code == 409
    assert any(p["key"] == "brand_new" for p in api("GET", "/modeler/api/processes").json)
    assert api("DELETE", f"/modeler/api/drafts/{created.json['id']}").status_code == 204


def test_validate_returns_problems_without_saving(api, deployed):
    problems = api("POST", "/modeler/api/validate", {"xml": "<bpmn:definitions"}).json["problems"]
    assert problems[0]["code"] == "xml" and problems[0]["element_id"] is None


def test_versions_are_shown_compared_and_rolled_back(api, deployed):
    draft = api("POST", "/modeler/api/processes/approval/drafts").json
    api("PUT", f"/modeler/api/drafts/{draft['id']}", {"xml": draft["xml"].replace("审核材料", "复核")})
    api("POST", f"/modeler/api/drafts/{draft['id']}/deploy", {"comment": "复核"})
    v1 = api("GET", "/modeler/api/processes/approval/versions/1").json
    assert "审核材料" in v1["xml"] and "generic_approval" in v1["forms"]
    diff = api("GET", "/modeler/api/processes/approval/compare?a=1&b=2").json
    assert diff["changed"] == [{"element_id": "review", "name": "复核",
                                "changes": [{"property": "name", "before": "审核材料", "after": "复核"}]}]
    assert api("POST", "/modeler/api/processes/approval/versions/1/rollback", {"comment": "退回"}).json == {
        "version": 3}
    assert api("GET", "/modeler/api/processes/approval/versions/9").status_code == 404


def test_the_form_editor_previews_with_the_task_renderer_and_saves_into_the_draft(api, deployed):
    form = api("GET", "/modeler/api/forms/generic_approval").json
    assert form["used_by"] == ["approval"]
    definition = form["definition"]
    definition["fields"].append({"name": "site", "type": "choice", "label": "考点",
                                 "choices_from": "exam_sites_of_jurisdiction"})
    preview = api("POST", "/modeler/api/forms/preview", {"definition": definition}).json
    assert preview["problems"] == [] and "晋城市第一考点" in preview["html"] and "审批结论" in preview["html"]
    bad = api("POST", "/modeler/api/forms/preview", {"definition": {**definition, "fields": [{"name": "x"}]}}).json
    assert bad["html"] == "" and bad["problems"][0]["field"] == "x"
    assert api("PUT", "/modeler/api/forms/generic_approval", {"definition": definition}).json == {
        "saved_in": ["approval"]}
    draft = api("POST", "/modeler/api/processes/approval/drafts").json
    assert draft["forms"] == ["generic_approval"]
    assert api("POST", f"/modeler/api/drafts/{draft['id']}/deploy", {"comment": "考点"}).json == {"version": 2}
    v2 = api("GET", "/modeler/api/processes/approval/versions/2").json
    assert v2["forms"]["generic_approval"]["fields"][-1]["choices_from"] == "exam_sites_of_jurisdiction"
    assert "choices_from" not in str(api("GET", "/modeler/api/processes/approval/versions/1").json["forms"])


def test_migration_dry_run_and_move_through_the_api(api, deployed, wiring, people):
    iid = instances.start_instance(wiring.platform, people.actor("inst_a"), "approval")
    draft = api("POST", "/modeler/api/processes/approval/drafts").json
    api("PUT", f"/modeler/api/drafts/{draft['id']}", {"xml": draft["xml"].replace("提交材料", "提交全部材料")})
    api("POST", f"/modeler/api/drafts/{draft['id']}/deploy", {"comment": ""})
    body = {"from_version": 1, "to_version": 2, "instance_ids": None, "mapping": {}}
    dry = api("POST", "/modeler/api/processes/approval/migrations/dry-run", body).json
    assert dry == {"instances": [{"id": iid, "title": "审批", "can_move": True, "reasons": []}]}
    assert api("POST", "/modeler/api/processes/approval/migrations", body).json == {"moved": 1, "refused": []}
    bad = api("POST", "/modeler/api/processes/approval/migrations", {"from_version": "x"})
    assert bad.status_code == 422 and {p["field"] for p in bad.json["problems"]} >= {"from_version"}
    with wiring.platform.reader() as uow:
        [task] = uow.tasks.open_for_instance(iid)
    assert task.title == "提交全部材料"
