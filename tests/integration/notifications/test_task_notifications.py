"""In-app notifications written in the step's transaction when tasks open."""

from __future__ import annotations

import dataclasses

from sqlalchemy import event, select

from adapters.services.platform import directory, instances, notifications, tasks
from storage.models import Notification, User
from tests.support.platform import PASSWORD


def rows(wiring, username=None):
    with wiring.platform.uow() as uow:
        query = select(Notification, User.username).join(User, User.id == Notification.user_id)
        if username:
            query = query.where(User.username == username)
        return [(name, n) for n, name in uow.session.execute(query.order_by(Notification.id))]


def test_a_new_task_notifies_every_user_of_its_role_in_its_organisation_and_nobody_else(processes, notifier):
    platform = processes.wiring.platform
    instance_id = instances.start_instance(platform, processes.actor("inst_a"), "approval", business_key="C-1")
    got = rows(processes.wiring)
    assert sorted(name for name, _ in got) == ["inst_a", "inst_a2"]  # not institution B's, not the bureau
    [submit] = instances.show_instance(platform, processes.actor("inst_a"), instance_id).active_tasks
    for _, n in got:
        assert n.kind == "task_assigned"
        assert n.title == "您所在组有新的待办：提交材料（C-1）"
        assert n.link == f"/tasks/{submit.id}" and n.task_id == submit.id
        assert n.read_at is None


def test_completing_a_step_notifies_the_group_of_the_next_step(processes, notifier):
    platform = processes.wiring.platform
    inst = processes.actor("inst_a")
    instance_id = instances.start_instance(platform, inst, "approval", business_key="C-2")
    [submit] = instances.show_instance(platform, inst, instance_id).active_tasks
    tasks.complete(platform, inst, submit.id, {"decision": "approve"})
    [(name, review)] = rows(processes.wiring, "bureau")
    assert review.kind == "task_assigned" and review.title.startswith("您所在组有新的待办：审核材料")


def test_a_task_sent_back_is_returned_to_whoever_completed_it_and_new_to_the_rest_of_the_group(processes, notifier):
    platform = processes.wiring.platform
    inst, bureau = processes.actor("inst_a"), processes.actor("bureau")
    instance_id = instances.start_instance(platform, inst, "approval", business_key="C-3")
    [submit] = instances.show_instance(platform, inst, instance_id).active_tasks
    tasks.complete(platform, inst, submit.id, {"decision": "approve"})
    [review] = instances.show_instance(platform, bureau, instance_id).active_tasks
    tasks.complete(platform, bureau, review.id, {"decision": "return", "comment": "缺少学员名单"})
    [again] = instances.show_instance(platform, inst, instance_id).active_tasks
    latest = {name: n for name, n in rows(processes.wiring) if n.task_id == again.id}
    assert latest["inst_a"].kind == "returned"
    assert latest["inst_a"].title == "任务已退回，请再次处理：提交材料（C-3）"
    assert latest["inst_a2"].kind == "task_assigned"
    assert set(latest) == {"inst_a", "inst_a2"}


def test_the_hook_costs_one_recipient_query_one_completer_query_and_one_insert_whatever_the_group_size(
        processes, notifier):
    platform = processes.wiring.platform
    for i in range(6):
        directory.create_user(platform, username=f"extra{i}", display_name=f"经办人{i}", password=PASSWORD,
                              organisation_code="INST-A", role_keys=["institution_staff"])
    statements = []
    notifier_calls = []
    original = notifier.on_tasks_opened

    def counting(**kwargs):
        listener = lambda *args: statements.append(args[2])  # noqa: E731 — the SQL text
        event.listen(processes.wiring.engine, "before_cursor_execute", listener)
        try:
            original(**kwargs)
        finally:
            event.remove(processes.wiring.engine, "before_cursor_execute", listener)
        notifier_calls.append(kwargs["tasks"])

    platform.hooks["tasks_opened"] = [counting]
    instances.start_instance(platform, processes.actor("inst_a"), "approval", business_key="C-4")
    assert len(notifier_calls) == 1
    assert len(statements) == 3, statements
    assert statements[-1].lstrip().upper().startswith("INSERT INTO NOTIFICATIONS")
    assert len(rows(processes.wiring)) == 8


def test_without_smtp_notifications_are_in_app_only(processes, emails):
    platform = processes.wiring.platform
    notifications.install(platform, dataclasses.replace(processes.wiring.settings, smtp_host=None))
    instances.start_instance(platform, processes.actor("inst_a"), "approval", business_key="C-5")
    assert {n.email_state for _, n in rows(processes.wiring)} == {"none"}


def test_users_without_an_address_get_no_email_but_still_the_notification(processes, notifier, smtp):
    instances.start_instance(processes.wiring.platform, processes.actor("inst_a"), "approval", business_key="C-6")
    assert {(name, n.email_state) for name, n in rows(processes.wiring)} == {("inst_a", "none"), ("inst_a2", "none")}
    assert smtp.messages == []


def test_installing_twice_keeps_one_handler(processes, notifier):
    platform = processes.wiring.platform
    notifications.install(platform, processes.wiring.settings)
    instances.start_instance(platform, processes.actor("inst_a"), "approval", business_key="C-7")
    assert len(rows(processes.wiring)) == 2
