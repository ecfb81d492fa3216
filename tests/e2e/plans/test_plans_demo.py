"""``demo load`` adds the plans family (S12): every institution's plan task for the coming quarter, and one
published plan so the public page shows classes."""

from __future__ import annotations

from adapters.web.app import create_app
from tests.bpmn.coverage import BPMN_DIR


def test_s12_demo_load_opens_plan_tasks_and_publishes_one_plan(wiring):
    app = create_app(wiring.settings, wiring=wiring)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["processes", "deploy", str(BPMN_DIR)]).exit_code == 0
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "安泰培训中心" in first.output, first.output
    assert "file_plan" in runner.invoke(args=["tasks", "list", "--as", "tongan"]).output
    page = app.test_client().get("/plans/public/").get_data(as_text=True)
    assert "泽州县安泰职业技能培训中心" in page and "南村镇安全培训基地" in page
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "published" not in again.output
