"""The notification list, mark-as-read (POST + CSRF) and the header badge, through the real app."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event

from adapters.services.bootstrap import Wiring
from adapters.services.platform import deploy, instances, notifications
from adapters.web.app import create_app
from storage.repositories.notifications import NotificationRepository
from tests.support.bpmn import approval_process
from tests.support.platform import Directory


@pytest.fixture
def app(wiring: Wiring, people: Directory) -> Iterator[Flask]:
    notifications.install(wiring.platform, wiring.settings)
    deploy.deploy(wiring.platform, {"approval.bpmn": approval_process()}, "admin")
    app = create_app(wiring.settings, wiring=wiring)
    assert app.config.get("WTF_CSRF_ENABLED", True)
    yield app


def client_for(app, people, username):
    client = app.test_client()
    user_id = people.actor(username).user_id
    with client.session_transaction() as session:
        session["uid"], session["seen"] = user_id, time.time()
    return client


def start(people, key):
    return instances.start_instance(people.wiring.platform, people.actor("inst_a"), "approval", business_key=key)


def badge(html):
    found = re.search(r'data-unread="(\d+)"', html)
    return int(found.group(1)) if found else 0


def csrf(html):
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def ids(html):
    return [int(i) for i in re.findall(r'<li class="(?:unread|read)" data-id="(\d+)"', html)]


def test_the_header_badge_shows_the_unread_count(app, people):
    start(people, "W-1")
    start(people, "W-2")
    page = client_for(app, people, "inst_a2").get("/notifications/").get_data(as_text=True)
    assert badge(page) == 2
    assert 'href="/notifications/"' in page
    assert badge(client_for(app, people, "inst_b").get("/notifications/").get_data(as_text=True)) == 0


def test_the_list_is_newest_first_with_unread_ones_marked_and_linked_to_their_task(app, people):
    start(people, "W-1")
    start(people, "W-2")
    page = client_for(app, people, "inst_a").get("/notifications/").get_data(as_text=True)
    assert page.index("提交材料（W-2）") < page.index("提交材料（W-1）")
    assert page.count('<li class="unread"') == 2
    assert re.search(r'href="/tasks/[0-9a-f-]{36}"', page)
    assert "新待办" in page


def test_marking_one_read_needs_the_csrf_token(app, people):
    start(people, "W-3")
    client = client_for(app, people, "inst_a")
    page = client.get("/notifications/").get_data(as_text=True)
    [notification_id] = ids(page)
    assert client.post(f"/notifications/{notification_id}/read").status_code == 400
    assert badge(client.get("/notifications/").get_data(as_text=True)) == 1
    response = client.post(f"/notifications/{notification_id}/read", data={"csrf_token": csrf(page)})
    assert response.status_code == 302
    page = client.get("/notifications/").get_data(as_text=True)
    assert badge(page) == 0 and '<li class="read"' in page


def test_following_a_link_marks_it_read_through_the_script_endpoint(app, people):
    start(people, "W-4")
    client = client_for(app, people, "inst_a")
    page = client.get("/notifications/").get_data(as_text=True)
    [notification_id] = ids(page)
    response = client.post(f"/notifications/{notification_id}/read",
                           headers={"X-CSRFToken": csrf(page), "X-Requested-With": "fetch"})
    assert response.status_code == 204
    assert badge(client.get("/notifications/").get_data(as_text=True)) == 0


def test_mark_all_read_clears_the_badge_and_needs_the_csrf_token(app, people):
    start(people, "W-5")
    start(people, "W-6")
    client = client_for(app, people, "inst_a")
    page = client.get("/notifications/").get_data(as_text=True)
    assert client.post("/notifications/read-all").status_code == 400
    response = client.post("/notifications/read-all", data={"csrf_token": csrf(page)}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已将 2 条通知标为已读" in page
    assert badge(page) == 0


def test_nobody_can_mark_another_users_notification(app, people):
    start(people, "W-7")
    page = client_for(app, people, "inst_a").get("/notifications/").get_data(as_text=True)
    [theirs] = ids(page)
    intruder = client_for(app, people, "inst_b")
    token = csrf(intruder.get("/notifications/").get_data(as_text=True))
    assert intruder.post(f"/notifications/{theirs}/read", data={"csrf_token": token}).status_code == 404
    assert badge(client_for(app, people, "inst_a").get("/notifications/").get_data(as_text=True)) == 1


def test_the_badge_costs_one_count_query_per_page(app, people):
    start(people, "W-8")
    client = client_for(app, people, "inst_a")
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(people.wiring.engine, "before_cursor_execute", listener)
    try:
        assert client.get("/notifications/").status_code == 200
    finally:
        event.remove(people.wiring.engine, "before_cursor_execute", listener)
    counts = [s for s in statements if "count(" in s.lower() and "notifications" in s]
    assert len(counts) == 1


def test_older_notifications_are_one_click_away(app, people):
    user_id = people.actor("inst_a").user_id
    now = people.wiring.platform.now()
    with people.wiring.platform.uow() as uow:
        NotificationRepository(uow.session).add_all([
            {"user_id": user_id, "kind": "task_assigned", "title": f"通知 {i}", "link": "", "task_id": None,
             "created_at": now, "email_state": "none", "email_attempts": 0} for i in range(55)])
        uow.commit()
    client = client_for(app, people, "inst_a")
    first = client.get("/notifications/").get_data(as_text=True)
    assert len(ids(first)) == 50 and "通知 54" in first
    older = re.search(r'href="(/notifications/\?before=\d+)"', first).group(1)
    second = client.get(older).get_data(as_text=True)
    assert len(ids(second)) == 5 and "通知 0" in second and "更早的通知" not in second


def test_signed_out_visitors_are_sent_to_sign_in(app):
    response = app.test_client().get("/notifications/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
