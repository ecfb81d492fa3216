"""The task inbox over HTTP: tabs and counts, claiming, filters, working-day due labels, isolation of institutions."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from adapters.services.platform import tasks
from storage.models import HumanTask
from tests.e2e.web.conftest import post_form


def _page(client, url="/inbox/"):
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.get_data(as_text=True)
    return page[page.find("<main"):]  # the content: a random token in the head may spell "C-1" too


def _count(page: str, tab: str) -> str:
    match = re.search(rf'data-count="{tab}">([^<]+)<', page)
    assert match, tab
    return match.group(1)


def _current_tab(page: str) -> str:
    match = re.search(r'aria-current="page">\s*[^<]*<span class="badge" data-count="([a-z]+)"', page)
    assert match, "no current tab"
    return match.group(1)


def _actor(client, username):
    from adapters.services.platform import directory

    return directory.actor_by_username(client.application.extensions["anpei"].platform, username)


def _set_due(wiring, instance_task: str, due: dt.date | None) -> None:
    with wiring.platform.uow() as uow:
        uow.tasks.get(instance_task).due_date = due
        uow.commit()


@pytest.fixture
def three(approval, open_task):
    """Two submissions of institution A and one of institution B, waiting for their institution staff."""
    return {key: open_task(approval(user, key, title=f"{key} 期次材料"))
            for user, key in (("inst_a", "C-1"), ("inst_a", "C-2"), ("inst_b", "B-1"))}


def test_group_tab_lists_unclaimed_tasks_of_my_role_in_my_organisation_with_counts(three, login):
    page = _page(login("inst_a"), "/inbox/?tab=group")
    assert "C-1" in page and "C-2" in page and "B-1" not in page
    assert (_count(page, "mine"), _count(page, "group"), _count(page, "done")) == ("0", "2", "0")
    assert "提交材料" in page and "审批" in page  # task title and process name
    assert f'href="/tasks/{three["C-1"]}"' in page or f"/tasks/{three['C-1']}" in page


def test_the_inbox_opens_where_the_work_is_the_group_tab_when_nothing_is_claimed_yet(three, login):
    """Issue 10 finding 8: nobody lands on an empty 我的待办 while their work waits in 组内待办."""
    client = login("inst_a")
    page = _page(client)
    assert "C-1" in page and "C-2" in page and _current_tab(page) == "group"
    tasks.claim(client.application.extensions["anpei"].platform, _actor(client, "inst_a"), three["C-1"])
    page = _page(client)
    assert "C-1" in page and "C-2" not in page and _current_tab(page) == "mine"  # a claimed task: 我的待办
    assert "C-2" in _page(client, "/inbox/?tab=group")


def test_the_bureau_sees_no_institution_tasks(three, login):
    page = _page(login("bureau"), "/inbox/?tab=group")
    assert "C-1" not in page and _count(page, "group") == "0"


def test_claiming_moves_a_task_to_my_tab_and_handing_it_back_returns_it_to_the_group(three, login, wiring):
    client = login("inst_a")
    response = post_form(client, f"/inbox/{three['C-1']}/claim")
    assert response.status_code == 302 and response.headers["Location"] == "/inbox/?tab=mine"
    mine = _page(client, "/inbox/?tab=mine")
    assert "C-1" in mine and "C-2" not in mine and _count(mine, "mine") == "1" and _count(mine, "group") == "1"
    assert "已认领任务" in mine
    assert post_form(client, f"/inbox/{three['C-1']}/unclaim").status_code == 302
    group = _page(client, "/inbox/?tab=group")
    assert "C-1" in group and _count(group, "mine") == "0"


def test_claim_buttons_need_the_csrf_token(three, login):
    client = login("inst_a")
    assert client.post(f"/inbox/{three['C-1']}/claim").status_code == 400
    assert client.get(f"/inbox/{three['C-1']}/claim").status_code == 405


def test_a_task_claimed_by_a_colleague_cannot_be_claimed_again(three, login, as_user):
    colleague = as_user("inst_a2")
    assert post_form(colleague, f"/inbox/{three['C-1']}/claim").status_code == 302
    client = login("inst_a")
    assert "C-1" not in _page(client, "/inbox/?tab=group")
    assert post_form(client, f"/inbox/{three['C-1']}/claim").status_code == 409
    assert post_form(client, f"/inbox/{three['C-1']}/unclaim").status_code == 409


def test_group_rows_name_who_else_can_take_the_task(three, login):
    page = _page(login("inst_a"), "/inbox/?tab=group")
    row = page[page.index(three["C-1"]):]
    row = row[:row.index("</tr>")]
    assert "inst_a2" in row and ">inst_a<" not in row


def test_completed_tasks_are_listed_under_done_by_me(three, login, people, wiring):
    tasks.complete(wiring.platform, people.actor("inst_a"), three["C-1"], {"decision": "approve"})
    page = _page(login("inst_a"), "/inbox/?tab=done")
    assert "C-1" in page and "C-2" not in page and _count(page, "done") == "1"
    assert "完成时间" in page


def test_an_institution_cannot_see_or_claim_the_tasks_of_another_institution(three, login):
    client = login("inst_a")
    b_task = three["B-1"]
    for tab in ("mine", "group", "done"):
        assert "B-1" not in _page(client, f"/inbox/?tab={tab}")
    assert post_form(client, f"/inbox/{b_task}/claim").status_code == 404
    assert post_form(client, f"/inbox/{b_task}/unclaim").status_code == 404
    searched = _page(client, "/inbox/?tab=group&q=B-1")
    assert b_task not in searched and "没有符合条件的任务" in searched
    assert post_form(client, "/inbox/not-a-task/claim").status_code == 404


def test_another_institution_cannot_hand_back_a_claimed_task(three, login, as_user):
    owner = as_user("inst_b")
    assert post_form(owner, f"/inbox/{three['B-1']}/claim").status_code == 302
    client = login("inst_a")
    assert post_form(client, f"/inbox/{three['B-1']}/unclaim").status_code == 404
    assert "B-1" not in _page(client, "/inbox/?tab=mine")


def test_search_finds_tasks_by_business_key_or_title(three, login):
    client = login("inst_a")
    page = _page(client, "/inbox/?tab=group&q=c-2")
    assert "C-2" in page and "C-1" not in page
    page = _page(client, "/inbox/?tab=group&q=期次")
    assert "C-1" in page and "C-2" in page
    page = _page(client, "/inbox/?tab=group&q=%25")
    assert "没有符合条件的任务" in page  # % is a literal, not a wildcard


def test_filter_by_process(three, login, approval, wiring):
    from adapters.services.platform import deploy
    from tests.support.bpmn import approval_process

    deploy.deploy(wiring.platform, {"other.bpmn": approval_process("other", name="另一流程")}, "admin")
    client = login("inst_a")
    assert "另一流程" in _page(client, "/inbox/?tab=group")  # offered in the filter
    assert "C-1" in _page(client, "/inbox/?tab=group&process=approval")
    assert "C-1" not in _page(client, "/inbox/?tab=group&process=other")


def test_due_dates_show_working_days_left_or_overdue_and_filter(approval, open_task, login, wiring, fixed_clock):
    """Monday 2026-03-02: due Thu 02-26 is 3 working days overdue (Sat 02-28 is a 调休 working day); due
    Wed 03-04 has 2 left (A1.3 counting: day 1 is the first working day after)."""
    late = open_task(approval("inst_a", "LATE"))
    soon = open_task(approval("inst_a", "SOON"))
    later = open_task(approval("inst_a", "LATER"))
    open_task(approval("inst_a", "UNDATED"))
    _set_due(wiring, late, dt.date(2026, 2, 26))
    _set_due(wiring, soon, dt.date(2026, 3, 4))
    _set_due(wiring, later, dt.date(2026, 3, 20))
    client = login("inst_a")
    page = _page(client, "/inbox/?tab=group")
    assert page.index("LATE") < page.index("SOON") < page.index("LATER") < page.index("UNDATED")
    assert "逾期 3 个工作日" in page and "还剩 2 个工作日" in page and "还剩 14 个工作日" in page and "无期限" in page
    assert re.search(rf'<tr class="overdue\s*" data-task="{late}"', page)
    overdue = _page(client, "/inbox/?tab=group&due=overdue")
    assert "LATE" in overdue and "SOON" not in overdue and "UNDATED" not in overdue
    due_soon = _page(client, "/inbox/?tab=group&due=soon")
    assert "SOON" in due_soon and "LATE" not in due_soon and "LATER" not in due_soon
    assert "逾期 1" in page  # the tab counts overdue tasks too


def test_a_due_date_in_a_year_without_calendar_is_not_guessed(approval, open_task, login, wiring):
    task = open_task(approval("inst_a", "FAR"))
    _set_due(wiring, task, dt.date(2031, 5, 6))
    page = _page(login("inst_a"), "/inbox/?tab=group")
    assert "工作日历缺失" in page and "2031-05-06" in page and "工作日历尚未录入" in page


def test_english_inbox_counts_working_days_in_english(approval, open_task, login, wiring, fixed_clock, client):
    task = open_task(approval("inst_a", "SOON"))
    _set_due(wiring, task, dt.date(2026, 3, 3))
    client.get("/language/en")
    page = _page(login("inst_a"), "/inbox/?tab=group")
    assert "1 working day left" in page and "Group tasks" in page and "Claim" in page


def test_tasks_of_a_role_i_do_not_have_are_not_in_my_group(three, login, wiring):
    with wiring.platform.uow() as uow:
        uow.tasks.get(three["C-1"]).role_key = "bureau_training"
        uow.commit()
    page = _page(login("inst_a"), "/inbox/?tab=group")
    assert "C-1" not in page and "C-2" in page


def test_unknown_tabs_and_filters_fall_back_to_defaults(three, login):
    client = login("inst_a")
    page = _page(client, "/inbox/?tab=evil&due=whenever&after=%%%")
    assert 'aria-current="page"' in page and "我的待办" in page


def test_inbox_needs_sign_in(client):
    response = client.get("/inbox/?tab=group")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/inbox/")


def test_human_task_rows_are_read_without_deserialising_workflows(three, login, wiring, monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("the inbox must not restore workflow state")

    monkeypatch.setattr(wiring.platform.runtime, "restore", refuse)
    assert "C-1" in _page(login("inst_a"), "/inbox/?tab=group")
    assert HumanTask.__tablename__ == "human_tasks"
