"""The process pages: deployed versions, the diagram, and starting an instance from the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from adapters.services.bootstrap import Wiring
from adapters.services.platform import deploy
from tests.support.bpmn import approval_process
from tests.support.platform import Directory


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


@pytest.fixture
def deployed(wiring: Wiring, people: Directory) -> None:
    deploy.deploy(wiring.platform, {"approval.bpmn": approval_process(name="培训审批")}, "admin")
    deploy.deploy(wiring.platform, {"approval.bpmn": approval_process(name="培训审批", script="approved_n = 2")},
                  "admin")


def test_process_list_shows_latest_version_with_who_deployed_it(login: Callable[..., FlaskClient],
                                                                deployed: None) -> None:
    page = text(login("inst_a").get("/processes/"))
    assert "培训审批" in page and "v2" in page and "admin 部署于" in page
    assert "全部版本（2）" in page and "v1" in page
    assert "培训机构经办人" in page  # the role of the start event's lane


def test_start_button_only_for_holders_of_the_starting_lane_role(login: Callable[..., FlaskClient], app: Any,
                                                                 deployed: None) -> None:
    assert 'href="/processes/approval#start"' in text(login("inst_a").get("/processes/"))
    site = login("site", client=app.test_client())
    assert 'href="/processes/approval#start"' not in text(site.get("/processes/"))
    assert 'action="/processes/approval/start"' not in text(site.get("/processes/approval"))


def test_process_page_shows_the_diagram_and_versions(login: Callable[..., FlaskClient], deployed: None) -> None:
    page = text(login("bureau").get("/processes/approval"))
    assert '<script type="application/json" id="diagram-xml">' in page and "bpmn:userTask" in page
    assert "bpmn-navigated-viewer.production.min.js" in page and "当前" in page


def test_starting_from_the_browser_creates_the_instance_and_its_first_task(
        login: Callable[..., FlaskClient], post: Callable[..., Any], wiring: Wiring, deployed: None) -> None:
    client = login("inst_a")
    response = post(client, "/processes/approval/start", {"business_key": "C-2026-01", "title": "三月期"})
    assert response.status_code == 302 and "/instances/" in response.headers["Location"]
    page = text(client.get(response.headers["Location"]))
    assert "三月期" in page and "C-2026-01" in page and "提交材料" in page
    with wiring.platform.uow() as uow:
        [row] = uow.instances.by_business_key("C-2026-01")
        assert row.status == "running" and len(uow.tasks.open_for_instance(row.id)) == 1


def test_start_is_refused_for_a_user_without_the_role(login: Callable[..., FlaskClient], post: Callable[..., Any],
                                                      deployed: None) -> None:
    assert post(login("site"), "/processes/approval/start", {"business_key": "S-1"}).status_code == 403


def test_too_long_business_key_is_reported_next_to_the_field(login: Callable[..., FlaskClient],
                                                             post: Callable[..., Any], deployed: None) -> None:
    response = post(login("inst_a"), "/processes/approval/start", {"business_key": "K" * 101, "title": "保留的标题"})
    page = text(response)
    assert response.status_code == 422 and "业务编号不能超过 100 个字" in page and 'value="保留的标题"' in page


def test_unknown_process_is_404(login: Callable[..., FlaskClient], deployed: None) -> None:
    assert login("inst_a").get("/processes/nope").status_code == 404
