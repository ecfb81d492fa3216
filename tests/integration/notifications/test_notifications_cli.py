"""`flask notifications run --once`: deadline notifications plus the e-mail retry worker."""

from __future__ import annotations

import dataclasses
import datetime as dt

from adapters.services.platform import instances, tasks
from adapters.web.app import create_app
from adapters.web.platform import cli_notifications


def run_once(wiring):
    app = create_app(wiring.settings, wiring=wiring)
    cli_notifications.register(app)
    result = app.test_cli_runner().invoke(args=["notifications", "run", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def test_run_once_delivers_mail_the_relay_refused_earlier(processes, emails, notifier, smtp, fixed_clock):
    smtp.mode = "refuse"
    platform = processes.wiring.platform
    instance_id = instances.start_instance(platform, processes.actor("inst_a"), "approval", business_key="R-1")
    [submit] = instances.show_instance(platform, processes.actor("inst_a"), instance_id).active_tasks
    assert tasks.complete(platform, processes.actor("inst_a"), submit.id, {"decision": "approve"}) == "running"
    assert smtp.messages == []
    smtp.mode = "accept"
    fixed_clock.advance(dt.timedelta(minutes=6))
    output = run_once(processes.wiring)
    assert "sent=3 retrying=0 failed=0" in output
    assert [m.subject for m in smtp.to("bureau@example.cn")] == ["【安培】您所在组有新的待办：审核材料（R-1）"]


def test_run_once_creates_overdue_notifications_and_mails_them(processes, emails, notifier, smtp, fixed_clock):
    instances.start_instance(processes.wiring.platform, processes.actor("inst_a"), "deadline", business_key="R-2",
                             data={"deadline": "2026-02-27"})
    before = len(smtp.messages)
    output = run_once(processes.wiring)
    assert "deadline notifications=2" in output and "sent=2" in output
    subjects = {m.subject for m in smtp.messages[before:]}
    assert subjects == {"【安培】待办已逾期（2026-02-27 截止）：提交培训计划（R-2）"}
    assert "deadline notifications=0" in run_once(processes.wiring)


def test_run_once_without_smtp_says_mail_is_off(processes, fixed_clock):
    wiring = dataclasses.replace(processes.wiring, settings=dataclasses.replace(processes.wiring.settings,
                                                                               smtp_host=None))
    assert "e-mail off (SMTP_HOST unset)" in run_once(wiring)
