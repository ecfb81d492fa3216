"""Exam sittings with the same-day resit (S3): theory first, practical only after theory passes.

Each part (theory, practical) has one main attempt (正考) and, only if that fails, exactly one
resit (补考) on the exam day itself. A failed resit ends the sitting: the candidate must retrain.
A failed theory part therefore blocks the practical part, which is never taken.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

PARTS = {"theory": "理论考试", "practical": "实际操作考试"}
KINDS = {"main": "正考", "resit": "补考"}


@dataclass(frozen=True)
class ExamAttempt:
    """One recorded score of a candidate's sitting."""

    part: str
    kind: str
    score: float
    on: date


@dataclass(frozen=True)
class ExamOutcome:
    """The state of a sitting: passed, resit_allowed, failed or pending, with Chinese reasons."""

    status: str
    reasons: tuple[str, ...]


def _find(attempts: Sequence[ExamAttempt], part: str, kind: str) -> ExamAttempt | None:
    return next((a for a in attempts if a.part == part and a.kind == kind), None)


def _part_passed(attempts: Sequence[ExamAttempt], part: str, pass_mark: float) -> bool:
    return any(a.part == part and a.score >= pass_mark for a in attempts)


def _shape_problem(new: ExamAttempt, exam_day: date) -> str | None:
    if new.part not in PARTS:
        return f"考试科目“{new.part}”无效，应为 theory 或 practical"
    if new.kind not in KINDS:
        return f"考试类别“{new.kind}”无效，应为 main 或 resit"
    if not (math.isfinite(new.score) and 0 <= new.score <= 100):
        return f"{PARTS[new.part]}{KINDS[new.kind]}成绩 {new.score} 无效，应在 0 至 100 之间"
    if new.on != exam_day:
        if new.kind == "resit":
            return f"补考只能在考试当日（{exam_day.isoformat()}）进行一次"
        return f"正考日期 {new.on.isoformat()} 与考试日 {exam_day.isoformat()} 不一致"
    return None


def _resit_problem(existing: Sequence[ExamAttempt], new: ExamAttempt, pass_mark: float) -> str | None:
    part = PARTS[new.part]
    main = _find(existing, new.part, "main")
    if main is None:
        return f"{part}尚无正考成绩，不能录入补考"
    if main.score >= pass_mark:
        return f"{part}正考已通过，无需补考"
    if _find(existing, new.part, "resit") is not None:
        return f"补考只能在考试当日进行一次，{part}已有补考成绩"
    return None


def check_new_attempt(
    existing: Sequence[ExamAttempt], new: ExamAttempt, exam_day: date, pass_mark: float
) -> str | None:
    """Return a Chinese error if `new` may not be recorded after `existing` (S3), else None."""
    problem = _shape_problem(new, exam_day)
    if problem is not None:
        return problem
    if new.part == "practical" and not _part_passed(existing, "theory", pass_mark):
        return "理论考试未通过，不能参加实际操作考试"
    if new.kind == "resit":
        return _resit_problem(existing, new, pass_mark)
    if _find(existing, new.part, "main") is not None:
        return f"{PARTS[new.part]}已有正考成绩，不能重复录入"
    return None


def _part_status(
    attempts: Sequence[ExamAttempt], part: str, pass_mark: float, resit_window_open: bool
) -> tuple[str, str]:
    name = PARTS[part]
    main = _find(attempts, part, "main")
    resit = _find(attempts, part, "resit")
    if main is None:
        if resit_window_open:
            return "pending", f"{name}尚未进行"
        # Every attempt must fall on the exam day, so after it a missing part can never be recorded.
        return "failed", f"{name}缺考（考试当日未参加）"
    if main.score >= pass_mark:
        return "passed", f"{name}正考通过（{main.score:g} 分）"
    if resit is None:
        if resit_window_open:
            return "resit_allowed", f"{name}正考未通过（{main.score:g} 分），可于当日补考一次"
        return "failed", f"{name}正考未通过（{main.score:g} 分），考试当日未补考，须重新培训"
    if resit.score >= pass_mark:
        return "passed", f"{name}补考通过（{resit.score:g} 分）"
    return "failed", f"{name}正考、补考均未通过（补考 {resit.score:g} 分），须重新培训"


def evaluate(
    attempts: Sequence[ExamAttempt], pass_mark: float, exam_day: date, *, today: date | None = None
) -> ExamOutcome:
    """Return the sitting's outcome; ValueError if the attempts break S3 (checked in recorded order).

    `today` closes the exam day: afterwards a failed main without a resit, or a part never taken,
    is final (failed). Without `today` the day is treated as still open.
    """
    for index, attempt in enumerate(attempts):
        problem = check_new_attempt(attempts[:index], attempt, exam_day, pass_mark)
        if problem is not None:
            raise ValueError(f"第 {index + 1} 条成绩记录无效：{problem}")
    window_open = today is None or today <= exam_day
    theory, theory_reason = _part_status(attempts, "theory", pass_mark, window_open)
    if theory != "passed":
        return ExamOutcome(theory, (theory_reason,))
    practical, practical_reason = _part_status(attempts, "practical", pass_mark, window_open)
    return ExamOutcome(practical, (theory_reason, practical_reason))
