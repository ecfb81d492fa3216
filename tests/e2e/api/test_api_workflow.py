"""The JSON API drives processes and tasks end to end: start, list, look, claim, complete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from adapters.services.platform import deploy
from tests.e2e.api.conftest import Api
from tests.support.bpmn import approval_process


def _submit_task(instance: dict[str, Any]) -> dict[str, Any]:
    [task] = instance["tasks"]
    assert task["bpmn_id"] == "submit"
    return task


def test_process_list_shows_the_latest_version_of_each_deployed_process(api: Api, wiring, deployed):
    deploy.deploy(wiring.platform, {"approval.bpmn": approval_process(name="审批（修订）")}, "admin")
    response = api.get("/processes")
    assert response.status_code == 200
    assert response.get_json()["processes"] == [
        {"key": "approval", "name": "审批（修订）", "version": 2,
         "deployed_at": response.get_json()["processes"][0]["deployed_at"]}]


def test_starting_an_instance_answers_201_with_its_status_and_first_task(api: Api, deployed):
    response = api.post("/instances", json={"process_key": deployed, "business_key": "C-9", "title": "第九期",
                                            "data": {"class_size": 30}})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "running" and body["version"] == 1 and body["title"] == "第九期"
    assert response.headers["Location"].endswith(f"/api/v1/instances/{body['id']}")
    task = _submit_task(body)
    assert task["title"] == "提交材料" and task["role_key"] == "institution_staff" and task["state"] == "open"


def test_starting_refuses_a_missing_key_and_bad_values_naming_each_field(api: Api, deployed):
    response = api.post("/instances", json={"business_key": 7, "data": [1]})
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"process_key", "business_key", "data"}
    reserved = api.post("/instances", json={"process_key": deployed, "data": {"_admin": True}})
    assert reserved.status_code == 422 and set(reserved.get_json()["fields"]) == {"_admin"}
    not_json = api.post("/instances", data="process_key=approval", content_type="text/plain")
    assert not_json.status_code == 422 and "_body" in not_json.get_json()["fields"]


def test_starting_an_undeployed_process_is_404(api: Api, deployed):
    response = api.post("/instances", json={"process_key": "no_such_process"})
    assert response.status_code == 404 and "no_such_process" in response.get_json()["message"]


def test_instance_shows_status_version_active_tasks_and_incidents(api: Api, started):
    response = api.get(f"/instances/{started['id']}")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["version"], body["business_key"]) == ("running", 1, "C-2026-001")
    assert [t["bpmn_id"] for t in body["tasks"]] == ["submit"] and body["incidents"] == []


def test_task_views_separate_my_claimed_tasks_from_the_group_queue(api: Api, started):
    task_id = _submit_task(started)["id"]

    def ids(view: str, user: str = "inst_a") -> list[str]:
        response = api.as_user(user).get("/tasks", query_string={"view": view})
        assert response.status_code == 200
        return [t["id"] for t in response.get_json()["tasks"]]

    assert ids("group") == [task_id] and ids("all_open") == [task_id] and ids("mine") == []
    assert api.post(f"/tasks/{task_id}/claim").status_code == 200
    assert ids("mine") == [task_id] and ids("group") == [] and ids("all_open") == [task_id]
    assert ids("group", "inst_a2") == [] and ids("all_open", "inst_b") == []


def test_task_list_pages_with_limit_and_an_opaque_cursor(api: Api, deployed):
    for n in range(3):
        assert api.post("/instances", json={"process_key": deployed, "business_key": f"P-{n}"}).status_code == 201
    first = api.get("/tasks", query_string={"limit": 2}).get_json()
    assert len(first["tasks"]) == 2 and first["next_cursor"]
    second = api.get("/tasks", query_string={"limit": 2, "cursor": first["next_cursor"]}).get_json()
    assert len(second["tasks"]) == 1 and second["next_cursor"] is None
    seen = [t["business_key"] for t in first["tasks"] + second["tasks"]]
    assert sorted(seen) == ["P-0", "P-1", "P-2"]


def test_task_list_narrows_to_one_instance_and_refuses_a_bad_instance_id(api: Api, deployed):
    ids = [api.post("/instances", json={"process_key": deployed, "business_key": f"I-{n}"}).get_json()["id"]
           for n in range(3)]
    only = api.get("/tasks", query_string={"instance_id": ids[1]}).get_json()["tasks"]
    assert [t["business_key"] for t in only] == ["I-1"]
    bad = api.get("/tasks", query_string={"instance_id": "x"})
    assert bad.status_code == 422 and "instance_id" in bad.get_json()["fields"]


def test_paging_all_open_merges_claimed_and_group_tasks_without_repeats_or_gaps(api: Api, deployed, fixed_clock):
    started = []
    for n in range(5):
        fixed_clock.advance(dt.timedelta(minutes=1))  # distinct creation times fix the expected order
        started.append(api.post("/instances", json={"process_key": deployed, "business_key": f"M-{n}"}).get_json())
    for instance in started[1::2]:
        assert api.post(f"/tasks/{instance['tasks'][0]['id']}/claim").status_code == 200
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        page = api.get("/tasks", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})}).get_json()
        seen += [t["business_key"] for t in page["tasks"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"M-{n}" for n in range(5)], "inbox order: oldest first when nothing has a due date"


def test_task_list_refuses_bad_view_limit_and_cursor_naming_each(api: Api, deployed):
    for query, field in (({"view": "everything"}, "view"), ({"limit": "0"}, "limit"),
                         ({"limit": "ten"}, "limit"), ({"limit": "500"}, "limit"), ({"cursor": "???"}, "cursor")):
        response = api.get("/tasks", query_string=query)
        assert response.status_code == 422, query
        assert field in response.get_json()["fields"], query


def test_task_detail_carries_its_form_definition_and_visible_data(api: Api, started):
    response = api.get(f"/tasks/{_submit_task(started)['id']}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["form"]["key"] == "generic_approval"
    assert [f["name"] for f in body["form"]["fields"]] == ["decision", "comment"]
    assert body["data"]["business_key"] == "C-2026-001" and body["data"]["started_by"] == "inst_a"


def test_claim_and_unclaim_return_the_task_as_it_now_stands(api: Api, started, people):
    task_id = _submit_task(started)["id"]
    claimed = api.post(f"/tasks/{task_id}/claim")
    assert claimed.status_code == 200
    assert claimed.get_json()["assignee_id"] == people.actor("inst_a").user_id
    released = api.post(f"/tasks/{task_id}/unclaim")
    assert released.status_code == 200 and released.get_json()["assignee_id"] is None


def test_claiming_a_task_claimed_by_someone_else_is_409(api: Api, started):
    task_id = _submit_task(started)["id"]
    assert api.post(f"/tasks/{task_id}/claim").status_code == 200
    for action in ("claim", "unclaim", "complete"):
        response = api.as_user("inst_a2").post(f"/tasks/{task_id}/{action}", json={"data": {"decision": "approve"}})
        assert response.status_code == 409, action
        assert "认领" in response.get_json()["message"]


def test_a_reviewer_who_may_see_but_not_work_a_task_gets_403(api: Api, started):
    response = api.as_user("bureau").post(f"/tasks/{_submit_task(started)['id']}/claim")
    assert response.status_code == 403 and response.get_json()["error"] == "Forbidden"


def test_completing_moves_the_instance_on_to_the_bureau_and_to_the_end(api: Api, started):
    submit = _submit_task(started)
    done = api.post(f"/tasks/{submit['id']}/complete", json={"data": {"decision": "approve"}})
    assert done.status_code == 200 and done.get_json() == {"instance_status": "running"}
    bureau = api.as_user("bureau")
    [review] = bureau.get("/tasks", query_string={"view": "group"}).get_json()["tasks"]
    assert review["bpmn_id"] == "review" and review["instance_id"] == started["id"]
    last = bureau.post(f"/tasks/{review['id']}/complete", json={"data": {"decision": "approve", "comment": "同意"}})
    assert last.status_code == 200 and last.get_json() == {"instance_status": "completed"}
    assert api.get(f"/instances/{started['id']}").get_json()["status"] == "completed"


def test_invalid_form_data_is_422_with_a_message_per_field(api: Api, started):
    task_id = _submit_task(started)["id"]
    response = api.post(f"/tasks/{task_id}/complete", json={"data": {"decision": "maybe"}})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "InvalidData" and set(body["fields"]) == {"decision"}
    returned = api.post(f"/tasks/{task_id}/complete", json={"data": {"decision": "return"}})
    assert returned.status_code == 422 and set(returned.get_json()["fields"]) == {"comment"}
    no_data = api.post(f"/tasks/{task_id}/complete", json={"decision": "approve"})
    assert no_data.status_code == 422 and set(no_data.get_json()["fields"]) == {"data"}


def test_completing_the_same_task_twice_is_409(api: Api, started):
    task_id = _submit_task(started)["id"]
    assert api.post(f"/tasks/{task_id}/complete", json={"data": {"decision": "approve"}}).status_code == 200
    again = api.post(f"/tasks/{task_id}/complete", json={"data": {"decision": "approve"}})
    assert again.status_code == 409 and again.get_json()["error"] == "Conflict"


def test_api_actions_are_audited_under_the_token_holder(api: Api, started, wiring):
    task_id = _submit_task(started)["id"]
    api.post(f"/tasks/{task_id}/claim")
    api.post(f"/tasks/{task_id}/complete", json={"data": {"decision": "approve"}})
    with wiring.platform.uow() as uow:
        entries = [(e.action, e.username) for e in uow.audit.for_instance(started["id"])]
    assert ("instance.start", "inst_a") in entries
    assert ("task.claim", "inst_a") in entries and ("task.complete", "inst_a") in entries
