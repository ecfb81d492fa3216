"""The instance page and list: diagram highlights, history, documents, incidents with retry for admins."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from adapters.services.bootstrap import Wiring
from adapters.services.platform import deploy, instances, tasks
from adapters.services.platform.documents import Upload, attach
from tests.support.bpmn import approval_process
from tests.support.platform import Directory


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def states_on(page: str) -> dict[str, str]:
    match = re.search(r'<script type="application/json" id="diagram-states">(.*?)</script>', page, re.S)
    assert match, "no diagram states on the page"
    return dict(json.loads(match.group(1)))


def broken_instance(wiring: Wiring, people: Directory) -> int:
    """An approval whose script step fails after submission: the instance is in an incident."""
    deploy.deploy(wiring.platform, {"broken.bpmn": approval_process("broken", script="n = missing_name")}, "admin")
    instance_id = instances.start_instance(wiring.platform, people.actor("inst_a"), "broken", business_key="X-1")
    with wiring.platform.uow() as uow:
        [task] = uow.tasks.open_for_instance(instance_id)
    assert tasks.complete(wiring.platform, people.actor("inst_a"), task.id, {"decision": "approve"}) == "incident"
    return instance_id


def test_instance_page_shows_highlights_and_history(login: Callable[..., FlaskClient], post: Callable[..., Any],
                                                    approval: Callable[..., int],
                                                    open_task: Callable[[int], str]) -> None:
    instance_id = approval("inst_a", "C-9", "期次 C-9")
    submit = open_task(instance_id)
    client = login("inst_a")
    assert post(client, f"/tasks/{submit}", {"decision": "approve", "_action": "submit"}).status_code == 302
    page = text(client.get(f"/instances/{instance_id}"))
    assert states_on(page) == {"start": "completed", "submit": "completed", "calc": "completed",
                               "review": "active"}
    assert '<script type="application/json" id="diagram-xml">' in page and "bpmn-navigated-viewer" in page
    assert "期次 C-9" in page and "发起流程" in page and "完成任务" in page
    assert f'href="/tasks/{submit}">提交材料</a>' in page  # a link to the submitted data
    assert "审核材料" in page and "运行中" in page


def test_submitted_documents_appear_with_their_upload_in_the_history(
        login: Callable[..., FlaskClient], wiring: Wiring, people: Directory,
        approval: Callable[..., int], open_task: Callable[[int], str]) -> None:
    instance_id = approval("inst_a", "C-3")
    doc_id = attach(wiring.platform, wiring.objects, people.actor("inst_a"),
                    Upload(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "花名册.pdf"), max_bytes=10_000,
                    instance_id=instance_id, task_id=open_task(instance_id))
    page = text(login("inst_a").get(f"/instances/{instance_id}"))
    assert page.count(f'href="/files/{doc_id}"') >= 2  # the document list and the history entry
    assert "上传文件" in page and "花名册.pdf" in page


def test_retry_button_is_shown_to_admins_only(login: Callable[..., FlaskClient], app: Any, wiring: Wiring,
                                              people: Directory, post: Callable[..., Any]) -> None:
    instance_id = broken_instance(wiring, people)
    owner = login("inst_a")
    page = text(owner.get(f"/instances/{instance_id}"))
    assert "异常" in page and "missing_name" in page and f"/instances/{instance_id}/retry" not in page
    assert states_on(page)["calc"] == "error"
    assert post(owner, f"/instances/{instance_id}/retry").status_code == 403
    admin = login("admin", client=app.test_client())
    admin_page = text(admin.get(f"/instances/{instance_id}"))
    assert f'action="/instances/{instance_id}/retry"' in admin_page and "重试" in admin_page
    response = post(admin, f"/instances/{instance_id}/retry", follow_redirects=True)
    assert "重试后仍然出错" in text(response)  # the cause (an unknown name) is still there


def test_instance_of_another_institution_is_404(login: Callable[..., FlaskClient],
                                               approval: Callable[..., int]) -> None:
    instance_id = approval("inst_a", "C-4")
    assert login("inst_b").get(f"/instances/{instance_id}").status_code == 404


def test_instance_list_shows_only_visible_instances_and_filters_by_status(
        login: Callable[..., FlaskClient], app: Any, wiring: Wiring, people: Directory,
        approval: Callable[..., int]) -> None:
    approval("inst_a", "A-1", "甲机构期次")
    approval("inst_b", "B-1", "乙机构期次")
    broken_instance(wiring, people)
    page = text(login("inst_a").get("/instances/"))
    assert "甲机构期次" in page and "乙机构期次" not in page and "X-1" in page
    running = text(login("inst_a", client=app.test_client()).get("/instances/?status=incident"))
    assert "X-1" in running and "甲机构期次" not in running
    city = text(login("bureau", client=app.test_client()).get("/instances/?process=approval"))
    assert "甲机构期次" in city and "乙机构期次" in city and "X-1" not in city


def test_instance_list_pages(login: Callable[..., FlaskClient], approval: Callable[..., int]) -> None:
    for n in range(27):
        approval("inst_a", f"P-{n:02d}")
    client = login("inst_a")
    first = text(client.get("/instances/"))
    assert "P-26" in first and "P-01" not in first and "第 1 / 2 页" in first
    second = text(client.get("/instances/?page=2"))
    assert "P-01" in second and "P-26" not in second
