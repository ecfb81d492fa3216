"""Issue 7: a process owner adds a step to certificate issuance in the browser modeler and deploys it; the next
class then gets the new step in the institution's inbox with the due date the owner chose (S1: due dates in
working days, counted from the end of the class)."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from adapters.services.issuance import classes
from tests.e2e.browser.conftest import sign_in
from tests.e2e.browser.modeler_support import (
    SHOTS,
    Clicks,
    element_centre,
    needs_modeler_api,
    process_owner,
)
from tests.support.issuance import ctx_of, deploy_training, set_day, trainee
from tests.support.platform import PASSWORD

pytestmark = [pytest.mark.browser, needs_modeler_api]
CLASS_END = dt.date(2026, 3, 6)  # a Friday
DUE = dt.date(2026, 3, 11)  # 3 working days after it: Mon 9, Tue 10, Wed 11 March 2026 (no holiday that week)


def new_task_id(page) -> str:
    """The id of the user task the owner just created (the only one named after the template)."""
    return page.evaluate("""() => window.anpeiModeler.get('elementRegistry')
        .filter((e) => e.type === 'bpmn:UserTask' && e.businessObject.name === '上传材料')[0].id""")


def problem_lines(page, element_id: str) -> list[str]:
    return page.locator(f'[data-problems] li[data-element="{element_id}"]').all_inner_texts()


def test_s1_owner_adds_a_step_from_a_template_in_a_lane_and_the_next_class_gets_it_with_its_due_date(
        wiring, people, server, new_page, fixed_clock):
    deploy_training(wiring)
    set_day(fixed_clock, dt.date(2026, 3, 9))
    username, password = process_owner(wiring)
    page = new_page()
    sign_in(page, server, username, password)
    page.click("text=流程设计")
    page.wait_for_selector("[data-process-list] a[href='/modeler/certificate_issuance']")
    page.click("[data-process-list] a.button[href='/modeler/certificate_issuance']")
    page.wait_for_selector("#modeler-app[data-ready=true]")

    started = time.monotonic()
    clicks = Clicks(page)
    # 1. the template "上传材料", dropped on the flow from "登记期次…" to "报送…档案" in the lane 培训机构
    clicks.click("[data-template='anpei.upload']")
    x, y = element_centre(page, "f_begin")
    clicks.click_at(x, y, "flow f_begin")
    page.keyboard.press("Escape")  # leave the label editor with the template's name
    task = new_task_id(page)
    lanes = page.evaluate(f"""() => {{ const r = window.anpeiModeler.get('elementRegistry'); const bo = r.get('{task}').businessObject;
        return r.filter((e) => e.type === 'bpmn:Lane' && (e.businessObject.flowNodeRef || []).includes(bo))
                .map((e) => e.businessObject.name); }}""")
    assert lanes == ["培训机构"]
    page.screenshot(path=f"{SHOTS}/modeler-1-template-dropped.png")

    # 2. the editor's check marks the missing form on the element and in the problems list
    page.wait_for_selector(f'.djs-overlay-container [data-container-id="{task}"] .bjsl-overlay')
    assert any("未选择表单" in line for line in problem_lines(page, task))
    page.locator(f'[data-problems] li[data-element="{task}"]').first.click()  # selects it, panel shows it
    page.wait_for_selector("#bio-properties-panel-anpei-formKey")
    page.screenshot(path=f"{SHOTS}/modeler-2-missing-form.png")

    # 3. form and due rule in the panel
    clicks.select("#bio-properties-panel-anpei-formKey", "generic_approval")
    clicks.select("#bio-properties-panel-anpei-due-mode", "working")
    clicks.select("#bio-properties-panel-anpei-due-variable", "class_end")
    page.wait_for_function(f"""() => !document.querySelector('[data-problems] li[data-element="{task}"]')""")
    clicks.fill("#bio-properties-panel-anpei-due-days", "3")

    # 4. deploy with a comment, straight after typing (the panel's input pause must not lose the 3 days)
    clicks.click("[data-action=deploy]")
    clicks.fill("#deploy-comment", "期次登记后先上传开班材料（结束后3个工作日内）")
    clicks.click("[data-confirm-deploy]")
    page.wait_for_selector("[data-status]:has-text('已部署为 v2')")
    seconds = time.monotonic() - started
    page.wait_for_selector("text=写入：add_working_days(class_end, 3)")
    page.screenshot(path=f"{SHOTS}/modeler-4-deployed.png")
    with open(f"{SHOTS}/add-step-measure.json", "w", encoding="utf-8") as out:
        json.dump({"clicks": clicks.count, "seconds": round(seconds, 2), "log": clicks.log}, out, ensure_ascii=False)
    assert clicks.count <= 10 and seconds < 20

    # 5. a new class starts on v2: the institution has the new step, due 3 working days after the class ended
    ctx = ctx_of(wiring)
    inst = people.actor("inst_a")
    class_id = classes.register_class(ctx, inst, class_no="2026-低压电工-11", job_type="1.2", training_kind="initial",
                                      start_date=dt.date(2026, 3, 2), end_date=CLASS_END, trainees=[trainee(1)])
    classes.start_issuance(ctx, inst, class_id)
    staff = new_page()
    sign_in(staff, server, "inst_a", PASSWORD)
    staff.click("text=组内待办")  # the lane 培训机构 offers it to the institution's staff, not yet to one person
    staff.wait_for_selector("tr[data-task]")
    row = staff.locator("tr[data-task]", has_text="上传材料")
    assert row.count() == 1
    assert row.locator(".due-date").inner_text() == DUE.isoformat()
    staff.screenshot(path=f"{SHOTS}/modeler-5-inbox.png")
