"""A real browser walks a process: sign in, inbox, claim, fill a form with an upload, complete, next role sees it."""

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from adapters.services.platform import deploy, instances
from tests.e2e.browser.conftest import sign_in
from tests.support.bpmn import definitions, flow, lanes, user_task
from tests.support.platform import PASSWORD, directory_of, sqlite_wiring

pytestmark = pytest.mark.browser
FORMS = Path(__file__).resolve().parents[3] / "forms"

SUBMIT_FORM = {
    "key": "submit_with_scan",
    "title": {"zh": "提交培训材料", "en": "Submit training papers"},
    "fields": [
        {"name": "class_no", "type": "text", "label": {"zh": "期次编号", "en": "Class no."}, "required": True},
        {"name": "scan", "type": "file", "label": {"zh": "审批表扫描件", "en": "Approval form scan"},
         "required": True, "accept": ["application/pdf", "image/png", "image/jpeg"]},
    ],
}


def journey_process() -> bytes:
    body = (lanes({"培训机构": ["start", "submit"], "市局教育训练科": ["review", "end"]})
            + '<bpmn:startEvent id="start"/>' + flow("f1", "start", "submit")
            + user_task("submit", "提交培训材料", form="submit_with_scan") + flow("f2", "submit", "review")
            + user_task("review", "审核培训材料") + flow("f3", "review", "end") + '<bpmn:endEvent id="end"/>')
    return definitions(f'<bpmn:process id="journey" name="培训材料审核" isExecutable="true">{body}</bpmn:process>')


@pytest.fixture
def wiring(tmp_path, people_template):
    forms = tmp_path / "forms"
    forms.mkdir()
    for source in FORMS.glob("*.json"):
        shutil.copy(source, forms)
    (forms / "submit_with_scan.json").write_text(json.dumps(SUBMIT_FORM, ensure_ascii=False), encoding="utf-8")
    wiring = sqlite_wiring(tmp_path / "db", people_template, forms_dir=forms)
    yield wiring
    wiring.dispose()


def test_a_task_is_claimed_filled_with_an_upload_completed_and_appears_for_the_bureau(wiring, server, new_page,
                                                                                       tmp_path):
    people = directory_of(wiring)
    deploy.deploy(wiring.platform, {"journey.bpmn": journey_process()}, "admin")
    instances.start_instance(wiring.platform, people.actor("inst_a"), "journey", business_key="JC-2026-018",
                             title="2026年第18期 低压电工作业 初训")
    scan = tmp_path / "审批表.png"
    Image.new("RGB", (300, 200), "white").save(scan)

    page = new_page()
    sign_in(page, server, "inst_a", PASSWORD)
    page.click("text=组内待办")
    row = page.locator("tr", has_text="JC-2026-018")
    row.locator("button", has_text="认领").click()
    page.click("text=我的待办")
    page.locator("tr", has_text="JC-2026-018").locator("a", has_text="提交培训材料").click()
    page.fill("input[name=class_no]", "2026-18")
    page.set_input_files("input[type=file][name=scan]", str(scan))
    page.locator("button[name=_action][value=submit]").click()
    page.wait_for_url(f"{server}/inbox/**")
    assert "JC-2026-018" not in page.locator("main").inner_text()

    bureau = new_page()
    sign_in(bureau, server, "bureau", PASSWORD)
    bureau.click("text=组内待办")
    assert bureau.locator("tr", has_text="JC-2026-018").locator("text=审核培训材料").count() == 1
    bureau.locator("tr", has_text="JC-2026-018").locator("a", has_text="审核培训材料").click()
    assert "审批表.png" in bureau.locator("main").inner_text() or bureau.locator("img").count() >= 1
    bureau.screenshot(path=str(tmp_path / "bureau-task.png"), full_page=True)
