"""A real browser walks the full-staff exam before resumption (S5) from suspension to resumption: the county
bureau records the order, the enterprise uploads its roster (a wrong one first), the bureau schedules the sitting,
the exam site records the scores on the exam day (one same-day resit, S3), the enterprise records one person's
removal from post, and the bureau clears the enterprise to resume. Screenshots go to /tmp/i8-shots/."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from adapters.services.platform import deploy
from tests.bpmn.coverage import diagram_files
from tests.e2e.browser.conftest import sign_in
from tests.support.enterprises import add_enterprises, roster_xlsx
from tests.support.issuance import PDF_BYTES, set_day
from tests.support.platform import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/i8-shots")
EXAM = dt.date(2026, 3, 10)
CASE_PAGE = re.compile(r".*/enterprises/suspensions/[0-9]+$")


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def files(tmp_path):
    good, bad, scan = tmp_path / "花名册.xlsx", tmp_path / "花名册-有误.xlsx", tmp_path / "指令.pdf"
    good.write_bytes(roster_xlsx(3))
    bad.write_bytes(roster_xlsx(2, extra=[("错号人", "140502198001010011", "司机")]))
    scan.write_bytes(PDF_BYTES)
    return good, bad, scan


def open_inbox_task(page, base: str, title: str) -> None:
    page.goto(f"{base}/inbox/?tab=group")
    page.click(f"a.task-title:has-text('{title}')")
    page.wait_for_url(re.compile(r".*/tasks/[0-9a-f-]+$"))


def test_a_suspended_enterprise_is_examined_and_cleared_to_resume_in_the_browser(
        wiring, people, server, new_page, files, fixed_clock):
    deploy.deploy(wiring.platform, diagram_files(), "admin")
    add_enterprises(wiring, people)
    set_day(fixed_clock, dt.date(2026, 3, 2))
    good, bad, scan = files

    bureau = new_page()
    sign_in(bureau, server, "sup_zz", PASSWORD)
    bureau.goto(f"{server}/enterprises/")
    shot(bureau, "01-enterprises")
    bureau.click("text=停产整顿与复产复工")
    bureau.click("text=下达停产整顿指令")
    bureau.click("button[type=submit]:has-text('登记指令')")
    assert bureau.locator(".field.has-error").count() >= 3  # enterprise, cause, order no …, each named
    shot(bureau, "02-suspension-errors")
    bureau.select_option("#f-enterprise", label="泽州某化工有限公司")
    bureau.check("input[name=cause][value=fatal_accident]")
    bureau.fill("#f-order_no", "泽应急停〔2026〕3号")
    bureau.fill("#f-order_date", "2026-03-02")
    bureau.set_input_files("#f-order_document", str(scan))
    bureau.click("button[type=submit]:has-text('登记指令')")
    bureau.wait_for_url(CASE_PAGE)
    case_url = bureau.url
    assert "停产整顿" in bureau.locator(".head-line .badge").inner_text()
    shot(bureau, "03-case-suspended")

    enterprise = new_page()
    sign_in(enterprise, server, "ent_zz", PASSWORD)
    open_inbox_task(enterprise, server, "上报全员花名册")
    enterprise.click("text=打开停产整顿事项页面")
    enterprise.wait_for_url(CASE_PAGE)
    enterprise.set_input_files("input[name=sheet]", str(bad))
    enterprise.click("text=导入花名册")
    errors = enterprise.locator("table.sheet-errors")
    assert "校验" in errors.inner_text() and enterprise.locator("tr[data-result]").count() == 0
    shot(enterprise, "04-roster-errors")
    enterprise.set_input_files("input[name=sheet]", str(good))
    enterprise.click("text=导入花名册")
    enterprise.wait_for_selector("text=已导入 3 人的花名册")
    assert enterprise.locator("tr[data-result=pending]").count() == 3
    enterprise.check("input[name=confirmed]")
    enterprise.click("text=提交花名册")
    enterprise.wait_for_selector("text=花名册已上报")
    shot(enterprise, "05-roster-submitted")

    bureau.goto(case_url)
    bureau.select_option("#f-site", "SITE-1")
    bureau.fill("#f-date", EXAM.isoformat())
    bureau.click("text=安排考试")
    bureau.wait_for_selector("text=考试场次已安排")
    assert "考试中" in bureau.locator(".head-line .badge").inner_text()
    shot(bureau, "06-sitting-scheduled")

    set_day(fixed_clock, EXAM)
    site = new_page()
    sign_in(site, server, "site", PASSWORD)
    open_inbox_task(site, server, "录入正考成绩")
    site.click("text=打开期次页面")
    site.wait_for_selector("text=录入成绩")
    shot(site, "07a-sitting-class-page")
    site.click("text=录入成绩")
    site.wait_for_selector('input.score-input[name$="-theory_main"]')
    inputs = site.locator('input.score-input[name$="-theory_main"]')
    assert inputs.count() == 3
    for index, mark in enumerate(("92", "85", "40")):
        inputs.nth(index).fill(mark)
    with site.expect_navigation():
        site.click("text=保存成绩")
    shot(site, "07-main-scores")
    open_inbox_task(site, server, "录入正考成绩")
    site.check("input[name=confirmed]")
    site.locator("button[name=_action][value=submit]").click()
    site.wait_for_url(f"{server}/inbox/**")
    open_inbox_task(site, server, "补考")
    site.click("text=打开期次页面")
    site.click("text=录入成绩")
    site.wait_for_selector('input.score-input[name$="-theory_resit"]')
    site.locator('input.score-input[name$="-theory_resit"]').first.fill("55")
    with site.expect_navigation():
        site.click("text=保存成绩")
    open_inbox_task(site, server, "补考")
    site.check("input[name=confirmed]")
    site.locator("button[name=_action][value=submit]").click()
    site.wait_for_url(f"{server}/inbox/**")

    bureau.goto(case_url)
    assert bureau.locator("tr[data-result=failed]").count() == 1
    bureau.check("input[name=decision][value=resume]")
    bureau.click("text=提交审查结论")
    bureau.wait_for_selector("#review .error")
    assert "既未考试合格" in bureau.locator("#review .error").inner_text()  # S5: the failed person blocks it
    shot(bureau, "08-resumption-refused")

    enterprise.goto(case_url)
    assert enterprise.locator("tr[data-result=passed]").count() == 2
    row = enterprise.locator("tr[data-result=failed]")
    row.locator("summary").click()
    row.locator("input[name=reason]").fill("调离井下作业岗位，转岗后勤")
    row.locator("input[name=document]").set_input_files(str(scan))
    row.locator("button:has-text('保存')").click()
    enterprise.wait_for_selector("text=已登记调离岗位")
    shot(enterprise, "09-removed-from-post")

    bureau.goto(case_url)
    bureau.check("input[name=decision][value=resume]")
    bureau.fill("#f-note", "全员考试合格或已调离岗位")
    bureau.click("text=提交审查结论")
    bureau.wait_for_selector("text=审查结论已提交")
    assert "准予复产复工" in bureau.locator(".head-line .badge").inner_text()
    assert "sup_zz" in bureau.locator(".facts").inner_text()
    shot(bureau, "10-resumed")
    bureau.click("text=查看流程图与办理进度")
    bureau.wait_for_selector(".djs-container", timeout=15000)
    shot(bureau, "11-diagram")
    enterprise.goto(case_url)
    shot(enterprise, "12-enterprise-sees-progress")
    enterprise.goto(f"{server}/language/en?next={case_url.replace(server, '')}")
    assert "Cleared to resume" in enterprise.locator(".head-line .badge").inner_text()
    shot(enterprise, "13-english")
