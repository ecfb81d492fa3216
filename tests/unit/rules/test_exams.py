"""Exam sittings with the same-day resit (S3)."""

from datetime import date

import pytest

from adapters.rules.exams import ExamAttempt, ExamOutcome, check_new_attempt, evaluate

DAY = date(2026, 3, 10)
PASS = 80


def attempt(part, kind, score, on=DAY):
    return ExamAttempt(part, kind, score, on)


def test_s3_no_attempts_is_pending():
    assert evaluate([], PASS, DAY) == ExamOutcome("pending", ("理论考试尚未进行",))


def test_s3_passing_both_mains_passes():
    outcome = evaluate([attempt("theory", "main", 85), attempt("practical", "main", 80)], PASS, DAY)
    assert outcome.status == "passed"
    assert outcome.reasons == ("理论考试正考通过（85 分）", "实际操作考试正考通过（80 分）")


def test_s3_theory_passed_waits_for_practical():
    outcome = evaluate([attempt("theory", "main", 90)], PASS, DAY)
    assert outcome.status == "pending"
    assert outcome.reasons[-1] == "实际操作考试尚未进行"


def test_s3_failed_main_exam_gets_one_same_day_resit():
    outcome = evaluate([attempt("theory", "main", 79.5)], PASS, DAY, today=DAY)
    assert outcome == ExamOutcome("resit_allowed", ("理论考试正考未通过（79.5 分），可于当日补考一次",))


def test_s3_passing_the_resit_passes_the_part():
    attempts = [attempt("theory", "main", 70), attempt("theory", "resit", 82), attempt("practical", "main", 88)]
    assert evaluate(attempts, PASS, DAY).status == "passed"


def test_s3_failed_practical_main_allows_a_practical_resit():
    attempts = [attempt("theory", "main", 90), attempt("practical", "main", 60)]
    assert evaluate(attempts, PASS, DAY).status == "resit_allowed"


def test_s3_failing_the_resit_fails_the_sitting_and_means_retraining():
    outcome = evaluate([attempt("theory", "main", 60), attempt("theory", "resit", 75)], PASS, DAY)
    assert outcome.status == "failed"
    assert "须重新培训" in outcome.reasons[0]


def test_s3_failed_practical_resit_fails_the_sitting():
    attempts = [
        attempt("theory", "main", 90), attempt("practical", "main", 60), attempt("practical", "resit", 79)
    ]
    assert evaluate(attempts, PASS, DAY).status == "failed"


def test_s3_resit_window_closes_after_the_exam_day():
    outcome = evaluate([attempt("theory", "main", 60)], PASS, DAY, today=date(2026, 3, 11))
    assert outcome.status == "failed"
    assert "考试当日未补考" in outcome.reasons[0]


def test_s3_practical_never_taken_on_the_exam_day_is_failed_afterwards():
    outcome = evaluate([attempt("theory", "main", 90)], PASS, DAY, today=date(2026, 3, 11))
    assert outcome == ExamOutcome("failed", ("理论考试正考通过（90 分）", "实际操作考试缺考（考试当日未参加）"))


def test_s3_evaluate_refuses_records_that_break_the_rules():
    with pytest.raises(ValueError, match="第 2 条成绩记录无效：理论考试未通过，不能参加实际操作考试"):
        evaluate([attempt("theory", "main", 50), attempt("practical", "main", 90)], PASS, DAY)


def test_s3_resit_must_be_on_the_exam_day():
    problem = check_new_attempt([attempt("theory", "main", 60)], attempt("theory", "resit", 90, date(2026, 3, 11)),
                                DAY, PASS)
    assert problem == "补考只能在考试当日（2026-03-10）进行一次"


def test_s3_only_one_resit_per_part():
    existing = [attempt("theory", "main", 60), attempt("theory", "resit", 70)]
    assert check_new_attempt(existing, attempt("theory", "resit", 90), DAY, PASS) == (
        "补考只能在考试当日进行一次，理论考试已有补考成绩"
    )


def test_s3_resit_only_after_a_failed_main():
    assert check_new_attempt([], attempt("theory", "resit", 90), DAY, PASS) == "理论考试尚无正考成绩，不能录入补考"
    passed = [attempt("theory", "main", 80)]
    assert check_new_attempt(passed, attempt("theory", "resit", 90), DAY, PASS) == "理论考试正考已通过，无需补考"


def test_practical_only_after_theory_passes():
    assert check_new_attempt([], attempt("practical", "main", 90), DAY, PASS) == "理论考试未通过，不能参加实际操作考试"
    failed_resit = [attempt("theory", "main", 60), attempt("theory", "resit", 70)]
    assert check_new_attempt(failed_resit, attempt("practical", "main", 90), DAY, PASS) is not None
    passed_resit = [attempt("theory", "main", 60), attempt("theory", "resit", 85)]
    assert check_new_attempt(passed_resit, attempt("practical", "main", 90), DAY, PASS) is None


def test_a_main_exam_cannot_be_recorded_twice():
    existing = [attempt("theory", "main", 60)]
    assert check_new_attempt(existing, attempt("theory", "main", 90), DAY, PASS) == "理论考试已有正考成绩，不能重复录入"


def test_main_exam_must_be_on_the_exam_day():
    problem = check_new_attempt([], attempt("theory", "main", 90, date(2026, 3, 9)), DAY, PASS)
    assert problem == "正考日期 2026-03-09 与考试日 2026-03-10 不一致"


@pytest.mark.parametrize("score", [-1, 100.5, float("nan"), float("inf")])
def test_scores_must_be_between_0_and_100(score):
    problem = check_new_attempt([], attempt("theory", "main", score), DAY, PASS)
    assert problem is not None and "应在 0 至 100 之间" in problem


@pytest.mark.parametrize(("part", "kind", "message"), [("oral", "main", "考试科目"), ("theory", "retry", "考试类别")])
def test_unknown_part_or_kind_is_named(part, kind, message):
    assert message in (check_new_attempt([], attempt(part, kind, 90), DAY, PASS) or "")


def test_pass_mark_comes_from_the_caller():
    assert evaluate([attempt("theory", "main", 75)], 70, DAY).reasons[0].startswith("理论考试正考通过")
