"""Keyset pages of the inbox: every task exactly once, in due-date order (undated last), across roles and tabs."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from adapters.services.platform import inbox
from storage.models import HumanTask, Role

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


def _add_tasks(wiring, instance_id: int, org_id: int, role_key: str, count: int, *, state: str = "open",
               done_by: int | None = None, seed: int = 0) -> list[str]:
    """Rows with repeating due dates (some none) and shared creation times, to exercise every tie-break."""
    ids = []
    with wiring.platform.uow() as uow:
        for i in range(count):
            n = i + seed
            task = HumanTask(
                id=str(uuid.uuid4()), instance_id=instance_id, process_key="approval", process_name="审批",
                bpmn_id="submit", title=f"任务 {role_key} {n:03d}", business_key=f"K-{role_key[:4]}-{n:03d}", lane="x",
                role_key=role_key, organisation_id=org_id, form_key="generic_approval", state=state,
                due_date=None if n % 4 == 0 else dt.date(2026, 3, 1 + n % 5),
                created_at=T0 + dt.timedelta(minutes=n % 3),
                completed_by_id=done_by, completed_at=(T0 + dt.timedelta(minutes=n % 7)) if done_by else None)
            uow.tasks.add(task)
            ids.append(task.id)
        uow.commit()
    return ids


def _expected_open(wiring, ids: list[str]) -> list[str]:
    with wiring.platform.uow() as uow:
        rows = [uow.tasks.get(i) for i in ids]
        rows.sort(key=lambda t: (t.due_date is None, t.due_date or dt.date.min, t.created_at, t.id))
        return [t.id for t in rows]


def _walk(wiring, actor, tab: str, size: int, **filters) -> list[str]:
    calendar = wiring.reference.calendar()
    seen, cursor = [], ""
    for _ in range(1000):
        page = inbox.inbox_page(wiring.platform, actor, inbox.InboxQuery(tab=tab, cursor=cursor, **filters),
                                calendar, page_size=size)
        assert len(page.rows) <= size
        seen += [row.task_id for row in page.rows]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor
    raise AssertionError("pages never ended")


@pytest.fixture
def instance_id(approval):
    return approval("inst_a", "HOST")


@pytest.mark.parametrize("size", [1, 3, 7, 50])
def test_group_pages_list_every_task_once_in_due_order_with_undated_last(wiring, people, instance_id, size, open_task):
    first = open_task(instance_id)
    ids = [first, *_add_tasks(wiring, instance_id, people.orgs["INST-A"], "institution_staff", 23)]
    assert _walk(wiring, people.actor("inst_a"), "group", size) == _expected_open(wiring, ids)


def test_pages_merge_the_tasks_of_all_my_roles(wiring, people, instance_id, open_task):
    with wiring.platform.uow() as uow:
        user = uow.directory.user_by_name("inst_a")
        user.roles = [*user.roles, uow.session.query(Role).filter_by(key="exam_site_staff").one()]
        uow.commit()
    ids = [open_task(instance_id)]
    ids += _add_tasks(wiring, instance_id, people.orgs["INST-A"], "institution_staff", 11)
    ids += _add_tasks(wiring, instance_id, people.orgs["INST-A"], "exam_site_staff", 13, seed=2)
    actor = people.actor("inst_a")
    assert _walk(wiring, actor, "group", 4) == _expected_open(wiring, ids)
    page = inbox.inbox_page(wiring.platform, actor, inbox.InboxQuery(tab="group"), wiring.reference.calendar())
    assert page.tabs[1].count == 25


def test_my_tab_pages_and_filters_keep_the_order(wiring, people, instance_id, fixed_clock):
    actor = people.actor("inst_a")
    ids = _add_tasks(wiring, instance_id, people.orgs["INST-A"], "institution_staff", 17)
    with wiring.platform.uow() as uow:
        for task_id in ids:
            uow.tasks.get(task_id).assignee_id = actor.user_id
        uow.commit()
    assert _walk(wiring, actor, "mine", 5) == _expected_open(wiring, ids)
    overdue = _walk(wiring, actor, "mine", 2, due="overdue")  # today is 2026-03-02: only 03-01 is past
    with wiring.platform.uow() as uow:
        assert overdue and all(uow.tasks.get(i).due_date == dt.date(2026, 3, 1) for i in overdue)
    searched = _walk(wiring, actor, "mine", 2, text="k-inst-01")
    assert len(searched) == 7  # business keys K-inst-010 … K-inst-016
    assert not set(_walk(wiring, actor, "group", 5)) & set(ids)  # claimed tasks leave the group list


def test_done_pages_run_newest_first(wiring, people, instance_id):
    actor = people.actor("inst_a")
    ids = _add_tasks(wiring, instance_id, people.orgs["INST-A"], "institution_staff", 19, state="completed",
                     done_by=actor.user_id)
    with wiring.platform.uow() as uow:
        rows = [uow.tasks.get(i) for i in ids]
        expected = [t.id for t in sorted(rows, key=lambda t: (t.completed_at, t.id), reverse=True)]
    assert _walk(wiring, actor, "done", 4) == expected


def test_counts_stop_at_the_cap(wiring, people, instance_id, monkeypatch):
    monkeypatch.setattr(inbox, "COUNT_CAP", 10)
    _add_tasks(wiring, instance_id, people.orgs["INST-A"], "institution_staff", 12)
    page = inbox.inbox_page(wiring.platform, people.actor("inst_a"), inbox.InboxQuery(tab="group"),
                            wiring.reference.calendar())
    group = page.tabs[1]
    assert group.count == 10 and group.capped


def test_the_web_pager_follows_the_cursor_and_shows_999_plus(wiring, people, instance_id, login, monkeypatch):
    ids = _add_tasks(wiring, instance_id, people.orgs["INST-A"], "institution_staff", 30)
    client = login("inst_a")
    first = client.get("/inbox/?tab=group&q=任务").get_data(as_text=True)
    assert first.count("data-task=") == 25 and "回到第一页" not in first
    next_url = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "q=" in next_url and "tab=group" in next_url
    second = client.get(next_url).get_data(as_text=True)
    shown = re.findall(r'data-task="([^"]+)"', first) + re.findall(r'data-task="([^"]+)"', second)
    assert shown == _expected_open(wiring, ids) and 'rel="next"' not in second and "回到第一页" in second
    monkeypatch.setattr(inbox, "COUNT_CAP", 20)
    assert 'data-count="group">999+<' in client.get("/inbox/?tab=group").get_data(as_text=True)


def test_a_tampered_cursor_starts_again_at_the_first_page(wiring, people, instance_id):
    actor = people.actor("inst_a")
    _add_tasks(wiring, instance_id, people.orgs["INST-A"], "institution_staff", 3)
    for cursor in ("garbage", "eyJ4IjoxfQ", "WyJvIiwiMjAyNi0xMy0wMSJd", "WyJvIiwgbnVsbCwgIjIwMjYtMDMtMDIiLCAieCJd"):
        page = inbox.inbox_page(wiring.platform, actor, inbox.InboxQuery(tab="group", cursor=cursor),
                                wiring.reference.calendar())
        assert len(page.rows) == 4


def test_due_labels_count_working_days_and_never_guess_a_missing_year(wiring):
    calendar = wiring.reference.calendar()
    monday = dt.date(2026, 3, 2)
    assert inbox.due_of(dt.date(2026, 3, 4), monday, calendar) == inbox.Due(dt.date(2026, 3, 4), "soon", 2)
    assert inbox.due_of(dt.date(2026, 3, 5), monday, calendar).state == "ok"
    assert inbox.due_of(monday, monday, calendar).state == "today"
    assert inbox.due_of(dt.date(2026, 2, 27), monday, calendar) == inbox.Due(dt.date(2026, 2, 27), "overdue", 2)
    assert inbox.due_of(dt.date(2030, 1, 8), monday, calendar) == inbox.Due(dt.date(2030, 1, 8), "ok", None)
    assert inbox.due_of(None, monday, calendar).state == "none"
