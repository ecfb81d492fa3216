"""Due-soon (within two working days) and overdue notifications: once per task and user."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from adapters.rules.workdays import WorkingCalendar
from adapters.services.platform import instances, notifications, tasks
from storage.models import Notification, User


def start(people, deadline, key):
    platform = people.wiring.platform
    instance_id = instances.start_instance(platform, people.actor("inst_a"), "deadline", business_key=key,
                                           data={"deadline": deadline})
    [task] = instances.show_instance(platform, people.actor("inst_a"), instance_id).active_tasks
    return task


def scan(people, email=False):
    return notifications.scan_deadlines(people.wiring.platform, people.wiring.reference.calendar(), email=email)


def deadline_rows(people):
    with people.wiring.platform.uow() as uow:
        query = (select(User.username, Notification.kind, Notification.title, Notification.email_state)
                 .join(User, User.id == Notification.user_id)
                 .where(Notification.kind.in_(["due_soon", "overdue"])).order_by(Notification.id))
        return [tuple(row) for row in uow.session.execute(query)]


def test_a_task_due_within_two_working_days_notifies_its_group_once(processes, notifier, fixed_clock):
    start(processes, "2026-03-04", "P-1")  # Monday → Wednesday: two working days
    assert scan(processes) == 2
    assert scan(processes) == 0
    assert deadline_rows(processes) == [
        ("inst_a", "due_soon", "待办即将到期（2026-03-04 截止）：提交培训计划（P-1）", "none"),
        ("inst_a2", "due_soon", "待办即将到期（2026-03-04 截止）：提交培训计划（P-1）", "none"),
    ]


def test_a_task_due_in_three_working_days_is_not_due_soon_yet(processes, notifier, fixed_clock):
    start(processes, "2026-03-05", "P-2")
    assert scan(processes) == 0
    fixed_clock.advance(dt.timedelta(days=1))  # Tuesday
    assert scan(processes) == 2


def test_due_soon_counts_working_days_across_the_weekend(processes, notifier, fixed_clock):
    fixed_clock.advance(dt.timedelta(days=4))  # Friday 2026-03-06
    start(processes, "2026-03-10", "P-3")  # Monday and Tuesday are the next two working days
    start(processes, "2026-03-11", "P-4")
    assert scan(processes) == 2
    assert {title.rsplit("（", 1)[1] for _, _, title, _ in deadline_rows(processes)} == {"P-3）"}


def test_due_soon_follows_the_holiday_calendar(processes, notifier, fixed_clock):
    fixed_clock.value = dt.datetime(2026, 9, 30, 1, 0, tzinfo=dt.UTC)  # the day before the National Day week
    start(processes, "2026-10-09", "P-5")  # Oct 1–7 are holidays: Oct 8 and 9 are the next two working days
    start(processes, "2026-10-10", "P-6")  # a make-up Saturday (调休上班): the third working day
    assert scan(processes) == 2
    assert {title.rsplit("（", 1)[1] for _, _, title, _ in deadline_rows(processes)} == {"P-5）"}


def test_an_overdue_task_notifies_once_after_its_due_date_has_passed(processes, notifier, fixed_clock):
    start(processes, "2026-03-04", "P-6b")
    scan(processes)
    fixed_clock.advance(dt.timedelta(days=2))  # Wednesday is the due date itself: not overdue yet
    assert scan(processes) == 0
    fixed_clock.advance(dt.timedelta(days=1))  # Thursday
    assert scan(processes) == 2
    assert scan(processes) == 0
    kinds = [(user, kind) for user, kind, _, _ in deadline_rows(processes)]
    assert kinds == [("inst_a", "due_soon"), ("inst_a2", "due_soon"), ("inst_a", "overdue"), ("inst_a2", "overdue")]
    assert deadline_rows(processes)[-1][2] == "待办已逾期（2026-03-04 截止）：提交培训计划（P-6b）"


def test_a_task_found_already_overdue_gets_only_the_overdue_notification(processes, notifier, fixed_clock):
    start(processes, "2026-02-27", "P-7")
    assert scan(processes) == 2
    assert {kind for _, kind, _, _ in deadline_rows(processes)} == {"overdue"}


def test_a_claimed_task_notifies_only_its_assignee(processes, notifier, fixed_clock):
    task = start(processes, "2026-03-03", "P-8")
    tasks.claim(processes.wiring.platform, processes.actor("inst_a2"), task.id)
    assert scan(processes) == 1
    assert [user for user, *_ in deadline_rows(processes)] == ["inst_a2"]


def test_completed_tasks_and_tasks_without_a_due_date_are_left_alone(processes, notifier, fixed_clock):
    task = start(processes, "2026-03-03", "P-9")
    tasks.complete(processes.wiring.platform, processes.actor("inst_a"), task.id, {"decision": "approve"})
    instances.start_instance(processes.wiring.platform, processes.actor("inst_a"), "approval", business_key="P-10")
    assert scan(processes) == 0


def test_deadline_mail_is_queued_for_users_with_an_address(processes, emails, notifier, fixed_clock):
    start(processes, "2026-03-03", "P-11")
    assert scan(processes, email=True) == 2
    assert {state for *_, state in deadline_rows(processes)} == {"pending"}


def test_without_a_calendar_for_the_year_overdue_still_works(processes, notifier, fixed_clock):
    start(processes, "2026-02-27", "P-12")
    empty = WorkingCalendar({})
    assert notifications.scan_deadlines(processes.wiring.platform, empty, email=False) == 2


def test_two_workers_racing_cannot_notify_the_same_user_twice(processes, notifier, fixed_clock):
    from storage.repositories.notifications import NotificationRepository

    task = start(processes, "2026-03-04", "P-9")
    row = {"user_id": processes.actor("inst_a").user_id, "kind": "due_soon", "title": "待办即将到期", "link": "",
           "task_id": task.id, "created_at": fixed_clock.value, "email_state": "none", "email_attempts": 0}
    for _ in range(2):  # what a second worker would insert after both checked that nothing was there yet
        with processes.wiring.platform.uow() as uow:
            NotificationRepository(uow.session).add_all([row])
            uow.commit()
    assert [r[:2] for r in deadline_rows(processes)] == [("inst_a", "due_soon")]
