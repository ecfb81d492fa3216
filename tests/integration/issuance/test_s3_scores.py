"""Exam scores with the same-day resit (S3): one resit, on the exam day, for failed main exams only; the pass mark
comes from the rule table; score entry by grid or xlsx stores everything or nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from adapters.services.issuance import scores
from adapters.services.issuance.context import repo
from adapters.services.issuance.exams import finalise_results, schedule_exam
from adapters.services.issuance.scores import ScoreEntry
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData
from storage.models import RuleValue
from tests.support.issuance import set_day

EXAM = dt.date(2026, 3, 16)


@pytest.fixture
def exam_class(ctx, new_class, fixed_clock):
    """A class of three scheduled at SITE-1 on EXAM; the clock stands on the exam day."""
    from tests.support.issuance import trainee

    class_id = new_class([trainee(1), trainee(2), trainee(3)])
    with ctx.platform.uow() as uow:
        schedule_exam(ctx, uow, repo(uow), class_id, "SITE-1", EXAM)
        uow.commit()
    set_day(fixed_clock, EXAM)
    return class_id


def ids(ctx, site, class_id):
    return [row.trainee_id for row in scores.score_sheet(ctx, site, class_id).rows]


def refusal(ctx, site, class_id, *entries):
    with pytest.raises(InvalidData) as refused:
        scores.record_scores(ctx, site, class_id, list(entries))
    return refused.value.errors


def test_s3_a_failed_main_exam_gets_exactly_one_same_day_resit(ctx, site, exam_class):
    a, _b, _c = ids(ctx, site, exam_class)
    scores.record_scores(ctx, site, exam_class, [ScoreEntry(a, 72)])
    row = scores.score_sheet(ctx, site, exam_class).rows[0]
    assert row.status == "resit_allowed" and "theory_resit" in row.editable
    sheet = scores.record_scores(ctx, site, exam_class, [ScoreEntry(a, theory_resit=86, practical_main=90)])
    assert sheet.rows[0].status == "passed"


def test_s3_a_second_resit_is_refused_with_a_chinese_message(ctx, site, exam_class):
    a, _b, _c = ids(ctx, site, exam_class)
    scores.record_scores(ctx, site, exam_class, [ScoreEntry(a, 60, 70)])
    errors = refusal(ctx, site, exam_class, ScoreEntry(a, theory_resit=75))
    assert errors == {"rows[0].theory_resit": "张伟：理论考试补考成绩已录入，不能修改"}


def test_s3_a_resit_on_another_day_is_refused(ctx, site, exam_class, fixed_clock):
    a, _b, _c = ids(ctx, site, exam_class)
    scores.record_scores(ctx, site, exam_class, [ScoreEntry(a, 60)])
    set_day(fixed_clock, EXAM + dt.timedelta(days=1))
    errors = refusal(ctx, site, exam_class, ScoreEntry(a, theory_resit=90))
    assert errors == {"rows[0].theory_resit": "张伟：补考只能在考试当日（2026-03-16）进行一次"}


def test_s3_no_resit_after_a_passed_or_missed_main_exam(ctx, site, exam_class):
    a, b, _c = ids(ctx, site, exam_class)
    scores.record_scores(ctx, site, exam_class, [ScoreEntry(a, 85), ScoreEntry(b, "absent")])
    errors = refusal(ctx, site, exam_class, ScoreEntry(a, theory_resit=90), ScoreEntry(b, theory_resit=90))
    assert errors["rows[0].theory_resit"] == "张伟：理论考试正考已通过，无需补考"
    assert errors["rows[1].theory_resit"].startswith("王伟：理论考试正考缺考，不能补考")


def test_s3_practical_only_after_theory_passes(ctx, site, exam_class):
    a, _b, _c = ids(ctx, site, exam_class)
    errors = refusal(ctx, site, exam_class, ScoreEntry(a, 60, None, 90))
    assert errors == {"rows[0].practical_main": "张伟：理论考试未通过，不能参加实际操作考试"}


def test_s3_one_bad_cell_stores_nothing_of_the_batch(ctx, site, exam_class):
    a, b, _c = ids(ctx, site, exam_class)
    refusal(ctx, site, exam_class, ScoreEntry(a, 90, None, 90), ScoreEntry(b, 101))
    assert all(row.cells == {} for row in scores.score_sheet(ctx, site, exam_class).rows)


def test_s3_results_are_final_after_the_exam_day_and_then_locked(ctx, site, exam_class):
    a, b, c = ids(ctx, site, exam_class)
    scores.record_scores(ctx, site, exam_class, [ScoreEntry(a, 90, None, 90), ScoreEntry(b, 60), ScoreEntry(c, 55, 40)])
    with ctx.platform.uow() as uow:
        assert finalise_results(ctx, repo(uow), exam_class) == (1, 2)
        uow.commit()
    sheet = scores.score_sheet(ctx, site, exam_class)
    assert [r.status for r in sheet.rows] == ["passed", "failed", "failed"]
    assert sheet.rows[1].reasons == ("理论考试正考未通过（60 分），考试当日未补考，须重新培训",)
    with pytest.raises(Conflict):
        scores.record_scores(ctx, site, exam_class, [ScoreEntry(b, theory_resit=90)])


def test_the_pass_mark_comes_from_the_rule_table_in_force_on_the_exam_day(ctx, site, new_class, fixed_clock):
    from tests.support.issuance import trainee

    with ctx.platform.uow() as uow:
        [rule] = [r for r in uow.reference.rule_values() if r.key == "exam_pass_mark"]
        rule.effective_to = EXAM - dt.timedelta(days=1)
        uow.reference.add_rule_value(RuleValue(key="exam_pass_mark", value=60, effective_from=EXAM,
                                               source="测试：假定的新规定"))
        uow.commit()
    class_id = new_class([trainee(1)])
    with ctx.platform.uow() as uow:
        assert schedule_exam(ctx, uow, repo(uow), class_id, "SITE-1", EXAM).pass_mark == 60
        uow.commit()
    set_day(fixed_clock, EXAM)
    [a] = ids(ctx, site, class_id)
    assert scores.record_scores(ctx, site, class_id, [ScoreEntry(a, 65, None, 61)]).rows[0].status == "passed"


def test_only_the_assigned_site_enters_scores_and_not_before_the_exam_day(ctx, people, site, exam_class, fixed_clock):
    a, _b, _c = ids(ctx, site, exam_class)
    with pytest.raises(Forbidden):
        scores.record_scores(ctx, people.actor("bureau"), exam_class, [ScoreEntry(a, 90)])
    set_day(fixed_clock, EXAM - dt.timedelta(days=1))
    assert "考试前不能录入成绩" in refusal(ctx, site, exam_class, ScoreEntry(a, 90))["rows"]


def fill(template: bytes, values: dict[int, tuple]) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book["成绩录入"]
    for row, cells in values.items():
        for column, value in enumerate(cells, start=3):
            sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_s3_an_xlsx_import_records_every_row_or_none(ctx, site, exam_class):
    template = scores.score_template(ctx, site, exam_class)
    good = fill(template, {2: (90, None, 88), 3: (70, 85, 90), 4: (60, 65, None)})  # row 4 fails its resit
    broken = fill(template, {2: (90, None, 88), 3: (70, 85, "九十")})
    result = scores.import_scores_xlsx(ctx, site, exam_class, broken)
    assert not result.recorded and [(e.row, e.column) for e in result.errors] == [(3, "实操正考")]
    assert all(row.cells == {} for row in scores.score_sheet(ctx, site, exam_class).rows)
    result = scores.import_scores_xlsx(ctx, site, exam_class, good)
    assert result.recorded and result.errors == []
    assert [r.status for r in scores.score_sheet(ctx, site, exam_class).rows] == ["passed", "passed", "failed"]


def test_s3_an_xlsx_import_breaking_the_resit_rule_names_the_row(ctx, site, exam_class):
    template = scores.score_template(ctx, site, exam_class)
    result = scores.import_scores_xlsx(ctx, site, exam_class, fill(template, {2: (85, 90, None)}))
    assert not result.recorded
    assert [(e.row, e.column, e.message) for e in result.errors] == [(2, "理论补考", "张伟：理论考试正考已通过，无需补考")]


def test_s3_leaders_sit_theory_only_with_the_same_one_resit(ctx, site, new_class, fixed_clock):
    from tests.support.issuance import trainee

    class_id = new_class([trainee(1, job_type="principal_leader", education="bachelor"),
                          trainee(2, job_type="principal_leader", education="bachelor")], job_type="principal_leader")
    with ctx.platform.uow() as uow:
        schedule_exam(ctx, uow, repo(uow), class_id, "SITE-1", EXAM)
        uow.commit()
    set_day(fixed_clock, EXAM)
    a, b = ids(ctx, site, class_id)
    errors = refusal(ctx, site, class_id, ScoreEntry(a, 90, None, 90))
    assert errors == {"rows[0].practical_main": "张伟：该工种只考理论，不录入实操成绩"}
    sheet = scores.record_scores(ctx, site, class_id, [ScoreEntry(a, 90), ScoreEntry(b, 70, 80)])
    assert [(r.status, r.editable) for r in sheet.rows] == [("passed", ()), ("passed", ())]
