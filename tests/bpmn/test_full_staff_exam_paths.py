"""Path tests of ``full_staff_exam`` (S5) with the called ``exam_with_resit`` (S3): every step saved and restored.

A bureau suspends a high-risk enterprise, the enterprise uploads its roster, sittings run on the same exam process
as training classes, and resumption waits until every person passed or was removed from their post.
"""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.services.enterprises import suspensions
from adapters.services.enterprises.suspensions import SuspensionInput
from adapters.services.issuance import scores
from adapters.services.issuance.scores import ScoreEntry
from adapters.services.platform import timers
from adapters.services.platform.errors import Conflict, InvalidData
from tests.support.enterprises import add_enterprises, ctx_of, pdf, roster_xlsx
from tests.support.issuance import complete, open_ids, set_day
from tests.support.issuance import ctx_of as training_ctx

EXAM = dt.date(2026, 3, 10)


class Case:
    def __init__(self, wiring, people, clock) -> None:
        self.wiring, self.people, self.clock = wiring, people, clock
        self.ids = add_enterprises(wiring, people)
        self.ctx = ctx_of(wiring)
        self.bureau, self.enterprise, self.site = (people.actor(n) for n in ("sup_zz", "ent_zz", "site"))
        self.instance_id = self.case_id = 0

    def suspend(self) -> None:
        set_day(self.clock, dt.date(2026, 3, 2))
        self.case_id = suspensions.suspend(self.ctx, self.bureau, SuspensionInput(
            self.ids["ENT-ZZ"], "fatal_accident", "泽应急停〔2026〕3号", dt.date(2026, 3, 1)), pdf())
        self.instance_id = suspensions.case_page(self.ctx, self.bureau, self.case_id).instance_id or 0

    def step(self, actor, bpmn_id: str, data: dict) -> str:
        return complete(self.wiring, actor, self.instance_id, bpmn_id, data)

    def roster(self, count: int = 3) -> None:
        imported, errors = suspensions.import_roster(self.ctx, self.enterprise, self.case_id, roster_xlsx(count))
        assert (imported, errors) == (count, [])
        self.step(self.enterprise, "submit_roster", {"confirmed": True})

    def sitting(self, day: dt.date = EXAM) -> int:
        self.step(self.bureau, "schedule_sitting", {"exam_site_code": "SITE-1", "exam_date": day.isoformat()})
        return self._class_id()

    def _class_id(self) -> int:
        with self.wiring.platform.reader() as uow:
            row = uow.instances.get(self.instance_id)
            return int(row.subject["class_id"])

    def scores(self, class_id: int, marks: dict[int, float], kind: str = "main") -> None:
        tctx = training_ctx(self.wiring)
        rows = scores.score_sheet(tctx, self.site, class_id).rows
        entries = [ScoreEntry(row.trainee_id, **{f"theory_{kind}": marks[i]}) for i, row in enumerate(rows)
                   if i in marks]
        scores.record_scores(tctx, self.site, class_id, entries)

    def results(self) -> dict[str, str]:
        return {p.name: p.result for p in suspensions.case_page(self.ctx, self.bureau, self.case_id).people}

    def open(self) -> list[str]:
        return open_ids(self.wiring, self.instance_id)


@pytest.fixture
def case(diagrams, people, fixed_clock) -> Case:
    return Case(diagrams, people, fixed_clock)


def test_s5_resumption_is_refused_while_someone_neither_passed_nor_was_removed_then_allowed(case, reached):
    case.suspend()
    assert case.open() == ["submit_roster"]
    with pytest.raises(InvalidData) as no_roster:
        case.step(case.enterprise, "submit_roster", {"confirmed": True})
    assert "花名册" in no_roster.value.errors["confirmed"]
    case.roster(3)
    assert case.open() == ["schedule_sitting"]
    class_id = case.sitting()
    assert case.open() == ["main_scores"]
    set_day(case.clock, EXAM)
    case.scores(class_id, {0: 90, 1: 85, 2: 40})
    case.step(case.site, "main_scores", {"confirmed": True})
    assert case.open() == ["resit_scores"]  # S3: the one who failed resits the same day
    case.scores(class_id, {2: 50}, kind="resit")
    case.step(case.site, "resit_scores", {"confirmed": True})
    assert case.open() == ["resumption_review"]
    results = case.results()
    assert sorted(results.values()) == ["failed", "passed", "passed"]
    with pytest.raises(InvalidData) as refused:
        case.step(case.bureau, "resumption_review", {"decision": "resume"})
    failed = next(name for name, r in results.items() if r == "failed")
    assert failed in refused.value.errors["decision"]
    case.step(case.bureau, "resumption_review", {"decision": "another_sitting"})
    assert case.open() == ["schedule_sitting"]
    second = case.sitting(dt.date(2026, 3, 11))
    assert second != class_id
    set_day(case.clock, dt.date(2026, 3, 11))
    case.scores(second, {0: 95})  # only the one who failed sits the second exam
    case.step(case.site, "main_scores", {"confirmed": True})
    assert set(case.results().values()) == {"passed"}
    assert case.step(case.bureau, "resumption_review", {"decision": "resume", "decision_note": "全员合格"}) == \
        "completed"
    page = suspensions.case_page(case.ctx, case.bureau, case.case_id)
    assert page.status == "resumed" and page.decided_by == "sup_zz" and page.decided_at is not None


def test_s5_a_resit_only_on_the_exam_day_and_a_person_removed_from_post_with_reason_and_document_no_longer_blocks_resumption(case, reached):
    case.suspend()
    case.roster(2)
    class_id = case.sitting()
    set_day(case.clock, EXAM, hour=9)
    case.scores(class_id, {0: 88, 1: 30})
    case.step(case.site, "main_scores", {"confirmed": True})
    assert case.open() == ["resit_scores"]
    set_day(case.clock, EXAM + dt.timedelta(days=1), hour=9)  # the exam day is over: the resit timer fires (S3)
    with pytest.raises((InvalidData, Conflict)):  # S3 reused: a resit on another day is refused
        case.scores(class_id, {1: 95}, kind="resit")
    timers.run_due_timers(case.wiring.platform)
    assert case.open() == ["resumption_review"]
    failed = next(p for p in suspensions.case_page(case.ctx, case.bureau, case.case_id).people
                  if p.result == "failed")
    with pytest.raises(InvalidData) as incomplete:
        suspensions.remove_from_post(case.ctx, case.enterprise, failed.id, "", None)
    assert set(incomplete.value.errors) == {"reason", "document"}
    suspensions.remove_from_post(case.ctx, case.enterprise, failed.id, "调离井下岗位", pdf("transfer.pdf"))
    with pytest.raises(InvalidData):
        case.step(case.bureau, "resumption_review", {"decision": "another_sitting"})  # nobody left to examine
    case.step(case.bureau, "resumption_review", {"decision": "resume"})
    assert sorted(case.results().values()) == ["passed", "removed"]


def test_every_element_of_full_staff_exam_was_reached(reached):
    assert reached.missing("full_staff_exam") == set()
