"""A real browser walks the main path of certificate issuance across the three roles (S1, S3, A1):
the institution registers a class by xlsx import (with the progress box), uploads the archive and submits it;
the bureau approves, records the exam password and schedules the exam; the exam site records the scores."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.e2e.browser.conftest import sign_in
from tests.e2e.issuance.pages import sheet, sheet_row
from tests.support.issuance import PDF_BYTES, deploy_training, set_day
from tests.support.platform import PASSWORD

pytestmark = pytest.mark.browser
EXAM = dt.date(2026, 3, 16)
CLASS_PAGE = re.compile(r".*/classes/[0-9]+(#.*)?$")
MISSING = "table.items tr.lack form[data-upload] input[type=file], li.lack form[data-upload] input[type=file]"


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "学员.xlsx"
    good.write_bytes(sheet([sheet_row(1, education="大专"), sheet_row(2, education="本科"), sheet_row(3)]))
    bad = tmp_path / "学员-有误.xlsx"
    rows = [sheet_row(1), sheet_row(2)]
    rows[1][1] = rows[1][1][:-1] + ("1" if rows[1][1][-1] != "1" else "2")
    bad.write_bytes(sheet(rows))
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(PDF_BYTES)
    return good, bad, scan


def open_task(page, bpmn_id: str) -> None:
    """Follow the class page's link to the open task ``bpmn_id``."""
    page.locator(f'li[data-bpmn="{bpmn_id}"] a').click()
    page.wait_for_url(re.compile(r".*/tasks/[0-9a-f-]+$"))


def submit_task(page, base: str) -> None:
    page.locator("button[name=_action][value=submit]").click()
    page.wait_for_url(f"{base}/inbox/**")


def test_institution_bureau_and_exam_site_take_a_class_from_import_to_recorded_scores(
        wiring, people, server, new_page, files, fixed_clock):
    deploy_training(wiring)
    set_day(fixed_clock, dt.date(2026, 3, 9))
    good, bad, scan = files

    inst = new_page()
    sign_in(inst, server, "inst_a", PASSWORD)
    inst.goto(f"{server}/classes/")
    inst.click("text=登记新期次")
    inst.fill("#class_no", "2026-低压电工-09")
    inst.select_option("#job_type", "1.2")
    inst.fill("#start_date", "2026-03-02")
    inst.fill("#end_date", "2026-03-06")
    inst.fill("#location", "晋城市城区安全培训中心 3 楼")
    inst.set_input_files("input[name=sheet]", str(bad))
    inst.click("button[data-submit]")
    errors = inst.wait_for_selector("[data-result] .sheet-errors")
    assert "身份证号" in errors.inner_text() and inst.locator("[data-progress]").is_visible()
    inst.set_input_files("input[name=sheet]", str(good))
    inst.click("button[data-submit]")
    inst.wait_for_url(CLASS_PAGE)
    class_url = inst.url.split("#")[0]
    assert inst.locator("tr[data-trainee]").count() == 3

    while inst.locator(MISSING).count():  # each upload starts on choosing the file and reloads the page
        with inst.expect_navigation():
            inst.locator(MISSING).first.set_input_files(str(scan))
    assert inst.locator("[data-missing]").count() == 0
    open_task(inst, "submit_archive")
    inst.check("input[name=confirmed]")
    submit_task(inst, server)

    bureau = new_page()
    sign_in(bureau, server, "bureau", PASSWORD)
    bureau.goto(class_url)
    open_task(bureau, "review_archive")
    bureau.check("input[name=decision][value=approve]")
    submit_task(bureau, server)
    bureau.goto(class_url)
    open_task(bureau, "request_password")
    bureau.fill("input[name=password_requested_on]", "2026-03-09")
    bureau.fill("input[name=password_request_reference]", "晋应急考〔2026〕30号")
    submit_task(bureau, server)
    bureau.goto(class_url)
    open_task(bureau, "schedule_exam")
    bureau.fill("input[name=exam_site_code]", "SITE-1")
    bureau.fill("input[name=exam_date]", EXAM.isoformat())
    submit_task(bureau, server)
    bureau.goto(class_url)
    bureau.fill("#password-input", "P-0316-B")
    bureau.locator("#password button").click()
    bureau.wait_for_selector("text=考试密码已录入")
    open_task(bureau, "password_answer")
    bureau.check("input[name=confirmed]")
    submit_task(bureau, server)

    set_day(fixed_clock, EXAM)
    site = new_page()
    sign_in(site, server, "site", PASSWORD)
    site.goto(class_url)
    assert site.locator(".password code").inner_text() == "P-0316-B"
    site.click("text=录入成绩")
    for part in ("theory_main", "practical_main"):
        inputs = site.locator(f'input.score-input[name$="-{part}"]')
        assert inputs.count() == 3
        for index in range(3):
            inputs.nth(index).fill("90")
        with site.expect_navigation():
            site.click("text=保存成绩")
    assert site.locator("tr.score-passed").count() == 3
    site.goto(class_url)
    open_task(site, "main_scores")
    site.check("input[name=confirmed]")
    submit_task(site, server)
    site.goto(class_url)
    assert site.locator('li[data-bpmn="exam_archive"]').count() == 1
    assert site.locator("#trainees .result-passed").count() == 3
