"""Provincial exam passwords (S1): masked everywhere, shown only to the assigned exam site on the exam day, and never
written into workflow data, task history or the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from adapters.services.issuance import classes, passwords
from tests.support.issuance import complete, complete_archive, set_day

SECRET = "Jc-7Q2-20260316"
EXAM = dt.date(2026, 3, 16)


def to_scheduled(ctx, wiring, inst, bureau, class_id) -> int:
    instance_id = classes.start_issuance(ctx, inst, class_id)
    complete_archive(ctx, inst, class_id)
    complete(wiring, inst, instance_id, "submit_archive", {"confirmed": True})
    complete(wiring, bureau, instance_id, "review_archive", {"decision": "approve"})
    complete(wiring, bureau, instance_id, "request_password",
             {"password_requested_on": "2026-03-09", "password_request_reference": "SX-1"})
    passwords.record_exam_password(ctx, bureau, class_id, SECRET)
    complete(wiring, bureau, instance_id, "password_answer", {"confirmed": True})
    complete(wiring, bureau, instance_id, "schedule_exam", {"exam_site_code": "SITE-1", "exam_date": EXAM.isoformat()})
    return instance_id


def test_s1_the_password_is_shown_only_to_the_assigned_site_and_only_on_the_exam_day(
        ctx, wiring, inst, bureau, site, deployed, new_class, fixed_clock):
    class_id = new_class()
    to_scheduled(ctx, wiring, inst, bureau, class_id)
    for actor in (bureau, inst, site):
        view = passwords.exam_password_view(ctx, actor, class_id)
        assert (view.password, view.revealed, view.recorded) == ("******", False, True)
    set_day(fixed_clock, EXAM)
    assert passwords.exam_password_view(ctx, site, class_id).password == SECRET
    assert passwords.exam_password_view(ctx, bureau, class_id).password == "******"
    set_day(fixed_clock, EXAM + dt.timedelta(days=1))
    assert passwords.exam_password_view(ctx, site, class_id).password == "******"


def test_the_password_never_enters_workflow_data_task_history_or_the_audit_log(
        ctx, wiring, inst, bureau, site, deployed, new_class, fixed_clock):
    class_id = new_class()
    to_scheduled(ctx, wiring, inst, bureau, class_id)
    set_day(fixed_clock, EXAM)
    passwords.exam_password_view(ctx, site, class_id)
    with wiring.platform.uow() as uow:
        for sql in ("SELECT state FROM process_instances", "SELECT submitted FROM human_tasks",
                    "SELECT detail FROM audit_log", "SELECT title FROM notifications"):
            assert all(SECRET not in str(value) for (value,) in uow.session.execute(text(sql)))
        actions = [a for (a,) in uow.session.execute(text("SELECT action FROM audit_log"))]
    assert "exam_password.record" in actions and "exam_password.reveal" in actions
