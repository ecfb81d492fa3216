"""E-mail goes out only after the step commits, never fails the step, and is retried with backoff."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from adapters.services.platform import instances, notifications, tasks
from adapters.services.platform.mailer import SmtpMailer
from storage.models import Notification, User
from storage.repositories.audit import AuditRepository
from storage.repositories.notifications import NotificationRepository
from tests.integration.notifications.conftest import PUBLIC_URL


def mail_rows(wiring, username):
    with wiring.platform.uow() as uow:
        query = (select(Notification).join(User, User.id == Notification.user_id)
                 .where(User.username == username).order_by(Notification.id))
        return list(uow.session.scalars(query))


def start_and_submit(people, key):
    platform = people.wiring.platform
    inst = people.actor("inst_a")
    instance_id = instances.start_instance(platform, inst, "approval", business_key=key)
    [submit] = instances.show_instance(platform, inst, instance_id).active_tasks
    status = tasks.complete(platform, inst, submit.id, {"decision": "approve"})
    [review] = instances.show_instance(platform, people.actor("bureau"), instance_id).active_tasks
    return status, review


def test_a_new_task_is_mailed_after_commit_with_a_chinese_subject_and_a_link(processes, emails, notifier, smtp,
                                                                             fixed_clock):
    platform = processes.wiring.platform
    instance_id = instances.start_instance(platform, processes.actor("inst_a"), "approval", business_key="C-10")
    [submit] = instances.show_instance(platform, processes.actor("inst_a"), instance_id).active_tasks
    received = smtp.wait_for(2)
    assert sorted(r for m in received for r in m.recipients) == ["inst_a2@example.cn", "inst_a@example.cn"]
    mail = smtp.to("inst_a@example.cn")[0]
    assert mail.subject == "【安培】您所在组有新的待办：提交材料（C-10）"
    assert mail.raw.isascii()  # RFC 2047 subject, base64 body: a relay without SMTPUTF8 carries it intact
    assert mail.sender == "anpei@localhost"
    assert "inst_a，您好" in mail.body
    assert f"{PUBLIC_URL}/tasks/{submit.id}" in mail.body
    [row] = mail_rows(processes.wiring, "inst_a")
    assert (row.email_state, row.email_attempts) == ("sent", 1)


def test_a_refusing_relay_leaves_the_task_completed_and_the_mail_pending_until_a_later_run(
        processes, emails, notifier, smtp, fixed_clock):
    smtp.mode = "refuse"
    status, review = start_and_submit(processes, "C-11")
    assert status == "running" and review.state == "open"  # the step went through
    [pending] = mail_rows(processes.wiring, "bureau")
    assert (pending.email_state, pending.email_attempts) == ("pending", 1)
    assert smtp.connections >= 1 and smtp.messages == []

    smtp.mode = "accept"
    mailer = SmtpMailer.from_settings(processes.wiring.settings)
    platform = processes.wiring.platform
    assert notifications.deliver_pending(platform, mailer, PUBLIC_URL) == notifications.Delivery()  # backing off
    fixed_clock.advance(dt.timedelta(minutes=5))
    assert notifications.deliver_pending(platform, mailer, PUBLIC_URL).sent == 3  # inst_a, inst_a2, bureau
    [mail] = smtp.to("bureau@example.cn")
    assert mail.subject == "【安培】您所在组有新的待办：审核材料（C-11）"
    assert mail_rows(processes.wiring, "bureau")[0].email_state == "sent"


def test_a_relay_that_is_down_does_not_fail_the_step(processes, emails, notifier, smtp, fixed_clock):
    smtp.stop()  # nothing listens on the port any more
    status, review = start_and_submit(processes, "C-12")
    assert status == "running" and review.state == "open"
    [pending] = mail_rows(processes.wiring, "bureau")
    assert (pending.email_state, pending.email_attempts) == ("pending", 1)


def test_a_relay_answering_try_again_later_is_retried(processes, emails, notifier, smtp, fixed_clock):
    smtp.mode = "tempfail"
    start_and_submit(processes, "C-13")
    assert mail_rows(processes.wiring, "bureau")[0].email_state == "pending"


def test_a_rolled_back_step_sends_nothing(processes, emails, notifier, smtp, monkeypatch):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(AuditRepository, "record", broken_audit)
    with pytest.raises(RuntimeError):
        instances.start_instance(processes.wiring.platform, processes.actor("inst_a"), "approval",
                                 business_key="C-14")
    monkeypatch.undo()
    assert smtp.connections == 0 and smtp.messages == []
    assert mail_rows(processes.wiring, "inst_a") == []


def test_a_mail_is_given_up_as_failed_after_the_last_attempt(processes, emails, smtp, fixed_clock):
    policy = notifications.RetryPolicy(max_attempts=3, base=dt.timedelta(minutes=1))
    notifier = notifications.install(processes.wiring.platform, processes.wiring.settings,
                                     policy=policy)
    smtp.mode = "refuse"
    start_and_submit(processes, "C-15")
    mailer = SmtpMailer.from_settings(processes.wiring.settings)
    states = []
    for _ in range(3):
        fixed_clock.advance(dt.timedelta(minutes=10))
        notifications.deliver_pending(processes.wiring.platform, mailer, PUBLIC_URL, policy=policy)
        row = mail_rows(processes.wiring, "bureau")[0]
        states.append((row.email_state, row.email_attempts))
    assert states == [("pending", 2), ("failed", 3), ("failed", 3)]
    assert notifier.mailer is not None


def test_two_senders_never_claim_the_same_attempt(processes, emails, smtp):
    notifications.install(processes.wiring.platform, processes.wiring.settings)
    smtp.mode = "refuse"
    start_and_submit(processes, "C-16")
    [row] = mail_rows(processes.wiring, "bureau")
    with processes.wiring.platform.uow() as uow:
        repo = NotificationRepository(uow.session)
        assert repo.claim_attempt(row.id, row.email_attempts) is True
        assert repo.claim_attempt(row.id, row.email_attempts) is False
        uow.commit()


def test_line_breaks_in_user_text_cannot_reach_the_mail_headers(processes, emails, notifier, smtp):
    instances.start_instance(processes.wiring.platform, processes.actor("inst_a"), "approval",
                             business_key="C-17\r\nBcc: victim@example.cn")
    received = smtp.wait_for(2)
    assert all(m.message["Bcc"] is None and "victim@example.cn" not in m.recipients for m in received)
    assert received[0].subject == "【安培】您所在组有新的待办：提交材料（C-17 Bcc: victim@example.cn）"
