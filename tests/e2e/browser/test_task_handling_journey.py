"""A real browser: 撤回 a submission, 退回 it from the review with a reason, 转办 it to a colleague (issue 10)."""

import pytest

from adapters.services.platform import deploy, instances
from tests.e2e.browser.conftest import sign_in
from tests.support.bpmn import approval_process
from tests.support.platform import PASSWORD, directory_of

pytestmark = pytest.mark.browser


def test_withdraw_return_with_a_reason_and_hand_over_in_the_browser(wiring, people, server, new_page, tmp_path):
    people = directory_of(wiring)
    deploy.deploy(wiring.platform, {"approval.bpmn": approval_process()}, "admin")
    instance_id = instances.start_instance(wiring.platform, people.actor("inst_a"), "approval", business_key="W-1")
    with wiring.platform.reader() as uow:
        submit = uow.tasks.open_for_instance(instance_id)[0].id

    page = new_page()
    sign_in(page, server, "inst_a", PASSWORD)
    page.goto(f"{server}/tasks/{submit}")
    page.check("input[name=decision][value=approve]")
    page.fill("textarea[name=comment]", "材料齐全")
    page.locator("button[name=_action][value=submit]").click()
    page.wait_for_url(f"{server}/inbox/**")
    page.goto(f"{server}/tasks/{submit}")
    page.click("#withdraw-button")
    assert "已撤回" in page.locator("main").inner_text()
    assert page.locator("textarea[name=comment]").input_value() == "材料齐全"
    page.screenshot(path=str(tmp_path / "withdrawn.png"), full_page=True)
    page.locator("button[name=_action][value=submit]").click()
    page.wait_for_url(f"{server}/inbox/**")

    bureau = new_page()
    sign_in(bureau, server, "bureau", PASSWORD)
    with wiring.platform.reader() as uow:
        review = uow.tasks.open_for_instance(instance_id)[0].id
    bureau.goto(f"{server}/tasks/{review}")
    bureau.click("#return summary")
    bureau.fill("#return textarea[name=reason]", "缺少培训计划")
    bureau.locator("#return button").click()
    bureau.wait_for_url(f"{server}/inbox/**")

    page.goto(f"{server}/tasks/{submit}")
    text = page.locator("main").inner_text()
    assert "此任务被退回" in text and "缺少培训计划" in text and "审批意见" in text
    page.click("#transfer summary")
    page.select_option("#transfer select[name=to_user]", str(people.actor("inst_a2").user_id))
    page.fill("#transfer input[name=note]", "请代为补充")
    page.locator("#transfer button").click()
    page.wait_for_url(f"{server}/inbox/**")
    page.screenshot(path=str(tmp_path / "after-transfer.png"), full_page=True)
    with wiring.platform.reader() as uow:
        assert uow.tasks.get(submit).assignee_id == people.actor("inst_a2").user_id
