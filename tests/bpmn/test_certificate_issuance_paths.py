"""Path tests of ``certificate_issuance`` and the called ``exam_with_resit`` (S1, S2, S3, A1).

Every gateway branch and the end-of-exam-day timer, through the real platform on SQLite: each step is saved to the
database and restored from it for the next one, and domain records are written in the step's transaction.
"""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.services.issuance import archive, classes, deadlines, issuance, passwords, scores
from adapters.services.issuance.scores import ScoreEntry
from adapters.services.platform import notifications, timers
from adapters.services.platform.errors import InvalidData
from tests.support.issuance import (
    complete,
    complete_archive,
    ctx_of,
    name_of,
    open_ids,
    set_day,
    trainee,
    training_class,
    upload,
)

END = dt.date(2026, 3, 6)  # a Friday; the archive is due 5 working days later, on 2026-03-13
EXAM = dt.date(2026, 3, 16)
EXAM_ITEMS = ("exam_plan", "theory_main_record", "theory_resit_record", "practical_main_record",
              "practical_resit_record", "score_summary")


class Flow:
    """One class moved through the process by the three lanes' users."""

    def __init__(self, wiring, people, clock) -> None:
        self.wiring, self.people, self.clock = wiring, people, clock
        self.ctx = ctx_of(wiring)
        self.inst, self.bureau, self.site = (people.actor(n) for n in ("inst_a", "bureau", "site"))
        self.class_id = self.instance_id = 0

    def start(self, count: int = 4) -> None:
        set_day(self.clock, dt.date(2026, 3, 9))
        self.class_id = classes.register_class(
            self.ctx, self.inst, class_no="2026-低压电工-01", job_type="1.2", training_kind="initial",
            start_date=dt.date(2026, 3, 2), end_date=END, trainees=[trainee(i) for i in range(1, count + 1)])
        self.instance_id = classes.start_issuance(self.ctx, self.inst, self.class_id)

    def step(self, actor, bpmn_id: str, data: dict) -> str:
        return complete(self.wiring, actor, self.instance_id, bpmn_id, data)

    def open(self) -> list[str]:
        return open_ids(self.wiring, self.instance_id)

    def to_exam(self) -> None:
        """Archive approved at once, password recorded, exam scheduled on EXAM at SITE-1."""
        complete_archive(self.ctx, self.inst, self.class_id)
        self.step(self.inst, "submit_archive", {"confirmed": True})
        self.step(self.bureau, "review_archive", {"decision": "approve"})
        self.step(self.bureau, "request_password", {"password_requested_on": "2026-03-09",
                                                    "password_request_reference": "晋应急考〔2026〕12号"})
        passwords.record_exam_password(self.ctx, self.bureau, self.class_id, "Jc-20260316")
        self.step(self.bureau, "password_answer", {"confirmed": True})
        self.step(self.bureau, "schedule_exam", {"exam_site_code": "SITE-1", "exam_date": EXAM.isoformat()})
        assert self.open() == ["main_scores"]

    def ids(self) -> list[int]:
        return [row.trainee_id for row in scores.score_sheet(self.ctx, self.site, self.class_id).rows]

    def record(self, *entries: ScoreEntry) -> None:
        scores.record_scores(self.ctx, self.site, self.class_id, list(entries))

    def exam_archive(self, keys=EXAM_ITEMS) -> None:
        for key in keys:
            upload(self.ctx, self.site, class_id=self.class_id, key=key)
        self.step(self.site, "exam_archive", {"confirmed": True})


@pytest.fixture
def flow(diagrams, people, fixed_clock) -> Flow:
    return Flow(diagrams, people, fixed_clock)


def test_an_incomplete_archive_is_refused_with_what_each_trainee_lacks_a1_2(flow):
    flow.start(count=2)
    complete_archive(flow.ctx, flow.inst, flow.class_id, skip={(1, "id_card_copy")})
    with pytest.raises(InvalidData) as refused:
        flow.step(flow.inst, "submit_archive", {"confirmed": True})
    [message] = refused.value.errors.values()
    assert f"学员{name_of(2)}" in message and "身份证复印件" in message
    assert flow.open() == ["submit_archive"]


def test_main_path_with_a_return_a_resit_and_a_rejected_approval_ends_with_certificates_received(flow):
    flow.start()
    complete_archive(flow.ctx, flow.inst, flow.class_id)
    flow.step(flow.inst, "submit_archive", {"confirmed": True, "submit_note": "第一次报送"})
    flow.step(flow.bureau, "review_archive", {"decision": "return", "comment": "请补正", "return_items": [
        {"trainee": name_of(1), "item": "id_card_copy", "reason": "复印件不清晰"}]})
    assert flow.open() == ["submit_archive"]
    first_trainee = archive.archive_status(flow.ctx, flow.inst, flow.class_id).trainees[0].trainee_id
    upload(flow.ctx, flow.inst, trainee_id=first_trainee, key="id_card_copy")
    flow.step(flow.inst, "submit_archive", {"confirmed": True})
    flow.step(flow.bureau, "review_archive", {"decision": "approve"})
    rounds = archive.archive_rounds(flow.ctx, flow.bureau, flow.class_id)
    assert [(r.number, r.decision) for r in rounds] == [(1, "returned"), (2, "approved")]
    assert rounds[0].reasons == [(name_of(1), "身份证复印件", "复印件不清晰")]
    assert flow.open() == ["request_password", "schedule_exam"]
    flow.step(flow.bureau, "schedule_exam", {"exam_site_code": "SITE-1", "exam_date": EXAM.isoformat()})
    assert flow.open() == ["request_password"]  # the exam waits for the password branch
    notices, _more = notifications.list_notifications(flow.wiring.platform, flow.site)
    assert [n.kind for n in notices] == ["exam_scheduled"] and "2026-03-16" in notices[0].title
    flow.step(flow.bureau, "request_password", {"password_requested_on": "2026-03-09",
                                                "password_request_reference": "SX-2026-88"})
    with pytest.raises(InvalidData):
        flow.step(flow.bureau, "password_answer", {"confirmed": True})  # nothing recorded yet
    passwords.record_exam_password(flow.ctx, flow.bureau, flow.class_id, "Jc-20260316")
    flow.step(flow.bureau, "password_answer", {"confirmed": True})
    assert flow.open() == ["main_scores"]

    set_day(flow.clock, EXAM)
    a, b, c, d = flow.ids()
    flow.record(ScoreEntry(a, 92, None, 88), ScoreEntry(b, 70), ScoreEntry(c, 60), ScoreEntry(d, 95, None, 50))
    flow.step(flow.site, "main_scores", {"confirmed": True})
    assert flow.open() == ["resit_scores"]
    flow.record(ScoreEntry(b, theory_resit=85, practical_main=90), ScoreEntry(c, theory_resit=50),
                ScoreEntry(d, practical_resit=81))
    flow.step(flow.site, "resit_scores", {"confirmed": True})
    assert flow.open() == ["exam_archive"]
    flow.exam_archive()

    set_day(flow.clock, dt.date(2026, 3, 17))
    flow.step(flow.bureau, "provincial_approval", {"issuance_decision": "rejected", "issuance_comment": "数据有误"})
    assert flow.open() == ["provincial_approval"]
    flow.step(flow.bureau, "provincial_approval", {"issuance_decision": "approved", "issuance_approved_on": "2026-03-17",
                                                   "issuance_reference": "晋证审〔2026〕3号"})
    certificates = issuance.class_certificates(flow.ctx, flow.bureau, flow.class_id)
    assert len(certificates) == 3 and all(c.number.startswith("T") for c in certificates)
    flow.step(flow.bureau, "delivery", {"delivered_on": "2026-03-17", "delivered_to": "张经办"})
    set_day(flow.clock, dt.date(2026, 3, 18))
    issuance.record_receipts(flow.ctx, flow.inst, flow.class_id,
                             [issuance.Receipt(c.id, dt.date(2026, 3, 18)) for c in certificates])
    assert flow.step(flow.inst, "receipt", {"confirmed": True}) == "completed"
    assert training_class(flow.wiring, flow.class_id).status == "closed"
    states = {row.kind: row.state for row in deadlines.class_deadlines(flow.ctx, flow.class_id)}
    assert states == {"class_archive": "met", "exam_archive": "met", "issuance": "met", "delivery": "met",
                      "receipt": "met"}


def test_when_everyone_passes_the_main_exam_no_resit_task_opens(flow):
    flow.start(count=2)
    flow.to_exam()
    set_day(flow.clock, EXAM)
    a, b = flow.ids()
    flow.record(ScoreEntry(a, 90, None, 90), ScoreEntry(b, 80, None, 80))
    flow.step(flow.site, "main_scores", {"confirmed": True})
    assert flow.open() == ["exam_archive"]


def test_without_any_passer_the_process_ends_after_the_exam_archive(flow):
    flow.start(count=2)
    flow.to_exam()
    set_day(flow.clock, EXAM)
    a, b = flow.ids()
    flow.record(ScoreEntry(a, 40), ScoreEntry(b, "absent"))
    flow.step(flow.site, "main_scores", {"confirmed": True})
    flow.record(ScoreEntry(a, theory_resit=55))
    flow.step(flow.site, "resit_scores", {"confirmed": True})
    flow.exam_archive(("exam_plan", "theory_main_record", "theory_resit_record", "score_summary"))
    assert flow.open() == []
    assert training_class(flow.wiring, flow.class_id).status == "no_passers"
    assert issuance.class_certificates(flow.ctx, flow.bureau, flow.class_id) == []


def test_the_end_of_the_exam_day_closes_open_resits_as_failures_s3(flow):
    flow.start(count=2)
    flow.to_exam()
    set_day(flow.clock, EXAM)
    a, b = flow.ids()
    flow.record(ScoreEntry(a, 90, None, 90), ScoreEntry(b, 65))
    flow.step(flow.site, "main_scores", {"confirmed": True})
    assert flow.open() == ["resit_scores"]
    set_day(flow.clock, EXAM + dt.timedelta(days=1), hour=0)
    with pytest.raises(InvalidData) as refused:
        flow.record(ScoreEntry(b, theory_resit=90))
    assert "补考只能在考试当日" in next(iter(refused.value.errors.values()))
    assert timers.run_due_timers(flow.wiring.platform).fired == 1
    assert flow.open() == ["exam_archive"]
    rows = {r.trainee_id: r for r in scores.score_sheet(flow.ctx, flow.site, flow.class_id).rows}
    assert rows[a].status == "passed" and rows[b].status == "failed"
    assert "须重新培训" in rows[b].reasons[0]


def test_every_element_of_both_diagrams_was_reached(reached):
    assert reached.missing("certificate_issuance") == set()
    assert reached.missing("exam_with_resit") == set()
