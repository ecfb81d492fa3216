"""Issue 7: a process owner edits a form in the form editor and the live preview, rendered by the task page's
renderer on the server, follows each change."""

from __future__ import annotations

import pytest

from storage.repositories.modeler import ModelerRepository
from tests.e2e.browser.conftest import sign_in
from tests.e2e.browser.modeler_support import SHOTS, needs_modeler_api, process_owner
from tests.support.issuance import deploy_training

pytestmark = [pytest.mark.browser, needs_modeler_api]


def test_owner_relabels_and_adds_a_field_and_the_server_preview_shows_both(wiring, people, server, new_page):
    deploy_training(wiring)
    username, password = process_owner(wiring)
    page = new_page()
    sign_in(page, server, username, password)
    page.goto(f"{server}/modeler/forms/generic_approval")
    page.wait_for_selector("#form-editor-app[data-ready=true]")
    preview = page.locator("[data-preview]")
    assert "审批结论" in preview.inner_text()

    page.fill("[data-path='fields.0.label.zh']", "审核结论（新）")
    page.wait_for_function("() => document.querySelector('[data-preview]').innerText.includes('审核结论（新）')")
    page.select_option("[data-new-type]", "date")
    page.click("[data-add-field]")
    page.fill("[data-path='fields.2.label.zh']", "复核日期")
    page.wait_for_function("() => document.querySelector('[data-preview]').innerText.includes('复核日期')")
    assert preview.locator("input[type=date]").count() == 1
    page.screenshot(path=f"{SHOTS}/form-editor.png", full_page=True)

    # no process uses generic_approval yet, so the editor asks which process draft receives it
    page.click("[data-action=save-form]")
    page.wait_for_selector("[data-status]:has-text('请选择保存到哪个流程的草稿')")
    page.select_option("[data-save-into]", "certificate_issuance")
    page.click("[data-action=save-form]")
    page.wait_for_selector("[data-status]:has-text('表单已保存到“certificate_issuance”的草稿')")
    with wiring.platform.reader() as uow:
        (draft,) = ModelerRepository(uow.session).drafts_of_user(people.actor(username).user_id)
        assert draft.process_key == "certificate_issuance"
        assert "复核日期" in draft.forms["generic_approval"]
        (entry,) = [e for e in uow.audit.latest() if e.action == "form.draft_save"]
        assert entry.username == username and "新增字段" in entry.detail["summary"]
