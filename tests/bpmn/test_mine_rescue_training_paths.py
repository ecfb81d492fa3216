"""Path tests of ``mine_rescue_training`` (S6): the rescue team's lane (members, practical part) and the exam
centre's lane (theory exam on ``exam_with_resit``, results), including a course where nobody passes the practical."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from adapters.render.enterprise_sheets import MEMBERS, template
from adapters.services.enterprises import rescue
from adapters.services.issuance import scores
from adapters.services.issuance.scores import ScoreEntry
from adapters.services.platform.errors import InvalidData, NotFound
from tests.support.enterprises import add_rescue_bodies, ctx_of
from tests.support.issuance import complete, id_number, name_of, open_task, set_day
from tests.support.issuance import ctx_of as training_ctx

EXAM = dt.date(2026, 3, 12)


def members_xlsx(count: int) -> bytes:
    return template(MEMBERS, [(name_of(n), id_number(n), "晋城某煤业有限公司") for n in range(1, count + 1)])


class Course:
    def __init__(self, wiring, people, clock) -> None:
        add_rescue_bodies(wiring, people)
        self.wiring, self.people, self.clock, self.ctx = wiring, people, clock, ctx_of(wiring)
        self.rescue, self.centre = people.actor("rescue"), people.actor("centre")
        set_day(clock, dt.date(2026, 3, 2))
        course_id, errors = rescue.create_course(self.ctx, self.rescue, "2026年第一期", io.BytesIO(members_xlsx(3)))
        assert errors == [] and course_id
        self.page = rescue.course_page(self.ctx, self.rescue, course_id)

    def task_org(self, bpmn_id: str) -> int:
        return open_task(self.wiring, self.people.actor("admin"), self.page.instance_id, bpmn_id).organisation_id

    def step(self, actor, bpmn_id: str, data: dict) -> str:
        return complete(self.wiring, actor, self.page.instance_id, bpmn_id, data)

    def members(self) -> list[int]:
        return [m[0] for m in self.page.members]


@pytest.fixture
def course(diagrams, people, fixed_clock) -> Course:
    return Course(diagrams, people, fixed_clock)


def test_s6_the_rescue_team_and_the_exam_centre_each_get_their_own_tasks(course, people):
    assert course.task_org("confirm_members") == people.orgs["RESCUE"]
    with pytest.raises(InvalidData):
        course.step(course.rescue, "confirm_members", {"confirmed": True})  # nobody ticked yet
    ids = course.members()
    rescue.confirm_members(course.ctx, course.rescue, course.page.id, ids[:2])
    course.step(course.rescue, "confirm_members", {"confirmed": True})
    assert course.task_org("practical") == people.orgs["RESCUE"]
    rescue.record_practical(course.ctx, course.rescue, course.page.id, {ids[0]: "92"})
    with pytest.raises(InvalidData) as missing:
        course.step(course.rescue, "practical", {"confirmed": True})
    assert name_of(2) in missing.value.errors["confirmed"]
    rescue.record_practical(course.ctx, course.rescue, course.page.id, {ids[1]: "60"})
    course.step(course.rescue, "practical", {"confirmed": True})
    assert course.task_org("schedule_theory") == people.orgs["EXAM-C"]
    with pytest.raises(NotFound):  # the rescue team sees nothing of the exam centre's task
        course.step(course.rescue, "schedule_theory", {"exam_date": EXAM.isoformat()})
    course.step(course.centre, "schedule_theory", {"exam_date": EXAM.isoformat()})
    assert course.task_org("main_scores") == people.orgs["EXAM-C"]  # the centre runs the theory exam (S3 process)
    class_id = rescue.course_page(course.ctx, course.centre, course.page.id).class_id
    set_day(course.clock, EXAM)
    tctx = training_ctx(course.wiring)
    [row] = scores.score_sheet(tctx, course.centre, class_id).rows  # only the practical passer sits the theory
    scores.record_scores(tctx, course.centre, class_id, [ScoreEntry(row.trainee_id, 85)])
    course.step(course.centre, "main_scores", {"confirmed": True})
    assert course.task_org("issue_results") == people.orgs["EXAM-C"]
    assert course.step(course.centre, "issue_results", {"confirmed": True}) == "completed"
    page = rescue.course_page(course.ctx, course.rescue, course.page.id)
    assert page.status == "published"
    assert [m[6] for m in page.members] == ["合格", "不合格", "待考"]


def test_s6_without_a_practical_passer_the_centre_issues_the_results_without_a_theory_exam(course, people):
    ids = course.members()
    rescue.confirm_members(course.ctx, course.rescue, course.page.id, ids)
    course.step(course.rescue, "confirm_members", {"confirmed": True})
    with pytest.raises(InvalidData):
        rescue.record_practical(course.ctx, course.rescue, course.page.id, {ids[0]: "120"})
    rescue.record_practical(course.ctx, course.rescue, course.page.id, {i: "50" for i in ids})
    course.step(course.rescue, "practical", {"confirmed": True})
    assert course.task_org("issue_results") == people.orgs["EXAM-C"]
    course.step(course.centre, "issue_results", {"confirmed": True})


def test_every_element_of_mine_rescue_training_was_reached(reached):
    assert reached.missing("mine_rescue_training") == set()
