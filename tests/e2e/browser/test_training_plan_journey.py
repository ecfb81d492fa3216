"""A real browser walks a training plan (S12) from filing to the public page: the calendar opens the institution's
task, the institution adds a class (one outside the quarter first, refused naming the date), files the plan, the
bureau approves and publishes it, and an anonymous visitor finds the class on the public page. Screenshots go to
/tmp/i9b-shots/."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from adapters.services.platform import deploy
from tests.bpmn.coverage import diagram_files
from tests.e2e.browser.conftest import sign_in
from tests.support.issuance import set_day
from tests.support.plans import open_quarter
from tests.support.platform import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/i9b-shots")
PLAN_PAGE = re.compile(r".*/plans/[0-9]+$")


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def add_class(page, start: str, end: str) -> None:
    page.select_option("#f-job", "1.2")
    page.fill("#f-start", start)
    page.fill("#f-end", end)
    page.fill("#f-place", "晋城市城区培训楼三层")
    page.fill("#f-capacity", "40")
    page.click("button:has-text('添加培训班')")


def test_s12_a_plan_goes_from_filing_through_approval_to_the_public_page_in_the_browser(
        wiring, people, server, new_page, fixed_clock):
    deploy.deploy(wiring.platform, diagram_files(), "admin")
    set_day(fixed_clock, dt.date(2026, 4, 1))
    open_quarter(wiring, dt.date(2026, 4, 1))

    inst = new_page()
    sign_in(inst, server, "inst_a", PASSWORD)
    inst.goto(f"{server}/inbox/?tab=group")
    shot(inst, "01-inbox")
    inst.click("a.task-title:has-text('报送下季度培训计划')")
    inst.click("text=打开培训计划页面")
    inst.wait_for_url(PLAN_PAGE)
    add_class(inst, "2026-06-29", "2026-07-03")
    assert "不在计划季度 2026 年第 3 季度" in inst.inner_text("#add")
    shot(inst, "02-wrong-quarter")
    inst.fill("#f-start", "2026-07-06")
    inst.fill("#f-end", "2026-07-10")
    inst.click("button:has-text('添加培训班')")
    inst.wait_for_selector("td:has-text('晋城市城区培训楼三层')")
    inst.check("#file input[name=confirmed]")
    inst.click("#file button[type=submit]")
    inst.wait_for_selector("text=待审核")
    shot(inst, "03-filed")

    bureau = new_page()
    sign_in(bureau, server, "bureau", PASSWORD)
    bureau.goto(f"{server}/plans/")
    bureau.click("a:has-text('2026 Q3') >> nth=0")
    bureau.wait_for_url(PLAN_PAGE)
    bureau.check("#review input[value=approve]")
    bureau.click("#review button[type=submit]")
    bureau.check("#publish input[name=confirmed]")
    shot(bureau, "04-approved")
    bureau.click("#publish button[type=submit]")
    bureau.wait_for_selector("text=已公布")
    bureau.goto(f"{server}/compliance/?year=2026&quarter=3")
    assert "1/1" in bureau.inner_text("#institution")  # filed before the due date: counted as on time
    shot(bureau, "05-compliance")

    visitor = new_page()
    visitor.goto(f"{server}/plans/public/")
    assert "晋城市城区培训楼三层" in visitor.inner_text("table")
    assert "晋城安培职业培训学校" in visitor.inner_text("table")
    shot(visitor, "06-public")
    visitor.select_option("select[name=job_type]", "1.2")
    visitor.click("button:has-text('筛选')")
    assert "2026-07-06" in visitor.inner_text("table")
